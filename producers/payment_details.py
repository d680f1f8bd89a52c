"""The one approval mechanism for payment details (bank account, payment link).

A change adds a pending version (older pending ones are superseded), is written to the
audit log and warns the contact on record before the change (notifications outbox).
An officer other than the editor approves exactly the version seen
(verification.services), which supersedes every older one; a rejection leaves the last
approved version in force and tells the owner. Services change the session, never commit.
"""
from datetime import timedelta

from sqlalchemy import func

from core.clock import utcnow
from extensions import db
from notifications import services as notices
from producers import audit
from producers.versions import PaymentDetail, VersionStatus, in_force, waiting

MAX_CHANGES_PER_DAY = 3

AUDIT_ACTIONS = {
    PaymentDetail.BANK_ACCOUNT: {"changed": "payment_details_changed", "approved": "payment_approved",
                                 "rejected": "payment_rejected"},
    PaymentDetail.PAYMENT_LINK: {"changed": "payment_link_set", "approved": "payment_link_approved",
                                 "rejected": "payment_link_rejected", "removed": "payment_link_removed"},
}


class TooManyChanges(Exception):
    pass


def versions(model, producer):
    return db.session.scalars(db.select(model).where(model.producer_id == producer.id)
                              .order_by(model.version)).all()


def latest_version(model, producer):
    return db.session.scalar(db.select(model).where(model.producer_id == producer.id)
                             .order_by(model.version.desc()).limit(1))


def version_in_force(model, producer):
    return in_force(versions(model, producer))


def waiting_version(model, producer):
    return waiting(versions(model, producer))


def last_approved(model, producer):
    return db.session.scalar(db.select(model).where(model.producer_id == producer.id,
                                                    model.status == VersionStatus.APPROVED)
                             .order_by(model.version.desc()).limit(1))


def changes_last_day(model, producer, now=None):
    """Versions created in the last 24 hours since the last approved one."""
    approved = last_approved(model, producer)
    since = (now or utcnow()) - timedelta(days=1)
    return db.session.scalar(db.select(func.count(model.id)).where(
        model.producer_id == producer.id, model.created_at >= since,
        model.version > (approved.version if approved else 0)))


def change_allowed(model, producer, now=None):
    return changes_last_day(model, producer, now) < MAX_CHANGES_PER_DAY


def add_version(model, kind, producer, values, actor, *, needs_review=True):
    """Add a pending version unless `values` equal the newest pending or approved one;
    returns (version, changed). Raises TooManyChanges past MAX_CHANGES_PER_DAY when
    `needs_review` (i.e. buyers may already pay by these details)."""
    latest = latest_version(model, producer)
    if latest is not None and latest.status in (VersionStatus.PENDING, VersionStatus.APPROVED) and all(
            getattr(latest, name) == values[name] for name in model.REVIEWED_FIELDS):
        return latest, False
    if needs_review and not change_allowed(model, producer):
        raise TooManyChanges()
    for older in versions(model, producer):
        if older.status == VersionStatus.PENDING:
            older.status = VersionStatus.SUPERSEDED
    version = model(producer=producer, version=(latest.version if latest else 0) + 1,
                    status=VersionStatus.PENDING, created_by_id=actor.id,
                    **{name: values[name] for name in model.REVIEWED_FIELDS})
    db.session.add(version)
    db.session.flush()
    before = {name: getattr(latest, name) for name in model.REVIEWED_FIELDS} if latest else {}
    changes = audit.diff(before, {name: values[name] for name in model.REVIEWED_FIELDS})
    changes["version"] = version.version
    changes["needs_reapproval"] = needs_review
    audit.record(AUDIT_ACTIONS[kind]["changed"], producer, changes=changes, actor=actor)
    if needs_review:
        notices.notify_payment_change(producer, kind, version)
    return version, True


def reviewed_changes(row):
    """What the log keeps of a reviewed version (audit.record masks account numbers)."""
    changes = {name: getattr(row, name) for name in row.REVIEWED_FIELDS}
    changes["version"] = row.version
    return changes


def approve(model, kind, producer, row, actor, now=None):
    """`row` becomes the version in force; every older approved or waiting one is superseded."""
    for older in versions(model, producer):
        if older.id != row.id and older.version < row.version and older.status in (
                VersionStatus.APPROVED, VersionStatus.PENDING):
            older.status = VersionStatus.SUPERSEDED
    row.status = VersionStatus.APPROVED
    row.reviewed_by_id = actor.id
    row.reviewed_at = now or utcnow()
    audit.record(AUDIT_ACTIONS[kind]["approved"], producer, reviewed_changes(row), actor=actor)
    notices.notify_payment_approved(producer, kind)


def reject(kind, producer, row, actor, reason):
    """The change is refused; the last approved version stays in force and the owner is told."""
    row.status = VersionStatus.REJECTED
    row.reviewed_by_id = actor.id
    row.reviewed_at = utcnow()
    audit.record(AUDIT_ACTIONS[kind]["rejected"], producer, reviewed_changes(row), reason=reason, actor=actor)
    notices.notify_rejection(producer, kind, reason)


def withdraw_all(model, kind, producer, actor):
    """Stop using these details at once (removing a link diverts no money, so no review);
    False when nothing was in force or waiting."""
    current = [v for v in versions(model, producer)
               if v.status in (VersionStatus.APPROVED, VersionStatus.PENDING)]
    if not current:
        return False
    for version in current:
        version.status = VersionStatus.SUPERSEDED
    newest = current[-1]
    audit.record(AUDIT_ACTIONS[kind]["removed"], producer,
                 {name: {"from": getattr(newest, name), "to": None} for name in model.REVIEWED_FIELDS},
                 actor=actor)
    return True
