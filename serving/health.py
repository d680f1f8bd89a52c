"""What /healthz answers: the database, the search index's lag and the job queue, cheaply.

A load balancer polls it, and the benches use it as the ceiling a page is compared with, so it
costs one database round trip (the lag and the queue in one statement, which is also the
database check), one small file read (the index's recorded log position) and one look at
Huey's queue (a COUNT in its SQLite file, or LLEN in Redis).

Status 200 while the database answers, 503 when it does not: a server without its database
should be taken out of the pool. An index behind or missing (searches then catch up or answer
from the database) and a stalled job queue make `"status": "degraded"`, still 200: the pages
work, an operator should look. There is no worker heartbeat: the worker writes nothing while
idle, so "stalled" means a job has been waiting longer than `JOBS_STALLED_SECONDS` (default
300), which only happens when no worker takes jobs.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from core.clock import utcnow
from extensions import db

log = logging.getLogger(__name__)
INDEX_LAG_WARNING = 1000  # changes not applied: searches catch up before answering, but slowly


def _database_figures(position) -> dict:
    from jobs.models import Job
    from jobs.constants import JobStatus
    from search.changes import SearchChange

    waiting = Job.status == JobStatus.QUEUED
    columns = [select(func.count()).where(waiting).scalar_subquery(),
               select(func.min(Job.created_at)).where(waiting).scalar_subquery()]
    if position is not None:
        columns.append(select(func.count()).where(SearchChange.seq > position.seq).scalar_subquery())
    row = db.session.execute(select(*columns)).one()
    return {"jobs_waiting": int(row[0]), "oldest_waiting": row[1],
            "behind": int(row[2]) if position is not None else None}


def _index_position():
    from search import sync

    try:
        return sync.position(), None
    except Exception as error:  # an unreadable index is reported, never a failed health check
        return None, type(error).__name__


def _behind(position, counted_after) -> int | None:
    """Changes the index has not applied: those after its position (counted in the one
    statement) plus, rarely, numbers it still awaits (PostgreSQL's late commits)."""
    from search import changes

    if position is None:
        return None
    if position.gaps:
        return changes.count_behind(db.session, position)
    return counted_after


def _queue_pending():
    huey = current_app.extensions.get("huey")
    try:
        return int(huey.pending_count()) if huey is not None else None
    except Exception:
        log.warning("job queue unreadable for /healthz", exc_info=True)
        return None


def init_app(app):
    app.add_url_rule("/healthz", "healthz", healthz)


def healthz():
    body, status = report()
    return body, status, {"Cache-Control": "no-store"}


def report() -> tuple[dict, int]:
    """(body, status) for /healthz."""
    position, index_error = _index_position()
    try:
        figures = _database_figures(position)
        behind = _behind(position, figures["behind"])
    except Exception as error:
        db.session.rollback()
        log.error("health check: database unavailable: %s", error)
        return {"status": "down", "database": {"ok": False, "error": type(error).__name__}}, 503
    stalled_after = timedelta(seconds=int(current_app.config.get("JOBS_STALLED_SECONDS", 300)))
    oldest = figures["oldest_waiting"]
    waited = round((utcnow() - oldest).total_seconds()) if oldest is not None else 0
    jobs = {"ok": waited < stalled_after.total_seconds(), "waiting": figures["jobs_waiting"],
            "oldest_waiting_seconds": waited, "queue_pending": _queue_pending()}
    search = {"ok": position is not None and behind < INDEX_LAG_WARNING, "behind": behind}
    if index_error:
        search["error"] = index_error
    body = {"status": "ok" if jobs["ok"] and search["ok"] else "degraded",
            "database": {"ok": True}, "search": search, "jobs": jobs}
    return body, 200
