"""media.storage over an S3-compatible bucket (media.backends.S3Backend) against a real S3 server on
127.0.0.1 (moto's server mode): the same promises as the folder — generated names, all-or-nothing
saves, derived copies, deletion, orphan cleanup — and errors as StorageError.

S3 operations as published in the AWS S3 API reference (PutObject, GetObject, HeadObject,
DeleteObject, ListObjectsV2): https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
"""
import errno
import time
from dataclasses import dataclass

import pytest

from media.backends import S3Backend, backend_for, s3_client
from media.storage import ImageStore, StorageError, image_store_for
from tests.s3_server import bucket_objects, running_s3


@dataclass
class Rendition:
    target_width: int
    data: bytes


@dataclass
class Processed:
    renditions: tuple


def processed(*widths):
    return Processed(tuple(Rendition(width, bytes([width % 256]) * 2000) for width in widths))


@pytest.fixture(scope="module")
def s3():
    with running_s3() as new_bucket:
        yield new_bucket


@pytest.fixture
def bucket(s3):
    settings, client = s3()
    return settings, client, image_store_for({**settings, "UPLOAD_DIR": "/nonexistent/never-used"})


def test_the_bucket_is_chosen_when_s3_bucket_is_set_and_the_folder_otherwise(bucket, tmp_path):
    settings, _client, store = bucket
    assert isinstance(store.backend, S3Backend) and store.backend.bucket == settings["S3_BUCKET"]
    assert backend_for({"UPLOAD_DIR": str(tmp_path), "S3_BUCKET": None}).kind == "filesystem"


def test_save_read_widths_and_delete(bucket):
    settings, client, store = bucket
    key = store.save(processed(160, 480, 1200))
    assert sorted(bucket_objects(client, settings["S3_BUCKET"])) == [
        f"{key[:2]}/{key}-{width}.webp" for width in (1200, 160, 480)]
    assert store.widths(key) == [160, 480, 1200]
    assert store.read(key, 480) == bytes([480 % 256]) * 2000
    assert store.read(key, 800) is None and not store.exists(key, 800) and store.exists(key, 160)
    assert store.local_path(key, 480) is None  # nothing on this server's disk
    assert store.delete(key) == 3
    assert bucket_objects(client, settings["S3_BUCKET"]) == {} and store.widths(key) == []


def test_a_wanted_key_is_kept_once_then_a_new_one_is_made(bucket):
    _settings, _client, store = bucket
    wanted = "0123456789abcdef0123456789abcdef"
    assert store.save(processed(160), wanted_key=wanted) == wanted
    second = store.save(processed(160), wanted_key=wanted)
    assert second != wanted and store.widths(second) == [160]


def test_derived_copies_are_made_once_kept_in_the_bucket_and_deleted_with_the_image(bucket):
    settings, client, store = bucket
    key = store.save(processed(480))
    calls = []

    def make(data):
        calls.append(len(data))
        return b"jpeg:" + data[:4]

    assert store.derived(key, 480, ".jpg", make) == b"jpeg:" + bytes([480 % 256]) * 4
    assert store.derived(key, 480, ".jpg", make) == b"jpeg:" + bytes([480 % 256]) * 4
    assert calls == [2000]  # converted once, then read back from the bucket
    assert f"{key[:2]}/{key}-480.jpg" in bucket_objects(client, settings["S3_BUCKET"])
    assert store.derived(key, 1200, ".jpg", make) is None  # no such rendition
    store.delete(key)
    assert bucket_objects(client, settings["S3_BUCKET"]) == {}


def test_cleanup_removes_old_unreferenced_objects_only(bucket):
    settings, client, store = bucket
    kept, orphan = store.save(processed(160)), store.save(processed(160, 480))
    client.put_object(Bucket=settings["S3_BUCKET"], Key="notes/readme.txt", Body=b"not ours")

    assert store.cleanup_orphans({kept}, older_than_seconds=3600) == []  # too young: may be an upload under way
    removed = store.cleanup_orphans({kept}, older_than_seconds=0, now=time.time() + 10)

    bucket_name = settings["S3_BUCKET"]
    assert sorted(removed) == [f"s3://{bucket_name}/{orphan[:2]}/{orphan}-{width}.webp" for width in (160, 480)]
    assert sorted(bucket_objects(client, bucket_name)) == sorted([f"{kept[:2]}/{kept}-160.webp", "notes/readme.txt"])


def test_an_unreachable_bucket_is_a_storage_error_and_a_missing_one_too(s3):
    settings, _client = s3()
    unreachable = ImageStore(S3Backend(s3_client("http://127.0.0.1:9", "us-east-1", "x", "y"), "nowhere"))
    with pytest.raises(StorageError):
        unreachable.save(processed(160))
    missing = ImageStore(S3Backend(s3_client(settings["S3_ENDPOINT_URL"], "us-east-1", "testing", "testing"),
                                   "no-such-bucket"))
    with pytest.raises(StorageError) as refused:
        missing.save(processed(160))
    assert refused.value.errno == errno.ENOENT


def test_a_bucket_that_cannot_be_reached_shows_buyers_the_placeholder(app_with_unreachable_bucket):
    """F12's promise (a page still shows something) holds when the bucket is down, not only
    when a file is gone; the placeholder is cached for minutes, not a year."""
    from catalog.models import ProductPhoto
    from extensions import db
    from tests.factories import add_product, make_producer

    app = app_with_unreachable_bucket
    product_id = add_product(app, make_producer(app))
    key = "0123456789abcdef0123456789abcdef"
    with app.app_context():
        db.session.add(ProductPhoto(product_id=product_id, image_key=key, position=0, width=640, height=480))
        db.session.commit()
    answer = app.test_client().get(f"/anh/{key}/480.webp")
    status, mimetype, max_age = answer.status_code, answer.mimetype, answer.cache_control.max_age
    answer.close()
    assert status == 200 and mimetype == "image/webp" and max_age == 300


@pytest.fixture
def app_with_unreachable_bucket(tmp_path):
    from tests.integration.fresh_site import empty_site

    with empty_site(tmp_path / "site", S3_BUCKET="photos", S3_ENDPOINT_URL="http://127.0.0.1:9",
                    S3_ACCESS_KEY_ID="x", S3_SECRET_ACCESS_KEY="y") as site:
        yield site
