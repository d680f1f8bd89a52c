"""The words of background jobs: statuses and the settings they read."""
from enum import StrEnum


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


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
