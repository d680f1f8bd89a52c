"""Keep image renditions on disk under generated names, written atomically.

Pure module (no Flask). A stored image is a key (32 lowercase hex digits from uuid4) and one file
per rendition width: `<root>/<key[:2]>/<key>-<width>.webp`. No user-supplied name ever reaches
the file system, and keys are checked strictly, so nothing like `../` can leave the root.

Upload order (reference §4): process -> `save()` -> commit the DB row -> `delete()` if the commit
fails. A crash between save and commit leaves only unreferenced files, which `cleanup_orphans()`
removes later; a row never points to a file that was not completely written.
"""

from __future__ import annotations

import errno
import os
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

KEY_PATTERN = re.compile(r"[0-9a-f]{32}")
_FANOUT_DIR_PATTERN = re.compile(r"[0-9a-f]{2}")
_RENDITION_FILE_PATTERN = re.compile(r"([0-9a-f]{32})-([1-9][0-9]{0,3})\.webp")
# Renditions plus copies made from them in other formats (JPEG for feeds that refuse WebP) and
# share cards cut from them (`<key>-1200x630.jpg`).
_ANY_FILE_OF_KEY_PATTERN = re.compile(r"([0-9a-f]{32})-([1-9][0-9]{0,3})(?:x[1-9][0-9]{0,3})?\.(?:webp|jpg)")
TEMP_SUFFIX = ".tmp"
MAX_WIDTH = 9999
FILE_MODE = 0o644  # the web server (another user) serves these files
DEFAULT_ORPHAN_AGE_SECONDS = 3600


class StorageError(Exception):
    """Saving failed and nothing of that save was left behind. `errno` is the cause's, if any
    (errno.ENOSPC lets the web layer answer 507 rather than 503)."""

    def __init__(self, message: str, errno_code: int | None = None):
        super().__init__(message)
        self.errno = errno_code


class InvalidImageKey(ValueError):
    """A key or width that this store could never have produced (treat as not found)."""


class ImageStore:
    """Renditions of processed images under `root_dir` (created if missing)."""

    def __init__(self, root_dir: str | os.PathLike):
        self.root = Path(root_dir).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def save(self, processed, wanted_key: str | None = None, *, sync: bool = True) -> str:
        """Write every rendition of a `media.images.ProcessedImage` (anything with `.renditions`
        of objects with `.target_width` and `.data`) and return the new key.

        `wanted_key` (a photo coming back from our own export) is used when no file of this
        store holds it yet; otherwise, as without it, a new random key is made. The first file
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
        """fsync the files of `keys` (saved with ``sync=False``) and their directories.

        The calls run on a few threads: fsync waits on the disk without holding the GIL, and the
        file system merges concurrent flushes into fewer journal commits. Raises StorageError."""
        paths = {path for key in keys for _, path in self._rendition_files(key)}
        paths |= {path.parent for path in list(paths)} | ({self.root} if paths else set())
        if not paths:
            return
        try:
            with ThreadPoolExecutor(max_workers=min(workers, len(paths))) as pool:
                list(pool.map(_fsync_path, paths))
        except OSError as error:
            raise StorageError(f"could not store image: {error.strerror or error}", error.errno) from error

    def _save_as(self, key: str, renditions, exclusive: bool = False, sync: bool = True) -> str:
        directory = self.root / key[:2]
        planned = [(self.path_for(key, rendition.target_width), rendition.data) for rendition in renditions]
        written: list[Path] = []
        try:
            directory_is_new = not directory.is_dir()
            directory.mkdir(exist_ok=True)
            if exclusive and self._rendition_files(key):
                raise FileExistsError(key)
            for index, (target, data) in enumerate(planned):
                _write_atomically(target, data, replace=not (exclusive and index == 0), sync=sync)
                written.append(target)
            if sync:
                _fsync_directory(directory)
                if directory_is_new:
                    _fsync_directory(self.root)
        except FileExistsError:
            raise  # the key is taken and nothing of this save was written: the caller picks another
        except OSError as error:
            for path in written:
                with suppress(OSError):
                    path.unlink()
            raise StorageError(f"could not store image: {error.strerror or error}", error.errno) from error
        return key

    def path_for(self, key: str, width: int) -> Path:
        """Where the `width` rendition of `key` lives (whether or not it exists)."""
        _check_key(key)
        if isinstance(width, bool) or not isinstance(width, int) or not 1 <= width <= MAX_WIDTH:
            raise InvalidImageKey(f"invalid rendition width: {width!r}")
        return self.root / key[:2] / f"{key}-{width}.webp"

    def derived(self, key: str, width: int, suffix: str, make) -> Path | None:
        """`<key>-<width><suffix>` beside the `width` rendition, made from its bytes by
        `make(data) -> bytes` on first use and kept (JPEG copies, share cards); None when the
        rendition is missing. Deleting the image removes it with the renditions."""
        source = self.path_for(key, width)
        target = source.with_name(f"{source.stem}{suffix}")
        if target.is_file():
            return target
        try:
            data = source.read_bytes()
        except FileNotFoundError:
            return None
        _write_atomically(target, make(data))
        return target

    def exists(self, key: str, width: int) -> bool:
        return self.path_for(key, width).is_file()

    def widths(self, key: str) -> list[int]:
        """Widths stored for `key`, ascending (empty when the image is gone)."""
        return sorted(width for width, _ in self._rendition_files(key))

    def delete(self, key: str) -> int:
        """Remove every rendition of `key`; returns how many files went. Missing files are fine."""
        removed = 0
        for _, path in self._rendition_files(key, _ANY_FILE_OF_KEY_PATTERN):
            with suppress(FileNotFoundError):
                path.unlink()
                removed += 1
        return removed

    def cleanup_orphans(
        self,
        referenced_keys,
        older_than_seconds: float = DEFAULT_ORPHAN_AGE_SECONDS,
        *,
        now: float | None = None,
    ) -> list[Path]:
        """Remove rendition files whose key is not in `referenced_keys`, and leftover temp files,
        when last modified more than `older_than_seconds` ago (younger ones may belong to an
        upload that has not committed its row yet). Files this store did not name are left alone.
        Returns the removed paths."""
        referenced = set(referenced_keys)
        cutoff = (time.time() if now is None else now) - older_than_seconds
        removed: list[Path] = []
        for directory in self._fanout_directories():
            with os.scandir(directory) as entries:
                for entry in entries:
                    if self._is_orphan(entry, directory.name, referenced, cutoff):
                        with suppress(FileNotFoundError):
                            os.unlink(entry.path)
                            removed.append(Path(entry.path))
        return removed

    def _fanout_directories(self) -> list[Path]:
        return sorted(
            path
            for path in self.root.iterdir()
            if _FANOUT_DIR_PATTERN.fullmatch(path.name) and path.is_dir() and not path.is_symlink()
        )

    @staticmethod
    def _is_orphan(entry: os.DirEntry, directory_name: str, referenced: set, cutoff: float) -> bool:
        try:
            if not entry.is_file(follow_symlinks=False):
                return False
            modified = entry.stat(follow_symlinks=False).st_mtime
        except FileNotFoundError:
            return False
        if modified >= cutoff:
            return False
        if entry.name.endswith(TEMP_SUFFIX):
            return True
        match = _ANY_FILE_OF_KEY_PATTERN.fullmatch(entry.name)
        if match is None or match.group(1)[:2] != directory_name:
            return False
        return match.group(1) not in referenced

    def _rendition_files(self, key: str, pattern=_RENDITION_FILE_PATTERN) -> list[tuple[int, Path]]:
        _check_key(key)
        directory = self.root / key[:2]
        if not directory.is_dir():
            return []
        files = []
        for path in directory.iterdir():
            match = pattern.fullmatch(path.name)
            if match is not None and match.group(1) == key:
                files.append((int(match.group(2)), path))
        return files


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


def _write_atomically(target: Path, data: bytes, replace: bool = True, sync: bool = True) -> None:
    """Temp file beside `target`, fully written and fsynced, then renamed over it: readers see the
    whole file or none. The temp file is removed on any failure, even an interrupt. With
    `replace=False` the file is linked into place instead, and FileExistsError raised when
    `target` exists."""
    temp_path = target.with_name(f"{target.name}.{uuid.uuid4().hex[:12]}{TEMP_SUFFIX}")
    descriptor = os.open(temp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    try:
        try:
            remaining = memoryview(data)
            while remaining:
                count = os.write(descriptor, remaining)
                if count <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                remaining = remaining[count:]
            if sync:
                os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if replace:
            os.replace(temp_path, target)
        else:
            os.link(temp_path, target)
            os.unlink(temp_path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp_path)
        raise


def _fsync_path(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if path.is_dir() else 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_directory(directory: Path) -> None:
    """Make the renames in `directory` durable (POSIX needs the directory itself synced)."""
    descriptor = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
