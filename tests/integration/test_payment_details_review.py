"""Payment details nobody can quietly redirect (issue 10; docs/SECURITY-REFERENCE.md §5 and Y1–Y8).

The payment link follows the bank details' approval: the editor's password, hidden
until an officer other than the editor approves exactly that version, audited. A
rejected change leaves the last approved version in force and the owner is told at
the next log-in; every change warns the contact on record before it (the outbox)."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from accounts.models import Role
from extensions import db
from notifications.constants import DeliveryStatus, NoticeKind
from notifications.models import Notification
from payments.models import PaymentLink
from payments.vietqr import parse_payload
from producers.models import AuditEvent, PaymentAccount, Producer
from tests.conftest import VERSION_RE, TEST_PASSWORD, csrf_token_from
from tests.factories import (COMMUNE_A, COMMUNE_B, VIETCOMBANK, inline_qr_codes, make_seller,
                                                  place_order)

PAGE = "/nha-san-xuat/lien-ket-thanh-toan"
ROGUE = "https://pay.example.net/helper-account"
HONEST = "https://buy.stripe.com/test_honest"
NUMBER_ON_RECORD = "0912 000 111"  # make_seller's producer phone, +84912000111
NEW_BANK = {"bank_bin": VIETCOMBANK, "account_number": "9988776655443", "holder_name": "KE GIA MAO"}
HIDDEN = r'<input id="{}" name="{}" type="hidden" value="([^"]*)">'


@pytest.fixture
def app_config():
    return {"ORDER_MIN_FILL_SECONDS": 0}


@pytest.fixture
def seller(app, make_user):
    return make_seller(app, make_user)


@pytest.fixture
def people(make_user):
    return {
        "helper": make_user(role=Role.HELPER, communes=(COMMUNE_A,), name="Tổ CNS Gia Phú"),
        "officer": make_user(role=Role.OFFICER, communes=(COMMUNE_A,), name="Cán bộ A"),
        "officer2": make_user(role=Role.OFFICER, communes=(COMMUNE_A,), name="Cán bộ A2"),
        "officer_b": make_user(role=Role.OFFICER, communes=(COMMUNE_B,), name="Cán bộ B"),
    }


def as_user(app, phone):
    """A fresh browser, logged in."""
    client = app.test_client()
    token = csrf_token_from(client.get("/dang-nhap").get_data(as_text=True))
    response = client.post("/dang-nhap", data={"phone": phone, "password": TEST_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


def save_link(client, producer_id, url, password=TEST_PASSWORD, seen_version=None):
    page = client.get(f"{PAGE}?producer={producer_id}").get_data(as_text=True)
    version = re.search(HIDDEN.format("seen_version", "seen_version"), page).group(1)
    return client.post(f"{PAGE}?producer={producer_id}", data={
        "url": url, "current_password": password, "producer": str(producer_id), "csrf_token": csrf_token_from(page),
        "seen_version": version if seen_version is None else seen_version})


def review_fields(client, producer_id, action):
    """The hidden fields of an approve/reject form, as the officer's dossier shows them."""
    page = client.get(f"/can-bo/ho-so/{producer_id}").get_data(as_text=True)
    return {"csrf_token": csrf_token_from(page),
            "version_id": re.search(HIDDEN.format(f"version-{action}", "version_id"), page).group(1),
            "fingerprint": re.search(HIDDEN.format(f"fingerprint-{action}", "fingerprint"), page).group(1)}


def approve_link(client, producer_id, fields=None):
    return client.post(f"/can-bo/ho-so/{producer_id}/lien-ket/duyet",
                       data=fields or review_fields(client, producer_id, "approve-link"))


def buyer_codes(client, code):
    return inline_qr_codes(client.get(f"/don-hang/{code}").get_data(as_text=True))


def link_versions(app, producer_id):
    with app.app_context():
        return [(row.version, row.status, row.url) for row in db.session.scalars(
            db.select(PaymentLink).filter_by(producer_id=producer_id).order_by(PaymentLink.version))]


def events(app, prefix):
    with app.app_context():
        return [(e.action, e.actor_id, e.changes, e.reason) for e in db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action.like(prefix + "%")).order_by(AuditEvent.id))]


def outbox(app):
    with app.app_context():
        return db.session.scalars(db.select(Notification).order_by(Notification.id)).all()


