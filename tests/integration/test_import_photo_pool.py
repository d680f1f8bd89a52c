"""An import with many photos: they are re-encoded ahead by worker processes, written in batches
and made durable before the commit; what each row gets is the same as without workers."""
import os

from catalog.importer import photo_work
from catalog.importer.apply import ImportOptions, import_file
from catalog.models import Product, ProductPhoto
from extensions import db
from media.storage import ImageStore
from search import sync
from tests.unit.importer_files import csv_bytes, jpeg_bytes, product_row, write


def catalogue(folder, count):
    rows = []
    for number in range(count):
        name = f"anh-{number}.jpg"
        write(folder, name, jpeg_bytes(size=(300 + number, 240), stripes=number))
        rows.append(product_row(ref=f"SP-{number}", name=f"Mật ong rừng số {number}", images=name))
    write(folder, "hong.jpg", b"not a picture at all")
    rows.append(product_row(ref="SP-HONG", name="Mật ong ảnh hỏng", images="hong.jpg"))
    rows.append(product_row(ref="SP-THIEU", name="Mật ong thiếu ảnh", images="khong-co.jpg"))
    rows.append(product_row(ref="SP-0", name="Mật ong trùng mã", images="anh-1.jpg"))  # refused: ref used
    return write(folder, "ds.csv", csv_bytes(rows))


def stored_files(app):
    root = app.config["UPLOAD_DIR"]
    return {name for folder, _, names in os.walk(root) for name in names if name.endswith(".webp")}


def test_photos_of_a_large_import_go_through_the_workers(app, tmp_path, monkeypatch):
    pools = []

    class CountedPool(photo_work.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(photo_work, "ProcessPoolExecutor", CountedPool)
    monkeypatch.setattr(photo_work, "CHUNK_PHOTOS", 4)  # several chunks, each submitted ahead
    path = catalogue(tmp_path, 12)
    with app.app_context():
        report = import_file(path, ImportOptions(source_name="ds.csv"), ImageStore(app.config["UPLOAD_DIR"]),
                             photo_dir=tmp_path)
        assert len(pools) == 1
        assert (report.products_created, report.photos_added, report.rows_refused) == (14, 12, 1)
        codes = sorted(issue.code for issue in report.issues if issue.field == "images")
        assert codes == ["photo_missing", "photo_rejected"]
        photos = db.session.execute(db.select(Product.ref, ProductPhoto.image_key, ProductPhoto.width)
                                    .join(ProductPhoto.product)).all()
        assert sorted(ref for ref, _, _ in photos) == sorted(f"SP-{n}" for n in range(12))
        assert {ref: width for ref, _, width in photos}["SP-5"] == 305  # each row got its own photo
        store = ImageStore(app.config["UPLOAD_DIR"])
        assert all(store.widths(key) for _, key, _ in photos)
    assert {name.split("-")[0] for name in stored_files(app)} == {key for _, key, _ in photos}  # no stray files


def test_the_same_import_without_workers_gives_the_same_photos(app, tmp_path, monkeypatch):
    monkeypatch.setattr(photo_work, "POOL_MIN_PHOTOS", 10_000)
    path = catalogue(tmp_path, 6)
    with app.app_context():
        report = import_file(path, ImportOptions(source_name="ds.csv"), ImageStore(app.config["UPLOAD_DIR"]),
                             photo_dir=tmp_path)
        assert (report.products_created, report.photos_added, report.rows_refused) == (8, 6, 1)
        again = import_file(path, ImportOptions(source_name="ds.csv"), ImageStore(app.config["UPLOAD_DIR"]),
                            photo_dir=tmp_path)
        assert (again.products_created, again.photos_added) == (0, 0)  # the same photos are not added twice


def test_the_search_index_catches_up_once_when_the_import_ends(app, tmp_path, monkeypatch):
    """An import commits every chunk of photos; the index follows once, at the end, not per commit."""
    calls = []
    real_catch_up = sync.catch_up
    monkeypatch.setattr(sync, "catch_up", lambda *args, **kwargs: calls.append(1) or real_catch_up(*args, **kwargs))
    monkeypatch.setattr(photo_work, "CHUNK_PHOTOS", 2)  # a commit every two rows
    path = catalogue(tmp_path, 6)
    with app.app_context():
        sync.rebuild()  # an index at its log position, as on a running site (it catches up itself)
        calls.clear()
        report = import_file(path, ImportOptions(source_name="ds.csv"), ImageStore(app.config["UPLOAD_DIR"]),
                             photo_dir=tmp_path)
        assert report.products_created == 8
        assert calls == [1]
        assert sync.lag().behind == 0  # searchable at once
