"""One-time claim codes: a helper fills in a farmer's profile and hands over a code
on paper; the farmer enters it to become the owner.

Pure module (no Flask). A code is 10 characters from an alphabet without look-alikes
(no 0/O, 1/I/L, 2/Z, 5/S, 8/B). Its first 3 characters are a *selector* stored in
clear so the claim can find its producer without trying every hash; the whole code
is stored only as a Werkzeug password hash. The stored value is "<selector>|<hash>".

A code is bound to the farmer's mobile number the helper typed (E.164) and expires after
CLAIM_CODE_DAYS: `refusal()` says why a matching code may not be used.
"""
import re
import secrets
from datetime import timedelta
from enum import StrEnum

from werkzeug.security import check_password_hash, generate_password_hash

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 10
SELECTOR_LENGTH = 3
GROUP_SIZE = 5
_SEPARATOR = "|"
_NOT_CODE = re.compile(r"[\s\-.]+")


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(text):
    """What the farmer typed, as a code ('acdef-ghjk m' -> 'ACDEFGHJKM'); None if it cannot be one."""
    compact = _NOT_CODE.sub("", text or "").upper()
    if len(compact) != CODE_LENGTH or any(ch not in ALPHABET for ch in compact):
        return None
    return compact


def display(code):
    """'ACDEFGHJKM' -> 'ACDEF-GHJKM': easier to read aloud and copy from paper."""
    return "-".join(code[i:i + GROUP_SIZE] for i in range(0, len(code), GROUP_SIZE))


def selector(code):
    return code[:SELECTOR_LENGTH]


def stored_value(code, method="scrypt"):
    return selector(code) + _SEPARATOR + generate_password_hash(code, method=method)


def stored_prefix(code):
    """The LIKE prefix that finds candidates for a typed code."""
    return selector(code) + _SEPARATOR


def matches(stored, code):
    if not stored or not code or _SEPARATOR not in stored:
        return False
    stored_selector, hashed = stored.split(_SEPARATOR, 1)
    return secrets.compare_digest(stored_selector, selector(code)) and check_password_hash(hashed, code)


class ClaimRefusal(StrEnum):
    """Why a code that matches may still not be used."""
    EXPIRED = "expired"
    OTHER_PHONE = "other_phone"


def expires_at(issued_at, days):
    return issued_at + timedelta(days=days)


def refusal(now, expires, bound_phone, user_phone):
    """None when the user may claim; else the reason. A code without a bound phone or an
    expiry (issued before codes travelled) keeps working as before."""
    if expires is not None and now >= expires:
        return ClaimRefusal.EXPIRED
    if bound_phone and bound_phone != user_phone:
        return ClaimRefusal.OTHER_PHONE
    return None


def short_path(code):
    """The path of the short link that opens the claim page with the code filled in."""
    return "/n/" + code
