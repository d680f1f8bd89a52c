"""Officer decisions on a dossier: allowed transitions, reasons, audit, public visibility."""
import pytest

from extensions import db
from producers.models import AuditEvent, PaymentAccount, Producer
from tests import factories as w


@pytest.fixture
def world(app, make_user):
    return w.build(app, make_user, with_images=False)


def dossier(producer_id):
    return f"/can-bo/ho-so/{producer_id}"


def decide(auth, producer_id, slug, **data):
    return auth.post(f"{dossier(producer_id)}/{slug}", data, form_page=dossier(producer_id))


def approve(auth, app, producer_id):
    version_id, fingerprint = w.pending_fields(app, producer_id)
    return decide(auth, producer_id, "duyet", payment_version_id=version_id, payment_fingerprint=fingerprint)


def audit_events(app, producer_id):
    with app.app_context():
        return [(e.action, e.actor_id, e.reason, e.changes) for e in db.session.scalars(
            db.select(AuditEvent).filter_by(producer_id=producer_id).order_by(AuditEvent.id))]


def test_approve_verifies_and_approves_the_bank_details_seen(app, client, auth, world):
    auth.login(world.oa[1])
    response = approve(auth, app, world.pa)
    assert response.status_code == 302
    assert response.headers["Location"] == dossier(world.pa)
    with app.app_context():
        producer = db.session.get(Producer, world.pa)
        assert producer.status == "verified"
        assert producer.verified_at is not None
        assert producer.approved_payment_account.version == 1
        assert producer.approved_payment_account.reviewed_by_id == world.oa[0]
    actions = audit_events(app, world.pa)
    assert [a[0] for a in actions] == ["approved", "payment_approved"]
    assert actions[0][1] == world.oa[0]
    assert actions[0][3] == {"status": {"from": "submitted", "to": "verified"}}
    assert actions[1][3]["account_number"] == "•••••••••3456"
    page = client.get(dossier(world.pa)).get_data(as_text=True)
    assert "Dossier approved" in page or "Duyệt hồ sơ" in page


def test_only_verified_producers_are_public(app, client, auth, world):
    w.add_published_product(app, world.pa, "Mật ong bạc hà Gia Phú")
    w.add_published_product(app, world.pb, "Gạo nếp Yên Mô")
    assert "Mật ong bạc hà Gia Phú" not in client.get("/").get_data(as_text=True)
    assert w.public_producer_status(client, world.pa) == 404
    auth.login(world.oa[1])
    approve(auth, app, world.pa)
    home = client.get("/").get_data(as_text=True)
    assert "Mật ong bạc hà Gia Phú" in home
    assert "Gạo nếp Yên Mô" not in home
    assert w.public_producer_status(client, world.pa) == 200
    assert w.public_producer_status(client, world.pb) == 404
    with app.app_context():
        assert [p.id for p in db.session.scalars(Producer.public())] == [world.pa]


@pytest.mark.parametrize("slug, status", [("yeu-cau-bo-sung", "changes_requested"), ("tu-choi", "rejected")])
def test_decisions_with_a_reason_store_and_log_it(app, auth, world, slug, status):
    auth.login(world.oa[1])
    response = decide(auth, world.pa, slug, reason="  Ảnh giấy chứng nhận bị mờ, xin chụp lại.  ")
    assert response.status_code == 302
    with app.app_context():
        producer = db.session.get(Producer, world.pa)
        assert producer.status == status
        assert producer.status_reason == "Ảnh giấy chứng nhận bị mờ, xin chụp lại."
        assert producer.pending_payment_account is not None, "bank details wait for the dossier approval"
    action, actor, reason, changes = audit_events(app, world.pa)[-1]
    assert (action, actor, reason) == (status, world.oa[0], "Ảnh giấy chứng nhận bị mờ, xin chụp lại.")
    assert changes == {"status": {"from": "submitted", "to": status}}


@pytest.mark.parametrize("slug", ["yeu-cau-bo-sung", "tu-choi"])
def test_missing_reason_changes_nothing(app, auth, world, slug):
    auth.login(world.oa[1])
    before = w.snapshot(app, world.pa)
    response = decide(auth, world.pa, slug, reason="   ")
    assert response.status_code == 400
    assert "reason" in response.get_data(as_text=True).lower() or "lý do" in response.get_data(as_text=True)
    assert w.snapshot(app, world.pa) == before


