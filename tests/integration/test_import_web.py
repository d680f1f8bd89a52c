"""The import page /nhap-du-lieu: officers (their communes), admins (all, may verify), producers
(their own business); dry run first, then "Import now" with a token, never a path."""
import io
import os
import re

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from accounts.models import Role
from catalog.models import Product, ProductPhoto
from extensions import db
from producers.models import Producer, ProducerStatus
from tests.unit.importer_files import GIA_PHU, LAO_CAI, NINH_BINH, YEN_MO, csv_bytes, jpeg_bytes, product_row, \
    xlsx_bytes, zip_bytes

UPLOAD = "/nhap-du-lieu"
CONFIRM = "/nhap-du-lieu/nhap"
TOKEN_RE = re.compile(r'name="token" type="hidden" value="([^"]+)"')


def two_communes():
    return [
        product_row(),  # Lào Cai / Gia Phú
        product_row(ref="GAO-1", name="Gạo nếp Yên Mô", category="3", producer_name="HTX Nông nghiệp Yên Mô",
                    province="Ninh Bình", commune="Yên Mô", certificate_no="", certificate_date="", stars=""),
    ]


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")


def login_as(auth, make_user, role, communes=()):
    user_id, phone = make_user(role=role, communes=communes)
    auth.login(phone)
    return user_id


def upload(auth, data, name="ds.csv", dry_run=True, verify=False):
    payload = {"file": FileStorage(io.BytesIO(data), name), "csrf_token": auth.token(UPLOAD)}
    if dry_run:
        payload["dry_run"] = "y"
    if verify:
        payload["verify"] = "y"
    # Encoded in memory: the test client would spool a big body to a temporary file it never closes.
    boundary, body = encode_multipart(payload)
    # The import runs as a background job (inside the request in tests): follow to its page.
    return auth.client.post(UPLOAD, data=body, content_type=f"multipart/form-data; boundary={boundary}",
                            follow_redirects=True)


def stored_imports(app):
    folder = os.path.join(app.config["UPLOAD_DIR"], "imports")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def product_refs(app):
    with app.app_context():
        return sorted(db.session.scalars(db.select(Product.ref)).all())


def test_the_page_needs_an_importing_role(client, auth, make_user, english):
    assert client.get(UPLOAD).status_code == 302
    login_as(auth, make_user, Role.HELPER, communes=(GIA_PHU,))
    assert client.get(UPLOAD).status_code == 403


def test_officer_sees_a_dry_run_first_then_imports_only_rows_of_their_communes(app, client, auth, make_user,
                                                                              english):
    login_as(auth, make_user, Role.OFFICER, communes=(GIA_PHU,))
    page = client.get(UPLOAD).get_data(as_text=True)
    assert '<input checked id="dry_run" name="dry_run" type="checkbox" value="y">' in page  # dry run by default
    assert 'name="verify"' not in page  # only admins may verify
    response = upload(auth, csv_bytes(two_communes()))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dry run: what the import would do" in html
    assert "HTX Nông nghiệp Yên Mô is not in a commune you look after." in html
    assert "Row 3" in html
    assert product_refs(app) == []
    assert len(stored_imports(app)) == 1 and stored_imports(app)[0].endswith(".csv")
    token = TOKEN_RE.search(html).group(1)
    assert stored_imports(app)[0] not in html  # the stored file name never reaches the page in clear
    done = auth.post(CONFIRM, {"token": token}, form_page=UPLOAD, follow_redirects=True).get_data(as_text=True)
    assert "Import report" in done
    assert product_refs(app) == ["MO-500"]
    assert stored_imports(app) == []
    replay = auth.post(CONFIRM, {"token": token}, form_page=UPLOAD)
    assert replay.status_code == 302  # the file is gone: upload again
    assert product_refs(app) == ["MO-500"]


def test_officer_cannot_import_for_an_existing_producer_of_another_commune(app, auth, make_user, english):
    with app.app_context():
        db.session.add(Producer(legal_name="HTX Chè Gia Phú", kind="cooperative", province_code=LAO_CAI,
                                commune_code=GIA_PHU, status=ProducerStatus.VERIFIED, source="wizard"))
        db.session.commit()
    login_as(auth, make_user, Role.OFFICER, communes=(YEN_MO,))
    rows = [product_row(commune=""), product_row(ref="B", commune="Gia Phú")]  # both name the Lào Cai producer
    html = upload(auth, csv_bytes(rows), dry_run=False).get_data(as_text=True)
    assert "HTX Chè Gia Phú is not in a commune you look after." in html
    assert product_refs(app) == []


def test_officer_row_without_a_known_commune_is_refused(app, auth, make_user, english):
    login_as(auth, make_user, Role.OFFICER, communes=(GIA_PHU,))
    html = upload(auth, csv_bytes([product_row(commune="Xã Không Có")]), dry_run=False).get_data(as_text=True)
    assert "The commune is needed to check that HTX Chè Gia Phú is in a commune you look after." in html
    assert product_refs(app) == []


