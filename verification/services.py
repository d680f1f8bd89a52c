"""Verification operations. They change the session and never commit; views commit once.

Every query that reaches a producer goes through `visible_producers(user)`, so an
officer of commune A never even loads a producer of commune B (the view answers 404).
"""
from sqlalchemy import func

from accounts.models import CommuneAssignment, Role, User, utcnow
from extensions import db
from producers import audit
from producers.models import AuditEvent, Certificate, PaymentAccount, Producer, ProducerDocument
from verification import rules

PAYMENTS_TAB = "payments"
DECIDING_ROLES = (Role.OFFICER, Role.ADMIN)
VIEWING_ROLES = (Role.OFFICER, Role.HELPER, Role.ADMIN)


def commune_scope(user, column=Producer.commune_code):
    """The condition limiting `column` to the user's communes (admins: no limit)."""
    if user.role == Role.ADMIN:
        return db.true()
    if user.role not in VIEWING_ROLES:
        return db.false()
    codes = user.commune_codes
    return column.in_(codes) if codes else db.false()


def visible_producers(user):
    return db.select(Producer).where(commune_scope(user))


# Audit actions that shape a dossier: whoever did one of them may not decide on it.
DOSSIER_EDIT_ACTIONS = ("created", "profile_updated", "document_added", "certificate_added",
                        "certificate_removed", "payment_details_changed", "submitted", "claim_code_issued")


def can_decide(user):
    return user is not None and user.role in DECIDING_ROLES


def contributed_to(user, producer):
    """True when `user` created this dossier, filled it in on the producer's behalf or edited it."""
    if producer.created_by_id == user.id:
        return True
    return db.session.scalar(db.select(AuditEvent.id).where(
        AuditEvent.producer_id == producer.id, AuditEvent.actor_id == user.id,
        AuditEvent.action.in_(DOSSIER_EDIT_ACTIONS)).limit(1)) is not None


def decision_block(user, producer):
    """None, or the refusal code that keeps `user` from deciding on `producer` at all."""
    return rules.decision_block(user.id, producer.owner_id, contributed_to(user, producer))


def free_officers(producer):
    """Active officers of the producer's commune who had no hand in the dossier. None left means
    the decision goes up to the province administrator."""
    officers = db.session.scalars(db.select(User).join(CommuneAssignment).where(
        CommuneAssignment.commune_code == producer.commune_code, User.role == Role.OFFICER,
        User.is_active.is_(True))).all()
    return [officer for officer in officers if decision_block(officer, producer) is None]


def producer_or_404(user, producer_id, for_update=False):
    query = visible_producers(user).where(Producer.id == producer_id)
    if for_update:
        # Serialises two officers deciding at once (PostgreSQL; SQLite has one writer anyway).
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.first_or_404(query)


def document_or_404(user, document_id):
    return db.first_or_404(
        db.select(ProducerDocument).join(Producer, Producer.id == ProducerDocument.producer_id)
        .where(ProducerDocument.id == document_id, commune_scope(user)))


def certificate_or_404(user, certificate_id):
    return db.first_or_404(
        db.select(Certificate).join(Producer, Producer.id == Certificate.producer_id)
        .where(Certificate.id == certificate_id, commune_scope(user), Certificate.image_key.is_not(None)))


# --- the queue ------------------------------------------------------------

def _latest_versions():
    """producer_id -> its newest bank-details version number (a subquery)."""
    return (db.select(PaymentAccount.producer_id, func.max(PaymentAccount.version).label("version"))
            .group_by(PaymentAccount.producer_id).subquery())


def _awaiting_payment_approval(user):
    latest = _latest_versions()
    return (visible_producers(user)
            .join(PaymentAccount, PaymentAccount.producer_id == Producer.id)
            .join(latest, db.and_(latest.c.producer_id == PaymentAccount.producer_id,
                                  latest.c.version == PaymentAccount.version))
            .where(PaymentAccount.status == PaymentAccount.PENDING,
                   Producer.status.in_(rules.PAYMENT_REVIEW_STATUSES)))


def queue_counts(user):
    """{status: n, ..., "payments": n} for the tabs."""
    rows = db.session.execute(
        db.select(Producer.status, func.count(Producer.id)).where(commune_scope(user)).group_by(Producer.status))
    counts = dict.fromkeys(rules.STATUSES, 0)
    counts.update({status: n for status, n in rows})
    counts[PAYMENTS_TAB] = db.session.scalar(
        db.select(func.count()).select_from(_awaiting_payment_approval(user).subquery()))
    return counts


