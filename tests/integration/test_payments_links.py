"""Payment links (e.g. Stripe Payment Links): https only, set by the producer or its
commune's officers and helpers with their password, audited, and shown as a second QR
with client_reference_id once an officer has approved them (test_payment_link_review.py)."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from accounts.models import Role
from extensions import db
from payments.models import PaymentLink
from producers.models import AuditEvent, ProducerStatus
from tests.conftest import TEST_PASSWORD, csrf_token_from
from tests.factories import (COMMUNE_A, COMMUNE_B, decode_svg, inline_qr_codes, make_seller,
                                                  place_order, set_producer_status)

PAGE = "/nha-san-xuat/lien-ket-thanh-toan"
STRIPE = "https://buy.stripe.com/test_8wM5lM0hV2bk?locale=vi&prefilled_email=a%40b.vn"


@pytest.fixture
def app_config():
    return {"ORDER_MIN_FILL_SECONDS": 0}


@pytest.fixture
def seller(app, make_user):
    return make_seller(app, make_user)


SEEN_VERSION_RE = re.compile(r'id="seen_version" name="seen_version" type="hidden" value="(\d+)"')


def seen_version_from(html):
    match = SEEN_VERSION_RE.search(html)
    assert match, "the link form carries no version"
    return match.group(1)


def save_link(client, url, producer_id=None, password=TEST_PASSWORD, seen_version=None):
    """Open the page, then save as a person would (the version the page showed, unless given)."""
    query = f"?producer={producer_id}" if producer_id else ""
    page = client.get(PAGE + query).get_data(as_text=True)
    data = {"url": url, "csrf_token": csrf_token_from(page), "current_password": password,
            "seen_version": seen_version if seen_version is not None else seen_version_from(page)}
    if producer_id:
        data["producer"] = str(producer_id)
    return client.post(PAGE + query, data=data)


def stored_link(app, producer_id):
    """The newest version's address, whatever its status."""
    with app.app_context():
        return db.session.scalar(db.select(PaymentLink.url).filter_by(producer_id=producer_id)
                                 .order_by(PaymentLink.version.desc()).limit(1))


def approve_latest(app, producer_id):
    with app.app_context():
        row = db.session.scalars(db.select(PaymentLink).filter_by(producer_id=producer_id)
                                 .order_by(PaymentLink.version.desc())).first()
        row.status = PaymentLink.APPROVED
        db.session.commit()


def link_events(app):
    with app.app_context():
        return [(e.action, e.actor_id, e.changes) for e in db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action.like("payment_link%")).order_by(AuditEvent.id))]


def test_page_needs_a_login(client):
    assert client.get(PAGE).status_code == 302


def test_producer_saves_an_https_link_and_it_is_audited(app, seller, auth):
    auth.login(seller.phone)
    response = save_link(auth.client, STRIPE)
    assert response.status_code == 302
    assert stored_link(app, seller.producer_id) == STRIPE
    [(action, actor, changes)] = link_events(app)
    assert action == "payment_link_set" and actor == seller.user_id
    assert changes == {"url": {"from": None, "to": STRIPE}, "version": 1, "needs_reapproval": True}
    page = auth.client.get(PAGE).get_data(as_text=True)
    assert 'class="notice pd-pending"' in page and STRIPE.split("?")[0] in page


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "http://buy.stripe.com/abc", "data:text/html,<script>alert(1)</script>",
    "not a url", "https://buy.stripe.com@evil.example/x", "https://buy.stripe.com/" + "a" * 480, "",
])
def test_unsafe_links_are_refused_and_nothing_is_stored(app, seller, auth, url):
    auth.login(seller.phone)
    response = save_link(auth.client, url)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert stored_link(app, seller.producer_id) is None
    assert link_events(app) == []


def test_refused_link_is_not_echoed_as_a_link(app, seller, auth):
    auth.login(seller.phone)
    html = save_link(auth.client, 'javascript:alert("x")').get_data(as_text=True)
    assert 'href="javascript:' not in html


