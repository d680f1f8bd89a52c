"""Sending the outbox: each row once, with retries and exponential back-off.

A row written by a service (same transaction as its event) is put on the Huey queue right
after that transaction commits (`after_commit` below; nothing is queued for a rolled-back
event). The task `notifications.deliver` claims the row with one conditional UPDATE
(pending and due → sending, attempts + 1) and commits before it talks to the channel, so two
runs of the task, or two workers, never both send it; the channel also gets the row id as
its idempotency key. A failure puts the row back to pending with `next_attempt_at` (1, 2,
4 … minutes) and the task asks Huey to run it again then; after MAX_ATTEMPTS it is failed.
`flask notifications send-due` (cron, every few minutes) queues rows whose time has come and
frees claims left by a crashed sender, so a row lost from the queue is still sent.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import event, or_, update
from sqlalchemy.orm import Session

from core.clock import utcnow
from extensions import db
from notifications import channels
from notifications.constants import MAX_ATTEMPTS, DeliveryStatus
from notifications.models import Notification
from notifications.rules import backoff_seconds

log = logging.getLogger("choque.notifications")
DELIVER_TASK = "notifications.deliver"
STALE_CLAIM = timedelta(minutes=15)  # a sender that held a row this long has died
_NEW_IDS = "outbox_new_ids"


@dataclass(frozen=True)
class Attempt:
    """What one run did: sent, failed (retry_in seconds, or given up), skipped, or not_due
    (another run has it, it is sent already, or its time has not come)."""
    outcome: str
    retry_in: int | None = None


def _due(now):
    return or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now)


def claim(notification_id) -> bool:
    """Take the row for this run (committed at once); False when it is not ours to send."""
    now = utcnow()
    result = db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status == DeliveryStatus.PENDING, _due(now))
        .values(status=DeliveryStatus.SENDING, claimed_at=now, attempts=Notification.attempts + 1)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def _outgoing(row) -> channels.Outgoing:
    text = row.text(row.language)
    subject = text.split(". ")[0].rstrip(":")  # the first sentence: "Chợ Quê: <who> <what happened>"
    return channels.Outgoing(key=str(row.id), kind=row.kind, address=row.address or "", text=text,
                             link=row.link or "", subject=subject[:150], detail=row.detail or "")


def deliver(notification_id) -> Attempt:
    if not claim(notification_id):
        return Attempt("not_due")
    row = db.session.get(Notification, notification_id)
    if row is None:  # dropped meanwhile (a claim code replaced by a newer one)
        return Attempt("not_due")
    config = current_app.config
    if not row.address:
        row.status, row.last_error = DeliveryStatus.SKIPPED, "no address: shown in the app only"
        db.session.commit()
        return Attempt("skipped")
    channel = channels.channel_for(row.channel, config)
    if channel is None:
        # Left pending: once the channel is configured, `send-due` sends it.
        log.info("notice %s not sent: channel %s is not configured", row.id, row.channel)
        row.status, row.attempts = DeliveryStatus.PENDING, max(row.attempts - 1, 0)
        row.last_error = f"channel {row.channel} not configured"
        db.session.commit()
        return Attempt("skipped")
    try:
        channel.send(_outgoing(row))
    except channels.DeliveryFailed as error:
        row.last_error = str(error)[:300]
        if row.attempts >= MAX_ATTEMPTS:
            row.status = DeliveryStatus.FAILED
            log.warning("notice %s failed for good after %s attempts: %s", row.id, row.attempts, error)
            db.session.commit()
            return Attempt("failed")
        wait = backoff_seconds(row.attempts)
        row.status, row.next_attempt_at = DeliveryStatus.PENDING, utcnow() + timedelta(seconds=wait)
        log.info("notice %s attempt %s failed (%s); next in %ss", row.id, row.attempts, error, wait)
        db.session.commit()
        return Attempt("failed", retry_in=wait)
    row.status, row.sent_at, row.last_error = DeliveryStatus.SENT, utcnow(), None
    db.session.commit()
    return Attempt("sent")


def deliver_task(notification_id):
    """The Huey task: a failed attempt asks Huey to run it again after the back-off."""
    from huey.exceptions import RetryTask

    attempt = deliver(notification_id)
    if attempt.retry_in is not None:
        raise RetryTask(delay=attempt.retry_in)
    return attempt.outcome


def enqueue(notification_ids) -> int:
    """Queue these rows (after their transaction committed). A queue that cannot be reached
    only delays them: `send-due` finds them later."""
    tasks = current_app.extensions.get("huey_tasks") or {}
    task = tasks.get(DELIVER_TASK)
    queued = 0
    for notification_id in notification_ids:
        if task is None:
            break
        try:
            task(notification_id)
            queued += 1
        except Exception:  # noqa: BLE001 — the queue's own errors vary (SQLite, Redis); the row waits
            log.exception("notice %s not queued; send-due will pick it up", notification_id)
    return queued


def release_stale_claims(now=None) -> int:
    now = now or utcnow()
    result = db.session.execute(
        update(Notification).where(Notification.status == DeliveryStatus.SENDING,
                                   Notification.claimed_at < now - STALE_CLAIM)
        .values(status=DeliveryStatus.PENDING).execution_options(synchronize_session=False))
    return result.rowcount


def due_ids(now=None, limit=1000) -> list[int]:
    now = now or utcnow()
    return list(db.session.scalars(
        db.select(Notification.id).where(Notification.status == DeliveryStatus.PENDING, _due(now),
                                         Notification.channel.in_(channels.configured(current_app.config)))
        .order_by(Notification.id).limit(limit)))


# --- queue each new row once its transaction has committed ----------------------------------

@event.listens_for(Session, "after_flush")
def _remember_new_rows(session, _flush_context):
    new = [obj.id for obj in session.new if isinstance(obj, Notification)]
    if new:
        session.info.setdefault(_NEW_IDS, []).extend(new)


@event.listens_for(Session, "after_commit")
def _queue_committed_rows(session):
    ids = session.info.pop(_NEW_IDS, None)
    if ids:
        try:
            current_app._get_current_object()
        except RuntimeError:
            return  # outside the app (a script): send-due will find them
        enqueue(ids)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_rows(session):
    session.info.pop(_NEW_IDS, None)
