"""The onboarding wizard's rules: its steps, who may edit what in which status, and
what still blocks a submission.

Pure module (no Flask, no database): it reads attributes of the objects it is given,
so it is unit-tested with plain stand-ins.
"""
from dataclasses import dataclass, field
from datetime import date

ACCOUNT, PROFILE, DOCUMENTS, BANK, REVIEW = 1, 2, 3, 4, 5
TOTAL_STEPS = REVIEW
FIRST_EDITABLE_STEP = PROFILE

DRAFT, SUBMITTED, CHANGES_REQUESTED = "draft", "submitted", "changes_requested"
VERIFIED, REJECTED, SUSPENDED = "verified", "rejected", "suspended"
HOUSEHOLD = "household"

# The profile and its documents can change only before an officer has decided.
EDITABLE_STATUSES = (DRAFT, CHANGES_REQUESTED)
# Bank details may also change after verification (then they need a fresh approval).
BANK_EDITABLE_STATUSES = (DRAFT, CHANGES_REQUESTED, VERIFIED)
SUBMITTABLE_STATUSES = (DRAFT, CHANGES_REQUESTED)


@dataclass(frozen=True)
class Missing:
    """Something that blocks a submission, and the step where it is fixed."""

    code: str
    step: int
    params: dict = field(default_factory=dict)


def can_edit_profile(status):
    return status in EDITABLE_STATUSES


def can_edit_bank(status):
    return status in BANK_EDITABLE_STATUSES


def can_submit(status):
    return status in SUBMITTABLE_STATUSES


def clamp_step(step):
    return max(FIRST_EDITABLE_STEP, min(int(step or FIRST_EDITABLE_STEP), TOTAL_STEPS))


def step_after_saving(saved_step, furthest_step):
    """Saving a step unlocks the next one; going back never forgets how far the producer got."""
    return clamp_step(max(furthest_step or FIRST_EDITABLE_STEP, saved_step + 1))


def resume_step(status, furthest_step):
    """Where 'Continue' leads: the furthest step, or the review page once an officer has
    asked for changes (it shows the officer's reason beside what to fix)."""
    if status == CHANGES_REQUESTED:
        return REVIEW
    return clamp_step(furthest_step)


def step_is_open(step, furthest_step):
    return FIRST_EDITABLE_STEP <= step <= clamp_step(furthest_step)


def needs_business_registration(kind):
    """Household businesses often have no registration paper worth photographing."""
    return kind != HOUSEHOLD


def missing_items(producer, today=None):
    """What must still be given before `producer` can be submitted, in wizard order."""
    today = today or date.today()
    missing = []
    for attribute in ("legal_name", "tax_code", "representative", "commune_code", "address", "phone"):
        if not getattr(producer, attribute, None):
            missing.append(Missing(attribute, PROFILE))
    if needs_business_registration(producer.kind) and not any(
            doc.kind == "business_registration" for doc in producer.documents):
        missing.append(Missing("business_registration", DOCUMENTS))
    certificates = list(producer.certificates)
    if not certificates:
        missing.append(Missing("certificate", DOCUMENTS))
    elif not any(certificate.is_valid(today) for certificate in certificates):
        missing.append(Missing("valid_certificate", DOCUMENTS))
    if not producer.payment_accounts:
        missing.append(Missing("payment_account", BANK))
    return missing
