"""Certificates due for re-evaluation (36 months after the decision): the producer is told
90, 30 and 0 days before, once per certificate and threshold however often the daily run
goes (`flask verification remind-expiring`), and whenever an officer presses "Remind" on
the dashboard (at most once a day per certificate)."""
from __future__ import annotations

from datetime import date, timedelta

from catalog.certificates import earliest_valid_decision_date
from core.i18n import format_day
from extensions import db
from notifications import rules
from notifications.constants import EXPIRY_REMINDER_DAYS, NoticeKind
from notifications.models import Notification
from notifications.services import notify_producer, page_link
from producers.constants import ProducerStatus
from producers.models import Certificate, Producer
from producers.ocop import certificate_valid_until

# Certificates that expired longer ago than this are not reminded by the daily run (the
# dashboard lists them; an officer reminds by hand).
EXPIRED_LOOKBACK_DAYS = 30


def _already(key) -> bool:
    return db.session.scalar(db.select(Notification.id).where(Notification.dedupe_key == key)) is not None


def _remind(certificate, today, dedupe_key):
    until = certificate_valid_until(certificate.decision_date)
    kind = NoticeKind.CERTIFICATE_EXPIRED if until < today else NoticeKind.CERTIFICATE_EXPIRING
    producer = certificate.producer
    return notify_producer(kind, producer, link=page_link("producers.step_review", producer_id=producer.id),
                           dedupe_key=dedupe_key, certificate_id=certificate.id,
                           product=certificate.product_name or certificate.decision_no,
                           date=lambda: format_day(until))


def remind_expiring(today: date) -> int:
    """Write the reminders due today (the service: the caller commits); returns how many."""
    horizon = today + timedelta(days=max(EXPIRY_REMINDER_DAYS) + 1)
    oldest = earliest_valid_decision_date(today - timedelta(days=EXPIRED_LOOKBACK_DAYS))
    certificates = db.session.scalars(
        db.select(Certificate).join(Producer, Producer.id == Certificate.producer_id)
        .where(Certificate.decision_date < earliest_valid_decision_date(horizon),
               Certificate.decision_date >= oldest,
               Producer.status.not_in((ProducerStatus.DRAFT, ProducerStatus.REJECTED)))
        .order_by(Certificate.id)).all()
    written = 0
    for certificate in certificates:
        days_left = (certificate_valid_until(certificate.decision_date) - today).days
        threshold = rules.reminder_threshold(days_left, EXPIRY_REMINDER_DAYS)
        key = f"cert:{certificate.id}:{threshold}"
        if threshold is None or _already(key):
            continue
        if _remind(certificate, today, key) is not None:
            written += 1
    return written


def remind_now(certificate, today: date):
    """An officer's "Remind": (notice, True) when written now; (earlier notice, False) when the
    producer was already reminded today (nothing is sent twice)."""
    key = f"remind:{certificate.id}:{today.isoformat()}"
    earlier = db.session.scalar(db.select(Notification).where(Notification.dedupe_key == key))
    if earlier is not None:
        return earlier, False
    return _remind(certificate, today, key), True


def last_reminders(certificate_ids) -> dict:
    """{certificate id: when its producer was last reminded}."""
    if not certificate_ids:
        return {}
    rows = db.session.execute(
        db.select(Notification.certificate_id, db.func.max(Notification.created_at))
        .where(Notification.certificate_id.in_(list(certificate_ids)))
        .group_by(Notification.certificate_id))
    return {certificate_id: moment for certificate_id, moment in rows}
