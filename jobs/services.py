"""Start jobs in the request's transaction (the worker runs them: jobs.worker).

    job = start_job("catalog.import", g.user, params={...}, label=file_name)
    db.session.commit()          # the view commits once…
    enqueue(job)                 # …then the job goes on the queue
    # on False the job is marked failed ("queue_unavailable"): commit again and show it
"""
from __future__ import annotations

import logging

from flask import current_app, has_request_context
from flask_babel import get_locale

from core.clock import utcnow
from extensions import db
from jobs.models import Job
from jobs.constants import RUN_JOB_TASK, JobStatus
from jobs.queue import KINDS

log = logging.getLogger(__name__)


class JobFailed(Exception):
    """A failure the job can explain: `code` is a key of jobs.texts.ERROR_MESSAGES (or of the
    kind's own messages, see texts.error_message), `params` fill its placeholders."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


def start_job(kind: str, owner, *, params: dict, label: str = "", total: int | None = None,
              locale: str | None = None) -> Job:
    """A queued Job row in the session; `locale` (default: the request's) is the language the
    job writes its files in."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    if locale is None and has_request_context():
        locale = str(get_locale())
    job = Job(kind=kind, owner_id=owner.id, status=JobStatus.QUEUED, params=params, label=label[:200],
              total=total, done=0, locale=locale or current_app.config["BABEL_DEFAULT_LOCALE"])
    db.session.add(job)
    return job


def enqueue(job: Job) -> bool:
    """Put a committed job on the queue; False (and the job marked failed) when the queue is down."""
    try:
        current_app.extensions["huey_tasks"][RUN_JOB_TASK](job.id)
    except Exception:  # a queue we cannot reach (Redis down, disk full): say so, never a 500
        log.exception("could not enqueue job %s", job.id)
        job.status, job.finished_at, job.error_code = JobStatus.FAILED, utcnow(), "queue_unavailable"
        return False
    return True


def my_jobs_query(user_id: int):
    return db.select(Job).where(Job.owner_id == user_id).order_by(Job.created_at.desc(), Job.id.desc())


def my_job_query(user_id: int, job_id: int):
    """One job, only if it is this user's (the permission lives in the query)."""
    return db.select(Job).where(Job.id == job_id, Job.owner_id == user_id)
