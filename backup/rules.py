"""Pure rules of a backup archive: its layout, file name, manifest and checks.

An archive is a gzip'd tar whose FIRST member is `manifest.json`; then the database dump
under `database/` and every uploaded file under `uploads/`. The manifest lists every other
member with its size and SHA-256, so a restore can refuse a damaged archive before it
touches anything.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import PurePosixPath

from backup.constants import (ARCHIVE_PREFIX, ARCHIVE_SUFFIX, DATABASE_DIR, FORMAT_VERSION, MANIFEST_NAME,
                              UPLOADS_DIR, DatabaseKind)
CHUNK_SIZE = 1024 * 1024
_ARCHIVE_NAME = re.compile(re.escape(ARCHIVE_PREFIX) + r"\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}Z"
                           + re.escape(ARCHIVE_SUFFIX))
_SAFE_PART = re.compile(r"[A-Za-z0-9._-]+")


DUMP_NAMES = {
    DatabaseKind.SQLITE: f"{DATABASE_DIR}/choque.sqlite3",
    DatabaseKind.POSTGRESQL: f"{DATABASE_DIR}/choque.pgdump",
}


class ArchiveRejected(ValueError):
    """The archive cannot be trusted; `reason` says why (English, for the log and the CLI)."""


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    sha256: str


def archive_name(now: datetime) -> str:
    """A dated name that sorts by time: choque-backup-2026-12-03_16-10-00Z.tar.gz."""
    return ARCHIVE_PREFIX + now.astimezone(timezone.utc).strftime("%Y-%m-%d_%H-%M-%SZ") + ARCHIVE_SUFFIX


def is_archive_name(name: str) -> bool:
    return bool(_ARCHIVE_NAME.fullmatch(name))


def archives_to_prune(names, keep: int) -> list[str]:
    """The archive names beyond the newest `keep` (other files are never touched)."""
    ours = sorted(name for name in names if is_archive_name(name))
    return ours[:-keep] if keep > 0 else ours


def upload_member_name(relative_path: str) -> str:
    return f"{UPLOADS_DIR}/{PurePosixPath(relative_path).as_posix()}"


def check_member_name(name: str) -> None:
    """Only plain relative names made of safe parts: nothing can land outside the target."""
    parts = name.split("/")
    if name == MANIFEST_NAME:
        return
    if len(parts) < 2 or parts[0] not in (DATABASE_DIR, UPLOADS_DIR):
        raise ArchiveRejected(f"unexpected member {name!r}")
    if any(part in ("", ".", "..") or not _SAFE_PART.fullmatch(part) for part in parts):
        raise ArchiveRejected(f"unsafe member name {name!r}")


class Hasher:
    """SHA-256 and size of a stream of chunks."""

    def __init__(self):
        self._hash = hashlib.sha256()
        self.size = 0

    def update(self, chunk: bytes) -> None:
        self._hash.update(chunk)
        self.size += len(chunk)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def build_manifest(*, app_version: str, created_at: datetime, database_kind: DatabaseKind,
                   database_schema: str | None, members: list[Member]) -> dict:
    return {
        "format": FORMAT_VERSION,
        "app_version": app_version,
        "created_at": created_at.astimezone(timezone.utc).isoformat(timespec="seconds"),
        "database": {"kind": str(database_kind), "schema": database_schema,
                     "dump": DUMP_NAMES[database_kind]},
        "members": [{"name": m.name, "size": m.size, "sha256": m.sha256} for m in members],
    }


def manifest_bytes(manifest: dict) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def parse_manifest(raw: bytes) -> dict:
    """The manifest, checked for shape; raises ArchiveRejected."""
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArchiveRejected(f"manifest is not valid JSON ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise ArchiveRejected("manifest has an unknown format")
    try:
        kind = DatabaseKind(manifest["database"]["kind"])
        members = [Member(str(m["name"]), int(m["size"]), str(m["sha256"])) for m in manifest["members"]]
    except (KeyError, TypeError, ValueError):
        raise ArchiveRejected("manifest is incomplete") from None
    names = [m.name for m in members]
    if len(set(names)) != len(names):
        raise ArchiveRejected("manifest lists a member twice")
    for name in names:
        check_member_name(name)
    if DUMP_NAMES[kind] not in names:
        raise ArchiveRejected("manifest lists no database dump")
    return manifest


def manifest_members(manifest: dict) -> dict[str, Member]:
    return {m["name"]: Member(m["name"], int(m["size"]), m["sha256"]) for m in manifest["members"]}


def compare_members(expected: dict[str, Member], found: dict[str, Member]) -> None:
    """Every listed member present with the listed size and hash, and nothing else."""
    missing = sorted(set(expected) - set(found))
    if missing:
        raise ArchiveRejected(f"missing member {missing[0]!r} (archive truncated?)")
    extra = sorted(set(found) - set(expected))
    if extra:
        raise ArchiveRejected(f"member {extra[0]!r} is not in the manifest")
    for name, member in expected.items():
        if found[name].size != member.size or found[name].sha256 != member.sha256:
            raise ArchiveRejected(f"checksum mismatch for {name!r}")


def rename_schema_in_script(script: str, source: str, target: str) -> str:
    """Point a plain-SQL PostgreSQL dump of schema `source` at schema `target`.

    pg_dump qualifies every name with its schema and offers no option to change it, so the
    statements are rewritten; the data lines of COPY blocks are left exactly as they are.
    """
    if source == target:
        return script
    qualified = re.compile(r'(?<![\w"$])(?:"' + re.escape(source) + r'"|' + re.escape(source) + r")(?=\.)")
    schema_word = re.compile(r"(\bSCHEMA (?:IF EXISTS |IF NOT EXISTS )?)(?:\"" + re.escape(source)
                             + r"\"|" + re.escape(source) + r")(?![\w])")
    quoted_target = '"' + target.replace('"', '""') + '"'
    out, in_copy = [], False
    for line in script.splitlines(keepends=True):
        if in_copy:
            in_copy = line.rstrip("\r\n") != "\\."
            out.append(line)
            continue
        if line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;"):
            in_copy = True
        if line.startswith("--"):
            out.append(line)
            continue
        line = qualified.sub(quoted_target, line)
        out.append(schema_word.sub(lambda m: m.group(1) + quoted_target, line))
    return "".join(out)
