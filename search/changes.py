"""The catalogue change log: ``search_changes`` (seq, product id) in the database.

Database triggers on products, product photos, producers, certificates and
payment details (bank accounts, payment links) add a row for every product a change touches, in the same transaction as the change:
ORM saves, bulk imports and raw SQL alike, so a change and its log row commit or
vanish together. Each search index applies the rows after the commit and keeps
its ``LogPosition`` inside the index (``search.engine``); a process that dies at
any step simply applies the rows again from that position (applying is
idempotent: it reads the products as they are now).

``current_sequence()`` is the public "catalogue change sequence": it grows with
every committed change of anything a buyer sees of a product, so caches of
catalogue pages can key on it (docs/ARCHITECTURE.md).

Out-of-order commits. SQLite has one writer at a time, so numbers become visible
in order. On PostgreSQL a transaction that took seq 9 may commit after one that
took seq 10. A reader that saw 10 remembers 9 as a *gap* and looks for it again
on every catch-up until it shows up or ``GAP_GRACE_SECONDS`` pass (a rolled-back
transaction never fills its numbers, so gaps must expire). Tracking the exact
missing numbers, rather than re-reading a look-back window, costs one indexed
lookup per catch-up and does not depend on how many changes others commit
meanwhile; the grace period only has to outlast the longest write transaction
(imports commit every 200 rows).
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from dataclasses import dataclass, field

from sqlalchemy import DDL, event, func, select

from extensions import db

GAP_GRACE_SECONDS = 900  # longer than any write transaction of the site
MAX_GAPS = 10_000  # beyond this a reader is hopelessly behind: rebuild instead
REBUILD_LOOKBACK = 10_000  # numbers below the newest a rebuild checks for gaps
_CHUNK = 500


class SearchChange(db.Model):
    __tablename__ = "search_changes"
    __table_args__ = {"sqlite_autoincrement": True}  # numbers are never reused after a delete

    seq = db.Column(db.BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True, autoincrement=True)
    product_id = db.Column(db.Integer, nullable=False)  # no foreign key: deleted products are logged too
    created_at = db.Column(db.DateTime, nullable=False, server_default=func.current_timestamp())


# --- Where an index stands in the log (pure) ------------------------------------------------

@dataclass
class LogPosition:
    """Every change up to ``seq`` is applied, except the numbers in ``gaps``
    (seq -> when first missed, epoch seconds) that were not yet visible."""
    seq: int = 0
    gaps: dict = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"seq": self.seq, "gaps": {str(k): v for k, v in sorted(self.gaps.items())}})

    @classmethod
    def from_json(cls, data: str) -> "LogPosition":
        raw = json.loads(data)
        return cls(int(raw["seq"]), {int(k): float(v) for k, v in raw.get("gaps", {}).items()})


def advance(position: LogPosition, applied, now: float, grace: float = GAP_GRACE_SECONDS) -> LogPosition:
    """The position after applying the change numbers ``applied`` (read from ``position``)."""
    applied = set(applied)
    high = max(applied | {position.seq})
    gaps = {seq: since for seq, since in position.gaps.items() if seq not in applied and now - since < grace}
    missing = [seq for seq in range(max(position.seq + 1, high - MAX_GAPS), high) if seq not in applied]
    gaps.update((seq, now) for seq in missing)
    if len(gaps) > MAX_GAPS:
        gaps = dict(sorted(gaps.items())[-MAX_GAPS:])
    return LogPosition(high, gaps)


# --- Reading the log --------------------------------------------------------------------------

def current_sequence(connection=None) -> int:
    """The catalogue change sequence: the newest committed change number (0 when none)."""
    query = select(func.coalesce(func.max(SearchChange.seq), 0))
    return int((connection or db.session).scalar(query))


def _gap_query(gaps):
    ordered = sorted(gaps)
    for start in range(0, len(ordered), _CHUNK):
        yield SearchChange.seq.in_(ordered[start:start + _CHUNK])


def changes_since(connection, position: LogPosition) -> list:
    """(seq, product id) of the changes not applied at ``position``, oldest first."""
    rows = list(connection.execute(select(SearchChange.seq, SearchChange.product_id)
                                   .where(SearchChange.seq > position.seq).order_by(SearchChange.seq)))
    for condition in _gap_query(position.gaps):
        rows.extend(connection.execute(select(SearchChange.seq, SearchChange.product_id).where(condition)))
    return sorted(rows)


def count_behind(connection, position: LogPosition) -> int:
    """How many changes the index at ``position`` has not applied yet."""
    count = connection.scalar(select(func.count()).where(SearchChange.seq > position.seq))
    for condition in _gap_query(position.gaps):
        count += connection.scalar(select(func.count()).where(condition))
    return int(count)


def is_behind(connection, position: LogPosition) -> bool:
    """The cheap check made before every search: one MAX, plus a lookup while gaps are open."""
    if current_sequence(connection) > position.seq:
        return True
    return any(connection.scalar(select(SearchChange.seq).where(condition).limit(1)) is not None
               for condition in _gap_query(position.gaps))


def fell_off(connection, position: LogPosition) -> bool:
    """Rows this index still needed were pruned: only a rebuild can catch up."""
    oldest = connection.scalar(select(func.min(SearchChange.seq)))
    return oldest is not None and oldest > position.seq + 1 and position.seq < current_sequence(connection)


def position_for_rebuild(connection, now: float) -> LogPosition:
    """Read before a full build: everything up to the newest number is in the build,
    except numbers not visible yet (PostgreSQL transactions still running)."""
    high = current_sequence(connection)
    visible = set(connection.scalars(select(SearchChange.seq).where(SearchChange.seq > high - REBUILD_LOOKBACK)))
    # Below the oldest visible number the rows were pruned (or rolled back long ago).
    gaps = {seq: now for seq in range(min(visible, default=high + 1), high + 1) if seq not in visible}
    return LogPosition(high, gaps)


def prune(connection, keep_days: int) -> int:
    """Delete change rows older than ``keep_days`` days, always keeping the newest row
    (so numbers keep growing on SQLite too); returns how many were deleted."""
    newest = current_sequence(connection)
    cutoff = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(days=keep_days)
    result = connection.execute(db.delete(SearchChange).where(SearchChange.created_at < cutoff,
                                                              SearchChange.seq < newest))
    return result.rowcount or 0


# --- The triggers that write the log (snapshotted in the initial migration) ------------------

# A producer's payment details (bank account and payment-link versions) decide the QR code and the
# order form on each of its product pages, so their changes are logged for its products too: the
# page cache (serving/pagecache.py) keys on this log, and a changed or rejected account must never
# stay on a kept page.
PAYMENT_TABLES = ("payment_accounts", "payment_links")

SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS search_log_product_insert AFTER INSERT ON products BEGIN "
    "INSERT INTO search_changes (product_id) VALUES (NEW.id); END",
    "CREATE TRIGGER IF NOT EXISTS search_log_product_update AFTER UPDATE ON products BEGIN "
    "INSERT INTO search_changes (product_id) VALUES (NEW.id); END",
    "CREATE TRIGGER IF NOT EXISTS search_log_product_delete AFTER DELETE ON products BEGIN "
    "INSERT INTO search_changes (product_id) VALUES (OLD.id); END",
    "CREATE TRIGGER IF NOT EXISTS search_log_photo_insert AFTER INSERT ON product_photos BEGIN "
    "INSERT INTO search_changes (product_id) VALUES (NEW.product_id); END",
    "CREATE TRIGGER IF NOT EXISTS search_log_photo_update AFTER UPDATE ON product_photos BEGIN "
    "INSERT INTO search_changes (product_id) SELECT OLD.product_id WHERE OLD.product_id <> NEW.product_id; "
    "INSERT INTO search_changes (product_id) VALUES (NEW.product_id); END",
    "CREATE TRIGGER IF NOT EXISTS search_log_photo_delete AFTER DELETE ON product_photos BEGIN "
    "INSERT INTO search_changes (product_id) VALUES (OLD.product_id); END",
    "CREATE TRIGGER IF NOT EXISTS search_log_producer_update AFTER UPDATE ON producers BEGIN "
    "INSERT INTO search_changes (product_id) SELECT id FROM products WHERE producer_id = NEW.id; END",
    "CREATE TRIGGER IF NOT EXISTS search_log_producer_delete BEFORE DELETE ON producers BEGIN "
    "INSERT INTO search_changes (product_id) SELECT id FROM products WHERE producer_id = OLD.id; END",
    "CREATE TRIGGER IF NOT EXISTS search_log_certificate_update AFTER UPDATE ON certificates BEGIN "
    "INSERT INTO search_changes (product_id) SELECT id FROM products WHERE certificate_id = NEW.id; END",
    "CREATE TRIGGER IF NOT EXISTS search_log_certificate_delete BEFORE DELETE ON certificates BEGIN "
    "INSERT INTO search_changes (product_id) SELECT id FROM products WHERE certificate_id = OLD.id; END",
    *(f"CREATE TRIGGER IF NOT EXISTS search_log_{table}_{event} AFTER {event.upper()} ON {table} BEGIN "
      f"INSERT INTO search_changes (product_id) SELECT id FROM products WHERE producer_id = {row}.producer_id; END"
      for table in PAYMENT_TABLES for event, row in (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD"))),
]
POSTGRES_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION search_log_product() RETURNS trigger AS $$ BEGIN "
    "INSERT INTO search_changes (product_id) VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END); "
    "RETURN NULL; END; $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE TRIGGER search_log_product AFTER INSERT OR UPDATE OR DELETE ON products "
    "FOR EACH ROW EXECUTE FUNCTION search_log_product()",
    "CREATE OR REPLACE FUNCTION search_log_photo() RETURNS trigger AS $$ BEGIN "
    "IF TG_OP <> 'INSERT' THEN INSERT INTO search_changes (product_id) VALUES (OLD.product_id); END IF; "
    "IF TG_OP <> 'DELETE' THEN INSERT INTO search_changes (product_id) VALUES (NEW.product_id); END IF; "
    "RETURN NULL; END; $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE TRIGGER search_log_photo AFTER INSERT OR UPDATE OR DELETE ON product_photos "
    "FOR EACH ROW EXECUTE FUNCTION search_log_photo()",
    "CREATE OR REPLACE FUNCTION search_log_producer() RETURNS trigger AS $$ BEGIN "
    "INSERT INTO search_changes (product_id) SELECT id FROM products WHERE producer_id = OLD.id; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE TRIGGER search_log_producer_update AFTER UPDATE ON producers "
    "FOR EACH ROW EXECUTE FUNCTION search_log_producer()",
    "CREATE OR REPLACE TRIGGER search_log_producer_delete BEFORE DELETE ON producers "
    "FOR EACH ROW EXECUTE FUNCTION search_log_producer()",
    "CREATE OR REPLACE FUNCTION search_log_certificate() RETURNS trigger AS $$ BEGIN "
    "INSERT INTO search_changes (product_id) SELECT id FROM products WHERE certificate_id = OLD.id; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE TRIGGER search_log_certificate_update AFTER UPDATE ON certificates "
    "FOR EACH ROW EXECUTE FUNCTION search_log_certificate()",
    "CREATE OR REPLACE TRIGGER search_log_certificate_delete BEFORE DELETE ON certificates "
    "FOR EACH ROW EXECUTE FUNCTION search_log_certificate()",
    "CREATE OR REPLACE FUNCTION search_log_payment() RETURNS trigger AS $$ BEGIN "
    "INSERT INTO search_changes (product_id) SELECT id FROM products WHERE producer_id = "
    "(CASE WHEN TG_OP = 'DELETE' THEN OLD.producer_id ELSE NEW.producer_id END); "
    "RETURN NULL; END; $$ LANGUAGE plpgsql",
    *(f"CREATE OR REPLACE TRIGGER search_log_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
      "FOR EACH ROW EXECUTE FUNCTION search_log_payment()" for table in PAYMENT_TABLES),
]
# After every table exists (the triggers name four other tables).
for _statement in SQLITE_TRIGGERS:
    event.listen(db.metadata, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRES_TRIGGERS:
    event.listen(db.metadata, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
