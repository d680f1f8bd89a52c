"""The rules of commune verification, without Flask or the database.

Which decision an officer may take from which producer status, and the fingerprint
of payment details that ties an approval to exactly the version the officer saw.
Refusals raise `DecisionRefused(code, **params)`; the web layer translates the code.
"""
import hashlib
from dataclasses import dataclass

from producers.constants import ProducerStatus, VersionStatus
from verification.constants import Decision as DecisionName

DRAFT, SUBMITTED = ProducerStatus.DRAFT, ProducerStatus.SUBMITTED
CHANGES_REQUESTED, VERIFIED = ProducerStatus.CHANGES_REQUESTED, ProducerStatus.VERIFIED
REJECTED, SUSPENDED = ProducerStatus.REJECTED, ProducerStatus.SUSPENDED
STATUSES = tuple(ProducerStatus)
PAYMENT_PENDING = VersionStatus.PENDING

# Once a producer is verified, changed bank details are approved on their own;
# before that they are approved together with the dossier.
PAYMENT_REVIEW_STATUSES = frozenset({VERIFIED, SUSPENDED})

REFUSAL_CODES = frozenset({
    "not_allowed",        # the decision does not apply to the producer's current status
    "reason_required",    # the producer must be told why
    "own_producer",       # nobody decides on a producer they own
    "own_dossier",        # nor on a dossier they created, filled in for the producer or edited
    "stale_payment",      # the bank details changed after the officer opened the dossier
    "own_payment",        # the editor of bank details cannot approve them
    "no_pending_payment",  # nothing is waiting for approval
    "payment_with_dossier",  # before verification, bank details go with the dossier decision
})


class DecisionRefused(Exception):
    def __init__(self, code, **params):
        if code not in REFUSAL_CODES:
            raise ValueError(f"unknown refusal code {code!r}")
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Decision:
    name: str
    from_statuses: frozenset
    to_status: str
    needs_reason: bool
    audit_action: str


DECISIONS = {decision.name: decision for decision in (
    Decision(DecisionName.APPROVE, frozenset({SUBMITTED}), VERIFIED, False, "approved"),
    Decision(DecisionName.REQUEST_CHANGES, frozenset({SUBMITTED}), CHANGES_REQUESTED, True, "changes_requested"),
    Decision(DecisionName.REJECT, frozenset({SUBMITTED, CHANGES_REQUESTED}), REJECTED, True, "rejected"),
    Decision(DecisionName.SUSPEND, frozenset({VERIFIED}), SUSPENDED, True, "suspended"),
    Decision(DecisionName.REINSTATE, frozenset({SUSPENDED}), VERIFIED, False, "reinstated"),
)}


def allowed_decisions(status):
    """Names of the decisions that apply to a producer in `status`, in display order."""
    return [name for name, decision in DECISIONS.items() if status in decision.from_statuses]


def check_decision(name, status, reason, actor_id, owner_id, contributed=False):
    """The Decision to apply, or DecisionRefused explaining why not. `contributed`: the actor
    created, filled in or edited this dossier (separation of duties)."""
    decision = DECISIONS[name]
    if actor_id is not None and actor_id == owner_id:
        raise DecisionRefused("own_producer")
    if contributed:
        raise DecisionRefused("own_dossier")
    if status not in decision.from_statuses:
        raise DecisionRefused("not_allowed", decision=name, status=status)
    if decision.needs_reason and not (reason or "").strip():
        raise DecisionRefused("reason_required", decision=name)
    return decision


def payment_fingerprint(version_id, version, *values):
    """A digest of exactly the payment details an officer is shown (bank BIN, account and
    holder; or a payment link). An approval carries it, so details changed in the meantime
    (even back and forth) never get approved unseen."""
    fields = (str(version_id), str(version), *(value or "" for value in values))
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SeenPayment:
    """What the officer's form says they looked at."""
    version_id: object
    fingerprint: str


@dataclass(frozen=True)
class PaymentVersion:
    """The newest version of a payment detail (bank account or payment link), as stored;
    `values` are the fields the officer checks, in a fixed order."""
    id: int
    version: int
    values: tuple
    status: str
    created_by_id: object

    @property
    def fingerprint(self):
        return payment_fingerprint(self.id, self.version, *self.values)


def seen_matches(seen, latest):
    """True when the officer saw the newest version, unchanged."""
    if latest is None or seen is None:
        return False
    return str(seen.version_id or "") == str(latest.id) and (seen.fingerprint or "") == latest.fingerprint


def check_payment_approval(seen, latest, actor_id, producer_status):
    """Raise DecisionRefused unless `actor_id` may approve or reject `latest`, the
    newest bank-details version, having seen `seen`."""
    if latest is None or latest.status != PAYMENT_PENDING:
        raise DecisionRefused("no_pending_payment")
    if producer_status not in PAYMENT_REVIEW_STATUSES:
        raise DecisionRefused("payment_with_dossier")
    if not seen_matches(seen, latest):
        raise DecisionRefused("stale_payment")
    if actor_id is not None and actor_id == latest.created_by_id:
        raise DecisionRefused("own_payment")


def check_dossier_payment(seen, latest):
    """On approving a dossier: if bank details are waiting, the officer must have seen
    exactly them. No details waiting and none seen is fine."""
    waiting = latest is not None and latest.status == PAYMENT_PENDING
    if not waiting:
        if seen is not None and seen.version_id:
            raise DecisionRefused("stale_payment")
        return
    if not seen_matches(seen, latest):
        raise DecisionRefused("stale_payment")


def decision_block(actor_id, owner_id, contributed):
    """Why this person may take no decision on the dossier at all, or None."""
    if actor_id is not None and actor_id == owner_id:
        return "own_producer"
    if contributed:
        return "own_dossier"
    return None
