"""Whoosh behind one module: schema, index versions, writing, reading postings.

Besides ``search.analysis``, this module, ``search.index_writing`` and ``search.snapshot`` are
the only ones that import whoosh, so the frozen ``whoosh-reloaded`` package can be replaced
there alone. No Flask.

Layout under the index root (SEARCH_INDEX_DIR)::

    current -> index-20250101120000-ab12cd   (symlink, swapped atomically)
    index-20250101120000-ab12cd/             (one complete Whoosh index)
    index-20250101120000-ab12cd/changes.json (its position in the database's change log)
    changes.lock, build.lock                 (flock: one catch-up, one full build at a time)

Nothing the user types reaches a query parser: ``search.plan`` cuts the text
into words, this module looks each term up in the index and turns its posting
list into a bitset, and ``search.ranking`` matches and ranks with those. (Whoosh's
own matcher tree costs several Python calls per posting: 150 ms for one query
over 20,000 products; bitsets keep it to a few milliseconds.)

Three modules, all tied to Whoosh's internals: ``search.index_writing`` (schema,
a presence-only codec, a bulk writer and pool that skip Whoosh's per-posting
pipeline, the merge policy for saves), this one, ``IndexStore`` (the index's
lifecycle: versions, swap, ``apply`` under the writer lock, health, per-thread
snapshots), and ``search.snapshot`` (segment readers turned into bitsets).
"""
import fcntl
import gc
import os
import shutil
import threading
import time
import uuid
import warnings
from collections import OrderedDict
from contextlib import contextmanager

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.reading import SegmentReader

from search import querying
from search.bitsets import BitsetCache
from search.index_writing import BulkWriter, TermListPool, make_schema, merge_small_batches, presence_codec
from search.records import Health, SearchRequest, SearchResult
from search.snapshot import Snapshot, first_live

POINTER = "current"
VERSION_PREFIX = "index-"
POSITION = "changes.json"  # inside a version: where it stands in the database's change log
CHANGE_LOCK = "changes.lock"  # held while a process applies changes and records its position
BUILD_LOCK = "build.lock"  # held while a process builds a new version
SWAP_WAIT_SECONDS = 60.0  # a finished build waits this long for a running catch-up
TERM_CACHE_BYTES = 32 * 1024 * 1024  # per thread: posting bitsets of hot terms, per segment


