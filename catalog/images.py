"""Product photos on the Flask side: uploads through media.images and media.storage, and the
public image route's file look-up.

Order of work (docs/PHOTOS.md): decode and re-encode every upload first (no database work,
no files), then write the files, then add rows and commit; if the commit fails the new files
are deleted, so no row ever points at a missing file.
"""
from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from types import SimpleNamespace

from flask import abort, current_app, url_for

from catalog.models import ProductPhoto
from extensions import db
from media.images import DEFAULT_WIDTHS, ImageRejected, process_upload
from media.messages import STORAGE_FAILURE_MESSAGE, rejection_message
from media.storage import KEY_PATTERN, ImageStore, InvalidImageKey, StorageError, image_store_for

WIDTHS = DEFAULT_WIDTHS  # 160, 480, 1200
THUMBNAIL_WIDTHS = (160, 480)  # cards never need the 1200 rendition
# `sizes` of a product card's <img>: cards are 80 CSS px wide on phones, so a 2x phone takes the
# 160 rendition; grids on wider screens.
CARD_SIZES = "(min-width: 64rem) 240px, (min-width: 40rem) 30vw, 80px"
# On phones the gallery asks for the 480 rendition even on 2x/3x screens (about a third of the
# bytes of the 1200 one over 3G); each photo links to its 1200 rendition for a closer look.
GALLERY_SIZES = "(min-width: 40rem) 36rem, 160px"


def store() -> ImageStore:
    """The site's image store: the folder UPLOAD_DIR, or the S3 bucket when S3_BUCKET is set."""
    return image_store_for(current_app.config)


@dataclass
class UploadProblem:
    """One refused file: its name as sent (for the message only) and the reason in words."""

    filename: str
    message: str


@dataclass
class ProcessedUpload:
    filename: str
    processed: object  # media.images.ProcessedImage


def chosen_files(files) -> list:
    """The FileStorage objects that hold a file (browsers send an empty part for 'no file')."""
    return [item for item in files if item is not None and (item.filename or "").strip()]


def process_files(files) -> tuple[list[ProcessedUpload], list[UploadProblem]]:
    """Check and re-encode each file in memory. Nothing is written anywhere."""
    accepted, problems = [], []
    for item in chosen_files(files):
        try:
            accepted.append(ProcessedUpload(item.filename, process_upload(item.stream)))
        except ImageRejected as error:
            problems.append(UploadProblem(_display_name(item.filename), rejection_message(error)))
    return accepted, problems


def _display_name(filename: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name[:80]


@dataclass
class StoredImage:
    key: str
    width: int
    height: int


def save_files(uploads: list[ProcessedUpload]) -> list[StoredImage]:
    """Write every processed upload; all or nothing (raises StorageError after cleaning up)."""
    image_store = store()
    saved: list[StoredImage] = []
    try:
        for upload in uploads:
            key = image_store.save(upload.processed)
            saved.append(StoredImage(key, upload.processed.original_width, upload.processed.original_height))
    except StorageError:
        discard([image.key for image in saved])
        raise
    return saved


def copy_image(key: str) -> str:
    """A new key holding the same renditions (a duplicated product owns its own files)."""
    image_store = store()
    renditions = []
    for width in image_store.widths(key):
        data = image_store.read(key, width)
        if data is not None:
            renditions.append(SimpleNamespace(target_width=width, data=data))
    if not renditions:
        raise StorageError("nothing to copy", errno.ENOENT)
    return image_store.save(SimpleNamespace(renditions=renditions))


def discard(keys) -> None:
    image_store = store()
    for key in keys:
        try:
            image_store.delete(key)
        except (InvalidImageKey, OSError):
            current_app.logger.warning("could not delete image %s", key)


def commit_or_discard(new_keys) -> None:
    """Commit the session; if that fails, roll back, delete the files just written, re-raise."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        discard(new_keys)
        raise


def delete_unreferenced(keys) -> None:
    """After a commit that removed photo rows: delete files no row refers to any more."""
    for key in keys:
        still_used = db.session.scalar(db.select(ProductPhoto.id).where(ProductPhoto.image_key == key).limit(1))
        if still_used is None:
            discard([key])


def storage_failure_message(error: StorageError) -> str:
    return str(STORAGE_FAILURE_MESSAGE)


def require_product_photo(key: str, width: int) -> None:
    """404 unless `key` names a product photo and `width` is one of our renditions:
    documents and certificates share the upload folder but are never served as photos."""
    if not is_valid_key(key) or width not in WIDTHS:
        abort(404)
    if db.session.scalar(db.select(ProductPhoto.id).where(ProductPhoto.image_key == key).limit(1)) is None:
        abort(404)


def is_valid_key(key: str) -> bool:
    return isinstance(key, str) and KEY_PATTERN.fullmatch(key) is not None


def image_url(key: str, width: int, external: bool = False) -> str:
    return url_for("catalog.image", key=key, width=width, _external=external)


def srcset(key: str, widths=WIDTHS) -> str:
    return ", ".join(f"{image_url(key, width)} {width}w" for width in widths)


def rendition(key: str, width: int):
    """A rendition to send: its local file, its bytes (object store), or None when it is
    missing (deleted or never written), on disk cut short (a damaged disk or a partial copy;
    docs/PHOTOS.md, Faults), or the bucket cannot be reached just now: the page then shows the
    placeholder, cached briefly, rather than a broken picture or an error."""
    image_store = store()
    path = image_store.local_path(key, width)
    if path is not None:
        return path if _whole_webp(path) else None
    try:
        return image_store.read(key, width)
    except OSError as error:
        current_app.logger.warning("photo storage unavailable for %s-%s: %s", key, width, error)
        return None


def _whole_webp(path) -> bool:
    """A WebP file states its own length in its RIFF header (size + 8 bytes = the file's size),
    so a truncated file is found from 12 bytes and the file's size, without decoding it."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(12)
            size = os.fstat(fh.fileno()).st_size
    except OSError:
        return False
    return (len(header) == 12 and header[:4] == b"RIFF" and header[8:12] == b"WEBP"
            and int.from_bytes(header[4:8], "little") + 8 == size)


@dataclass(frozen=True)
class StoredRendition:
    """A rendition in an object store, read only when the export writes it (like a Path)."""

    image_store: ImageStore
    key: str
    width: int

    def read_bytes(self) -> bytes:
        data = self.image_store.read(self.key, self.width)
        if data is None:
            raise FileNotFoundError(f"{self.key}-{self.width}")
        return data


EXPORTED_PHOTO_NAME = re.compile(r"([0-9a-f]{32})\.webp")


def exported_photo_files(image_store: ImageStore | None = None):
    """`photo_file(name)` for the ZIP export: the largest stored rendition behind an `images`
    name of our own export (`<key>.webp`), as a local path or a StoredRendition (object store),
    or None when it is gone. The store is bound now, so the function also works where no app context is left
    (a background job)."""
    image_store = image_store or store()

    def photo_file(name: str):
        match = EXPORTED_PHOTO_NAME.fullmatch(name)
        if match is None:
            return None
        widths = image_store.widths(match.group(1))
        if not widths:
            return None
        key, width = match.group(1), widths[-1]
        return image_store.local_path(key, width) or StoredRendition(image_store, key, width)

    return photo_file