def test_token_of_another_user_is_refused(app, client, auth, make_user, english):
    login_as(auth, make_user, Role.OFFICER, communes=(GIA_PHU,))
    token = TOKEN_RE.search(upload(auth, csv_bytes(two_communes())).get_data(as_text=True)).group(1)
    auth.logout()
    login_as(auth, make_user, Role.OFFICER, communes=(GIA_PHU,))
    response = auth.post(CONFIRM, {"token": token}, form_page=UPLOAD)
    assert response.status_code == 302
    assert product_refs(app) == []
    forged = auth.post(CONFIRM, {"token": "../../etc/passwd"}, form_page=UPLOAD)
    assert forged.status_code == 302


def test_admin_imports_everything_and_may_verify(app, client, auth, make_user, english):
    admin_id = login_as(auth, make_user, Role.ADMIN)
    assert 'name="verify"' in client.get(UPLOAD).get_data(as_text=True)
    html = upload(auth, csv_bytes(two_communes()), verify=True).get_data(as_text=True)
    assert "New producers will be marked as verified." in html
    token = TOKEN_RE.search(html).group(1)
    auth.post(CONFIRM, {"token": token}, form_page=UPLOAD)
    with app.app_context():
        assert sorted(p.ref for p in db.session.scalars(Product.public())) == ["GAO-1", "MO-500"]
        producer = db.session.scalar(db.select(Producer).filter_by(commune_code=YEN_MO))
        assert producer.province_code == NINH_BINH and producer.created_by_id == admin_id


def test_officer_cannot_verify_even_by_posting_the_field(app, auth, make_user, english):
    login_as(auth, make_user, Role.OFFICER, communes=(GIA_PHU,))
    upload(auth, csv_bytes(two_communes()), dry_run=False, verify=True)
    with app.app_context():
        assert db.session.scalar(db.select(Producer.status)) == ProducerStatus.SUBMITTED


def test_producer_imports_only_its_own_products(app, auth, make_user, english):
    owner_id = login_as(auth, make_user, Role.PRODUCER)
    with app.app_context():
        db.session.add(Producer(owner_id=owner_id, legal_name="HTX Chè Gia Phú", kind="cooperative",
                                province_code=LAO_CAI, commune_code=GIA_PHU, phone="+84987654321",
                                status=ProducerStatus.VERIFIED, source="wizard"))
        db.session.commit()
    rows = two_communes() + [product_row(ref="CHE-9", name="Chè xanh", category="11", producer_type="household",
                                         phone="0912 345 678")]
    html = upload(auth, csv_bytes(rows), dry_run=False).get_data(as_text=True)
    assert "You can only import the products of your own business (HTX Chè Gia Phú)." in html
    assert product_refs(app) == ["CHE-9", "MO-500"]
    with app.app_context():
        producer = db.session.scalar(db.select(Producer).filter_by(owner_id=owner_id))
        assert (producer.kind, producer.phone) == ("cooperative", "+84987654321")  # profile untouched
        assert db.session.scalar(db.select(db.func.count()).select_from(Producer)) == 1
        assert len(db.session.scalars(Product.public()).all()) == 2


def test_zip_with_photos_through_the_web(app, auth, make_user, english):
    login_as(auth, make_user, Role.ADMIN)
    data = zip_bytes({"ds.xlsx": xlsx_bytes([product_row(images="mo.jpg")]), "mo.jpg": jpeg_bytes()})
    html = upload(auth, data, name="goi.zip", dry_run=False).get_data(as_text=True)
    assert "Import report" in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ProductPhoto)) == 1
    again = upload(auth, data, name="goi.zip", dry_run=False).get_data(as_text=True)
    assert "Import another file" in again
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ProductPhoto)) == 1
    assert stored_imports(app) == []


def test_a_file_that_cannot_be_read_shows_why(app, auth, make_user, english):
    login_as(auth, make_user, Role.ADMIN)
    html = upload(auth, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, name="cu.xls").get_data(as_text=True)
    assert "Old Excel files (.xls) cannot be read." in html
    assert stored_imports(app) == []
    assert 'name="token"' not in html


def test_nothing_to_import_offers_no_import_button(app, auth, make_user, english):
    login_as(auth, make_user, Role.ADMIN)
    data = csv_bytes(two_communes())
    upload(auth, data, dry_run=False)
    html = upload(auth, data).get_data(as_text=True)
    assert 'name="token"' not in html
    assert stored_imports(app) == []


def test_a_file_over_20_mb_is_refused(app, auth, make_user, english):
    login_as(auth, make_user, Role.ADMIN)
    response = upload(auth, b"a" * (20 * 1024 * 1024 + 1), name="big.csv")
    assert response.status_code == 400
    assert "larger than 20 MB" in response.get_data(as_text=True)
    assert stored_imports(app) == []


def test_missing_file_and_missing_csrf(client, auth, make_user, english):
    login_as(auth, make_user, Role.ADMIN)
    response = auth.post(UPLOAD, {"dry_run": "y"}, form_page=UPLOAD, content_type="multipart/form-data")
    assert response.status_code == 400 and "Please choose a file." in response.get_data(as_text=True)
    no_token = client.post(UPLOAD, data={"file": (io.BytesIO(csv_bytes(two_communes())), "ds.csv")},
                           content_type="multipart/form-data")
    assert no_token.status_code == 400
