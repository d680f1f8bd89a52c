"""Take and restore backups of the configured site (database + uploads).

Uploads are the folder UPLOAD_DIR and, when S3_BUCKET is set, the photo objects of the bucket
(media.backends): both go under `uploads/` in the archive with the same names, so an archive
restores into a site using either backend.

Nothing here commits application data: a backup reads a consistent snapshot (SQLite
`VACUUM INTO`, PostgreSQL `pg_dump`), and a restore swaps whole files or runs one
PostgreSQL transaction, only after every checksum of the archive has been verified.
"""
from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from backup import rules
from backup.constants import MANIFEST_NAME, UPLOADS_DIR, DatabaseKind
from backup.rules import ArchiveRejected
from extensions import db
from media.backends import backend_for
from media.storage import is_stored_object_name

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class BackupError(RuntimeError):
    """A tool or the site refused the operation; the message says which (English)."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict
    size: int
    seconds: float
    pruned: list


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict
    integrity: str  # SQLite's integrity_check answer; "" for PostgreSQL (restored in one transaction)
    seconds: float


def app_version() -> str:
    try:
        done = subprocess.run(["git", "describe", "--always", "--tags", "--dirty"], cwd=PROJECT_ROOT,
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else "unknown"


def database_kind() -> DatabaseKind:
    name = db.engine.dialect.name
    if name == "sqlite":
        return DatabaseKind.SQLITE
    if name == "postgresql":
        return DatabaseKind.POSTGRESQL
    raise BackupError(f"unsupported database {name!r}")


def postgres_schema() -> str:
    with db.engine.connect() as conn:
        return conn.execute(sa.text("SELECT current_schema()")).scalar_one()


def _postgres_env() -> dict:
    url = db.engine.url
    env = dict(os.environ)
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value:
            env[key] = str(value)
    return env


def _run_tool(args: list, **kwargs) -> subprocess.CompletedProcess:
    if shutil.which(args[0]) is None:
        raise BackupError(f"{args[0]} is not on PATH")
    done = subprocess.run(args, env=_postgres_env(), capture_output=True, **kwargs)
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace") if isinstance(done.stderr, bytes) else done.stderr
        raise BackupError(f"{args[0]} failed: {stderr.strip()[-800:]}")
    return done


def sqlite_path() -> Path:
    return Path(db.engine.url.database).resolve()


def dump_database(target: Path) -> DatabaseKind:
    """A consistent copy of the whole database at `target`, taken while the site runs."""
    kind = database_kind()
    if kind is DatabaseKind.SQLITE:
        # VACUUM INTO reads one snapshot inside a read transaction: writers go on (WAL).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM INTO ?", (str(target),))
    else:
        _run_tool(["pg_dump", "--format=custom", "--no-owner", "--no-acl",
                   f"--schema={postgres_schema()}", f"--file={target}"])
    return kind


def _hash_file(path: Path) -> rules.Hasher:
    hasher = rules.Hasher()
    with open(path, "rb") as fh:
        while chunk := fh.read(rules.CHUNK_SIZE):
            hasher.update(chunk)
    return hasher


def object_backend():
    """The photo bucket when the site keeps photos in S3; None when they are files in UPLOAD_DIR."""
    backend = backend_for(current_app.config)
    return backend if backend.kind != "filesystem" else None


def _snapshot_objects(backend, target: Path) -> list[str]:
    """A copy of every photo object: objects are written once under a name and never changed,
    so one deleted meanwhile is simply not part of this snapshot."""
    names = []
    for name, _modified in backend.walk():
        if not is_stored_object_name(name):
            continue
        rules.check_member_name(rules.upload_member_name(name))
        data = backend.get(name)
        if data is None:
            continue
        copy = target / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(data)
        names.append(name)
    return names


def _snapshot_uploads(upload_dir: Path, target: Path, skip=None) -> list[str]:
    """Hard links (or copies) of every finished upload: files are replaced, never rewritten,
    so the links keep exactly what was there even if the site deletes a photo meanwhile.
    `skip(relative_name)` leaves files out (photos that live in a bucket instead)."""
    names = []
    for root, dirs, files in os.walk(upload_dir):
        dirs.sort()
        for name in sorted(files):
            source = Path(root) / name
            if name.endswith(".tmp") or source.is_symlink() or not source.is_file():
                continue
            relative = source.relative_to(upload_dir).as_posix()
            if skip is not None and skip(relative):
                continue
            rules.check_member_name(rules.upload_member_name(relative))
            copy = target / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, copy)
            except FileNotFoundError:
                continue  # deleted since the listing: not part of this snapshot
            except OSError:
                try:
                    shutil.copy2(source, copy)
                except FileNotFoundError:
                    continue
            names.append(relative)
    return names


def default_output() -> Path:
    return Path(current_app.config["BACKUP_DIR"]) / rules.archive_name(datetime.now(timezone.utc))


def create_backup(output: Path | None = None) -> BackupResult:
    started = time.monotonic()
    prune = output is None
    output = Path(output) if output else default_output()
    output.parent.mkdir(parents=True, exist_ok=True)
    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    created_at = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=upload_dir.parent) as work:
        work = Path(work)
        kind = database_kind()
        dump = work / rules.DUMP_NAMES[kind]
        dump.parent.mkdir(parents=True)
        dump_database(dump)
        uploads = work / UPLOADS_DIR
        uploads.mkdir()
        bucket = object_backend()
        if bucket is None:
            upload_names = _snapshot_uploads(upload_dir, uploads)
        else:
            upload_names = _snapshot_uploads(upload_dir, uploads, skip=is_stored_object_name)
            upload_names += _snapshot_objects(bucket, uploads)
            upload_names.sort()
        member_paths = {rules.DUMP_NAMES[kind]: dump}
        member_paths.update({rules.upload_member_name(name): uploads / name for name in upload_names})
        members = []
        for name, path in member_paths.items():
            hasher = _hash_file(path)
            members.append(rules.Member(name, hasher.size, hasher.hexdigest()))
        manifest = rules.build_manifest(
            app_version=app_version(), created_at=created_at, database_kind=kind,
            database_schema=postgres_schema() if kind is DatabaseKind.POSTGRESQL else None,
            members=members)
        partial = output.with_name(output.name + ".partial")
        try:
            _write_archive(partial, manifest, member_paths)
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    pruned = prune_archives(output.parent) if prune else []
    return BackupResult(output, manifest, output.stat().st_size, time.monotonic() - started, pruned)


def _write_archive(path: Path, manifest: dict, member_paths: dict) -> None:
    raw = rules.manifest_bytes(manifest)
    with open(path, "wb") as fh:
        with tarfile.open(fileobj=fh, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size, info.mtime, info.mode = len(raw), int(time.time()), 0o644
            tar.addfile(info, io.BytesIO(raw))
            for name, member_path in member_paths.items():
                # Plain members only (tar.add would store a second link to one file as a link).
                stat = member_path.stat()
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o644
                with open(member_path, "rb") as member_file:
                    tar.addfile(info, member_file)
        fh.flush()
        os.fsync(fh.fileno())


def prune_archives(folder: Path) -> list[str]:
    keep = int(current_app.config["BACKUP_KEEP"])
    doomed = rules.archives_to_prune(os.listdir(folder), keep)
    for name in doomed:
        (folder / name).unlink(missing_ok=True)
    return doomed


def list_archives() -> list[Path]:
    folder = Path(current_app.config["BACKUP_DIR"])
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if rules.is_archive_name(p.name))


def extract_verified(archive: Path, staging: Path) -> dict:
    """Extract into `staging` while hashing; raises ArchiveRejected unless every member
    listed in the manifest is there, whole, and nothing else is."""
    found = {}
    try:
        with tarfile.open(archive, mode="r|gz") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST_NAME or not first.isfile():
                raise ArchiveRejected("the archive does not start with its manifest")
            manifest = rules.parse_manifest(tar.extractfile(first).read())
            expected = rules.manifest_members(manifest)
            while (member := tar.next()) is not None:
                rules.check_member_name(member.name)
                if not member.isfile():
                    raise ArchiveRejected(f"member {member.name!r} is not a regular file")
                if member.name in found:
                    raise ArchiveRejected(f"member {member.name!r} appears twice")
                target = staging / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                hasher = rules.Hasher()
                source = tar.extractfile(member)
                with open(target, "wb") as out:
                    while chunk := source.read(rules.CHUNK_SIZE):
                        hasher.update(chunk)
                        out.write(chunk)
                found[member.name] = rules.Member(member.name, hasher.size, hasher.hexdigest())
    except (tarfile.TarError, EOFError, zlib.error, UnicodeDecodeError) as error:
        raise ArchiveRejected(f"the archive is damaged or truncated ({error})") from None
    rules.compare_members(expected, found)
    return manifest


def site_contents() -> tuple[int, int]:
    """(rows in the site's tables, files in the upload folder) — both 0 for an empty site."""
    inspector = sa.inspect(db.engine)
    existing = set(inspector.get_table_names())
    rows = 0
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in existing:
                rows += conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    files = sum(len(names) for _root, _dirs, names in os.walk(upload_dir)) if upload_dir.is_dir() else 0
    bucket = object_backend()
    if bucket is not None:
        files += sum(1 for name, _ in bucket.walk() if is_stored_object_name(name))
    return rows, files


def sqlite_integrity(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _restore_sqlite(dump: Path) -> str:
    integrity = sqlite_integrity(dump)
    if integrity != "ok":
        raise ArchiveRejected(f"the database in the archive fails integrity_check: {integrity}")
    live = sqlite_path()
    live.parent.mkdir(parents=True, exist_ok=True)
    incoming = live.with_name(live.name + ".restoring")
    shutil.copyfile(dump, incoming)
    with open(incoming, "rb+") as fh:
        os.fsync(fh.fileno())
    db.session.remove()
    db.engine.dispose()
    # A WAL left by the old file would be replayed onto the new one: remove it first.
    for suffix in ("-wal", "-shm", "-journal"):
        live.with_name(live.name + suffix).unlink(missing_ok=True)
    os.replace(incoming, live)
    _fsync_dir(live.parent)
    return sqlite_integrity(live)


def _restore_postgres(dump: Path, source_schema: str) -> str:
    target_schema = postgres_schema()
    db.session.remove()
    db.engine.dispose()
    script = _run_tool(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl",
                        "--file=-", str(dump)]).stdout.decode("utf-8")
    script = rules.rename_schema_in_script(script, source_schema, target_schema)
    # One transaction: the schema is either wholly replaced or left as it was.
    _run_tool(["psql", "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1",
               "--file=-"], input=script.encode("utf-8"))
    return ""


def _replace_objects(backend, staged: Path) -> None:
    """Put the archive's photos into the bucket, then remove the bucket's photos it does not
    hold. (A bucket has no atomic swap: a restore cut short is finished by running it again.)
    The photo files leave `staged`, so only the rest goes to UPLOAD_DIR."""
    kept = set()
    if staged.is_dir():
        for path in sorted(staged.rglob("*")):
            name = path.relative_to(staged).as_posix()
            if path.is_file() and is_stored_object_name(name):
                backend.put(name, path.read_bytes())
                path.unlink()
                kept.add(name)
    for name, _modified in list(backend.walk()):
        if is_stored_object_name(name) and name not in kept:
            backend.delete(name)


def _replace_uploads(staged: Path) -> None:
    live = Path(current_app.config["UPLOAD_DIR"])
    incoming = live.with_name(live.name + ".restoring")
    retired = live.with_name(live.name + ".replaced")
    for leftover in (incoming, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    if staged.is_dir():
        os.rename(staged, incoming)  # the staging folder sits next to UPLOAD_DIR: same file system
    else:
        incoming.mkdir()
    if live.exists():
        os.rename(live, retired)
    os.rename(incoming, live)
    shutil.rmtree(retired, ignore_errors=True)


def restore_backup(archive: Path, overwrite: bool = False) -> RestoreResult:
    """Verify the whole archive, then replace the database and the uploads with its contents."""
    started = time.monotonic()
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"no such file: {archive}")
    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=upload_dir.parent) as staging:
        staging = Path(staging)
        manifest = extract_verified(archive, staging)
        kind = DatabaseKind(manifest["database"]["kind"])
        if kind is not database_kind():
            raise SiteMismatch(kind, database_kind())
        rows, files = site_contents()
        if (rows or files) and not overwrite:
            raise SiteNotEmpty(rows, files)
        dump = staging / rules.DUMP_NAMES[kind]
        if kind is DatabaseKind.SQLITE:
            integrity = _restore_sqlite(dump)
        else:
            integrity = _restore_postgres(dump, manifest["database"]["schema"])
        bucket = object_backend()
        if bucket is not None:
            _replace_objects(bucket, staging / UPLOADS_DIR)
        _replace_uploads(staging / UPLOADS_DIR)
    return RestoreResult(manifest, integrity, time.monotonic() - started)


class SiteNotEmpty(BackupError):
    def __init__(self, rows: int, files: int):
        super().__init__(f"the site holds {rows} rows and {files} uploaded files")
        self.rows, self.files = rows, files


class SiteMismatch(BackupError):
    def __init__(self, archive_kind: DatabaseKind, site_kind: DatabaseKind):
        super().__init__(f"the archive holds a {archive_kind} database, the site uses {site_kind}")
        self.archive_kind, self.site_kind = archive_kind, site_kind
