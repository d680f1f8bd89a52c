"""`flask --app app jobs worker`: run the background-job worker (Huey's consumer) for this app.

    flask --app app jobs worker [--workers 2]

The queue is the one the app is configured with: SQLite under instance/ (FLASK_JOBS_QUEUE_PATH)
or Redis (FLASK_REDIS_URL). Stop it with Ctrl-C (finishes running jobs) or SIGTERM.
"""
from __future__ import annotations

import logging

import click
from flask import current_app
from flask.cli import AppGroup

cli_group = AppGroup("jobs", help="Background jobs: run the worker.")


@cli_group.command("worker")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32),
              help="How many jobs may run at the same time (threads).")
def worker_command(workers: int):
    """Run queued jobs until stopped."""
    huey = current_app.extensions["huey"]
    if huey.immediate:
        raise click.UsageError("JOBS_IMMEDIATE is set: jobs run inside the request, no worker is needed")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # An idle worker looks at the queue at least once a second (Huey's default backs off to
    # 10 s), so a person's job starts about when its page first shows.
    huey.create_consumer(workers=workers, worker_type="thread", periodic=False, max_delay=1.0).run()
