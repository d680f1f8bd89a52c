"""Decode and re-encode the photos of the next rows in worker processes, ahead of the rows.

Re-encoding a photo (media.images.process_upload: decoded, size-limited, written as WebP
renditions) is the one slow step of an import with photos, and it uses one core. The importer
submits the photos of the next rows a chunk ahead; they are read here and re-encoded by a pool
of ``os.cpu_count()`` processes while the rows before them are written. Small imports
(a few photos) are processed in this process: starting workers would cost more than it saves.
The checks are the same wherever it runs: workers call the same process_upload.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor

from media.images import ImageRejected, ProcessedImage, process_upload

from .archive import PhotoLibrary
from .messages import CellProblem

POOL_MIN_PHOTOS = 6  # fewer photos than this are re-encoded here, without workers
CHUNK_PHOTOS = 24  # photos read and re-encoded ahead at a time
CHUNK_BYTES = 64 * 1024 * 1024  # and at most this many bytes of photo files held


def encode(data: bytes):
    """("ok", ProcessedImage) or ("rejected", code, params): what a worker sends back (an
    ImageRejected with keyword parameters does not survive pickling as it is)."""
    try:
        return ("ok", process_upload(data))
    except ImageRejected as error:
        return ("rejected", error.code, dict(error.params))


def as_outcome(result) -> ProcessedImage | ImageRejected:
    if result[0] == "ok":
        return result[1]
    return ImageRejected(result[1], **result[2])


class PhotoWork:
    """Photos read and re-encoded ahead, a chunk at a time: `submit` starts a chunk, `wait_next`
    waits for the oldest one and makes its results available to `take`, while the chunks
    submitted after it keep the workers busy. A result is (bytes, ProcessedImage or
    ImageRejected), or (None, CellProblem) for a file the library could not give."""

    def __init__(self, library: PhotoLibrary, workers: int | None = None):
        self.library = library
        self.workers = workers or os.cpu_count() or 1
        self.ready: dict[str, tuple] = {}
        self._chunks: deque[dict[str, tuple]] = deque()
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, names) -> None:
        """Read `names` (the photos of the next rows) and start re-encoding them."""
        chunk: dict[str, tuple] = {}
        held = 0
        for name in dict.fromkeys(names):
            if held > CHUNK_BYTES:
                break  # the rest is read when its row comes (photos may be 20 MB each)
            try:
                data = self.library.read(name)
            except CellProblem as problem:
                chunk[name] = (None, problem)
                continue
            held += len(data)
            chunk[name] = (data, None)
        waiting = [name for name, (data, _) in chunk.items() if data is not None]
        if self._pool is None and len(waiting) < POOL_MIN_PHOTOS:
            for name in waiting:
                chunk[name] = (chunk[name][0], as_outcome(encode(chunk[name][0])))
        else:
            pool = self._executor()
            for name in waiting:
                chunk[name] = (chunk[name][0], pool.submit(encode, chunk[name][0]))
        self._chunks.append(chunk)

    def wait_next(self) -> None:
        """Wait for the oldest submitted chunk; what was ready before and not used is dropped."""
        chunk = self._chunks.popleft() if self._chunks else {}
        self.ready = {name: (data, as_outcome(outcome.result()) if isinstance(outcome, Future) else outcome)
                      for name, (data, outcome) in chunk.items()}

    def take(self, name: str):
        """(bytes, outcome) prepared for `name`, or None when it was not prepared."""
        return self.ready.pop(name, None)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # fork: a worker starts at once with process_upload loaded, and never runs the
            # program's main module again (spawn does, and a script without a main guard would
            # start over). Workers only re-encode bytes: they never touch the database
            # connections or threads they inherit, and leave with os._exit.
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return self._pool

    def close(self) -> None:
        self.ready, self._chunks = {}, deque()
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def upcoming_names(records, limit_photos: int = CHUNK_PHOTOS) -> tuple[list[str], int]:
    """The photo names of the next records, stopping once `limit_photos` are gathered;
    returns (names, how many records they cover)."""
    names, used = [], 0
    for record in records:
        names.extend(record.image_names if record is not None else ())
        used += 1
        if len(names) >= limit_photos:
            break
    return names, used
