"""Keeping the search index consistent with the database.

The database is the truth, and its change log (``search.changes``) says what
changed: triggers write a row per touched product in the committing
transaction itself. The index follows the log: after a commit that touched the
catalogue, before every search, and at start, ``catch_up`` reads the rows past
the index's recorded position, re-reads those products as they are now,
rewrites their documents and records the new position inside the index. Each
step may die: rows already applied are applied again (idempotent), rows not
yet applied are still in the database. A save never fails because of the index.

Every process (or host) with its own index follows the log on its own, under a
``flock`` per index root, so several gunicorn workers sharing one index take
turns and several servers each keep theirs.

``rebuild`` notes the log position first, then writes a complete new version
from the database with that position recorded in it, swaps it in and catches
up: anything committed while it ran is applied from the log.
"""
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlalchemy import event, func, select

from catalog.constants import BULK_WRITE_SESSION_FLAG
from extensions import db
from search import changes
from search.changes import LogPosition
from search.documents import public_rows_query, row_document
from search.engine import IndexBusy, IndexStore, IndexUnavailable

log = logging.getLogger(__name__)
_BATCH = 500
_stores, _stores_lock = OrderedDict(), threading.Lock()
MAX_STORES = 8  # index roots kept open per process (tests create one per app)
_rebuild_threads = {}
_caught_up_once = set()  # index roots this process has fully caught up since it started
CATALOGUE_TABLES = frozenset({"products", "product_photos", "producers", "certificates"})
# Set in session.info by a bulk import: its many commits leave the index alone, and the first
# commit after it is lifted catches up once (catalog/importer/apply.py).


def store(app=None) -> IndexStore:
    """This process's IndexStore for the app's SEARCH_INDEX_DIR."""
    config = (app or current_app).config
    root = config["SEARCH_INDEX_DIR"]
    with _stores_lock:
        if root not in _stores:
            _stores[root] = IndexStore(root, cache_bytes=int(config["SEARCH_CACHE_MB"]) << 20)
            while len(_stores) > MAX_STORES:
                _stores.popitem(last=False)[1].close()
        _stores.move_to_end(root)
        return _stores[root]


# --- After a commit ---------------------------------------------------------------------

def register_session_hooks() -> None:
    """Catch up right after a commit that wrote catalogue rows (the log has them
    anyway; this only makes the change searchable at once)."""
    if getattr(register_session_hooks, "done", False):
        return
    event.listen(db.session, "after_flush", _note_flush)
    event.listen(db.session, "do_orm_execute", _note_statement)
    event.listen(db.session, "after_commit", _after_commit)
    event.listen(db.session, "after_soft_rollback", _forget)
    register_session_hooks.done = True


def _note_flush(session, _flush_context) -> None:
    for objects in (session.new, session.dirty, session.deleted):
        if any(getattr(obj, "__tablename__", "") in CATALOGUE_TABLES for obj in objects):
            session.info["catalogue_changed"] = True
            return


def _note_statement(state) -> None:
    """Bulk statements through the session (no objects to look at); plain SQL
    on a connection is logged by the triggers and applied by the next search."""
    if state.is_insert or state.is_update or state.is_delete:
        mapper = state.bind_mapper
        if mapper is None or mapper.local_table.name in CATALOGUE_TABLES:
            state.session.info["catalogue_changed"] = True


