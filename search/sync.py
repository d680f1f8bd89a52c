"""Keeping the search index consistent with the database (security.md §4).

The database is the truth. A session hook collects which products, producers,
certificates and photos a flush touched; after the COMMIT the affected
products are reindexed under Whoosh's writer lock (``writer(timeout=…)`` plus a
few retries), so gunicorn workers write one at a time. If the lock stays busy
or anything fails, the work is appended to a pending journal in the index
directory and a later save, search or ``flask search rebuild --if-needed``
catches up: a save never fails because of the index.

``rebuild`` writes a complete new index version and swaps it in. While it runs
a flag file makes every worker also journal its changes, and the rebuild
applies that journal to the new version before and after removing the flag, so
no change committed during the build is lost.
"""
import logging
import os
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import current_app, has_app_context
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, selectinload

from extensions import db
from search.documents import product_document, public_rows_query, row_document
from search.engine import IndexBusy, IndexStore, IndexUnavailable

log = logging.getLogger(__name__)
PENDING = "pending.log"
REBUILD_FLAG = "rebuilding"
STALE_FLAG_SECONDS = 3600
_BATCH = 500
_stores, _stores_lock = OrderedDict(), threading.Lock()
MAX_STORES = 8  # index roots kept open per process (tests create one per app)
_rebuild_threads = {}


@dataclass
class Changes:
    products: set = field(default_factory=set)  # reindex or drop
    deleted: set = field(default_factory=set)  # product rows removed
    producers: set = field(default_factory=set)  # every product of these producers

    def __bool__(self):
        return bool(self.products or self.deleted or self.producers)

    def lines(self) -> list:
        return ([f"p {i}" for i in sorted(self.products)] + [f"d {i}" for i in sorted(self.deleted)]
                + [f"r {i}" for i in sorted(self.producers)])

    def add_line(self, line: str) -> None:
        kind, _, value = line.partition(" ")
        if value.strip().isdigit():
            {"p": self.products, "d": self.deleted, "r": self.producers}.get(kind, set()).add(int(value))


def store(app=None) -> IndexStore:
    """This process's IndexStore for the app's SEARCH_INDEX_DIR."""
    config = (app or current_app).config
    root = config["SEARCH_INDEX_DIR"]
    with _stores_lock:
        if root not in _stores:
            _stores[root] = IndexStore(root, cache_bytes=int(config.get("SEARCH_CACHE_MB", 32)) << 20)
            while len(_stores) > MAX_STORES:
                _stores.popitem(last=False)[1].close()
        _stores.move_to_end(root)
        return _stores[root]


# --- Collecting changes --------------------------------------------------------------

def register_session_hooks() -> None:
    if getattr(register_session_hooks, "done", False):
        return
    event.listen(db.session, "after_flush", _collect)
    event.listen(db.session, "after_commit", _after_commit)
    event.listen(db.session, "after_rollback", _forget)
    register_session_hooks.done = True


