"""ZIP archives checked before anything is unpacked, and the photos a sheet names.

Pure module. A ZIP is refused as a whole when a member name is absolute or climbs out with
'..' (zip slip), when it is encrypted, holds too many members, would unpack to more than the
cap, or compresses a large member suspiciously well (a zip bomb). Sizes come from the central
directory; zipfile never returns more bytes than a member declares, so the caps hold.

Photos are looked up by the names in the `images` column: inside the ZIP (relative to the
sheet's folder, then to the archive root, then by a unique file name anywhere), or for the
command line in the sheet's folder, never outside it (symbolic links included).
"""
from __future__ import annotations

import os
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from media.images import DEFAULT_MAX_BYTES
from vntext import nfc

from .messages import WARNING, CellProblem, ImportFileError

MB = 1024 * 1024
MAX_PHOTO_BYTES = DEFAULT_MAX_BYTES
_DRIVE = re.compile(r"^[A-Za-z]:")
# Files that archivers and file managers add beside the real content.
_JUNK_PARTS = ("__MACOSX",)
_JUNK_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 60_000  # a ZIP export of 10,000 products with photos holds ~20,000 files
    max_total_bytes: int = 500 * MB
    max_ratio: int = 100
    ratio_floor: int = MB  # smaller members may compress as well as they like


def safe_member_name(name: str) -> str | None:
    """The name as a clean relative POSIX path, or None when it is absolute or climbs out."""
    text = nfc(name).replace("\\", "/")
    if not text or text.startswith("/") or _DRIVE.match(text) or "\x00" in text:
        return None
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def is_junk(path: str) -> bool:
    parts = path.split("/")
    return any(part in _JUNK_PARTS for part in parts) or parts[-1] in _JUNK_NAMES or parts[-1].startswith("._")


def check_zip(archive: zipfile.ZipFile, limits: ZipLimits = ZipLimits()) -> list[zipfile.ZipInfo]:
    """The archive's members after every safety check; raises ImportFileError."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise ImportFileError("zip_too_many_files", max=limits.max_members)
    total = 0
    for member in members:
        if safe_member_name(member.filename) is None:
            raise ImportFileError("zip_unsafe_name", name=member.filename[:120])
        if member.flag_bits & 0x1:
            raise ImportFileError("zip_encrypted")
        total += member.file_size
        if total > limits.max_total_bytes:
            raise ImportFileError("zip_too_big", max_mb=limits.max_total_bytes // MB)
        if member.file_size > limits.ratio_floor and (
                member.compress_size == 0 or member.file_size / member.compress_size > limits.max_ratio):
            raise ImportFileError("zip_bomb", name=member.filename[:120])
    return members


def _lookup_key(path: str) -> str:
    return nfc(path).casefold()


class PhotoLibrary:
    """Where the photos named by a sheet are read from. `read` raises CellProblem warnings."""

    def read(self, name: str) -> bytes:
        raise CellProblem("photo_missing", WARNING, name=name)


class NoPhotos(PhotoLibrary):
    """A sheet uploaded alone on the web: photos can only come inside a ZIP."""


class ZipPhotos(PhotoLibrary):
    def __init__(self, archive: zipfile.ZipFile, members, sheet_folder: str = ""):
        self.archive = archive
        self.folder = sheet_folder
        self.by_path: dict[str, zipfile.ZipInfo] = {}
        self.by_name: dict[str, list[zipfile.ZipInfo]] = {}
        for member in members:
            path = safe_member_name(member.filename)
            if member.is_dir() or path is None or is_junk(path):
                continue
            self.by_path[_lookup_key(path)] = member
            self.by_name.setdefault(_lookup_key(posixpath.basename(path)), []).append(member)

    def read(self, name: str) -> bytes:
        wanted = safe_member_name(name)
        if wanted is None:
            raise CellProblem("photo_name_unsafe", WARNING, name=name)
        member = self._find(wanted, name)
        if member.file_size > MAX_PHOTO_BYTES:
            raise CellProblem("photo_too_large", WARNING, name=name, max_mb=MAX_PHOTO_BYTES // MB)
        try:
            return self.archive.read(member)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise CellProblem("photo_rejected", WARNING, name=name, reason="truncated", image_code="truncated",
                              image_params={}) from None

    def _find(self, wanted: str, name: str) -> zipfile.ZipInfo:
        for candidate in (posixpath.join(self.folder, wanted) if self.folder else wanted, wanted):
            member = self.by_path.get(_lookup_key(candidate))
            if member is not None:
                return member
        if "/" not in wanted:
            same_name = self.by_name.get(_lookup_key(wanted), [])
            if len(same_name) == 1:
                return same_name[0]
            if len(same_name) > 1:
                raise CellProblem("photo_ambiguous", WARNING, name=name)
        raise CellProblem("photo_missing", WARNING, name=name)


class FolderPhotos(PhotoLibrary):
    """Photos beside a sheet on disk (the command line): the folder and its subfolders only."""

    def __init__(self, folder: str | os.PathLike):
        self.root = Path(folder).resolve()
        self._listings: dict[Path, dict[str, str]] = {}

    def read(self, name: str) -> bytes:
        wanted = safe_member_name(name)
        if wanted is None:
            raise CellProblem("photo_name_unsafe", WARNING, name=name)
        path = self._existing(self.root / wanted)
        if path is None:
            raise CellProblem("photo_missing", WARNING, name=name)
        resolved = path.resolve()
        if not resolved.is_relative_to(self.root):
            raise CellProblem("photo_name_unsafe", WARNING, name=name)
        try:
            if resolved.stat().st_size > MAX_PHOTO_BYTES:
                raise CellProblem("photo_too_large", WARNING, name=name, max_mb=MAX_PHOTO_BYTES // MB)
            return resolved.read_bytes()
        except OSError:
            raise CellProblem("photo_missing", WARNING, name=name) from None

    def _existing(self, path: Path) -> Path | None:
        """The file, also when its name differs in case or Unicode form (Windows, macOS)."""
        if path.is_file():
            return path
        parent = path.parent
        if not parent.is_dir():
            return None
        if parent not in self._listings:
            self._listings[parent] = {_lookup_key(entry): entry for entry in os.listdir(parent)}
        entry = self._listings[parent].get(_lookup_key(path.name))
        return parent / entry if entry is not None and (parent / entry).is_file() else None