def test_order_page_shows_the_link_as_a_second_code_with_the_order_code(app, client, seller, auth):
    auth.login(seller.phone)
    save_link(auth.client, STRIPE)
    approve_latest(app, seller.producer_id)
    code = place_order(client, seller.product_id)
    html = client.get(f"/don-hang/{code}").get_data(as_text=True)
    codes = inline_qr_codes(html)
    assert len(codes) == 2 and codes[0].startswith("000201")
    link = codes[1]
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "buy.stripe.com", "/test_8wM5lM0hV2bk")
    assert parse_qs(parts.query) == {"locale": ["vi"], "prefilled_email": ["a@b.vn"], "client_reference_id": [code]}
    assert 'href="https://buy.stripe.com/test_8wM5lM0hV2bk?locale=vi&amp;prefilled_email=a%40b.vn&amp;' \
           f'client_reference_id={code}"' in html


def test_helper_of_the_commune_sets_it_on_behalf_others_get_404(app, seller, make_user, auth):
    helper_id, helper_phone = make_user(role=Role.HELPER, communes=(COMMUNE_A,))
    _officer_id, officer_b_phone = make_user(role=Role.OFFICER, communes=(COMMUNE_B,))
    auth.login(helper_phone)
    assert save_link(auth.client, STRIPE, seller.producer_id).status_code == 302
    assert stored_link(app, seller.producer_id) == STRIPE
    assert link_events(app)[0][1] == helper_id
    auth.logout()

    auth.login(officer_b_phone)
    assert auth.client.get(f"{PAGE}?producer={seller.producer_id}").status_code == 404
    token = csrf_token_from(auth.client.get(PAGE).get_data(as_text=True))
    response = auth.client.post(f"{PAGE}?producer={seller.producer_id}",
                                data={"url": "https://evil.example/pay", "csrf_token": token})
    assert response.status_code == 404
    assert stored_link(app, seller.producer_id) == STRIPE


def test_another_producer_cannot_set_it(app, seller, make_user, auth):
    other = make_seller(app, make_user, name="HTX khác", commune=(COMMUNE_B, 37), ref="X-1")
    auth.login(other.phone)
    token = csrf_token_from(auth.client.get(PAGE).get_data(as_text=True))
    response = auth.client.post(f"{PAGE}?producer={seller.producer_id}",
                                data={"url": "https://evil.example/pay", "csrf_token": token})
    assert response.status_code == 404
    assert stored_link(app, seller.producer_id) is None


def test_only_verified_producers_may_add_a_link(app, seller, auth):
    set_producer_status(app, seller.producer_id, ProducerStatus.SUBMITTED)
    auth.login(seller.phone)
    assert auth.client.get(PAGE).status_code == 403
    token = csrf_token_from(auth.client.get("/dang-nhap").get_data(as_text=True))
    assert auth.client.post(PAGE, data={"url": STRIPE, "csrf_token": token}).status_code == 403
    assert stored_link(app, seller.producer_id) is None


def test_remove_the_link(app, client, seller, auth):
    auth.login(seller.phone)
    save_link(auth.client, STRIPE)
    approve_latest(app, seller.producer_id)
    token = csrf_token_from(auth.client.get(PAGE).get_data(as_text=True))
    assert auth.client.post(PAGE + "/xoa", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(PaymentLink.status).filter_by(producer_id=seller.producer_id)) == \
            PaymentLink.SUPERSEDED
    assert [event[0] for event in link_events(app)] == ["payment_link_set", "payment_link_removed"]
    code = place_order(client, seller.product_id)
    assert len(inline_qr_codes(client.get(f"/don-hang/{code}").get_data(as_text=True))) == 1


def test_stored_link_is_checked_again_before_it_is_shown(app, client, seller):
    with app.app_context():
        db.session.add(PaymentLink(producer_id=seller.producer_id, url="javascript:alert(1)", version=1,
                                   status=PaymentLink.APPROVED))
        db.session.commit()
    code = place_order(client, seller.product_id)
    html = client.get(f"/don-hang/{code}").get_data(as_text=True)
    assert "javascript:" not in html and len(inline_qr_codes(html)) == 1


def test_link_qr_svg_decodes(app, client, seller, auth):
    auth.login(seller.phone)
    save_link(auth.client, "https://buy.stripe.com/abc")
    approve_latest(app, seller.producer_id)
    code = place_order(client, seller.product_id)
    html = client.get(f"/don-hang/{code}").get_data(as_text=True)
    svgs = [chunk for chunk in html.split("<svg ")[1:]]
    assert decode_svg("<svg " + svgs[1].split("</svg>")[0] + "</svg>") == \
        [f"https://buy.stripe.com/abc?client_reference_id={code}"]
