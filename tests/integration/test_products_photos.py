"""Product photos: phone formats, orientation, metadata, refusals that store nothing, the 8-photo
cap, ordering and cover, files vs rows, and the public image route."""
import errno
import io
import os

import pytest
from PIL import Image

from catalog.models import Product, ProductPhoto
from extensions import db
from media.storage import ImageStore, StorageError
from tests.factories import (HTML_AS_JPG, add_product, heic, jpeg, make_producer, png,
                                             rotated_jpeg)
from tests.integration.test_products_manage import form_data


@pytest.fixture
def owner(app, make_user, auth):
    user_id, phone = make_user()
    producer_id = make_producer(app, owner_id=user_id)
    auth.login(phone)
    return {"user_id": user_id, "producer_id": producer_id, "base": f"/nha-san-xuat/{producer_id}/san-pham"}


def files(*pairs):
    return [(io.BytesIO(data), name) for data, name in pairs]


def create(auth, owner, photos, **fields):
    path = owner["base"] + "/moi"
    data = form_data(**fields)
    data["photos"] = files(*photos)
    return auth.post(path, data, form_page=path, content_type="multipart/form-data")


def stored_files(app):
    root = app.config["UPLOAD_DIR"]
    return sorted(os.path.relpath(os.path.join(folder, name), root)
                  for folder, _dirs, names in os.walk(root) for name in names)


def photo_rows(app):
    with app.app_context():
        return [(p.product_id, p.position, p.image_key, p.width, p.height)
                for p in db.session.scalars(db.select(ProductPhoto).order_by(ProductPhoto.product_id,
                                                                             ProductPhoto.position))]


def rendition(app, key, width):
    with open(ImageStore(app.config["UPLOAD_DIR"]).path_for(key, width), "rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
        image.load()
        return image


def test_rotated_phone_jpeg_comes_out_upright_and_without_exif(app, auth, owner):
    response = create(auth, owner, [(rotated_jpeg(), "IMG_0001.JPG")])
    assert response.status_code == 302
    [(_, position, key, width, height)] = photo_rows(app)
    assert (position, width, height) == (0, 640, 480)  # upright: landscape as the person saw it
    image = rendition(app, key, 480)
    assert image.format == "WEBP" and image.size == (480, 360)
    red, green, blue = image.convert("RGB").getpixel((10, 10))
    assert red > 200 and green < 80 and blue < 80  # the red corner is back at the top left
    assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info
    with open(ImageStore(app.config["UPLOAD_DIR"]).path_for(key, 1200), "rb") as fh:
        assert b"iPhone" not in fh.read()


def test_iphone_heic_is_accepted(app, auth, owner):
    assert create(auth, owner, [(heic(), "IMG_0002.HEIC")]).status_code == 302
    [(_, _, key, width, height)] = photo_rows(app)
    assert (width, height) == (640, 480)
    assert sorted(ImageStore(app.config["UPLOAD_DIR"]).widths(key)) == [160, 480, 1200]


def test_png_named_jpg_is_accepted(app, auth, owner):
    assert create(auth, owner, [(png(), "anh.jpg")]).status_code == 302
    assert len(photo_rows(app)) == 1


def test_html_renamed_jpg_is_refused_in_vietnamese_and_nothing_is_stored(app, auth, owner):
    response = create(auth, owner, [(jpeg(), "tot.jpg"), (HTML_AS_JPG, "hoa-don.jpg")], name="Chè Shan tuyết")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "hoa-don.jpg: Tệp này không phải là ảnh" in page
    assert 'value="Chè Shan tuyết"' in page  # the form keeps what was typed
    assert stored_files(app) == []
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Product.id))) == 0


def test_at_most_eight_photos(app, auth, owner):
    nine = [(jpeg((320, 240)), f"{n}.jpg") for n in range(9)]
    response = create(auth, owner, nine)
    assert response.status_code == 400 and "tối đa 8 ảnh" in response.get_data(as_text=True)
    assert stored_files(app) == []
    assert create(auth, owner, nine[:6]).status_code == 302
    product_id = photo_rows(app)[0][0]
    upload = f"{owner['base']}/{product_id}/anh"
    edit = f"{owner['base']}/{product_id}"
    auth.post(upload, {"photos": files(*nine[:3])}, form_page=edit, content_type="multipart/form-data")
    assert len(photo_rows(app)) == 6  # 6 + 3 would be 9: refused as a whole
    auth.post(upload, {"photos": files(*nine[:2])}, form_page=edit, content_type="multipart/form-data")
    assert len(photo_rows(app)) == 8
    page = auth.client.get(edit).get_data(as_text=True)
    assert 'id="more-photos"' not in page  # no upload form once full
    assert [row[1] for row in photo_rows(app)] == list(range(8))