class IndexUnavailable(Exception):
    """The index is missing or damaged; ``reason`` says which."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason, self.detail = reason, detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class IndexBusy(Exception):
    """Another process held the writer lock through every retry."""


class IndexStore:
    """An index root with versioned directories and per-thread cached snapshots."""

    def __init__(self, root: str, cache_bytes: int = TERM_CACHE_BYTES):
        self.root = os.path.abspath(root)
        self.cache_bytes = cache_bytes
        self._local = threading.local()
        self._threads, self._threads_lock = [], threading.Lock()  # each thread's state, for close()

    # --- Versions and writing ---------------------------------------------------------

    def current_path(self):
        try:
            target = os.readlink(os.path.join(self.root, POINTER))
        except OSError:
            return None
        path = os.path.join(self.root, target)
        return path if os.path.isdir(path) else None

    def open(self):
        path = self.current_path()
        if path is None:
            raise IndexUnavailable("missing", self.root)
        try:
            return whoosh_index.open_dir(path)
        except Exception as error:  # EmptyIndexError, unpickling, truncated TOC...
            raise _damaged(error) from None

    def build(self, documents, progress=None, position: str = "") -> str:
        """Write every document into a new version, then point ``current`` at it.
        ``position`` (opaque text) is recorded in the version before the swap."""
        os.makedirs(self.root, exist_ok=True)
        name = f"{VERSION_PREFIX}{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
        path = os.path.join(self.root, name)
        os.makedirs(path)
        try:
            writer = BulkWriter(whoosh_index.create_in(path, make_schema()))
            try:
                for document in documents:
                    writer.add_document(**document.fields())
                    if progress:
                        progress(1)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            if position:
                _write_atomically(os.path.join(path, POSITION), position)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        # Swap under the change lock: a catch-up reads the position, applies and records
        # it in one version, never half in the old version and half in the new one.
        with self.change_lock(timeout=SWAP_WAIT_SECONDS, retries=0) as locked:
            if not locked:
                shutil.rmtree(path, ignore_errors=True)
                raise IndexBusy(self.root)
            self._swap(name)
        return path

    # --- Change-log position ----------------------------------------------------------

    def read_position(self):
        """The text last recorded in the current version, or None (no index, or none recorded)."""
        path = self.current_path()
        if path is None:
            return None
        try:
            with open(os.path.join(path, POSITION), encoding="utf-8") as fh:
                return fh.read()
        except FileNotFoundError:
            return None

    def write_position(self, text: str) -> None:
        """Record the position in the current version (after its changes were committed)."""
        path = self.current_path()
        if path is None:
            raise IndexUnavailable("missing", self.root)
        _write_atomically(os.path.join(path, POSITION), text)

    def change_lock(self, timeout: float = 0.5, retries: int = 3, backoff: float = 0.2):
        """One process at a time applies changes and records its position.
        Yields False when it stayed busy."""
        return file_lock(os.path.join(self.root, CHANGE_LOCK), timeout, retries, backoff)

    def build_lock(self):
        """One full build at a time. Yields False when another is running."""
        return file_lock(os.path.join(self.root, BUILD_LOCK))

    def building(self) -> bool:
        with self.build_lock() as locked:
            return not locked

    def _swap(self, name: str) -> None:
        staging = os.path.join(self.root, f".{POINTER}-{uuid.uuid4().hex[:6]}")
        os.symlink(name, staging)
        os.replace(staging, os.path.join(self.root, POINTER))
        for entry in os.listdir(self.root):
            if entry.startswith(VERSION_PREFIX) and entry != name:
                shutil.rmtree(os.path.join(self.root, entry), ignore_errors=True)

    def apply(self, upserts=(), deletes=(), *, delete_producers=(), timeout: float = 0.5,
              retries: int = 3, backoff: float = 0.2) -> None:
        """Delete documents (by id, or every one of some producers), then add or
        replace ``upserts``, under Whoosh's writer lock.

        ``writer(timeout=…)`` waits for another process's writer; when every
        retry fails, IndexBusy tells the caller to keep the work as pending.
        """
        ix = self.open()
        for attempt in range(retries + 1):
            try:
                writer = ix.writer(timeout=timeout, codec=presence_codec())
                writer.pool = TermListPool()
                break
            except LockError:
                if attempt == retries:
                    raise IndexBusy(self.root) from None
                time.sleep(backoff * (2 ** attempt))
        try:
            # Whoosh's update_document/delete_by_term would open a reader on every
            # segment for each save; this thread's snapshot of the very TOC the
            # writer holds (open readers reused) finds the documents instead.
            snapshot = self._snapshot_for(ix, writer.segments, writer.generation - 1)
            replaced = [("producer", str(p)) for p in delete_producers] + [("id", str(d)) for d in deletes]
            replaced += [("id", document.id) for document in upserts]
            for docnum in sorted({d for name, value in replaced for d in snapshot.documents(name, value)}):
                writer.delete_document(docnum)
            for document in upserts:
                writer.add_document(**document.fields(with_source=True))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=merge_small_batches)

    def digests(self) -> dict:
        """id -> digest of every live document (None for documents written without one)."""
        snapshot = self.snapshot()
        live, found = snapshot.live, {}
        while live:
            docnum = first_live(live)
            live &= live - 1
            stored = snapshot.reader.stored_fields(docnum)
            found[stored["id"]] = stored.get("digest")
        return found

    def health(self) -> Health:
        """Open the current version and read a little of everything."""
        path = self.current_path() or ""
        try:
            snapshot = self.snapshot()
            count = snapshot.live.bit_count()
            for name in ("name", "name_f", "place_f", "ctx", "cat"):
                next(iter(snapshot.reader.lexicon(name)), None)
            snapshot.facet_bits(0)
            if count:
                snapshot.reader.stored_fields(first_live(snapshot.live))
        except IndexUnavailable as error:
            return Health(False, error.reason, path)
        except Exception as error:
            self.forget()
            return Health(False, _damaged(error).reason, path)
        return Health(True, "", path, count)

    # --- Reading ----------------------------------------------------------------------

    def snapshot(self) -> "Snapshot":
        """This thread's view of the index, rebuilt only when the index changed."""
        local = self._local
        path = self.current_path()
        if path is None:
            self.forget()
            raise IndexUnavailable("missing", self.root)
        try:
            current = getattr(local, "snapshot", None)
            if current is None or current.path != path:
                self.forget()
                local.path = path
            elif current.generation == current.index.latest_generation():
                return current
            ix = self.open()
            toc = ix._read_toc()
            local.snapshot = self._snapshot_for(ix, toc.segments, toc.generation)
        except IndexUnavailable:
            self.forget()
            raise
        except Exception as error:
            self.forget()
            raise _damaged(error) from None
        return local.snapshot

    def _snapshot_for(self, ix, segments, generation) -> "Snapshot":
        """A snapshot of these segments, reusing this thread's open segment readers.

        Deletions are taken from the segment list (the TOC), never from a reused
        reader: Whoosh's own ``Searcher.refresh()`` reuses readers with their old
        deletions (in whoosh-reloaded 2.7.5 an updated document came back twice).
        """
        local = self._local
        if "registered" not in local.__dict__:
            with self._threads_lock:
                local.registered = True
                self._threads.append(local.__dict__)
        if getattr(local, "path", None) != ix.storage.folder:
            self.forget()
            local.path = ix.storage.folder
        previous, readers = getattr(local, "readers", {}), {}
        for segment in segments:
            segment_id = segment.segment_id()
            readers[segment_id] = previous.pop(segment_id, None) or SegmentReader(
                ix.storage, ix.schema, segment, generation=generation)
        for stale in previous.values():
            stale.close()
        local.readers = readers
        if not hasattr(local, "terms"):
            local.segments, local.terms = OrderedDict(), BitsetCache(self.cache_bytes)
        local.snapshot = Snapshot(ix, generation, [(readers[s.segment_id()], s) for s in segments],
                                  local.segments, local.terms)
        return local.snapshot

    def forget(self) -> None:
        """Close this thread's readers (the index moved, or reading failed)."""
        _close_state(self._local.__dict__)

    def close(self) -> None:
        """Close every thread's readers (when this store is no longer used)."""
        with self._threads_lock:
            states, self._threads = self._threads, []
        for state in states:
            _close_state(state)
            state.pop("registered", None)

    def _guarded(self, method, *args):
        try:
            return method(self.snapshot(), *args)
        except IndexUnavailable:
            raise
        except Exception as error:  # a damaged segment surfaces while reading
            self.forget()
            raise _damaged(error) from None

    def search(self, request: SearchRequest) -> SearchResult:
        return self._guarded(querying.search, request)

    def suggest(self, text: str, limit: int = 8) -> list:
        return self._guarded(querying.suggest, text, limit)


