"""Which listed photos are new for a product: read, checked, re-encoded, never stored twice."""
import zipfile
from io import BytesIO

from catalog.importer.archive import ZipPhotos, check_zip
from catalog.importer.photos import PhotoFingerprints, plan_photos
from media.images import process_upload
from media.storage import ImageStore
from tests.unit.importer_files import jpeg_bytes, zip_bytes


def library(members):
    archive = zipfile.ZipFile(BytesIO(zip_bytes(members)))
    return ZipPhotos(archive, check_zip(archive))


def test_new_photos_are_processed_in_listed_order(tmp_path):
    store = ImageStore(tmp_path)
    photos = library({"a.jpg": jpeg_bytes(color=(10, 200, 10)), "b.jpg": jpeg_bytes(color=(200, 10, 10))})
    plan = plan_photos(("b.jpg", "a.jpg"), [], photos, PhotoFingerprints(store))
    assert [photo.name for photo in plan.new] == ["b.jpg", "a.jpg"]
    assert plan.problems == []
    assert [r.target_width for r in plan.new[0].processed.renditions] == [160, 480, 1200]


def test_a_photo_already_stored_for_the_product_is_not_added_again(tmp_path):
    store = ImageStore(tmp_path)
    original = jpeg_bytes(size=(1600, 1200))
    key = store.save(process_upload(original))
    fingerprints = PhotoFingerprints(store)
    again = plan_photos(("a.jpg",), [key], library({"a.jpg": original}), fingerprints)
    assert again.new == [] and again.problems == []
    with open(store.path_for(key, 1200), "rb") as fh:  # our own export ships the 1200 rendition
        exported = fh.read()
    back = plan_photos(("a.webp",), [key], library({"a.webp": exported}), fingerprints)
    assert back.new == []
    other = plan_photos(("b.jpg",), [key], library({"b.jpg": jpeg_bytes(size=(1600, 1200), color=(90, 90, 200))}),
                        fingerprints)
    assert [photo.name for photo in other.new] == ["b.jpg"]


def test_missing_bad_and_unsafe_photos_are_warnings(tmp_path):
    store = ImageStore(tmp_path)
    photos = library({"bad.jpg": b"this is not an image", "ok.jpg": jpeg_bytes()})
    plan = plan_photos(("missing.jpg", "bad.jpg", "../x.jpg", "ok.jpg"), [], photos, PhotoFingerprints(store))
    assert [photo.name for photo in plan.new] == ["ok.jpg"]
    found = [(problem.code, problem.severity, problem.params.get("name")) for problem in plan.problems]
    assert found == [("photo_missing", "warning", "missing.jpg"), ("photo_rejected", "warning", "bad.jpg"),
                     ("photo_name_unsafe", "warning", "../x.jpg")]
    assert plan.problems[1].params["image_code"] == "not_an_image"


def test_a_product_keeps_at_most_eight_photos(tmp_path):
    store = ImageStore(tmp_path)
    existing = [store.save(process_upload(jpeg_bytes(stripes=n))) for n in range(7)]
    photos = library({"a.jpg": jpeg_bytes(color=(1, 2, 3)), "b.jpg": jpeg_bytes(color=(3, 2, 1))})
    plan = plan_photos(("a.jpg", "b.jpg"), existing, photos, PhotoFingerprints(store))
    assert [photo.name for photo in plan.new] == ["a.jpg"]
    assert [problem.code for problem in plan.problems] == ["photos_limit"]


def test_the_same_photo_listed_twice_under_two_names_is_added_once(tmp_path):
    photo = jpeg_bytes()
    plan = plan_photos(("a.jpg", "copy.jpg"), [], library({"a.jpg": photo, "copy.jpg": photo}),
                       PhotoFingerprints(ImageStore(tmp_path)))
    assert [item.name for item in plan.new] == ["a.jpg"]