@pytest.mark.parametrize("status, slug, data", [
    ("draft", "duyet", {}),
    ("draft", "yeu-cau-bo-sung", {"reason": "x"}),
    ("verified", "duyet", {}),
    ("verified", "khoi-phuc", {}),
    ("rejected", "duyet", {}),
    ("rejected", "tam-dung", {"reason": "x"}),
    ("changes_requested", "duyet", {}),
    ("submitted", "tam-dung", {"reason": "x"}),
    ("suspended", "tu-choi", {"reason": "x"}),
])
def test_transitions_that_are_not_allowed_change_nothing(app, auth, world, status, slug, data):
    w.set_status(app, world.pa, status)
    auth.login(world.oa[1])
    before = w.snapshot(app, world.pa)
    response = decide(auth, world.pa, slug, **data)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Nothing was changed" in page or "Chưa có gì thay đổi" in page
    assert w.snapshot(app, world.pa) == before


def test_suspend_hides_the_producer_and_reinstate_shows_it_again(app, client, auth, world):
    w.add_published_product(app, world.pa, "Mật ong bạc hà Gia Phú")
    auth.login(world.oa[1])
    approve(auth, app, world.pa)
    assert decide(auth, world.pa, "tam-dung", reason="Bán hàng giả").status_code == 302
    assert w.producer_status(app, world.pa) == "suspended"
    assert "Mật ong bạc hà Gia Phú" not in client.get("/").get_data(as_text=True)
    assert w.public_producer_status(client, world.pa) == 404
    with app.app_context():
        assert db.session.get(Producer, world.pa).status_reason == "Bán hàng giả"
    assert decide(auth, world.pa, "khoi-phuc").status_code == 302
    with app.app_context():
        producer = db.session.get(Producer, world.pa)
        assert (producer.status, producer.status_reason) == ("verified", None)
    assert "Mật ong bạc hà Gia Phú" in client.get("/").get_data(as_text=True)
    assert w.public_producer_status(client, world.pa) == 200
    assert [a[0] for a in audit_events(app, world.pa)] == ["approved", "payment_approved", "suspended", "reinstated"]


def test_suspended_producers_products_are_hidden(app, auth, world):
    from catalog.models import Product

    auth.login(world.oa[1])
    approve(auth, app, world.pa)
    with app.app_context():
        product = Product(producer_id=world.pa, ref="MO-01", name="Mật ong bạc hà", status="published",
                          product_set_code=1,
                          price_vnd=250000)
        db.session.add(product)
        db.session.commit()
        assert db.session.scalars(Product.public()).all() == [product]
    decide(auth, world.pa, "tam-dung", reason="Bán hàng giả")
    with app.app_context():
        assert db.session.scalars(Product.public()).all() == []


def test_producer_resubmits_then_officer_approves(app, auth, world):
    from accounts.models import User
    from producers import services as producer_services

    complete = w.make_dossier(app, world.owner_a[0], w.COMMUNE_A, w.PROVINCE_A, name="HTX Chè Gia Phú")
    auth.login(world.oa[1])
    decide(auth, complete, "yeu-cau-bo-sung", reason="Ảnh giấy đăng ký bị mờ")
    with app.app_context():
        producer = db.session.get(Producer, complete)
        producer_services.submit(producer, db.session.get(User, world.owner_a[0]))
        db.session.commit()
    assert approve(auth, app, complete).status_code == 302
    assert w.producer_status(app, complete) == "verified"
    actions = [a[0] for a in audit_events(app, complete)]
    assert actions == ["changes_requested", "submitted", "approved", "payment_approved"]


def test_stale_dossier_approval_is_refused(app, auth, world):
    """The producer changed bank details while the officer had the page open."""
    auth.login(world.oa[1])
    old_version_id, old_fingerprint = w.pending_fields(app, world.pa)
    w.set_status(app, world.pa, "changes_requested")
    w.add_payment_version(app, world.pa, world.owner_a[0])
    w.set_status(app, world.pa, "submitted")
    before = w.snapshot(app, world.pa)
    response = decide(auth, world.pa, "duyet", payment_version_id=old_version_id,
                      payment_fingerprint=old_fingerprint)
    assert response.status_code == 409
    assert "3100 2999 9999 9" in response.get_data(as_text=True), "the page shows the new details to check"
    assert w.snapshot(app, world.pa) == before


def test_approving_without_having_seen_waiting_bank_details_is_refused(app, auth, world):
    auth.login(world.oa[1])
    before = w.snapshot(app, world.pa)
    assert decide(auth, world.pa, "duyet").status_code == 409
    assert w.snapshot(app, world.pa) == before


