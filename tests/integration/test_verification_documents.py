"""Document and certificate photos are private: served only to the producer's officers."""
import pytest
from PIL import Image

from extensions import db
from media.storage import ImageStore
from producers.models import Certificate, ProducerDocument
from tests import factories as w


@pytest.fixture
def world(app, make_user):
    return w.build(app, make_user, with_images=True)


def image_ids(app, producer_id):
    with app.app_context():
        document = db.session.scalars(db.select(ProducerDocument).filter_by(producer_id=producer_id)).one()
        certificate = db.session.scalars(db.select(Certificate).filter_by(producer_id=producer_id)).one()
        return document.id, certificate.id, document.image_key


def test_officer_gets_the_webp_with_private_headers(app, client, auth, world):
    document_id, certificate_id, _key = image_ids(app, world.pa)
    auth.login(world.oa[1])
    for url in (f"/can-bo/tai-lieu/{document_id}/1200", f"/can-bo/chung-nhan/{certificate_id}/480"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Type"] == "image/webp"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "private" in response.headers["Cache-Control"]
        assert "public" not in response.headers["Cache-Control"]
        assert "Cookie" in response.headers["Vary"]
        assert response.data[:4] == b"RIFF" and response.data[8:12] == b"WEBP"
        response.close()


def test_the_rendition_is_a_real_image_of_the_asked_width(app, client, auth, world, tmp_path):
    document_id, _certificate_id, _key = image_ids(app, world.pa)
    auth.login(world.helper_a[1])
    response = client.get(f"/can-bo/tai-lieu/{document_id}/480")
    path = tmp_path / "doc.webp"
    path.write_bytes(response.data)
    response.close()
    with Image.open(path) as image:
        assert image.format == "WEBP"
        assert image.width <= 480


def test_other_commune_gets_404_for_every_image(app, client, auth, world):
    document_id, certificate_id, _key = image_ids(app, world.pa)
    auth.login(world.ob[1])
    assert client.get(f"/can-bo/tai-lieu/{document_id}/1200").status_code == 404
    assert client.get(f"/can-bo/chung-nhan/{certificate_id}/1200").status_code == 404


def test_producers_and_the_public_cannot_read_officer_image_urls(app, client, auth, world):
    document_id, certificate_id, _key = image_ids(app, world.pa)
    anonymous = client.get(f"/can-bo/tai-lieu/{document_id}/1200")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/dang-nhap?next=")
    auth.login(world.owner_b[1])
    assert client.get(f"/can-bo/tai-lieu/{document_id}/1200").status_code == 403
    assert client.get(f"/can-bo/chung-nhan/{certificate_id}/1200").status_code == 403


def test_unknown_widths_and_documents_are_404(app, client, auth, world):
    document_id, _certificate_id, _key = image_ids(app, world.pa)
    auth.login(world.oa[1])
    assert client.get(f"/can-bo/tai-lieu/{document_id}/999").status_code == 404
    assert client.get(f"/can-bo/tai-lieu/{document_id}/0").status_code == 404
    assert client.get("/can-bo/tai-lieu/99999/1200").status_code == 404
    assert client.get(f"/can-bo/tai-lieu/{document_id}/..%2F..%2Fapp.py").status_code == 404


def test_missing_file_is_404_and_the_dossier_still_renders(app, client, auth, world):
    document_id, _certificate_id, key = image_ids(app, world.pa)
    ImageStore(app.config["UPLOAD_DIR"]).delete(key)
    auth.login(world.oa[1])
    assert client.get(f"/can-bo/tai-lieu/{document_id}/1200").status_code == 404
    page = client.get(f"/can-bo/ho-so/{world.pa}")
    assert page.status_code == 200
    assert f"/can-bo/tai-lieu/{document_id}/" not in page.get_data(as_text=True)
