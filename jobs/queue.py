"""Huey, bound to the app: SQLite storage under instance/ by default, Redis when REDIS_URL is
set, immediate (in-process, in-memory) when JOBS_IMMEDIATE is true (tests).

Two ways to put work on the queue:
- a Job **kind** (`register_kind`): work a person asked for and watches (an import, an export).
  `services.start_job` writes the Job row; the single Huey task "jobs.run" runs it.
- a plain **task** (`register_task`): background work nobody watches (sending a message), with
  Huey's own retries; enqueue with `enqueue_task(name, *args)`.
Both run inside an application context of the app that built the queue (the worker builds it
with create_app()).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import current_app
from huey import RedisHuey, SqliteHuey

from jobs.constants import QUEUE_NAME, RUN_JOB_TASK


@dataclass(frozen=True)
class JobKind:
    """`run(job, progress)` does the work in the worker and returns (result, result_file):
    `result` a JSON-able dict for the result page, `result_file` a path relative to the
    instance folder or None. It calls `progress.set_total(n)` and `progress(k)` as it goes, and
    may raise `JobFailed(code, **params)` for a failure it can explain. `render(job)` is the
    result page of a finished job (a Flask response), shown at the job's own address.
    `explain(code, params)` (optional) words a failure code of the kind's own, or returns None.
    `title` names the kind for people (a lazy string); `start_endpoint` is where to start again."""

    name: str
    title: object
    start_endpoint: str
    run: Callable
    render: Callable
    explain: Callable | None = None


KINDS: dict[str, JobKind] = {}
_TASKS: dict[str, tuple[Callable, dict]] = {}


def register_kind(kind: JobKind) -> JobKind:
    KINDS[kind.name] = kind
    return kind


def register_task(name: str, func: Callable, **huey_options) -> None:
    """A plain background task `func(*args)`; `huey_options` as for `huey.task()` (retries,
    retry_delay, …). Register at import time of your domain module."""
    _TASKS[name] = (func, huey_options)


def build_queue(app, run_job: Callable):
    """The app's Huey instance with every registered task bound to this app; `run_job(job_id)`
    (jobs.worker) runs a Job row."""
    name = app.config.get("JOBS_QUEUE_NAME") or QUEUE_NAME
    options = {"results": False, "immediate": bool(app.config.get("JOBS_IMMEDIATE"))}
    if app.config.get("REDIS_URL"):
        huey = RedisHuey(name, url=app.config["REDIS_URL"], **options)
    else:
        huey = SqliteHuey(name, filename=app.config["JOBS_QUEUE_PATH"], **options)
    tasks = {RUN_JOB_TASK: huey.task(name=RUN_JOB_TASK)(_in_app_context(app, run_job))}
    for name, (func, huey_options) in _TASKS.items():
        tasks[name] = huey.task(name=name, **huey_options)(_in_app_context(app, func))
    app.extensions["huey"] = huey
    app.extensions["huey_tasks"] = tasks
    return huey


def _in_app_context(app, func):
    def task(*args, **kwargs):
        with app.app_context():
            return func(*args, **kwargs)

    task.__name__ = getattr(func, "__name__", "task")
    return task


def queue():
    return current_app.extensions["huey"]


def enqueue_task(name: str, *args, **kwargs):
    """Put the plain task `name` on the queue (call it after the transaction committed)."""
    return current_app.extensions["huey_tasks"][name](*args, **kwargs)
