"""The words of background jobs: statuses with their labels, and the settings they read."""
from enum import StrEnum

from flask_babel import lazy_gettext as _l


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


STATUS_LABELS = {
    JobStatus.QUEUED: _l("Waiting to start"),
    JobStatus.RUNNING: _l("Working"),
    JobStatus.DONE: _l("Done"),
    JobStatus.FAILED: _l("Stopped"),
}

FINISHED = frozenset({JobStatus.DONE, JobStatus.FAILED})

# How often, at most, a running job writes its progress figure (the page promises ≤ 2 s).
PROGRESS_WRITE_SECONDS = 0.5
# The progress page without JavaScript reloads itself this often.
PAGE_REFRESH_SECONDS = 2
# How many of my recent jobs the list shows.
RECENT_JOBS_SHOWN = 20
# The single Huey task that runs a Job row; other tasks register their own names.
RUN_JOB_TASK = "jobs.run"
QUEUE_NAME = "choque"  # when JOBS_QUEUE_NAME is empty