def _forget(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop("catalogue_changed", None)


def _after_commit(session) -> None:
    # Fires for the outermost commit only; a savepoint's release is not a commit.
    if session.info.get(BULK_WRITE_SESSION_FLAG):  # an import writes in many commits
        return  # "catalogue_changed" stays set for the commit that ends the deferral
    if not session.info.pop("catalogue_changed", False) or not has_app_context():
        return
    if not current_app.config["SEARCH_SYNC"]:
        return
    try:
        catch_up()
    except Exception:  # the next search catches up from the log
        log.exception("search index not updated after a commit")


# --- Following the log ------------------------------------------------------------------

@dataclass
class Lag:
    position: LogPosition = None  # None: no index, or an index without a recorded position
    latest: int = 0  # newest change number in the database
    behind: int = None  # changes not applied yet (None without a position)


def position() -> LogPosition:
    text = store().read_position()
    return LogPosition.from_json(text) if text else None


def lag() -> Lag:
    current = position()
    with db.engine.connect() as connection:
        latest = changes.current_sequence(connection)
        behind = changes.count_behind(connection, current) if current is not None else None
    return Lag(current, latest, behind)


def _load_documents(connection, product_ids) -> tuple:
    """(documents of the public ones, ids of the others) as the database has them now."""
    from catalog.models import Product

    documents, ordered = [], sorted(product_ids)
    for start in range(0, len(ordered), _BATCH):
        chunk = ordered[start:start + _BATCH]
        documents.extend(row_document(row) for row in connection.execute(
            public_rows_query().where(Product.id.in_(chunk))))
    shown = {document.id for document in documents}
    return documents, {str(i) for i in ordered if str(i) not in shown}


def _writer_settings(wait: bool) -> dict:
    config = current_app.config
    if not wait:
        return {"timeout": 0.0, "retries": 0, "backoff": 0.0}
    return {"timeout": config["SEARCH_WRITER_TIMEOUT"], "retries": config["SEARCH_WRITER_RETRIES"],
            "backoff": config["SEARCH_WRITER_BACKOFF"]}


def catch_up(wait: bool = True) -> bool:
    """Apply every logged change the index has not applied. True when it is current.

    ``wait=False`` (before a search) gives up at once if another process holds
    the lock: that process is applying the same changes.
    """
    index = store()
    if index.current_path() is None:
        return False
    settings = _writer_settings(wait)
    with index.change_lock(**settings) as locked:
        if not locked:
            return False
        current = position()  # read under the lock: nobody else moves it now
        if current is None:
            return False  # an index from before the change log: rebuild it
        with db.engine.connect() as connection:
            rows = changes.changes_since(connection, current)
            if not rows:
                return True
            documents, dropped = _load_documents(connection, {product_id for _, product_id in rows})
        try:
            index.apply(upserts=documents, deletes=dropped, **settings)
        except (IndexBusy, IndexUnavailable) as error:
            log.info("search catch-up postponed: %r", error)
            return False
        grace = current_app.config.get("SEARCH_GAP_GRACE_SECONDS", changes.GAP_GRACE_SECONDS)
        index.write_position(changes.advance(current, [seq for seq, _ in rows], time.time(), grace).to_json())
    return True


def catch_up_before_search() -> None:
    """The process's first search waits for the index to catch up; later ones
    check cheaply (one MAX) and never wait for another process's lock."""
    root = current_app.config["SEARCH_INDEX_DIR"]
    try:
        if root not in _caught_up_once:
            if catch_up(wait=True):
                _caught_up_once.add(root)
            return
        current = position()
        if current is None:
            return
        with db.engine.connect() as connection:
            behind = changes.is_behind(connection, current)
        if behind:
            catch_up(wait=False)
    except Exception:  # a damaged index is the search's to detect; a search never fails here
        log.warning("search catch-up failed", exc_info=True)


# --- Rebuilding -------------------------------------------------------------------------

class RebuildRunning(Exception):
    """Another process is already building a new index version."""


def public_count() -> int:
    from catalog.models import Product

    return db.session.scalar(select(func.count()).select_from(Product.public().subquery()))


def _documents(connection):
    for row in connection.execute(public_rows_query().execution_options(yield_per=_BATCH)):
        yield row_document(row)


def rebuild(progress=None) -> int:
    """Build a new version from the database, swap it in, catch up; returns its size."""
    with store().build_lock() as locked:
        if not locked:
            raise RebuildRunning(store().root)
        with db.engine.connect() as connection:
            # The position first: the documents read next are at least that new, and
            # whatever commits in between is applied again by the catch-up (harmless).
            start = changes.position_for_rebuild(connection, time.time())
            store().build(_documents(connection), progress=progress, position=start.to_json())
    catch_up()
    return store().health().doc_count


@dataclass
class Comparison:
    """The index against documents built from the database, by content."""
    missing: list  # public in the database, not in the index
    extra: list  # in the index, not public any more
    stale: list  # in both, different content

    def __bool__(self):  # True when they match
        return not (self.missing or self.extra or self.stale)

    @property
    def differences(self) -> int:
        return len(self.missing) + len(self.extra) + len(self.stale)


def compare() -> Comparison:
    """Per-product digests of the indexed documents against documents built from
    the database (the very function a rebuild uses). Raises IndexUnavailable."""
    indexed = store().digests()
    with db.engine.connect() as connection:
        expected = {document.id: document.digest() for document in _documents(connection)}
    return Comparison(missing=sorted(set(expected) - set(indexed), key=int),
                      extra=sorted(set(indexed) - set(expected), key=int),
                      stale=sorted((i for i in expected if i in indexed and indexed[i] != expected[i]), key=int))


@dataclass
class RebuildReason:
    code: str  # the health reason ("missing", "damaged"), NO_POSITION, PRUNED or DIFFERENT
    differences: int = 0


NO_POSITION, PRUNED, DIFFERENT = "no-position", "pruned", "different"


def needs_rebuild():
    """Why the index must be rebuilt: a RebuildReason, or None when, once caught
    up with the change log, it matches the database by content."""
    health = store().health()
    if not health.ok:
        return RebuildReason(health.reason)
    current = position()
    if current is None:
        return RebuildReason(NO_POSITION)
    with db.engine.connect() as connection:
        if changes.fell_off(connection, current):
            return RebuildReason(PRUNED)
    catch_up()
    comparison = compare()
    return None if comparison else RebuildReason(DIFFERENT, comparison.differences)


def recover(app) -> None:
    """After a failed search: if the index is really missing or damaged, rebuild
    it (in the background unless SEARCH_REBUILD_IN_BACKGROUND is False)."""
    if store(app).health().ok or store(app).building():
        return
    if not app.config["SEARCH_REBUILD_IN_BACKGROUND"]:
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


def wait_for_rebuilds(timeout: float | None = None) -> None:
    """Block until this process's background rebuilds are done (tests, before an engine is
    disposed: a rebuild still holding a connection would leave it open)."""
    for root, thread in list(_rebuild_threads.items()):
        thread.join(timeout)
        if not thread.is_alive():
            _rebuild_threads.pop(root, None)


def rebuild_running() -> bool:
    return store().building()


def prune_changes(keep_days: int) -> int:
    """Delete change-log rows older than ``keep_days`` days; returns how many."""
    with db.engine.begin() as connection:
        return changes.prune(connection, keep_days)
