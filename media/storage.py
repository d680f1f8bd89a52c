"""Keep image renditions under generated names, in a storage backend (media.backends).

Pure module (no Flask). A stored image is a key (32 lowercase hex digits from uuid4) and one object
per rendition width, named `<key[:2]>/<key>-<width>.webp`: on the filesystem (the default) that is
the file `<UPLOAD_DIR>/<key[:2]>/<key>-<width>.webp`; in an S3 bucket the object's key. No
user-supplied name ever reaches the backend, and keys are checked strictly, so nothing like `../`
can leave the root.

Upload order (docs/PHOTOS.md): process -> `save()` -> commit the DB row -> `delete()` if the commit
fails. A crash between save and commit leaves only unreferenced objects, which `cleanup_orphans()`
removes later; a row never points to a file that was not completely written.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from contextlib import suppress
from pathlib import Path

from media.backends import TEMP_SUFFIX, FileBackend, backend_for

KEY_PATTERN = re.compile(r"[0-9a-f]{32}")
_FANOUT_DIR_PATTERN = re.compile(r"[0-9a-f]{2}")
_RENDITION_FILE_PATTERN = re.compile(r"([0-9a-f]{32})-([1-9][0-9]{0,3})\.webp")
# Renditions plus copies made from them in other formats (JPEG for feeds that refuse WebP) and
# share cards cut from them (`<key>-1200x630.jpg`).
_ANY_FILE_OF_KEY_PATTERN = re.compile(r"([0-9a-f]{32})-([1-9][0-9]{0,3})(?:x[1-9][0-9]{0,3})?\.(?:webp|jpg)")
MAX_WIDTH = 9999
DEFAULT_ORPHAN_AGE_SECONDS = 3600


class StorageError(Exception):
    """Saving failed and nothing of that save was left behind. `errno` is the cause's, if any
    (errno.ENOSPC lets the web layer answer 507 rather than 503)."""

    def __init__(self, message: str, errno_code: int | None = None):
        super().__init__(message)
        self.errno = errno_code


class InvalidImageKey(ValueError):
    """A key or width that this store could never have produced (treat as not found)."""


def image_store_for(config) -> ImageStore:
    """The site's image store: S3 when `S3_BUCKET` is set, else the folder UPLOAD_DIR."""
    return ImageStore(backend_for(config))


def is_stored_object_name(name: str) -> bool:
    """Whether `name` (relative, POSIX) is one this store writes: the rest of UPLOAD_DIR
    (imports, exports, partial uploads) stays on the local disk whatever the backend."""
    folder, _, file_name = name.partition("/")
    match = _ANY_FILE_OF_KEY_PATTERN.fullmatch(file_name)
    return match is not None and match.group(1)[:2] == folder


