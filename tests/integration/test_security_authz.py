"""Authorisation boundaries (docs/SECURITY-REFERENCE.md §6 A1–A7, X1). Each test asserts the status
and that the database did not change."""
import pytest

from accounts.models import Role, User
from extensions import db
from producers.models import Certificate, Producer, ProducerDocument
from tests import factories as w

DECISION_SLUGS = ("duyet", "yeu-cau-bo-sung", "tu-choi", "tam-dung", "khoi-phuc")


@pytest.fixture
def world(app, make_user):
    return w.build(app, make_user, with_images=True)


def officer_urls(app, producer_id):
    """Every officer URL that names this producer or one of its files: (method, path)."""
    with app.app_context():
        document = db.session.scalars(db.select(ProducerDocument.id).filter_by(producer_id=producer_id)).one()
        certificate = db.session.scalars(db.select(Certificate.id).filter_by(producer_id=producer_id)).one()
    base = f"/can-bo/ho-so/{producer_id}"
    return ([("GET", base), ("GET", f"{base}/nhat-ky"), ("GET", f"/can-bo/tai-lieu/{document}/1200"),
             ("GET", f"/can-bo/chung-nhan/{certificate}/1200"), ("POST", f"{base}/tai-khoan/duyet"),
             ("POST", f"{base}/tai-khoan/tu-choi")]
            + [("POST", f"{base}/{slug}") for slug in DECISION_SLUGS])


def send(auth, method, path, producer_id=None, app=None):
    if method == "GET":
        return auth.client.get(path)
    data = {"reason": "x"}
    if app is not None and producer_id is not None:
        version_id, fingerprint = w.pending_fields(app, producer_id)
        data.update(version_id=version_id, fingerprint=fingerprint, payment_version_id=version_id,
                    payment_fingerprint=fingerprint)
    return auth.post(path, data, form_page="/can-bo")


def test_a1_a2_officer_of_another_commune_gets_404_everywhere(app, auth, world):
    auth.login(world.oa[1])
    before = w.snapshot(app, world.pb)
    for method, path in officer_urls(app, world.pb):
        response = send(auth, method, path, world.pb, app)
        assert response.status_code == 404, (method, path)
        response.close()
    assert w.snapshot(app, world.pb) == before
    assert w.producer_status(app, world.pb) == "submitted"


def test_a1_officer_of_another_commune_cannot_approve_a_verified_producers_bank_change(app, auth, world):
    w.set_status(app, world.pb, "verified")
    w.approve_all_payments(app, world.pb, world.admin[0])
    w.add_payment_version(app, world.pb, world.owner_b[0])
    auth.login(world.oa[1])
    before = w.snapshot(app, world.pb)
    assert send(auth, "POST", f"/can-bo/ho-so/{world.pb}/tai-khoan/duyet", world.pb, app).status_code == 404
    assert w.snapshot(app, world.pb) == before


def test_a3_producer_cannot_reach_another_producers_data(app, client, auth, world):
    with app.app_context():
        key = db.session.scalars(db.select(ProducerDocument.image_key).filter_by(producer_id=world.pb)).one()
    auth.login(world.owner_a[1])
    before = w.snapshot(app, world.pb)
    for step in ("buoc-2", "buoc-3", "buoc-4", "buoc-5"):
        assert client.get(f"/nha-san-xuat/ho-so/{world.pb}/{step}").status_code == 404, step
    assert client.get(f"/nha-san-xuat/ho-so/{world.pb}/anh/{key}/1200").status_code == 404
    for path in (f"/nha-san-xuat/ho-so/{world.pb}/gui", f"/nha-san-xuat/ho-so/{world.pb}/buoc-2",
                 f"/nha-san-xuat/ho-so/{world.pb}/buoc-4"):
        response = auth.post(path, {"legal_name": "Bị chiếm", "bank_bin": w.AGRIBANK,
                                    "account_number": "1234567890", "holder_name": "KE GIAN"},
                             form_page="/nha-san-xuat")
        assert response.status_code == 404, path
    for method, path in officer_urls(app, world.pb):
        assert send(auth, method, path).status_code == 403, (method, path)
    assert w.snapshot(app, world.pb) == before


def test_a4_registration_ignores_role_status_and_commune_fields(app, client, auth):
    response = auth.post("/dang-ky", {"name": "Kẻ gian", "phone": "0987654321", "password": "ca-phe-sua-da-2025",
                                      "role": Role.ADMIN, "status": "verified", "commune_code": w.COMMUNE_A,
                                      "commune_id": w.COMMUNE_A, "is_active": "0", "verified_by": "1"},
                         form_page="/dang-ky")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalars(db.select(User).filter_by(phone="+84987654321")).one()
        assert (user.role, user.is_active, user.commune_codes) == (Role.PRODUCER, True, [])


