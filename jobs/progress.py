"""The running job's progress figure, written where the progress page reads it.

The work (an import) runs in the worker's own database session and keeps a write transaction
open between its commits. The figure therefore goes through a connection of its own, so that
it is visible at once and never rides on (or is rolled back with) the work's transaction.

SQLite has one writer at a time, and in WAL mode a transaction that has read and then wants to
write fails at once (SQLITE_BUSY_SNAPSHOT) if another connection committed meanwhile. So while
the work's connection is inside a transaction, the figure waits and is written right after the
work's next commit (an `after_commit` listener on the work's session); between transactions
(a dry run or an export only reads, with no transaction held) it is written at once. The
figure's own write never waits for a lock (busy_timeout 0): if busy, it is tried again later.
PostgreSQL rows are locked one by one, so there the figure is always written at once.
"""
from __future__ import annotations

import time

from sqlalchemy import event, update
from sqlalchemy.exc import OperationalError

from extensions import db
from jobs.models import Job
from jobs.rules import ProgressGate
from jobs.constants import PROGRESS_WRITE_SECONDS

SQLITE_BUSY_TIMEOUT_MS = 5000  # what core.sqlite gives every connection; restored on close


class ProgressReporter:
    """`reporter(n)` adds n done items; `reporter.set_total(n)` says how many there are."""

    def __init__(self, job_id: int, total: int | None = None, *, interval: float = PROGRESS_WRITE_SECONDS,
                 clock=time.monotonic):
        self.job_id, self.done, self.total = job_id, 0, total
        self.clock = clock
        self.gate = ProgressGate(interval)
        self.connection = None
        self.session = db.session()
        event.listen(self.session, "after_commit", self._after_work_commit)

    def set_total(self, total: int | None) -> None:
        self.total = total
        self._write_if_due()

    def __call__(self, count: int = 1) -> None:
        self.done += count
        self._write_if_due()

    def _figure(self) -> tuple[int, int | None]:
        return self.done, self.total

    def _write_if_due(self) -> None:
        if self.gate.due(self.clock(), self._figure()) and not self._work_holds_sqlite_transaction():
            self._write()

    def _after_work_commit(self, _session) -> None:
        if self.gate.due(self.clock(), self._figure()):
            self._write()

    def _work_holds_sqlite_transaction(self) -> bool:
        if not self.session.in_transaction():
            return False
        connection = self.session.connection()
        return connection.dialect.name == "sqlite" and connection.connection.dbapi_connection.in_transaction

    def _write(self) -> None:
        figure = self._figure()
        connection = self._connection()
        try:
            connection.execute(update(Job).where(Job.id == self.job_id).values(done=figure[0], total=figure[1]))
            connection.commit()
        except OperationalError:  # SQLite busy: the work holds the write lock; try after its commit
            connection.rollback()
            return
        self.gate.written(self.clock(), figure)

    def _connection(self):
        if self.connection is None:
            self.connection = db.engine.connect()
            if self.connection.dialect.name == "sqlite":
                self.connection.exec_driver_sql("PRAGMA busy_timeout=0")
        return self.connection

    def close(self) -> None:
        if event.contains(self.session, "after_commit", self._after_work_commit):
            event.remove(self.session, "after_commit", self._after_work_commit)
        if self.connection is not None:
            if self.connection.dialect.name == "sqlite":
                self.connection.rollback()
                self.connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            self.connection.close()
            self.connection = None
