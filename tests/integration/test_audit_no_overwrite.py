"""Issue 9, finding 4: the audit log cannot be rewritten by inserting over an existing id.

SQLite's `REPLACE INTO` (and `INSERT OR REPLACE`) deletes the old row without firing DELETE
triggers, so only a BEFORE INSERT trigger that refuses a reused id stops it. PostgreSQL gets
the same trigger. Raw SQL, on whichever database the suite runs on (`make test`, `make test-pg`)."""
import pytest
from sqlalchemy.exc import DBAPIError

from extensions import db
from producers import audit
from producers.models import AuditEvent

SQLITE_ONLY = [
    "REPLACE INTO audit_events (id, created_at, action, changes, reason) "
    "VALUES (:id, CURRENT_TIMESTAMP, 'approved', '{}', 'rewritten')",
    "INSERT OR REPLACE INTO audit_events (id, created_at, action, changes, reason) "
    "VALUES (:id, CURRENT_TIMESTAMP, 'approved', '{}', 'rewritten')",
    "INSERT OR IGNORE INTO audit_events (id, created_at, action, changes, reason) "
    "VALUES (:id, CURRENT_TIMESTAMP, 'approved', '{}', 'rewritten')",
]
BOTH = [
    "INSERT INTO audit_events (id, created_at, action, changes, reason) "
    "VALUES (:id, CURRENT_TIMESTAMP, 'approved', '{}', 'rewritten')",
    "INSERT INTO audit_events (id, created_at, action, changes, reason) "
    "VALUES (:id, CURRENT_TIMESTAMP, 'approved', '{}', 'rewritten') ON CONFLICT (id) DO NOTHING",
    "INSERT INTO audit_events (id, created_at, action, changes, reason) "
    "VALUES (:id, CURRENT_TIMESTAMP, 'approved', '{}', 'rewritten') "
    "ON CONFLICT (id) DO UPDATE SET reason = 'rewritten'",
]


@pytest.fixture
def event_id(app):
    with app.app_context():
        event = audit.record("created", None, changes={"legal_name": {"from": None, "to": "HTX"}}, reason="kept")
        db.session.commit()
        return event.id


def _rows(app):
    with app.app_context():
        return db.session.execute(db.select(AuditEvent.id, AuditEvent.action, AuditEvent.reason)
                                  .order_by(AuditEvent.id)).all()


def test_an_insert_over_an_existing_event_is_refused(app, event_id):
    before = _rows(app)
    with app.app_context():
        statements = BOTH + (SQLITE_ONLY if db.engine.dialect.name == "sqlite" else [])
        for statement in statements:
            with pytest.raises(DBAPIError) as refused:
                db.session.execute(db.text(statement), {"id": event_id})
                db.session.commit()
            db.session.rollback()
            assert "append-only" in str(refused.value), statement
    assert _rows(app) == before == [(event_id, "created", "kept")]


def test_new_events_are_still_appended_by_raw_sql_and_the_orm(app, event_id):
    with app.app_context():
        db.session.execute(db.text("INSERT INTO audit_events (created_at, action, changes) "
                                   "VALUES (CURRENT_TIMESTAMP, 'submitted', '{}')"))
        audit.record("claimed", None, changes={})
        db.session.commit()
    assert [row.action for row in _rows(app)] == ["created", "submitted", "claimed"]