def test_a4_decision_forms_ignore_status_commune_and_verifier(app, auth, world):
    auth.login(world.oa[1])
    response = auth.post(f"/can-bo/ho-so/{world.pa}/yeu-cau-bo-sung",
                         {"reason": "Bổ sung", "status": "verified", "commune_id": w.COMMUNE_B,
                          "commune_code": w.COMMUNE_B, "verified_by": "1", "producer_id": world.pb},
                         form_page="/can-bo")
    assert response.status_code == 302
    with app.app_context():
        producer = db.session.get(Producer, world.pa)
        assert (producer.status, producer.commune_code, producer.verified_at) == (
            "changes_requested", w.COMMUNE_A, None)
    assert w.producer_status(app, world.pb) == "submitted"


def test_a5_officer_cannot_move_themselves_or_approve_themselves(app, client, auth, make_user, world):
    officer_id, phone = make_user(role=Role.OFFICER, communes=(w.COMMUNE_A,))
    own = w.make_dossier(app, officer_id, w.COMMUNE_A, w.PROVINCE_A, name="HTX riêng của cán bộ",
                          with_images=False)
    auth.login(phone)
    before_own, before_b = w.snapshot(app, own), w.snapshot(app, world.pb)
    # No route changes an officer's communes; posting one to the queue is refused.
    assert auth.post("/can-bo", {"commune_code": w.COMMUNE_B}, form_page="/can-bo").status_code == 405
    assert client.get(f"/can-bo/ho-so/{world.pb}").status_code == 404
    assert send(auth, "POST", f"/can-bo/ho-so/{own}/duyet", own, app).status_code == 403
    assert w.snapshot(app, own) == before_own and w.snapshot(app, world.pb) == before_b
    with app.app_context():
        assert db.session.get(User, officer_id).commune_codes == [w.COMMUNE_A]


@pytest.mark.parametrize("path", ["/can-bo", "/can-bo?tab=payments", "/can-bo/ho-so/1", "/can-bo/ho-so/1/nhat-ky",
                                  "/can-bo/tai-lieu/1/1200", "/can-bo/chung-nhan/1/1200", "/nha-san-xuat",
                                  "/nha-san-xuat/ho-so/1/buoc-2"])
def test_a6_anonymous_users_are_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/dang-nhap?next=")


def test_a6_anonymous_posts_change_nothing(app, client, auth, world):
    before = w.snapshot(app, world.pa)
    token = auth.token("/dang-nhap")
    for slug in DECISION_SLUGS + ("tai-khoan/duyet",):
        response = client.post(f"/can-bo/ho-so/{world.pa}/{slug}", data={"csrf_token": token, "reason": "x"})
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/dang-nhap")
    assert w.snapshot(app, world.pa) == before


def test_a7_public_walk_finds_only_verified_producers(app, client, world):
    statuses = ("draft", "submitted", "changes_requested", "rejected", "suspended", "verified")
    created = {}
    for status in statuses:
        producer_id = w.make_dossier(app, None, w.COMMUNE_A, w.PROVINCE_A, name=f"Công khai? {status}",
                                      with_images=False, created_by_id=world.helper_a[0])
        w.add_published_product(app, producer_id, f"Sản phẩm {status}")
        w.set_status(app, producer_id, status)
        created[producer_id] = status
    home = client.get("/").get_data(as_text=True)
    for status in statuses:
        assert (f"Sản phẩm {status}" in home) == (status == "verified"), status
    for producer_id in range(1, max(created) + 6):
        expected = 200 if created.get(producer_id) == "verified" else 404
        assert w.public_producer_status(client, producer_id) == expected, producer_id
    with app.app_context():
        assert {p.legal_name for p in db.session.scalars(Producer.public())} == {"Công khai? verified"}


HOSTILE_TEXT = ('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>')


def test_x1_hostile_producer_text_is_escaped_on_officer_pages(app, client, auth, make_user, world):
    hostile = w.make_dossier(app, world.owner_a[0], w.COMMUNE_A, w.PROVINCE_A, name=HOSTILE_TEXT[0] + HOSTILE_TEXT[1],
                              bank=(w.AGRIBANK, "3100205123456", HOSTILE_TEXT[1]), with_images=False)
    with app.app_context():
        producer = db.session.get(Producer, hostile)
        producer.address = HOSTILE_TEXT[1]
        producer.representative = HOSTILE_TEXT[0]
        producer.certificates[0].decision_no = HOSTILE_TEXT[0][:60]
        db.session.get(User, world.owner_a[0]).name = HOSTILE_TEXT[1]
        db.session.commit()
    auth.login(world.oa[1])
    auth.post(f"/can-bo/ho-so/{hostile}/yeu-cau-bo-sung", {"reason": HOSTILE_TEXT[0]}, form_page="/can-bo")
    for path in ("/can-bo?tab=changes_requested", f"/can-bo/ho-so/{hostile}", f"/can-bo/ho-so/{hostile}/nhat-ky"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page, path
        assert "<img src=x" not in page and '"><img' not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path
