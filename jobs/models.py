"""The Job row: what a person sees of a background job (the queue itself lives in Huey)."""
from sqlalchemy.orm import deferred

from core.clock import utcnow
from extensions import db
from jobs.constants import FINISHED, JobStatus


class Job(db.Model):
    __tablename__ = "jobs"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(40), nullable=False)  # a registered kind, e.g. "catalog.import"
    owner_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    status = db.Column(db.String(10), nullable=False, default=JobStatus.QUEUED)
    locale = db.Column(db.String(5), nullable=False, default="vi")  # the owner's language when asked
    label = db.Column(db.String(200), nullable=False, default="")  # e.g. the uploaded file's name
    params = db.Column(db.JSON, nullable=False, default=dict)  # what to do, as the kind reads it
    done = db.Column(db.Integer, nullable=False, default=0)
    total = db.Column(db.Integer)  # None until the job knows how much there is
    # The outcome as the kind's result page reads it (a report's summary and rows); loaded
    # only by the result page, never by the progress polls.
    result = deferred(db.Column(db.JSON))
    result_file = db.Column(db.String(255))  # a produced file, relative to the instance folder
    error_code = db.Column(db.String(40))  # a key of jobs.texts.ERROR_MESSAGES
    error_params = db.Column(db.JSON)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    started_at = db.Column(db.DateTime)
    finished_at = db.Column(db.DateTime)

    __table_args__ = (db.Index("ix_jobs_owner_created", "owner_id", "created_at"),)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED
