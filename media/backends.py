"""Where stored files (photo renditions, document photos) live: a folder, or an S3-compatible bucket.

Pure module (no Flask). Both backends hold *objects* under relative POSIX names such as
`ab/ab12…ef-480.webp` (media.storage decides the names); the same name is the file's path under
the folder, the object's key in the bucket (after an optional prefix) and its member name in a
backup archive, so a backup taken from one backend restores into the other.

- `FileBackend(root)`: today's layout under UPLOAD_DIR; writes are atomic (temp file, fsync,
  rename) and a group of writes is durable once the directory is synced.
- `S3Backend(client, bucket, prefix)`: boto3. A PUT is atomic by nature (readers get the whole
  object or none), so the same all-or-nothing promise holds. Several app servers share it.

`backend_for(config)` picks one from the site's settings: S3 when `S3_BUCKET` is set
(`S3_ENDPOINT_URL` for MinIO, Ceph, moto…; keys from `S3_ACCESS_KEY_ID`/`S3_SECRET_ACCESS_KEY`
or boto3's usual AWS environment and files), else the folder `UPLOAD_DIR`.
"""

from __future__ import annotations

import errno
import os
from concurrent.futures import ThreadPoolExecutor
import threading
import uuid
from contextlib import suppress
from pathlib import Path, PurePosixPath

TEMP_SUFFIX = ".tmp"
FILE_MODE = 0o644  # the web server (another user) serves these files
CONTENT_TYPES = {".webp": "image/webp", ".jpg": "image/jpeg", ".png": "image/png"}


def check_name(name: str) -> str:
    """A relative name made only of plain parts (never absolute, never `..`)."""
    if not isinstance(name, str) or any(part in ("", ".", "..") for part in name.split("/")) \
            or "\\" in name or "\x00" in name:
        raise ValueError(f"invalid object name: {name!r}")
    return name


class FileBackend:
    """Objects as files under `root` (created if missing)."""

    kind = "filesystem"

    def __init__(self, root_dir: str | os.PathLike):
        self.root = Path(root_dir).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def __repr__(self) -> str:
        return f"FileBackend({str(self.root)!r})"

    def path(self, name: str) -> Path:
        return self.root / check_name(name)

    def put_all(self, items: list[tuple[str, bytes]], exclusive_first: bool = False, sync: bool = True) -> None:
        """Write every `(name, data)`; all or nothing (on OSError the ones written are removed).
        With `exclusive_first` the first is linked into place and FileExistsError raised when
        it exists (nothing of this call is left then). With `sync=False` nothing is fsynced:
        the caller calls `make_durable` for many files at once (imports) before its commit."""
        written: list[Path] = []
        directories: dict[Path, bool] = {}
        try:
            for index, (name, data) in enumerate(items):
                target = self.path(name)
                if target.parent not in directories:
                    directories[target.parent] = not target.parent.is_dir()
                    target.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(target, data, replace=not (exclusive_first and index == 0), sync=sync)
                written.append(target)
            for directory, is_new in (directories.items() if sync else ()):
                fsync_directory(directory)
                if is_new:
                    fsync_directory(directory.parent)
        except BaseException:
            for path in written:
                with suppress(OSError):
                    path.unlink()
            raise

    def put(self, name: str, data: bytes) -> None:
        self.put_all([(name, data)])

    def make_durable(self, names, workers: int = 8) -> None:
        """fsync these files and their folders. The calls run on a few threads: fsync waits on
        the disk without holding the GIL, and the file system merges concurrent flushes into
        fewer journal commits."""
        paths = {self.path(name) for name in names}
        paths |= {path.parent for path in list(paths)} | ({self.root} if paths else set())
        if paths:
            with ThreadPoolExecutor(max_workers=min(workers, len(paths))) as pool:
                list(pool.map(fsync_path, paths))

    def get(self, name: str) -> bytes | None:
        try:
            return self.path(name).read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def locate(self, name: str) -> Path:
        return self.path(name)

    def local_path(self, name: str) -> Path | None:
        """The file itself, for a zero-copy send; None when it is missing."""
        path = self.path(name)
        return path if path.is_file() else None

    def names(self, prefix: str) -> list[str]:
        """Names starting with `prefix` within its folder (`ab/ab12…ef-` lists that key's files)."""
        folder, _, start = prefix.rpartition("/")
        directory = self.path(folder) if folder else self.root
        if not directory.is_dir():
            return []
        base = f"{folder}/" if folder else ""
        return sorted(base + entry.name for entry in os.scandir(directory)
                      if entry.name.startswith(start) and entry.is_file(follow_symlinks=False))

    def delete(self, name: str) -> bool:
        try:
            self.path(name).unlink()
        except FileNotFoundError:
            return False
        return True

    def walk(self, top_level=None):
        """`(name, modified_time)` of every regular file, in name order; `top_level(name)` may
        narrow which first-level folders are entered."""
        for directory in sorted(self.root.iterdir()):
            if not directory.is_dir() or directory.is_symlink():
                continue
            if top_level is not None and not top_level(directory.name):
                continue
            with os.scandir(directory) as entries:
                for entry in sorted(entries, key=lambda item: item.name):
                    try:
                        if entry.is_file(follow_symlinks=False):
                            yield f"{directory.name}/{entry.name}", entry.stat(follow_symlinks=False).st_mtime
                    except FileNotFoundError:
                        continue


class S3Backend:
    """Objects in an S3-compatible bucket, under `prefix` (e.g. "photos/"; may be empty)."""

    kind = "s3"

    def __init__(self, client, bucket: str, prefix: str = ""):
        self.client, self.bucket = client, bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def __repr__(self) -> str:
        return f"S3Backend(bucket={self.bucket!r}, prefix={self.prefix!r})"

    def _key(self, name: str) -> str:
        return self.prefix + check_name(name)

    def put_all(self, items: list[tuple[str, bytes]], exclusive_first: bool = False, sync: bool = True) -> None:
        """PUT each object (stored once answered, whatever `sync`); on a failure the ones written
        are deleted and OSError raised.
        `exclusive_first` is checked before writing (the caller's keys are random, so a race
        between two savers of one wanted key is not a concern here)."""
        if exclusive_first and items and self.exists(items[0][0]):
            raise FileExistsError(items[0][0])
        written: list[str] = []
        try:
            for name, data in items:
                suffix = PurePosixPath(name).suffix
                self._call("put_object", Bucket=self.bucket, Key=self._key(name), Body=data,
                           ContentType=CONTENT_TYPES.get(suffix, "application/octet-stream"))
                written.append(name)
        except BaseException:
            for name in written:
                with suppress(OSError):
                    self.delete(name)
            raise

    def put(self, name: str, data: bytes) -> None:
        self.put_all([(name, data)])

    def make_durable(self, names, workers: int = 8) -> None:
        """Nothing to do: a PUT that answered is stored."""

    def get(self, name: str) -> bytes | None:
        try:
            answer = self._call("get_object", Bucket=self.bucket, Key=self._key(name))
        except FileNotFoundError:
            return None
        with answer["Body"] as body:
            return body.read()

    def exists(self, name: str) -> bool:
        try:
            self._call("head_object", Bucket=self.bucket, Key=self._key(name))
        except FileNotFoundError:
            return False
        return True

    def locate(self, name: str) -> str:
        return f"s3://{self.bucket}/{self._key(name)}"

    def local_path(self, name: str) -> None:
        return None

    def names(self, prefix: str) -> list[str]:
        return sorted(name for name, _ in self._list(self._key(prefix)))

    def delete(self, name: str) -> bool:
        self._call("delete_object", Bucket=self.bucket, Key=self._key(name))
        return True  # S3 does not say whether the object was there

    def walk(self, top_level=None):
        for name, modified in sorted(self._list(self.prefix)):
            if "/" in name and (top_level is None or top_level(name.split("/", 1)[0])):
                yield name, modified

    def _list(self, key_prefix: str):
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=key_prefix)
            for page in pages:
                for item in page.get("Contents", ()):
                    yield item["Key"][len(self.prefix):], item["LastModified"].timestamp()
        except Exception as error:  # botocore's errors, as OSError like the filesystem's
            raise _as_os_error(error) from error

    def _call(self, operation: str, **kwargs):
        try:
            return getattr(self.client, operation)(**kwargs)
        except Exception as error:
            raise _as_os_error(error) from error


def _as_os_error(error: Exception) -> OSError:
    """botocore's ClientError / connection errors as OSError: a missing object or bucket is
    FileNotFoundError, anything else EIO (the web layer answers 503 and retries are the user's)."""
    code = str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))
    if code in ("404", "NoSuchKey", "NotFound"):
        return FileNotFoundError(errno.ENOENT, f"no such object ({code})")
    if code == "NoSuchBucket":
        return OSError(errno.ENOENT, f"no such bucket ({code})")
    return OSError(errno.EIO, f"object storage failed: {type(error).__name__}: {error}")


_clients: dict = {}
_clients_lock = threading.Lock()


def s3_client(endpoint_url=None, region=None, access_key_id=None, secret_access_key=None):
    """One boto3 client per set of settings and process (clients are thread-safe and slow to make)."""
    settings = (endpoint_url or None, region or None, access_key_id or None, secret_access_key or None)
    with _clients_lock:
        client = _clients.get(settings)
        if client is None:
            import boto3
            from botocore.config import Config

            client = boto3.session.Session().client(
                "s3", endpoint_url=settings[0], region_name=settings[1] or "us-east-1",
                aws_access_key_id=settings[2], aws_secret_access_key=settings[3],
                config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"},
                              s3={"addressing_style": "path"} if settings[0] else None))
            _clients[settings] = client
        return client


def backend_for(config, folder_key: str = "UPLOAD_DIR"):
    """The backend the site's settings name (a mapping: Flask's config or a dict)."""
    bucket = config.get("S3_BUCKET")
    if bucket:
        client = s3_client(config.get("S3_ENDPOINT_URL"), config.get("S3_REGION"),
                           config.get("S3_ACCESS_KEY_ID"), config.get("S3_SECRET_ACCESS_KEY"))
        return S3Backend(client, bucket, config.get("S3_PREFIX") or "")
    return FileBackend(config[folder_key])


def write_atomically(target: Path, data: bytes, replace: bool = True, sync: bool = True) -> None:
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


def fsync_path(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if path.is_dir() else 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_directory(directory: Path) -> None:
    """Make the renames in `directory` durable (POSIX needs the directory itself synced)."""
    descriptor = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
