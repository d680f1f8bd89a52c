"""Journey: with FLASK_S3_BUCKET set, a producer's photo goes to the S3-compatible bucket (a real
server on 127.0.0.1: moto's server mode), not the upload folder; buyers see it on the public page;
a backup carries the bucket's objects and restores them into another site's bucket.

S3 calls as published in the AWS S3 API reference (PutObject, GetObject, ListObjectsV2), through
boto3's client: https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
"""
import io
import os
import re

import pytest

from catalog.models import Product, ProductPhoto
from extensions import db
from tests.integration.fresh_site import empty_site
from tests.factories import jpeg, make_producer
from tests.integration.test_products_manage import form_data
from tests.s3_server import bucket_objects, running_s3

IMG_SRC = re.compile(r'<img[^>]+src="(/anh/[0-9a-f]{32}/\d+\.webp)"')


@pytest.fixture(scope="module")
def s3():
    with running_s3() as new_bucket:
        yield new_bucket


@pytest.fixture
def bucket(s3):
    return s3()


@pytest.fixture
def app_config(bucket):
    settings, _client = bucket
    return settings


def publish_with_photo(app, make_user, auth, photo: bytes) -> int:
    user_id, phone = make_user()
    producer_id = make_producer(app, owner_id=user_id)
    auth.login(phone)
    path = f"/nha-san-xuat/{producer_id}/san-pham/moi"
    data = form_data(name="Chè Shan tuyết Gia Phú", status="published")
    data["photos"] = [(io.BytesIO(photo), "IMG_2041.JPG")]
    response = auth.post(path, data, form_page=path, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        return db.session.scalar(db.select(Product.id).where(Product.producer_id == producer_id))


def public_photo(client, product_id):
    """What an anonymous buyer gets: the product page and the bytes of its photo."""
    page = client.get(f"/san-pham/{product_id}", follow_redirects=True)
    assert page.status_code == 200
    photo_url = IMG_SRC.findall(page.get_data(as_text=True))[0]
    photo = client.get(photo_url)
    assert photo.status_code == 200 and photo.mimetype == "image/webp"
    data, etag = photo.get_data(), photo.headers.get("ETag")
    photo.close()  # a file sent from a folder stays open until the response is closed
    return photo_url, data, etag


def local_photo_files(app):
    root = app.config["UPLOAD_DIR"]
    return [name for _folder, _dirs, names in os.walk(root) for name in names if name.endswith(".webp")]


def test_photo_from_the_product_form_is_in_the_bucket_and_on_the_public_page(app, make_user, auth, bucket):
    settings, client = bucket
    product_id = publish_with_photo(app, make_user, auth, jpeg())

    with app.app_context():
        key = db.session.scalar(db.select(ProductPhoto.image_key).where(ProductPhoto.product_id == product_id))
    objects = bucket_objects(client, settings["S3_BUCKET"])
    assert sorted(objects) == [f"{key[:2]}/{key}-{width}.webp" for width in (1200, 160, 480)]
    assert local_photo_files(app) == []  # nothing of the photo on this server's disk

    photo_url, data, etag = public_photo(app.test_client(), product_id)
    width = int(photo_url.rsplit("/", 1)[1].split(".")[0])
    assert photo_url.startswith(f"/anh/{key}/")
    assert data == objects[f"{key[:2]}/{key}-{width}.webp"]
    again = app.test_client().get(photo_url, headers={"If-None-Match": etag})
    assert again.status_code == 304  # a phone that has it does not download it again

    # Deleting the product's photo removes its objects from the bucket.
    with app.app_context():
        from catalog import images

        images.discard([key])
    assert bucket_objects(client, settings["S3_BUCKET"]) == {}


def test_backup_takes_the_bucket_and_restore_fills_another_sites_bucket(app, make_user, auth, runner, s3,
                                                                       bucket, tmp_path):
    settings, client = bucket
    product_id = publish_with_photo(app, make_user, auth, jpeg())
    photo_url, data, _etag = public_photo(app.test_client(), product_id)
    source_objects = bucket_objects(client, settings["S3_BUCKET"])

    archive = tmp_path / "backups" / "site.tar.gz"
    created = runner.invoke(args=["backup", "create", "--output", str(archive)])
    assert created.exit_code == 0, created.output

    other_settings, _ = s3()
    new_site = tmp_path / "new-site"
    with empty_site(new_site, create_tables=False, BACKUP_DIR=str(new_site / "backups"), **other_settings) as site:
        restored = site.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
        assert restored.exit_code == 0, restored.output
        assert bucket_objects(client, other_settings["S3_BUCKET"]) == source_objects
        assert local_photo_files(site) == []
        assert public_photo(site.test_client(), product_id)[:2] == (photo_url, data)


def test_zip_export_and_jpeg_copies_read_the_bucket(app, make_user, auth, runner, bucket, tmp_path):
    """Our ZIP export carries the 1200 rendition from the bucket; the JPEG copy for feeds that
    refuse WebP is made from it once and kept in the bucket."""
    import zipfile

    settings, client = bucket
    product_id = publish_with_photo(app, make_user, auth, jpeg())
    with app.app_context():
        key = db.session.scalar(db.select(ProductPhoto.image_key).where(ProductPhoto.product_id == product_id))

    output = tmp_path / "catalogue.zip"
    exported = runner.invoke(args=["catalog", "export", "--format", "zip", "--output", str(output)])
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(output) as archive:
        photo = archive.read(f"{key}.webp")
    assert photo == bucket_objects(client, settings["S3_BUCKET"])[f"{key[:2]}/{key}-1200.webp"]

    copy = app.test_client().get(f"/anh/{key}/480.jpg")
    assert copy.status_code == 200 and copy.mimetype == "image/jpeg" and copy.get_data()[:3] == b"\xff\xd8\xff"
    assert bucket_objects(client, settings["S3_BUCKET"])[f"{key[:2]}/{key}-480.jpg"] == copy.get_data()


def test_a_site_with_photos_in_its_folder_moves_them_into_a_bucket_by_backup_and_restore(
        app, bucket, monkeypatch, tmp_path):
    """docs/OPERATIONS.md "Moving photos into a bucket": an archive of a folder site restores into
    a site whose photos live in a bucket."""
    from tests.factories import load_short_demo, upload_files

    settings, client = bucket
    old_site = tmp_path / "old-site"
    with empty_site(old_site, BACKUP_DIR=str(old_site / "backups")) as source:
        load_short_demo(source.test_cli_runner(), monkeypatch)
        photos = {name: data for name, data in upload_files(source).items() if name.endswith(".webp")}
        with source.app_context():
            product_id = db.session.scalar(db.select(Product.id).order_by(Product.id))
        photo_url, data, _etag = public_photo(source.test_client(), product_id)
        archive = tmp_path / "site.tar.gz"
        created = source.test_cli_runner().invoke(args=["backup", "create", "--output", str(archive)])
        assert created.exit_code == 0, created.output

    restored = app.test_cli_runner().invoke(args=["backup", "restore", str(archive), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert photos and bucket_objects(client, settings["S3_BUCKET"]) == photos
    assert local_photo_files(app) == []
    assert public_photo(app.test_client(), product_id)[:2] == (photo_url, data)
