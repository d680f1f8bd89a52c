"""`flask backup clean-photos`: the files a crash left between writing a photo and committing its
row (fault F1, docs/SECURITY-REFERENCE.md) are removed; every photo a row names stays and is
still served; a young file (an upload still being saved) is left alone."""
import os
import time

from backup.orphans import PHOTO_KEY_COLUMNS
from extensions import db
from media.storage import ImageStore
from tests.factories import add_product, make_producer, processed_photo, store_photo

DAY = 24 * 3600


def _age(store: ImageStore, key: str, seconds: float) -> list[str]:
    """Make every file of `key` look `seconds` old; returns their paths."""
    paths = [str(store.path_for(key, width)) for width in store.widths(key)]
    then = time.time() - seconds
    for path in paths:
        os.utime(path, (then, then))
    return paths


def test_a_crash_leftover_goes_and_every_named_photo_stays(app, runner, client):
    product = add_product(app, make_producer(app))
    kept = store_photo(app, product)
    store = ImageStore(app.config["UPLOAD_DIR"])
    leftover = store.save(processed_photo())  # written, then the process died before its row
    young = store.save(processed_photo())  # an upload whose row is about to be committed
    _age(store, kept, 3 * DAY)
    leftover_files = _age(store, leftover, 2 * DAY)
    young_files = _age(store, young, 3600)

    listed = runner.invoke(args=["backup", "clean-photos", "--dry-run", "--lang", "en"])
    assert listed.exit_code == 0, listed.output
    assert sorted(listed.output.splitlines()[:-1]) == sorted(leftover_files)
    assert f"{len(leftover_files)} unused photo files would be removed." in listed.output
    assert all(os.path.exists(path) for path in leftover_files)

    cleaned = runner.invoke(args=["backup", "clean-photos"])
    assert cleaned.exit_code == 0, cleaned.output
    assert f"Đã xoá {len(leftover_files)} tệp ảnh không dùng đến." in cleaned.output
    assert not any(os.path.exists(path) for path in leftover_files)
    assert all(os.path.exists(path) for path in young_files)
    served = client.get(f"/anh/{kept}/480.webp")
    served.close()  # the file is streamed; the test client leaves it open otherwise
    assert store.widths(kept) and served.status_code == 200

    again = runner.invoke(args=["backup", "clean-photos", "--lang", "en"])
    assert "0 unused photo files removed." in again.output


def test_every_photo_column_is_known_to_the_cleaner(app):
    """A new table naming stored photos must be added to PHOTO_KEY_COLUMNS, or its photos would
    look unused and be removed."""
    known = {(column.table.name, column.name) for column in PHOTO_KEY_COLUMNS}
    named = {(table.name, column.name) for table in db.metadata.sorted_tables for column in table.columns
             if column.name.endswith("image_key") or column.name.endswith("photo_key")}
    assert named == known