class ImageStore:
    """Renditions of processed images in `backend` (a media.backends backend, or a folder path
    for the filesystem one, created if missing)."""

    def __init__(self, backend):
        self.backend = backend if hasattr(backend, "put_all") else FileBackend(backend)

    @property
    def root(self) -> Path:
        """The folder of a filesystem store (AttributeError for a bucket)."""
        return self.backend.root

    def save(self, processed, wanted_key: str | None = None, *, sync: bool = True) -> str:
        """Write every rendition of a `media.images.ProcessedImage` (anything with `.renditions`
        of objects with `.target_width` and `.data`) and return the new key.

        `wanted_key` (a photo coming back from our own export) is used when the store holds no
        rendition of it yet; otherwise, as without it, a new random key is made. The first file
        is linked into place without replacing anything, so two saves never share a key.

        All or nothing: on any OS error the files of this save are removed and StorageError raised.
        With ``sync=False`` the files are not fsynced yet: a bulk import writes many photos, then
        makes them all durable at once with `make_durable` before committing the rows that name
        them (one fsync after another cost more than the photo encoding).
        """
        renditions = list(processed.renditions)
        if not renditions:
            raise ValueError("nothing to store: no renditions")
        if wanted_key is not None:
            _check_key(wanted_key)
            try:
                return self._save_as(wanted_key, renditions, exclusive=True, sync=sync)
            except FileExistsError:
                pass
        return self._save_as(uuid.uuid4().hex, renditions, sync=sync)

    def make_durable(self, keys, workers: int = 8) -> None:
        """fsync the renditions of `keys` (saved with ``sync=False``) and their folders, together
        (a bucket's objects are durable once written). Raises StorageError."""
        names = [name for key in keys for _, name in self._rendition_names(key)]
        try:
            self.backend.make_durable(names, workers=workers)
        except OSError as error:
            raise StorageError(f"could not store image: {error.strerror or error}", error.errno) from error

    def _save_as(self, key: str, renditions, exclusive: bool = False, sync: bool = True) -> str:
        planned = [(self.name_for(key, rendition.target_width), rendition.data) for rendition in renditions]
        try:
            if exclusive and self._rendition_names(key):
                raise FileExistsError(key)
            self.backend.put_all(planned, exclusive_first=exclusive, sync=sync)
        except FileExistsError:
            raise  # the key is taken and nothing of this save was written: the caller picks another
        except OSError as error:
            raise StorageError(f"could not store image: {error.strerror or error}", error.errno) from error
        return key

    def name_for(self, key: str, width: int) -> str:
        """The object name of the `width` rendition of `key` (whether or not it exists)."""
        _check_key(key)
        if isinstance(width, bool) or not isinstance(width, int) or not 1 <= width <= MAX_WIDTH:
            raise InvalidImageKey(f"invalid rendition width: {width!r}")
        return f"{key[:2]}/{key}-{width}.webp"

    def path_for(self, key: str, width: int) -> Path:
        """Where the `width` rendition of `key` lives in a filesystem store (whether or not it exists)."""
        return self.backend.path(self.name_for(key, width))

    def read(self, key: str, width: int) -> bytes | None:
        """The rendition's bytes, or None when it is missing."""
        return self.backend.get(self.name_for(key, width))

    def local_path(self, key: str, width: int) -> Path | None:
        """The rendition as a local file (filesystem store, file present), for a zero-copy send."""
        return self.backend.local_path(self.name_for(key, width))

    def for_sending(self, key: str, width: int) -> Path | bytes | None:
        """What a route sends (core.http.send_stored): the local file, else the object's bytes;
        None when the rendition is missing."""
        return self.local_path(key, width) or self.read(key, width)

    def derived(self, key: str, width: int, suffix: str, make) -> bytes | None:
        """`<key>-<width><suffix>` beside the `width` rendition, made from its bytes by
        `make(data) -> bytes` on first use and kept (JPEG copies, share cards); None when the
        rendition is missing. Deleting the image removes it with the renditions."""
        source = self.name_for(key, width)
        target = source.removesuffix(".webp") + suffix
        data = self.backend.get(target)
        if data is not None:
            return data
        original = self.backend.get(source)
        if original is None:
            return None
        data = make(original)
        self.backend.put(target, data)
        return data

    def derived_path(self, key: str, width: int, suffix: str) -> Path:
        """Where a filesystem store keeps a derived copy (see `derived`)."""
        return self.backend.path(self.name_for(key, width).removesuffix(".webp") + suffix)

    def exists(self, key: str, width: int) -> bool:
        return self.backend.exists(self.name_for(key, width))

    def widths(self, key: str) -> list[int]:
        """Widths stored for `key`, ascending (empty when the image is gone)."""
        return sorted(width for width, _ in self._rendition_names(key))

    def delete(self, key: str) -> int:
        """Remove every rendition of `key`; returns how many files went. Missing files are fine."""
        removed = 0
        for _, name in self._rendition_names(key, _ANY_FILE_OF_KEY_PATTERN):
            with suppress(FileNotFoundError):
                if self.backend.delete(name):
                    removed += 1
        return removed

    def orphans(self, referenced_keys, older_than_seconds: float = DEFAULT_ORPHAN_AGE_SECONDS, *,
                now: float | None = None) -> list[str]:
        """Where the objects are that `cleanup_orphans` would remove (it removes nothing)."""
        return [self.backend.locate(name) for name in self._orphan_names(referenced_keys, older_than_seconds, now)]

    def cleanup_orphans(
        self,
        referenced_keys,
        older_than_seconds: float = DEFAULT_ORPHAN_AGE_SECONDS,
        *,
        now: float | None = None,
    ) -> list:
        """Remove rendition objects whose key is not in `referenced_keys`, and leftover temp files,
        when last modified more than `older_than_seconds` ago (younger ones may belong to an
        upload that has not committed its row yet). Objects this store did not name are left
        alone. Returns where the removed objects were (paths, or s3:// URLs for a bucket)."""
        removed: list[str] = []
        for name in self._orphan_names(referenced_keys, older_than_seconds, now):
            with suppress(FileNotFoundError):
                self.backend.delete(name)
                removed.append(self.backend.locate(name))
        return removed

    def _orphan_names(self, referenced_keys, older_than_seconds: float, now: float | None) -> list[str]:
        referenced = set(referenced_keys)
        cutoff = (time.time() if now is None else now) - older_than_seconds
        return [name for name, modified in self.backend.walk(top_level=_FANOUT_DIR_PATTERN.fullmatch)
                if modified < cutoff and self._is_orphan(name, referenced)]

    @staticmethod
    def _is_orphan(name: str, referenced: set) -> bool:
        directory_name, _, file_name = name.partition("/")
        if file_name.endswith(TEMP_SUFFIX):
            return True
        match = _ANY_FILE_OF_KEY_PATTERN.fullmatch(file_name)
        if match is None or match.group(1)[:2] != directory_name:
            return False
        return match.group(1) not in referenced

    def _rendition_names(self, key: str, pattern=_RENDITION_FILE_PATTERN) -> list[tuple[int, str]]:
        _check_key(key)
        found = []
        for name in self.backend.names(f"{key[:2]}/{key}-"):
            match = pattern.fullmatch(name.rpartition("/")[2])
            if match is not None and match.group(1) == key:
                found.append((int(match.group(2)), name))
        return found


def remove_files_older_than(folder, seconds: float) -> None:
    """Delete the plain files of `folder` last modified more than `seconds` ago
    (temporary uploads and downloads that nobody came back for)."""
    cutoff = time.time() - seconds
    for entry in os.scandir(folder):
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                os.unlink(entry.path)
        except FileNotFoundError:
            continue


def _check_key(key) -> None:
    if not isinstance(key, str) or KEY_PATTERN.fullmatch(key) is None:
        raise InvalidImageKey(f"invalid image key: {key!r}")