def test_helper_changed_link_stays_hidden_until_another_officer_approves_it(app, client, seller, people):
    helper = as_user(app, people["helper"][1])
    assert save_link(helper, seller.producer_id, ROGUE).status_code == 302
    assert link_versions(app, seller.producer_id) == [(1, "pending", ROGUE)]

    code = place_order(client, seller.product_id)  # a new order, placed after the change
    html = client.get(f"/don-hang/{code}").get_data(as_text=True)
    [vietqr] = inline_qr_codes(html)
    assert parse_payload(vietqr).account == seller.account and "pay.example.net" not in html

    officer = as_user(app, people["officer"][1])
    dossier = officer.get(f"/can-bo/ho-so/{seller.producer_id}").get_data(as_text=True)
    assert ROGUE in dossier, "the officer reads the whole address"
    assert f"Trước khi duyệt, hãy gọi cho nhà sản xuất theo số đã đăng ký: {NUMBER_ON_RECORD}" in dossier
    assert "Thông tin thanh toán chờ duyệt" in officer.get("/can-bo?tab=payments").get_data(as_text=True)
    assert "HTX Mật ong U Minh" in officer.get("/can-bo?tab=payments").get_data(as_text=True)
    assert approve_link(officer, seller.producer_id).status_code == 302

    vietqr, link = buyer_codes(client, code)
    parts = urlsplit(link)
    assert (parts.netloc, parts.path, parse_qs(parts.query)) == (
        "pay.example.net", "/helper-account", {"client_reference_id": [code]})
    [(_set, helper_id, changes, _r), (approved, officer_id, approved_changes, _r2)] = events(app, "payment_link")
    assert (_set, helper_id, changes) == ("payment_link_set", people["helper"][0],
                                          {"url": {"from": None, "to": ROGUE}, "version": 1,
                                           "needs_reapproval": True})
    assert (approved, officer_id, approved_changes) == ("payment_link_approved", people["officer"][0],
                                                       {"url": ROGUE, "version": 1})


def test_the_editor_cannot_approve_their_own_link(app, client, seller, people):
    officer = as_user(app, people["officer"][1])
    assert save_link(officer, seller.producer_id, ROGUE).status_code == 302
    dossier = officer.get(f"/can-bo/ho-so/{seller.producer_id}").get_data(as_text=True)
    assert "Bạn tự nhập liên kết thanh toán này" in dossier
    assert 'id="version-approve-link"' not in dossier
    with app.app_context():
        row = db.session.scalar(db.select(PaymentLink).filter_by(producer_id=seller.producer_id))
        from verification.services import fingerprint_of

        forged = {"version_id": str(row.id), "fingerprint": fingerprint_of(row),
                  "csrf_token": csrf_token_from(dossier)}
    response = approve_link(officer, seller.producer_id, forged)
    assert response.status_code == 403
    assert "một cán bộ xã khác phải duyệt" in response.get_data(as_text=True)
    assert link_versions(app, seller.producer_id) == [(1, "pending", ROGUE)]
    code = place_order(client, seller.product_id)
    assert len(buyer_codes(client, code)) == 1

    other = as_user(app, people["officer2"][1])
    assert approve_link(other, seller.producer_id).status_code == 302
    assert len(buyer_codes(client, code)) == 2


def test_a_stale_approval_of_v1_after_v2_is_refused(app, seller, people):
    helper = as_user(app, people["helper"][1])
    officer = as_user(app, people["officer"][1])
    save_link(helper, seller.producer_id, HONEST)
    seen_v1 = review_fields(officer, seller.producer_id, "approve-link")
    save_link(helper, seller.producer_id, ROGUE)
    response = approve_link(officer, seller.producer_id, seen_v1)
    assert response.status_code == 409
    assert "Liên kết thanh toán đã thay đổi sau khi bạn mở trang này" in response.get_data(as_text=True)
    assert link_versions(app, seller.producer_id) == [(1, "superseded", HONEST), (2, "pending", ROGUE)]
    assert [e[0] for e in events(app, "payment_link")] == ["payment_link_set", "payment_link_set"]


def test_an_officer_of_another_commune_gets_404(app, seller, people):
    helper = as_user(app, people["helper"][1])
    save_link(helper, seller.producer_id, ROGUE)
    seen = review_fields(as_user(app, people["officer"][1]), seller.producer_id, "approve-link")
    stranger = as_user(app, people["officer_b"][1])
    seen["csrf_token"] = csrf_token_from(stranger.get("/can-bo").get_data(as_text=True))
    assert approve_link(stranger, seller.producer_id, seen).status_code == 404
    assert link_versions(app, seller.producer_id) == [(1, "pending", ROGUE)]


@pytest.mark.parametrize("password", ["", "not-the-password"])
def test_a_missing_or_wrong_password_changes_nothing(app, seller, people, password):
    helper = as_user(app, people["helper"][1])
    response = save_link(helper, seller.producer_id, ROGUE, password=password)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="current_password-error"' in html and ROGUE in html, "the typed link is kept"
    assert link_versions(app, seller.producer_id) == []
    assert events(app, "payment_link") == [] and outbox(app) == []


