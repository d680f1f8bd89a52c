"""Uploads that survive a dropped 3G connection: a file arrives in pieces and resumes where
it stopped. Pure: files only, no Flask.

The protocol follows the shape of tus 1.0 (tus.io/protocols/resumable-upload: a creation
step, then PATCH requests carrying `Upload-Offset`, and HEAD to ask how much arrived): each
piece must start exactly where the stored bytes end, so a piece sent twice after a timeout
is refused rather than written twice, and the client asks for the offset and goes on.

Parts live under `<root>/<owner>/<id>.part` with a small JSON sidecar; only their owner can
add to them or use them. Unfinished parts older than a day are removed by `remove_stale`.
"""
from __future__ import annotations

import json
import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ID_PATTERN = re.compile(r"[0-9a-f]{32}")
STALE_SECONDS = 24 * 3600


class PartialUploadError(Exception):
    """`code` says why: unknown, too_large, bad_offset, incomplete."""

    def __init__(self, code: str, offset: int = 0):
        super().__init__(code)
        self.code, self.offset = code, offset


@dataclass(frozen=True)
class PartialUpload:
    id: str
    name: str
    content_type: str
    size: int  # announced total
    offset: int  # bytes stored so far
    path: Path

    @property
    def complete(self) -> bool:
        return self.offset == self.size


class PartialStore:
    def __init__(self, root, max_size: int):
        self.root, self.max_size = Path(root), max_size

    def _paths(self, owner: int, upload_id: str):
        if not ID_PATTERN.fullmatch(upload_id or "") or not isinstance(owner, int):
            raise PartialUploadError("unknown")
        folder = self.root / str(owner)
        return folder / f"{upload_id}.part", folder / f"{upload_id}.json"

    def start(self, owner: int, name: str, content_type: str, size: int) -> PartialUpload:
        if not isinstance(size, int) or size <= 0 or size > self.max_size:
            raise PartialUploadError("too_large")
        upload_id = uuid.uuid4().hex
        data, meta = self._paths(owner, upload_id)
        data.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps({"name": str(name)[:200], "type": str(content_type)[:100], "size": size}))
        data.touch()
        return self.get(owner, upload_id)

    def get(self, owner: int, upload_id: str) -> PartialUpload:
        data, meta = self._paths(owner, upload_id)
        try:
            info = json.loads(meta.read_text())
            offset = data.stat().st_size
        except (FileNotFoundError, ValueError):
            raise PartialUploadError("unknown") from None
        return PartialUpload(upload_id, info["name"], info["type"], info["size"], offset, data)

    def append(self, owner: int, upload_id: str, offset: int, chunk: bytes) -> PartialUpload:
        upload = self.get(owner, upload_id)
        if offset != upload.offset:
            raise PartialUploadError("bad_offset", upload.offset)
        if upload.offset + len(chunk) > upload.size:
            raise PartialUploadError("too_large", upload.offset)
        with open(upload.path, "ab") as handle:
            handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        return self.get(owner, upload_id)

    def finished(self, owner: int, upload_id: str) -> PartialUpload:
        upload = self.get(owner, upload_id)
        if not upload.complete:
            raise PartialUploadError("incomplete", upload.offset)
        return upload

    def discard(self, owner: int, upload_id: str) -> None:
        for path in self._paths(owner, upload_id):
            path.unlink(missing_ok=True)

    def remove_stale(self, older_than: float = STALE_SECONDS, now: float | None = None) -> int:
        cutoff = (time.time() if now is None else now) - older_than
        removed = 0
        if not self.root.is_dir():
            return 0
        for folder in self.root.iterdir():
            for path in folder.glob("*.*") if folder.is_dir() else ():
                if path.suffix in (".part", ".json") and path.stat().st_mtime < cutoff:
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed
