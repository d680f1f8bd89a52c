"""The worker's side of a job: claim it, run its kind with a progress reporter, record how it went.

`run_job` is the Huey task (jobs.queue binds it); like a view for a request, it is the unit of
work of one job and commits its own transactions, which services never do."""
from __future__ import annotations

import logging

from flask_babel import force_locale
from sqlalchemy import update

from core.clock import utcnow
from extensions import db
from jobs.constants import JobStatus
from jobs.models import Job
from jobs.progress import ProgressReporter
from jobs.queue import KINDS
from jobs.services import JobFailed

log = logging.getLogger(__name__)


def run_job(job_id: int) -> None:
    """The Huey task: run one queued job once, recording how it went. Never raises."""
    claimed = db.session.execute(update(Job).where(Job.id == job_id, Job.status == JobStatus.QUEUED)
                                 .values(status=JobStatus.RUNNING, started_at=utcnow()))
    db.session.commit()
    if claimed.rowcount != 1:  # gone, or already taken by another worker: never run twice
        return
    job = db.session.get(Job, job_id)
    kind = KINDS.get(job.kind)
    reporter = ProgressReporter(job.id, job.total)
    outcome = {"status": JobStatus.DONE, "error_code": None, "error_params": None}
    try:
        if kind is None:
            raise JobFailed("unknown_kind")
        with force_locale(job.locale):
            result, result_file = kind.run(job, reporter)
        outcome.update(result=result, result_file=result_file)
    except JobFailed as failure:
        db.session.rollback()
        outcome.update(status=JobStatus.FAILED, error_code=failure.code, error_params=failure.params or None)
    except Exception:
        log.exception("job %s (%s) failed", job_id, getattr(job, "kind", "?"))
        db.session.rollback()
        outcome.update(status=JobStatus.FAILED, error_code="unexpected")
    finally:
        reporter.close()
    _finish(job_id, reporter, outcome)


def _finish(job_id: int, reporter: ProgressReporter, outcome: dict) -> None:
    db.session.rollback()
    job = db.session.get(Job, job_id)
    job.done = reporter.done
    job.total = reporter.total if reporter.total is not None else reporter.done
    if outcome["status"] == JobStatus.DONE:
        job.done = job.total
    job.finished_at = utcnow()
    for name, value in outcome.items():
        setattr(job, name, value)
    db.session.commit()