def _collect(session, _flush_context) -> None:
    from catalog.models import Product, ProductPhoto
    from producers.models import Certificate, Producer

    changes = session.info.setdefault("search_changes", Changes())
    for state, objects in (("upsert", session.new), ("upsert", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if isinstance(obj, Product) and obj.id is not None:
                (changes.deleted if state == "delete" else changes.products).add(obj.id)
            elif isinstance(obj, ProductPhoto) and obj.product_id is not None:
                changes.products.add(obj.product_id)
            elif isinstance(obj, Producer) and obj.id is not None:
                changes.producers.add(obj.id)
            elif isinstance(obj, Certificate) and obj.producer_id is not None:
                changes.producers.add(obj.producer_id)  # stars of any product of its producer


def _forget(session) -> None:
    session.info.pop("search_changes", None)


def _after_commit(session) -> None:
    changes = session.info.pop("search_changes", None)
    if not changes or not has_app_context() or not current_app.config.get("SEARCH_SYNC", True):
        return
    if store().current_path() is None:
        journal(changes)  # no index yet: the coming build reads these rows anyway
        return
    try:
        apply_changes(changes)
    except (IndexBusy, IndexUnavailable) as error:  # a save never fails because of the index
        log.info("search index not updated (%r); journalled for catch-up", error)
        journal(changes)
        return
    except Exception:
        log.exception("search index update failed; journalled for catch-up")
        journal(changes)
        return
    catch_up(wait=False)


# --- Writing ----------------------------------------------------------------------------

def _load_products(session, changes: Changes) -> list:
    from catalog.models import Product

    conditions = []
    if changes.products:
        conditions.append(Product.id.in_(sorted(changes.products)))
    if changes.producers:
        conditions.append(Product.producer_id.in_(sorted(changes.producers)))
    if not conditions:
        return []
    query = (select(Product).where(db.or_(*conditions))
             .options(selectinload(Product.producer), selectinload(Product.certificate)))
    return list(session.scalars(query))


def apply_changes(changes: Changes, *, timeout=None, retries=None) -> None:
    """Reindex what changed; IndexBusy/IndexUnavailable when it could not."""
    config = current_app.config
    if os.path.exists(_path(REBUILD_FLAG)):
        journal(changes)  # the version being built may have read the rows before this commit
    with Session(db.engine) as session:  # the committing session may not emit SQL any more
        products = _load_products(session, changes)
        documents = [doc for doc in map(product_document, products) if doc is not None]
        shown = {doc.id for doc in documents}
        dropped = {str(p.id) for p in products if str(p.id) not in shown}
    store().apply(upserts=documents, deletes=dropped | {str(i) for i in changes.deleted},
                  delete_producers=[str(i) for i in changes.producers],
                  timeout=config.get("SEARCH_WRITER_TIMEOUT", 0.5) if timeout is None else timeout,
                  retries=config.get("SEARCH_WRITER_RETRIES", 3) if retries is None else retries,
                  backoff=config.get("SEARCH_WRITER_BACKOFF", 0.2))


def _path(name: str) -> str:
    return os.path.join(current_app.config["SEARCH_INDEX_DIR"], name)


def journal(changes: Changes) -> None:
    """Append pending work; O_APPEND keeps lines from several workers whole."""
    if not changes:
        return
    os.makedirs(current_app.config["SEARCH_INDEX_DIR"], exist_ok=True)
    data = "".join(line + "\n" for line in changes.lines()).encode("ascii")
    fd = os.open(_path(PENDING), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def pending_count() -> int:
    try:
        with open(_path(PENDING), encoding="ascii") as fh:
            return sum(1 for _ in fh)
    except FileNotFoundError:
        return 0


def catch_up(wait: bool = True, during_rebuild: bool = False) -> bool:
    """Apply the pending journal. Returns True when nothing is left pending.

    ``wait=False`` (inside requests) gives up at once if another process holds
    the writer lock: whoever comes next tries again.
    """
    if not os.path.exists(_path(PENDING)):
        return True
    if os.path.exists(_path(REBUILD_FLAG)) and not during_rebuild or store().current_path() is None:
        return False
    claimed = _path(f"{PENDING}.{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        os.rename(_path(PENDING), claimed)  # atomic: one process takes each batch
    except FileNotFoundError:
        return True
    changes = Changes()
    with open(claimed, encoding="ascii") as fh:
        for line in fh:
            changes.add_line(line.strip())
    try:
        if wait:
            apply_changes(changes)
        else:
            apply_changes(changes, timeout=0.0, retries=0)
    except (IndexBusy, IndexUnavailable, OSError) as error:
        log.info("search catch-up postponed: %r", error)
        journal(changes)
        return False
    finally:
        os.unlink(claimed)
    return not os.path.exists(_path(PENDING))


# --- Rebuilding -------------------------------------------------------------------------

class RebuildRunning(Exception):
    """Another process is already building a new index version."""


def public_count() -> int:
    from catalog.models import Product

    return db.session.scalar(select(func.count()).select_from(Product.public().subquery()))


def _documents(session):
    for row in session.execute(public_rows_query().execution_options(yield_per=_BATCH)):
        yield row_document(row)


def _take_flag() -> None:
    path = _path(REBUILD_FLAG)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        if time.time() - os.path.getmtime(path) < STALE_FLAG_SECONDS:
            raise RebuildRunning(path) from None
        os.unlink(path)  # left by a build that died: take over
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(f"{os.getpid()} {time.time():.0f}\n")


def rebuild(progress=None) -> int:
    """Build a new version from the database and swap it in; returns its size."""
    _take_flag()
    try:
        # Changes journalled before the flag were committed before this build
        # starts reading, so the build has them: only later ones need replaying.
        try:
            os.unlink(_path(PENDING))
        except FileNotFoundError:
            pass
        with Session(db.engine) as session:
            store().build(_documents(session), progress=progress)
        catch_up(during_rebuild=True)
    finally:
        try:
            os.unlink(_path(REBUILD_FLAG))
        except FileNotFoundError:
            pass
    catch_up()
    return store().health().doc_count


def needs_rebuild() -> str:
    """Why the index must be rebuilt ('' when it is sound and complete)."""
    health = store().health()
    if not health.ok:
        return health.reason
    expected = public_count()
    if health.doc_count + pending_count() < expected or (not pending_count() and health.doc_count != expected):
        return f"count mismatch: index {health.doc_count}, database {expected}"
    return ""


def recover(app) -> None:
    """After a failed search: if the index is really missing or damaged, rebuild
    it (in the background unless SEARCH_REBUILD_IN_BACKGROUND is False)."""
    if store(app).health().ok or os.path.exists(os.path.join(app.config["SEARCH_INDEX_DIR"], REBUILD_FLAG)):
        return
    if not app.config.get("SEARCH_REBUILD_IN_BACKGROUND", True):
        _rebuild_quietly(app)
        return
    root = app.config["SEARCH_INDEX_DIR"]
    running = _rebuild_threads.get(root)
    if running is not None and running.is_alive():
        return
    thread = threading.Thread(target=_rebuild_quietly, args=(app,), name="search-rebuild", daemon=True)
    _rebuild_threads[root] = thread
    thread.start()


def _rebuild_quietly(app) -> None:
    with app.app_context():
        try:
            rebuild()
        except RebuildRunning:
            pass
        except Exception:
            log.exception("search index rebuild failed")


def rebuild_running() -> bool:
    return os.path.exists(_path(REBUILD_FLAG))