def _close_state(state: dict) -> None:
    for reader in state.get("readers", {}).values():
        try:
            reader.close()
        except Exception:
            pass
    for name in ("snapshot", "readers", "path", "segments", "terms"):
        state.pop(name, None)


def _damaged(error: Exception) -> IndexUnavailable:
    """IndexUnavailable for a damaged index, releasing what the failed read held.

    Whoosh leaves the file it was reading open when a truncated segment makes it
    fail; dropping the traceback (and collecting now, warnings muted) closes it
    here instead of as a ResourceWarning at some random later moment.
    """
    detail = repr(error)[:300]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        chained = error
        while chained is not None:
            chained.__traceback__ = None
            chained = chained.__context__ or chained.__cause__
        gc.collect()
    return IndexUnavailable("damaged", detail)


@contextmanager
def file_lock(path: str, timeout: float = 0.0, retries: int = 0, backoff: float = 0.0):
    """An exclusive ``flock`` on ``path``, tried for ``timeout`` seconds, then again
    after ``backoff`` (doubling) ``retries`` times; yields whether it was taken.
    The kernel frees it when the holder dies, so a crash never leaves it behind."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        locked = False
        for attempt in range(retries + 1):
            deadline = time.monotonic() + timeout
            while not locked:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    locked = True
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        break
                    time.sleep(0.01)
            if locked or attempt == retries:
                break
            time.sleep(backoff * (2 ** attempt))
        yield locked
    finally:
        os.close(fd)  # closing releases the lock


def _write_atomically(path: str, text: str) -> None:
    """Whole or not at all. No fsync: a killed process leaves its writes in the page
    cache, and Whoosh does not fsync its segments either, so after a power loss the
    start-up content check (``flask search rebuild --if-needed``) is what repairs."""
    staging = f"{path}.{uuid.uuid4().hex[:6]}"
    with open(staging, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(staging, path)
