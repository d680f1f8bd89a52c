"""Verification operations. They change the session and never commit; views commit once.

Every query that reaches a producer goes through `visible_producers(user)`, so an
officer of commune A never even loads a producer of commune B (the view answers 404).
"""
from sqlalchemy import func

from accounts.constants import Role
from accounts.models import CommuneAssignment, User
from core.clock import utcnow
from extensions import db
from payments.models import PaymentLink
from notifications import services as notices
from producers import audit, payment_details
from producers.constants import PaymentDetail, ProducerStatus
from producers.models import AuditEvent, Certificate, PaymentAccount, Producer, ProducerDocument
from verification import history, rules
from verification.constants import PAYMENTS_TAB

DECIDING_ROLES = (Role.OFFICER, Role.ADMIN)
VIEWING_ROLES = (Role.OFFICER, Role.HELPER, Role.ADMIN)
# Every payment detail follows the same approval (producers.payment_details).
DETAIL_MODELS = {PaymentDetail.BANK_ACCOUNT: PaymentAccount, PaymentDetail.PAYMENT_LINK: PaymentLink}


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

def _awaiting_payment_approval(user):
    """Producers with a bank account or payment link change waiting (a pending version is
    always the newest one: a new change supersedes it, an approval supersedes older ones)."""
    waiting = [db.exists().where(model.producer_id == Producer.id, model.status == PaymentAccount.PENDING)
               for model in DETAIL_MODELS.values()]
    return visible_producers(user).where(db.or_(*waiting), Producer.status.in_(rules.PAYMENT_REVIEW_STATUSES))


def waiting_since(producer):
    """When the oldest waiting payment-detail change was made (for the queue), or None."""
    times = [row.created_at for row in (payment_details.waiting_version(model, producer)
                                        for model in DETAIL_MODELS.values()) if row is not None]
    return min(times, default=None)


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
        waiting_since = func.coalesce(*(
            db.select(func.min(model.created_at)).where(model.producer_id == Producer.id,
                                                        model.status == PaymentAccount.PENDING).scalar_subquery()
            for model in DETAIL_MODELS.values()))
        query = _awaiting_payment_approval(user).order_by(waiting_since, Producer.id)
    else:
        query = visible_producers(user).where(Producer.status == tab)
        if tab == rules.SUBMITTED:
            query = query.order_by(Producer.submitted_at.is_(None), Producer.submitted_at, Producer.id)
        else:
            query = query.order_by(Producer.updated_at.desc(), Producer.id.desc())
    rows = db.session.scalars(query.offset((page - 1) * per_page).limit(per_page + 1)).all()
    return rows[:per_page], len(rows) > per_page


# --- decisions on a producer -------------------------------------------------

def latest_payment_version(producer, kind=PaymentDetail.BANK_ACCOUNT):
    """(the newest version of a payment detail as the pure rules see it, its row); (None, None) if none."""
    row = payment_details.latest_version(DETAIL_MODELS[kind], producer)
    return _as_rules_version(row), row


def _as_rules_version(row):
    if row is None:
        return None
    return rules.PaymentVersion(id=row.id, version=row.version, values=row.reviewed_values,
                                status=row.status, created_by_id=row.created_by_id)


def fingerprint_of(version_row):
    return _as_rules_version(version_row).fingerprint


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
    notices.notify_decision(producer, name)
    return outcome


# --- payment details changed after verification (bank account, payment link) ------------

def approve_payment(actor, producer, seen, kind=PaymentDetail.BANK_ACCOUNT):
    latest, row = latest_payment_version(producer, kind)
    _check_payment_decider(actor, producer, seen, latest)
    payment_details.approve(DETAIL_MODELS[kind], kind, producer, row, actor)
    return row


def reject_payment(actor, producer, seen, reason, kind=PaymentDetail.BANK_ACCOUNT):
    """The change is refused: the last approved version stays in force, the owner is told."""
    reason = (reason or "").strip()
    latest, row = latest_payment_version(producer, kind)
    _check_payment_decider(actor, producer, seen, latest)
    if not reason:
        raise rules.DecisionRefused("reason_required", decision="reject_payment")
    payment_details.reject(kind, producer, row, actor, reason)
    return row


def _check_payment_decider(actor, producer, seen, latest):
    if actor.id == producer.owner_id:
        raise rules.DecisionRefused("own_producer")
    rules.check_payment_approval(seen, latest, actor.id, producer.status)


def _approve_version(actor, producer, row, now):
    payment_details.approve(PaymentAccount, PaymentDetail.BANK_ACCOUNT, producer, row, actor, now)


def changes_since_request(producer):
    """What the producer changed after the officer's last request for changes, once the dossier
    is back (status submitted); None otherwise."""
    if producer.status != ProducerStatus.SUBMITTED:
        return None
    requested_at = db.session.scalar(
        db.select(func.max(AuditEvent.created_at)).where(AuditEvent.producer_id == producer.id,
                                                         AuditEvent.action == history.REQUEST_ACTION))
    if requested_at is None:
        return None
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.producer_id == producer.id, AuditEvent.created_at >= requested_at)
        .order_by(AuditEvent.created_at, AuditEvent.id)).all()
    return history.changes_since_request((e.action, e.changes, e.created_at) for e in events)


def audit_history(producer, limit=None):
    query = (db.select(AuditEvent).where(AuditEvent.producer_id == producer.id)
             .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()))
    if limit:
        query = query.limit(limit)
    return db.session.scalars(query).all()