def test_a_save_over_a_newer_change_is_refused_with_a_clear_message(app, seller, people):
    owner = as_user(app, seller.phone)
    page = owner.get(PAGE).get_data(as_text=True)  # the owner opens the page ...
    opened_on = re.search(HIDDEN.format("seen_version", "seen_version"), page).group(1)
    save_link(as_user(app, people["helper"][1]), seller.producer_id, ROGUE)  # ... the helper saves meanwhile
    response = save_link(owner, seller.producer_id, HONEST, seen_version=opened_on)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Có người đã đổi liên kết thanh toán sau khi bạn mở trang này" in html
    assert ROGUE in html, "the page shows the change that was made meanwhile"
    assert link_versions(app, seller.producer_id) == [(1, "pending", ROGUE)]
    assert save_link(owner, seller.producer_id, HONEST).status_code == 302  # re-saved knowingly
    assert link_versions(app, seller.producer_id)[-1] == (2, "pending", HONEST)


def test_a_rejected_link_keeps_the_previous_approved_one(app, client, seller, people):
    helper = as_user(app, people["helper"][1])
    officer = as_user(app, people["officer"][1])
    save_link(helper, seller.producer_id, HONEST)
    approve_link(officer, seller.producer_id)
    save_link(helper, seller.producer_id, ROGUE)
    code = place_order(client, seller.product_id)
    assert len(buyer_codes(client, code)) == 1, "no link while the change waits"
    fields = review_fields(officer, seller.producer_id, "reject-link")
    response = officer.post(f"/can-bo/ho-so/{seller.producer_id}/lien-ket/tu-choi",
                            data={**fields, "reason": "Nhà sản xuất không yêu cầu đổi"})
    assert response.status_code == 302
    _vietqr, link = buyer_codes(client, code)
    assert link.startswith(HONEST + "?client_reference_id=")
    assert events(app, "payment_link_rejected")[0][3] == "Nhà sản xuất không yêu cầu đổi"


def change_bank_details(app, seller):
    """The owner changes bank details through the wizard's step 4 (with their password)."""
    with app.app_context():
        db.session.get(Producer, seller.producer_id).wizard_step = 5  # a producer who finished the wizard
        db.session.commit()
    owner = as_user(app, seller.phone)
    url = f"/nha-san-xuat/ho-so/{seller.producer_id}/buoc-4"
    page = owner.get(url).get_data(as_text=True)
    versions = dict(VERSION_RE.findall(page))  # the form carries the version it was filled from
    response = owner.post(url, data={**NEW_BANK, **versions, "current_password": TEST_PASSWORD,
                                     "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return owner


def test_a_rejected_bank_change_keeps_the_old_code_and_the_owner_is_told_once(app, client, seller, people):
    code = place_order(client, seller.product_id)
    change_bank_details(app, seller)
    assert buyer_codes(client, code) == []  # hidden while it waits

    officer = as_user(app, people["officer"][1])
    fields = review_fields(officer, seller.producer_id, "reject-payment")
    response = officer.post(f"/can-bo/ho-so/{seller.producer_id}/tai-khoan/tu-choi",
                            data={**fields, "reason": "Tên chủ tài khoản không khớp giấy tờ"})
    assert response.status_code == 302

    [payload] = buyer_codes(client, code)  # the buyer's order page, as the buyer sees it
    parsed = parse_payload(payload)
    assert (parsed.bin, parsed.account, parsed.amount) == (seller.bin, seller.account, 2 * seller.price)
    with app.app_context():
        producer = db.session.get(Producer, seller.producer_id)
        assert producer.approved_payment_account.account_number == seller.account
        assert [a.status for a in producer.payment_accounts] == ["approved", "rejected"]
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="payment_rejected")).one()
        assert event.changes["account_number"] == "•••••••••5443", "the log keeps the last 4 digits only"

    owner = app.test_client()
    token = csrf_token_from(owner.get("/dang-nhap").get_data(as_text=True))
    home = owner.post("/dang-nhap", data={"phone": seller.phone, "password": TEST_PASSWORD, "csrf_token": token},
                      follow_redirects=True).get_data(as_text=True)
    told = "tài khoản ngân hàng mới của bạn không được duyệt"
    assert told in home and "Tên chủ tài khoản không khớp giấy tờ" in home
    assert told not in owner.get("/nha-san-xuat").get_data(as_text=True), "shown once after the log-in"
    profile = owner.get(f"/nha-san-xuat/ho-so/{seller.producer_id}/buoc-5").get_data(as_text=True)
    assert told in profile, "the profile page keeps the notice"

    english = app.test_client()
    token = csrf_token_from(english.get("/dang-nhap").get_data(as_text=True))
    english.post("/ngon-ngu", data={"lang": "en", "csrf_token": token, "next": "/"})
    english.post("/dang-nhap", data={"phone": seller.phone, "password": TEST_PASSWORD, "csrf_token": token})
    page = english.get(f"/nha-san-xuat/ho-so/{seller.producer_id}/buoc-5").get_data(as_text=True)
    assert "your new bank details were not approved" in page


