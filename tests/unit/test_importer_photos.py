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


def _exported_rendition(tmp_path, **options):
    """A photo as our ZIP export ships it: the stored 1200 rendition, named <key>.webp."""
    store = ImageStore(tmp_path / "source")
    key = store.save(process_upload(jpeg_bytes(**options)))
    with open(store.path_for(key, 1200), "rb") as fh:
        return key, fh.read()


def test_a_photo_of_our_export_keeps_its_bytes_and_its_key(tmp_path):
    key, exported = _exported_rendition(tmp_path, size=(1600, 1200))
    plan = plan_photos((f"{key}.webp",), [], library({f"{key}.webp": exported}),
                       PhotoFingerprints(ImageStore(tmp_path / "empty")))
    (photo,) = plan.new
    assert photo.wanted_key == key and photo.processed.renditions[-1].data == exported
    assert photo.processed.renditions[0].width == 160  # the smaller ones are made from it


def test_only_a_plain_webp_under_an_export_name_is_kept_as_it_is(tmp_path):
    key, exported = _exported_rendition(tmp_path, size=(1600, 1200))
    fingerprints = PhotoFingerprints(ImageStore(tmp_path / "empty"))
    padded = exported[:4] + (int.from_bytes(exported[4:8], "little") + 8).to_bytes(4, "little") + \
        exported[8:] + b"EXIF\x00\x00\x00\x00"  # an extra chunk after the picture
    for name, data in ((f"{key}.webp", padded), ("anh.webp", exported), (f"{key}.webp", jpeg_bytes())):
        (photo,) = plan_photos((name,), [], library({name: data}), fingerprints).new
        assert photo.wanted_key is None and photo.processed.renditions[-1].data != data


def test_a_wanted_key_already_taken_gets_a_new_one(tmp_path):
    store = ImageStore(tmp_path)
    processed = process_upload(jpeg_bytes())
    first = store.save(processed, wanted_key="0" * 32)
    second = store.save(processed, wanted_key="0" * 32)
    assert first == "0" * 32 and second != first and store.widths(second) == [160, 480, 1200]
