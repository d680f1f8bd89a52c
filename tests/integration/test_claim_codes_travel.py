"""Claim codes that travel (issue 13): sent by SMS, Zalo or a short link, bound to the farmer's
mobile number the helper typed, expiring after CLAIM_CODE_DAYS, and queued in the outbox.
sms: URIs follow RFC 5724 (`sms:<number>?body=<percent-encoded text>`)."""
import html
import re
from urllib.parse import unquote

import pytest

from extensions import db
from notifications.constants import Channel, DeliveryStatus, NoticeKind
from notifications.rules import fits_one_sms, sms_body
from accounts.models import Role
from tests.integration.test_producer_claims import FARMER_PHONE, claim, issue_code
from tests.factories import GIA_PHU, Wizard, get_producer, profile_data, text, use_english

PUBLIC = "https://choque.example.vn"


@pytest.fixture
def app_config():
    return {"PUBLIC_BASE_URL": PUBLIC}


@pytest.fixture
def helper(make_user):
    return make_user(role=Role.HELPER, communes=(GIA_PHU,))


@pytest.fixture
def farm(client, auth, helper):
    """A profile the helper started for a farmer (no phone on it), then the helper logs out."""
    auth.login(helper[1])
    response = Wizard(client, auth).post("/nha-san-xuat/tao-ho", profile_data(phone=""))
    auth.logout()
    return int(response.headers["Location"].split("/")[-2])


def claim_notices(app, producer_id):
    from notifications.models import Notification

    with app.app_context():
        rows = db.session.scalars(db.select(Notification).where(
            Notification.producer_id == producer_id, Notification.kind == NoticeKind.CLAIM_CODE)).all()
        db.session.expunge_all()
        return rows


def share_page(client, auth, helper_phone, producer_id, farmer_phone="0977 111 222"):
    auth.login(helper_phone)
    path = f"/nha-san-xuat/ho-so/{producer_id}/ma-nhan"
    response = auth.post(path, {"farmer_phone": farmer_phone}, form_page=path)
    auth.logout()
    return text(response)


def href(page, element_id):
    return html.unescape(re.search(rf'id="{element_id}" href="([^"]+)"', page).group(1))


def test_share_links_and_outbox_row(app, client, auth, helper, farm):
    page = share_page(client, auth, helper[1], farm)
    code = re.search(r'class="claim-code"[^>]*>([A-Z0-9-]{11})<', page).group(1)
    short_link = f"{PUBLIC}/n/{code.replace('-', '')}"
    assert short_link in page

    number, _, body = href(page, "share-sms").partition("?body=")
    assert number == "sms:" + FARMER_PHONE
    body = unquote(body)
    assert body.startswith("Cho Que: ma nhan ho so cua ban la " + code) and body.endswith(" " + short_link)
    assert "0977 111 222" in body and len(body) <= 160 and body.isascii()
    assert href(page, "share-zalo") == "https://zalo.me/0977111222"
    # Without JavaScript the message is selectable text; the copy buttons wait for copy.js.
    assert re.search(r'class="copy-value" id="share-text">Chợ Quê: mã nhận hồ sơ của bạn là ' + code, page)
    assert 'data-copy="' + short_link + '"' in page and "js/copy.js" in page

    (notice,) = claim_notices(app, farm)
    assert (notice.recipient_phone, notice.channel, notice.status) == (FARMER_PHONE, Channel.SMS,
                                                                       DeliveryStatus.PENDING)
    assert notice.link == short_link and code in notice.text_vi and code in notice.text_en
    assert fits_one_sms(notice.text_vi, notice.link)
    assert sms_body(notice.text_vi, notice.link) == body  # the sender sends what the helper's link sends
    assert code.replace("-", "") not in (get_producer(app, farm).claim_code_hash or "")


def test_short_link_fills_in_the_code_after_registering(app, client, auth, helper, farm):
    page = share_page(client, auth, helper[1], farm)
    code = re.search(r'class="claim-code"[^>]*>([A-Z0-9-]{11})<', page).group(1)
    compact = code.replace("-", "")
    to_claim = client.get("/n/" + compact)
    assert to_claim.status_code == 302 and to_claim.headers["Location"] == f"/nha-san-xuat/nhan-ho-so?ma={compact}"
    to_login = client.get(to_claim.headers["Location"])
    assert to_login.status_code == 302 and "/dang-nhap" in to_login.headers["Location"]
    login_page = text(client.get(to_login.headers["Location"]))
    register_path = html.unescape(re.search(r'href="(/dang-ky\?next=[^"]+)"', login_page).group(1))
    registered = client.post(register_path, data={
        "name": "Lò Văn Sáng", "phone": "0977111222", "password": "Mat-ong-2027",
        "csrf_token": auth.token(register_path)})
    assert registered.headers["Location"] == f"/nha-san-xuat/nhan-ho-so?ma={compact}"
    claim_page = text(client.get(registered.headers["Location"]))
    assert f'value="{compact}"' in claim_page
    done = auth.post("/nha-san-xuat/nhan-ho-so", {"code": compact}, form_page=registered.headers["Location"])
    assert done.status_code == 302
    assert get_producer(app, farm).owner_id is not None


def test_another_number_is_refused(app, client, auth, make_user, helper, farm):
    code = issue_code(client, auth, helper[1], farm)
    _other_id, other_phone = make_user(phone="+84966222333")
    refused = claim(client, auth, other_phone, code)
    assert refused.status_code == 400
    assert "Mã này được cấp cho số di động có đuôi 1222" in text(refused)  # Vietnamese by default
    use_english(client, auth)
    refused = claim(client, auth, other_phone, code, log_in=False)
    assert "made for the mobile number ending in 1222" in text(refused)
    assert get_producer(app, farm).owner_id is None


@pytest.mark.parametrize("app_config", [{"PUBLIC_BASE_URL": PUBLIC, "CLAIM_CODE_DAYS": 0}])
def test_expired_code_is_refused_and_a_new_one_replaces_it(app, client, auth, make_user, helper, farm):
    expired = issue_code(client, auth, helper[1], farm)
    farmer_id, farmer_phone = make_user(phone=FARMER_PHONE)
    refused = claim(client, auth, farmer_phone, expired)
    assert refused.status_code == 400 and "Mã này đã hết hạn" in text(refused)
    auth.logout()
    app.config["CLAIM_CODE_DAYS"] = 30
    fresh = issue_code(client, auth, helper[1], farm)
    (notice,) = claim_notices(app, farm)  # the undelivered message with the dead code is gone
    assert fresh in notice.text_vi and expired not in notice.text_vi
    assert claim(client, auth, farmer_phone, expired).status_code == 400
    assert claim(client, auth, farmer_phone, fresh, log_in=False).status_code == 302
    producer = get_producer(app, farm)
    assert producer.owner_id == farmer_id and producer.claim_phone is None and producer.claim_expires_at is None


def test_a_number_that_is_not_a_mobile_is_refused(app, client, auth, helper, farm):
    auth.login(helper[1])
    path = f"/nha-san-xuat/ho-so/{farm}/ma-nhan"
    response = auth.post(path, {"farmer_phone": "024 3825 1234"}, form_page=path)
    assert response.status_code == 400 and 'class="claim-code"' not in text(response)
    assert "Vui lòng nhập số di động" in text(response)
    assert get_producer(app, farm).claim_code_hash is None and claim_notices(app, farm) == []