def test_a_bank_change_warns_the_contact_on_record_and_the_officer_is_asked_to_call(app, seller, people):
    change_bank_details(app, seller)
    changed = [n for n in outbox(app) if n.kind == NoticeKind.BANK_ACCOUNT_CHANGED]
    assert [(n.recipient_phone, n.recipient_user_id, n.status, n.channel) for n in changed] == [
        ("+84912000111", seller.user_id, DeliveryStatus.PENDING, "sms")]
    [notice] = changed
    assert "5443" in notice.text_vi and "5443" in notice.text_en and "9988776655443" not in notice.text_vi
    assert notice.text_vi.startswith("Chợ Quê: tài khoản nhận tiền") and "bank account" in notice.text_en
    assert notice.link == "https://choque.example/nha-san-xuat" and notice.created_at is not None
    officer = as_user(app, people["officer"][1])
    dossier = officer.get(f"/can-bo/ho-so/{seller.producer_id}").get_data(as_text=True)
    assert f"theo số đã đăng ký: {NUMBER_ON_RECORD}" in dossier and 'href="tel:+84912000111"' in dossier


def test_the_warning_is_written_in_the_same_transaction_as_the_change(app, seller):
    """A change that is rolled back leaves no warning behind, and a warning never goes out alone."""
    from accounts.models import User
    from producers import services

    with app.app_context():
        producer = db.session.get(Producer, seller.producer_id)
        owner = db.session.get(User, seller.user_id)
        services.save_payment_account(producer, NEW_BANK, owner)
        db.session.flush()
        assert db.session.scalar(db.select(db.func.count(Notification.id))) == 1
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(Notification.id))) == 0
        assert db.session.scalar(db.select(db.func.count(PaymentAccount.id))) == 1
        assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 0


def test_every_notice_fits_one_sms_in_both_languages(app):
    from flask_babel import force_locale

    from notifications.rules import fits_one_sms, sms_body
    from notifications.texts import NAME_PARAMS, NOTICE_TEXTS

    link = "https://choque.vn/nha-san-xuat"
    with app.app_context():
        # Texts carrying names are cut to fit: tests/unit/test_notice_texts.py tries them.
        fixed = {kind: text for kind, text in NOTICE_TEXTS.items()
                 if not any(f"%({name})" in text._args[0] for name in NAME_PARAMS + ("amount",))}
        assert NoticeKind.CLAIM_CODE in fixed and NoticeKind.BANK_ACCOUNT_CHANGED in fixed
        for kind, text in fixed.items():
            for language in ("vi", "en"):
                with force_locale(language):
                    # Every placeholder at its widest (the claim code's message has the most).
                    message = str(text) % {"last4": "5443", "code": "ACDEF-GHJKM", "phone": "0977 111 222",
                                           "date": "30 September 2027"}
                assert fits_one_sms(message, link), (kind, language, len(sms_body(message, link)))


def test_a_fourth_link_change_in_a_day_is_refused(app, seller, people):
    helper = as_user(app, people["helper"][1])
    for number in range(3):
        assert save_link(helper, seller.producer_id, f"{HONEST}_{number}").status_code == 302
    response = save_link(helper, seller.producer_id, ROGUE)
    assert response.status_code == 429
    assert "đã được đổi 3 lần hôm nay" in response.get_data(as_text=True)
    assert [v[1] for v in link_versions(app, seller.producer_id)] == ["superseded", "superseded", "pending"]


def test_first_bank_details_of_a_new_dossier_warn_nobody(app, make_user):
    """Before verification nothing can be diverted yet: no warning, no "call" line on the dossier."""
    from tests import factories as w

    world = w.build(app, make_user, with_images=False)
    officer = as_user(app, world.oa[1])
    dossier = officer.get(f"/can-bo/ho-so/{world.pa}").get_data(as_text=True)
    assert "3100 2051 2345 6" in dossier and "theo số đã đăng ký" not in dossier
    assert outbox(app) == []
