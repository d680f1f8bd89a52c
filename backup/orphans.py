"""Stored photos no row names any more: what a crash between writing a photo's files and
committing its row leaves behind (fault F1 of docs/SECURITY-REFERENCE.md), and the leftover
temporary files of interrupted writes. `flask backup clean-photos` removes them.

A photo is written before its row is committed, so a young unreferenced file may be an upload
still under way: only files older than the given age are touched."""
from __future__ import annotations

from flask import current_app

from catalog.models import ProductPhoto
from extensions import db
from media.storage import image_store_for
from producers.models import Certificate, ProducerDocument

# Every column that names a stored photo. A new one must be added here, or its photos would
# look orphaned (tests/integration/test_orphan_photos.py checks the models against this list).
PHOTO_KEY_COLUMNS = (ProductPhoto.image_key, Certificate.image_key, ProducerDocument.image_key)


def referenced_photo_keys() -> set[str]:
    keys: set[str] = set()
    for column in PHOTO_KEY_COLUMNS:
        keys.update(key for key in db.session.scalars(db.select(column).distinct()) if key)
    return keys


def remove_orphan_photos(older_than_seconds: float, *, dry_run: bool = False) -> list[str]:
    """Remove (or, with dry_run, only list) the stored files of photos no row names, last
    changed more than `older_than_seconds` ago. Returns where they were."""
    store = image_store_for(current_app.config)
    referenced = referenced_photo_keys()
    if dry_run:
        return store.orphans(referenced, older_than_seconds)
    return store.cleanup_orphans(referenced, older_than_seconds)
