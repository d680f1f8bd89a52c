"""A farmer fixes one digit of a certificate without uploading it again, and is warned before
a change takes stars away from products (issue: "to fix one digit the farmer must delete it and
upload it again; the product then silently loses its OCOP stars")."""
from datetime import date, timedelta

from catalog.models import Product
from extensions import db
from producers.models import Certificate, ProducerStatus
from producers.ocop import add_months
from tests.factories import add_certificate, add_product, make_producer
from tests.factories import photo


def setup(app, make_user, auth):
    user_id, phone = make_user()
    producer = make_producer(app, user_id, status=ProducerStatus.CHANGES_REQUESTED)
    certificate = add_certificate(app, producer, stars=4, decision_date=add_months(date.today(), -6),
                                  number="3981/QĐ-UBND", set_code=4)
    product = add_product(app, producer, name="Mật ong bạc hà", set_code=4, certificate_id=certificate)
    auth.login(phone)
    return producer, certificate, product


def edit_path(producer, certificate):
    return f"/nha-san-xuat/ho-so/{producer}/buoc-3/chung-nhan/{certificate}/sua"


def fields(**overrides):
    data = {"product_name": "Mật ong bạc hà", "product_set": "4", "stars": "4", "decision_no": "3891/QĐ-UBND",
            "issuing_body": "UBND tỉnh Lào Cai", "decision_date": add_months(date.today(), -6).isoformat()}
    data.update(overrides)
    return data


def test_one_digit_is_corrected_in_place_and_products_keep_their_stars(app, client, auth, make_user):
    producer, certificate, product = setup(app, make_user, auth)
    page = client.get(edit_path(producer, certificate)).get_data(as_text=True)
    assert 'value="3981/QĐ-UBND"' in page and "Mật ong bạc hà" in page  # filled from what is saved
    response = auth.post(edit_path(producer, certificate), fields(), form_page=edit_path(producer, certificate))
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Certificate, certificate)
        assert saved.decision_no == "3891/QĐ-UBND" and saved.image_key is None  # no new upload needed
        linked = db.session.get(Product, product)
        assert linked.certificate_id == certificate and linked.stars() == 4


def test_a_change_that_takes_stars_away_must_be_confirmed(app, client, auth, make_user):
    producer, certificate, product = setup(app, make_user, auth)
    expired = (date.today() - timedelta(days=4 * 365)).isoformat()
    path = edit_path(producer, certificate)
    warned = auth.post(path, fields(decision_date=expired), form_page=path)
    page = warned.get_data(as_text=True)
    assert warned.status_code == 400 and "mất sao OCOP" in page and "Mật ong bạc hà" in page
    with app.app_context():
        assert db.session.get(Certificate, certificate).decision_date != date.fromisoformat(expired)
    confirmed = auth.post(path, fields(decision_date=expired, accept_star_loss="y"), form_page=path)
    assert confirmed.status_code == 302
    with app.app_context():
        assert db.session.get(Product, product).stars() is None


def test_a_new_photo_replaces_the_old_one_and_a_stale_form_is_refused(app, client, auth, make_user):
    producer, certificate, _ = setup(app, make_user, auth)
    path = edit_path(producer, certificate)
    stale = dict(fields(), edit_version="0")
    refused = auth.post(path, stale, form_page=path)
    assert refused.status_code == 409
    response = auth.post(path, fields(photo=photo("new.jpg")), form_page=path)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Certificate, certificate).image_key


def test_another_producers_certificate_is_not_found(app, client, auth, make_user):
    producer, certificate, _ = setup(app, make_user, auth)
    other_user, _ = make_user()
    other = make_producer(app, other_user, name="HTX Khác", status=ProducerStatus.CHANGES_REQUESTED,
                          phone="+84911000099")
    theirs = add_certificate(app, other, stars=5)
    assert client.get(edit_path(producer, theirs)).status_code == 404
    assert client.get(edit_path(other, theirs)).status_code in (403, 404)


def test_without_javascript_the_gallery_control_fills_the_photo(app, client, auth, make_user):
    """Two controls fill one field (camera and gallery); the browser sends both parts, the
    camera's empty. The photo from the second one is taken."""
    import io

    from producers.models import ProducerDocument
    from tests.factories import jpeg_bytes

    producer, _, _ = setup(app, make_user, auth)
    path = f"/nha-san-xuat/ho-so/{producer}/buoc-3/dang-ky-kinh-doanh"
    response = auth.post(path, {"photo": [(io.BytesIO(b""), ""), (io.BytesIO(jpeg_bytes()), "giay-dkkd.jpg")]},
                         form_page=f"/nha-san-xuat/ho-so/{producer}/buoc-3", content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(ProducerDocument).where(ProducerDocument.producer_id == producer))
