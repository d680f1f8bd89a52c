"""Background jobs (Huey): a Job row per piece of work a person asked for, its progress page
and result page, and the worker. See docs/ARCHITECTURE.md for how a domain adds a kind.

Shape: terms -> rules (pure) -> models (Job) -> queue (Huey, kinds, tasks) -> progress ->
services (start_job, enqueue, run_job) -> views -> cli (`flask jobs worker`).
"""
from flask import Blueprint

bp = Blueprint("jobs", __name__)


def init_app(app):
    from jobs.queue import build_queue

    build_queue(app)


from jobs import views  # noqa: E402,F401
from jobs.cli import cli_group  # noqa: E402,F401