def queue_page(user, tab, page, per_page):
    """(producers, has_more) for one tab, oldest submission first where it matters."""
    if tab == PAYMENTS_TAB:
        query = _awaiting_payment_approval(user).order_by(PaymentAccount.created_at, Producer.id)
    else:
        query = visible_producers(user).where(Producer.status == tab)
        if tab == rules.SUBMITTED:
            query = query.order_by(Producer.submitted_at.is_(None), Producer.submitted_at, Producer.id)
        else:
            query = query.order_by(Producer.updated_at.desc(), Producer.id.desc())
    rows = db.session.scalars(query.offset((page - 1) * per_page).limit(per_page + 1)).all()
    return rows[:per_page], len(rows) > per_page


# --- decisions on a producer -------------------------------------------------

def latest_payment_version(producer):
    """(the newest bank-details version as the pure rules see it, its row); (None, None) if none."""
    row = db.session.scalar(db.select(PaymentAccount).where(PaymentAccount.producer_id == producer.id)
                            .order_by(PaymentAccount.version.desc()).limit(1))
    return _as_rules_version(row), row


def _as_rules_version(row):
    if row is None:
        return None
    return rules.PaymentVersion(id=row.id, version=row.version, bank_bin=row.bank_bin,
                                account_number=row.account_number, holder_name=row.holder_name,
                                status=row.status, created_by_id=row.created_by_id)


def fingerprint_of(account):
    return _as_rules_version(account).fingerprint


class Outcome:
    """What a decision did, for the message shown to the officer."""

    def __init__(self, decision, payment=None):
        self.decision = decision
        self.payment = payment  # None, "approved" or "awaits_other_officer"


def decide(actor, producer, name, reason=None, seen=None):
    """Apply decision `name` to `producer`, or raise rules.DecisionRefused (nothing changed)."""
    reason = (reason or "").strip() or None
    decision = rules.check_decision(name, producer.status, reason, actor.id, producer.owner_id,
                                    contributed=contributed_to(actor, producer))
    latest, latest_row = latest_payment_version(producer)
    if name == "approve":
        rules.check_dossier_payment(seen, latest)
    before = producer.status
    now = utcnow()
    producer.status = decision.to_status
    producer.status_reason = reason if decision.needs_reason else None
    if name == "approve":
        producer.verified_at = now
    producer.updated_at = now
    audit.record(decision.audit_action, producer, {"status": {"from": before, "to": decision.to_status}},
                 reason=reason, actor=actor)
    outcome = Outcome(name)
    if name == "approve" and latest is not None and latest.status == rules.PAYMENT_PENDING:
        if latest.created_by_id == actor.id:
            outcome.payment = "awaits_other_officer"
        else:
            _approve_version(actor, producer, latest_row, now)
            outcome.payment = "approved"
    return outcome


# --- bank details changed after verification --------------------------------------

def approve_payment(actor, producer, seen):
    latest, row = latest_payment_version(producer)
    _check_payment_decider(actor, producer, seen, latest)
    _approve_version(actor, producer, row, utcnow())
    return row


def reject_payment(actor, producer, seen, reason):
    reason = (reason or "").strip()
    latest, row = latest_payment_version(producer)
    _check_payment_decider(actor, producer, seen, latest)
    if not reason:
        raise rules.DecisionRefused("reason_required", decision="reject_payment")
    row.status = PaymentAccount.REJECTED
    row.reviewed_by_id = actor.id
    row.reviewed_at = utcnow()
    audit.record("payment_rejected", producer, _payment_changes(row), reason=reason, actor=actor)
    return row


def _check_payment_decider(actor, producer, seen, latest):
    if actor.id == producer.owner_id:
        raise rules.DecisionRefused("own_producer")
    rules.check_payment_approval(seen, latest, actor.id, producer.status)


def _approve_version(actor, producer, row, now):
    """`row` becomes the approved version; every older approved or waiting one is superseded."""
    older = db.session.scalars(db.select(PaymentAccount).where(
        PaymentAccount.producer_id == producer.id, PaymentAccount.id != row.id,
        PaymentAccount.version < row.version,
        PaymentAccount.status.in_((PaymentAccount.APPROVED, PaymentAccount.PENDING)))).all()
    for version in older:
        version.status = PaymentAccount.SUPERSEDED
    row.status = PaymentAccount.APPROVED
    row.reviewed_by_id = actor.id
    row.reviewed_at = now
    audit.record("payment_approved", producer, _payment_changes(row), actor=actor)


def _payment_changes(row):
    # audit.record masks account_number to its last 4 digits.
    return {"version": row.version, "bank_bin": row.bank_bin, "account_number": row.account_number,
            "holder_name": row.holder_name}


def audit_history(producer, limit=None):
    query = (db.select(AuditEvent).where(AuditEvent.producer_id == producer.id)
             .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()))
    if limit:
        query = query.limit(limit)
    return db.session.scalars(query).all()