def test_reorder_cover_and_delete(app, auth, owner):
    create(auth, owner, [(jpeg((320, 240)), f"{n}.jpg") for n in range(3)])
    product_id = photo_rows(app)[0][0]
    edit = f"{owner['base']}/{product_id}"
    with app.app_context():
        ids = [p.id for p in db.session.scalars(db.select(ProductPhoto).order_by(ProductPhoto.position))]

    def order():
        with app.app_context():
            return [p.id for p in db.session.scalars(db.select(ProductPhoto).order_by(ProductPhoto.position))]

    def act(photo_id, action):
        return auth.post(f"{edit}/anh/{photo_id}/{action}", form_page=edit)

    act(ids[2], "len")
    assert order() == [ids[0], ids[2], ids[1]]
    act(ids[0], "xuong")
    assert order() == [ids[2], ids[0], ids[1]]
    act(ids[1], "bia")
    assert order() == [ids[1], ids[2], ids[0]]
    with app.app_context():
        cover_key = db.session.get(Product, product_id).cover.image_key
        assert cover_key == db.session.get(ProductPhoto, ids[1]).image_key
        removed_key = db.session.get(ProductPhoto, ids[2]).image_key
    assert act(ids[2], "xoa").status_code == 302
    assert order() == [ids[1], ids[0]]
    assert [row[1] for row in photo_rows(app)] == [0, 1]
    assert ImageStore(app.config["UPLOAD_DIR"]).widths(removed_key) == []
    assert act(ids[0], "nhay").status_code == 404
    assert act(999, "xoa").status_code == 404


def test_another_producers_photo_cannot_be_touched(app, auth, owner):
    other = make_producer(app, name="HTX Khác", phone="+84911000002")
    their_product = add_product(app, other, photos=1)
    with app.app_context():
        photo_id = db.session.scalar(db.select(ProductPhoto.id))
    own_product = add_product(app, owner["producer_id"])
    edit = f"{owner['base']}/{own_product}"
    for path in (f"/nha-san-xuat/{other}/san-pham/{their_product}/anh/{photo_id}/xoa",
                 f"{owner['base']}/{their_product}/anh/{photo_id}/xoa",
                 f"{owner['base']}/{own_product}/anh/{photo_id}/xoa"):
        assert auth.post(path, form_page=edit).status_code == 404
    assert len(photo_rows(app)) == 1


def test_duplicate_gets_its_own_copies_of_the_photos(app, auth, owner):
    create(auth, owner, [(jpeg(), "a.jpg"), (png(), "b.png")], ref="CC-1")
    product_id = photo_rows(app)[0][0]
    edit = f"{owner['base']}/{product_id}"
    auth.post(edit + "/nhan-ban", form_page=edit)
    rows = photo_rows(app)
    original = [row for row in rows if row[0] == product_id]
    copy = [row for row in rows if row[0] != product_id]
    assert [(r[1], r[3], r[4]) for r in original] == [(r[1], r[3], r[4]) for r in copy]
    assert not {r[2] for r in original} & {r[2] for r in copy}
    store = ImageStore(app.config["UPLOAD_DIR"])
    for row in copy:
        assert store.widths(row[2]) == [160, 480, 1200]
    with app.app_context():
        first_photo = db.session.scalar(db.select(ProductPhoto.id).where(ProductPhoto.product_id == product_id))
    auth.post(f"{edit}/anh/{first_photo}/xoa", form_page=edit)
    assert all(store.widths(row[2]) == [160, 480, 1200] for row in copy)


def test_files_are_removed_when_the_commit_fails(app, auth, owner, monkeypatch):
    from catalog import images

    def failing_commit():
        raise RuntimeError("database went away")

    monkeypatch.setattr(images.db.session, "commit", failing_commit)
    response = create(auth, owner, [(jpeg(), "a.jpg")])
    monkeypatch.undo()
    assert response.status_code == 500
    assert stored_files(app) == []
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ProductPhoto.id))) == 0


def test_disk_full_is_a_clear_error_and_leaves_nothing(app, auth, owner, monkeypatch):
    def no_space(self, processed):
        raise StorageError("disk full", errno.ENOSPC)

    monkeypatch.setattr(ImageStore, "save", no_space)
    response = create(auth, owner, [(jpeg(), "a.jpg")], name="Chè búp")
    assert response.status_code == 503
    assert "Hiện không thể lưu ảnh" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Product.id))) == 0


def test_image_route_serves_webp_with_long_cache_and_nosniff(app, auth, owner, client):
    create(auth, owner, [(jpeg(), "a.jpg")])
    key = photo_rows(app)[0][2]
    response = client.get(f"/anh/{key}/480.webp")
    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cache = response.headers["Cache-Control"]
    assert "public" in cache and "max-age=31536000" in cache and "immutable" in cache
    assert response.get_data()[8:12] == b"WEBP"
    response.close()


def test_missing_image_file_gets_a_placeholder(app, client):
    producer = make_producer(app)
    add_product(app, producer, photos=1)  # a row whose files were never written
    key = photo_rows(app)[0][2]
    response = client.get(f"/anh/{key}/160.webp")
    assert response.status_code == 200 and response.mimetype == "image/webp"
    assert "immutable" not in response.headers["Cache-Control"]
    response.close()


def test_image_route_refuses_unknown_and_malformed_keys(app, client):
    producer_document_key = ImageStore(app.config["UPLOAD_DIR"]).save(
        type("P", (), {"renditions": [type("R", (), {"target_width": 480, "data": b"RIFF0000WEBP"})()]})())
    for path in (f"/anh/{producer_document_key}/480.webp",  # stored, but not a product photo
                 "/anh/../../app.py/480.webp", "/anh/ABCDEF/480.webp", "/anh/" + "a" * 32 + "/999.webp",
                 "/anh/" + "a" * 32 + "/480.png"):
        assert client.get(path).status_code == 404, path