def test_officer_who_created_the_dossier_leaves_the_decision_to_another_officer(app, auth, make_user, world):
    """Separation of duties (issue 9): the officer who filled in the dossier and its bank details
    decides on nothing; the commune's other officer approves both."""
    on_behalf = w.make_dossier(app, None, w.COMMUNE_A, w.PROVINCE_A, name="Hộ ông Ba", created_by_id=world.oa[0],
                                with_images=False)
    auth.login(world.oa[1])
    before = w.snapshot(app, on_behalf)
    assert approve(auth, app, on_behalf).status_code == 403
    assert w.snapshot(app, on_behalf) == before
    auth.login(world.oa2[1])
    assert approve(auth, app, on_behalf).status_code == 302
    assert w.producer_status(app, on_behalf) == "verified"
    assert w.payment_versions(app, on_behalf) == [(1, "approved")]


def test_helpers_read_dossiers_but_cannot_decide(app, client, auth, world):
    auth.login(world.helper_a[1])
    page = client.get(dossier(world.pa))
    assert page.status_code == 200
    assert "/duyet" not in page.get_data(as_text=True)
    before = w.snapshot(app, world.pa)
    version_id, fingerprint = w.pending_fields(app, world.pa)
    response = decide(auth, world.pa, "duyet", payment_version_id=version_id, payment_fingerprint=fingerprint)
    assert response.status_code == 403
    assert w.snapshot(app, world.pa) == before


def test_admin_decides_in_any_commune(app, auth, world):
    auth.login(world.admin[1])
    assert approve(auth, app, world.pb).status_code == 302
    assert w.producer_status(app, world.pb) == "verified"


def test_nobody_approves_their_own_producer(app, auth, make_user, world):
    from accounts.models import Role

    officer_id, officer_phone = make_user(role=Role.OFFICER, communes=(w.COMMUNE_A,))
    own = w.make_dossier(app, officer_id, w.COMMUNE_A, w.PROVINCE_A, name="HTX của cán bộ", with_images=False)
    auth.login(officer_phone)
    before = w.snapshot(app, own)
    version_id, fingerprint = w.pending_fields(app, own)
    response = decide(auth, own, "duyet", payment_version_id=version_id, payment_fingerprint=fingerprint)
    assert response.status_code == 403
    assert w.snapshot(app, own) == before


def test_dossier_shows_everything_entered(app, client, auth, make_user):
    world = w.build(app, make_user, with_images=True)
    auth.login(world.oa[1])
    page = client.get(dossier(world.pa)).get_data(as_text=True)
    for expected in ("HTX Mật ong Gia Phú", "0101245486", "Nguyễn Văn An", "Xã Gia Phú, Lào Cai", "Thôn 1",
                     "0912 345 678", "3981/QĐ-UBND", "UBND tỉnh Lào Cai", "10/05/2024", "10/05/2027",
                     "Agribank", "3100 2051 2345 6", "HTX NONG SAN", "/can-bo/tai-lieu/", "/can-bo/chung-nhan/"):
        assert expected in page, expected


def test_history_is_shown_masked(app, client, auth, world):
    auth.login(world.oa[1])
    approve(auth, app, world.pa)
    page = client.get(dossier(world.pa)).get_data(as_text=True)
    assert "• •••• •••• 3456" in page
    history = page[page.index('id="history"'):]
    assert "3100205123456" not in history
    full = client.get(f"{dossier(world.pa)}/nhat-ky")
    assert full.status_code == 200
    assert "3100205123456" not in full.get_data(as_text=True)
    with app.app_context():
        raw = db.session.execute(db.text("SELECT changes FROM audit_events")).scalars().all()
        assert all("3100205123456" not in str(value) for value in raw)


def test_posted_status_and_commune_are_ignored(app, auth, world):
    auth.login(world.oa[1])
    response = decide(auth, world.pa, "yeu-cau-bo-sung", reason="Bổ sung ảnh", status="verified",
                      commune_code=w.COMMUNE_B, commune_id=w.COMMUNE_B, verified_by="1", owner_id=world.oa[0])
    assert response.status_code == 302
    with app.app_context():
        producer = db.session.get(Producer, world.pa)
        assert (producer.status, producer.commune_code, producer.owner_id) == (
            "changes_requested", w.COMMUNE_A, world.owner_a[0])
        assert producer.verified_at is None
        statuses = db.session.scalars(db.select(PaymentAccount.status).filter_by(producer_id=world.pa)).all()
        assert statuses == ["pending"]
