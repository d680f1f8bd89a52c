"""The producers' rules, without Flask or the database.

- Identifiers a producer types: tax codes, personal IDs, OCOP decision numbers, bank account
  numbers and holder names. Each `normalise_*` returns the canonical form to store or raises
  `IdentifierError(code, **params)`; the web layer turns the code into a translated message.
  `normalise_tax_code` is the one tax-code check (the catalogue's importer calls it too).
- The onboarding wizard: its steps, who may edit what in which status, and what still blocks
  a submission. These read attributes of the objects they are given, so they are unit-tested
  with plain stand-ins.
"""
import re
from dataclasses import dataclass, field
from datetime import date

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.vn import mst

from producers.constants import DocumentKind, ProducerKind, ProducerStatus
from vntext import fold, nfc

PERSONAL_ID_LENGTH = 12
ACCOUNT_NUMBER_MIN, ACCOUNT_NUMBER_MAX = 6, 19
HOLDER_NAME_MAX = 100
DECISION_NUMBER_MAX = 60

_SEPARATORS = re.compile(r"[\s.]+")
# 3-digit place code, then the century/sex digit: 0/1 born in the 1900s, 2/3 in the 2000s
# (Circular 07/2016/TT-BCA Art. 7). A living representative is born in one of those.
_PERSONAL_ID = re.compile(r"[0-9]{3}[0-3][0-9]{8}")
_ASCII_DIGITS = re.compile(r"[0-9]+")  # str.isdigit() also accepts digits of other scripts
# "3981/QĐ-UBND", "12/2024/QĐ-UBND", "275a/QĐ-SNN": a number, optional parts, then QĐ-<issuer>.
_DECISION_NUMBER = re.compile(r"[0-9]{1,6}[A-Z]?(/[0-9]{1,4})?/QĐ-[A-ZĐ0-9]+([.\-/][A-ZĐ0-9]+)*")
# What bank apps print on a beneficiary name once accents are gone.
_HOLDER_NAME = re.compile(r"[A-Z0-9 .,&()/\-]+")


class IdentifierError(ValueError):
    """Bad input; `code` names the problem, `params` fill the translated message."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def normalise_tax_code(kind, text):
    """A tax code as stored: 10 digits, or 13 written NNNNNNNNNN-NNN; for a household
    business also the representative's 12-digit personal ID. None when empty."""
    compact = _SEPARATORS.sub("", text or "")
    if not compact:
        return None
    if len(compact) == PERSONAL_ID_LENGTH and _ASCII_DIGITS.fullmatch(compact):
        if kind != ProducerKind.HOUSEHOLD:
            raise IdentifierError("personal_id_not_allowed")
        if not _PERSONAL_ID.fullmatch(compact):
            raise IdentifierError("personal_id_format")
        return compact
    try:
        number = mst.validate(compact)
    except (InvalidLength, InvalidFormat):
        raise IdentifierError("tax_code_format") from None
    except InvalidChecksum:
        raise IdentifierError("tax_code_checksum") from None
    except (InvalidComponent, ValidationError):
        raise IdentifierError("tax_code_invalid") from None
    return mst.format(number)


def is_personal_id(value):
    return bool(value) and len(value) == PERSONAL_ID_LENGTH and bool(_ASCII_DIGITS.fullmatch(value))


def mask_personal_id(value):
    """Personal IDs are personal data: show only the last 4 digits."""
    if not is_personal_id(value):
        return value
    return "•" * (len(value) - 4) + value[-4:]


def normalise_decision_number(text):
    """'3981 / qđ-ubnd' -> '3981/QĐ-UBND'. 'QD' typed without the stroke becomes 'QĐ'."""
    compact = re.sub(r"\s+", "", nfc(text or "")).upper()
    if not compact:
        raise IdentifierError("decision_number_missing")
    compact = re.sub(r"/QD-", "/QĐ-", compact)
    if len(compact) > DECISION_NUMBER_MAX or not _DECISION_NUMBER.fullmatch(compact):
        raise IdentifierError("decision_number_format")
    return compact


def normalise_account_number(text):
    """Digits only (spaces and dots people copy from a bank card are dropped), 6–19 long."""
    compact = re.sub(r"[\s.\-]+", "", text or "")
    if not compact:
        raise IdentifierError("account_number_missing")
    if not _ASCII_DIGITS.fullmatch(compact):
        raise IdentifierError("account_number_digits")
    if not ACCOUNT_NUMBER_MIN <= len(compact) <= ACCOUNT_NUMBER_MAX:
        raise IdentifierError("account_number_length", min=ACCOUNT_NUMBER_MIN, max=ACCOUNT_NUMBER_MAX)
    return compact


ACCOUNT_GROUP = 4


def group_account(number):
    """'0071000123456' → '0071 0001 2345 6'; a masked one stays masked ('• •••• •••• 3456')."""
    text = str(number or "").replace(" ", "")
    if not text:
        return ""
    if not text[0].isdigit():
        # Masked: group from the right, so the visible last digits stay together.
        head = len(text) % ACCOUNT_GROUP
        groups = [text[:head]] if head else []
        return " ".join(groups + [text[i:i + ACCOUNT_GROUP] for i in range(head, len(text), ACCOUNT_GROUP)])
    return " ".join(text[i:i + ACCOUNT_GROUP] for i in range(0, len(text), ACCOUNT_GROUP))


def normalise_holder_name(text):
    """'Nguyễn Thị Hoà' -> 'NGUYEN THI HOA': upper case without diacritics, as banks show it."""
    name = re.sub(r"\s+", " ", fold(nfc(text or "")).upper()).strip()
    if not name:
        raise IdentifierError("holder_name_missing")
    if len(name) > HOLDER_NAME_MAX:
        raise IdentifierError("holder_name_length", max=HOLDER_NAME_MAX)
    if not _HOLDER_NAME.fullmatch(name):
        raise IdentifierError("holder_name_characters")
    return name


# --- the onboarding wizard ------------------------------------------------------------------
ACCOUNT, PROFILE, DOCUMENTS, BANK, REVIEW = 1, 2, 3, 4, 5
TOTAL_STEPS = REVIEW
FIRST_EDITABLE_STEP = PROFILE

DRAFT, SUBMITTED, CHANGES_REQUESTED = ProducerStatus.DRAFT, ProducerStatus.SUBMITTED, ProducerStatus.CHANGES_REQUESTED
VERIFIED, REJECTED, SUSPENDED = ProducerStatus.VERIFIED, ProducerStatus.REJECTED, ProducerStatus.SUSPENDED

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
    return kind != ProducerKind.HOUSEHOLD


def missing_items(producer, today=None):
    """What must still be given before `producer` can be submitted, in wizard order."""
    today = today or date.today()
    missing = []
    for attribute in ("legal_name", "tax_code", "representative", "commune_code", "address", "phone"):
        if not getattr(producer, attribute, None):
            missing.append(Missing(attribute, PROFILE))
    if needs_business_registration(producer.kind) and not any(
            doc.kind == DocumentKind.BUSINESS_REGISTRATION for doc in producer.documents):
        missing.append(Missing("business_registration", DOCUMENTS))
    certificates = list(producer.certificates)
    if not certificates:
        missing.append(Missing("certificate", DOCUMENTS))
    elif not any(certificate.is_valid(today) for certificate in certificates):
        missing.append(Missing("valid_certificate", DOCUMENTS))
    if not producer.payment_accounts:
        missing.append(Missing("payment_account", BANK))
    return missing
