"""One-time claim codes: a helper fills in a farmer's profile and hands over a code
on paper; the farmer enters it to become the owner.

Pure module (no Flask). A code is 10 characters from an alphabet without look-alikes
(no 0/O, 1/I/L, 2/Z, 5/S, 8/B). Its first 3 characters are a *selector* stored in
clear so the claim can find its producer without trying every hash; the whole code
is stored only as a Werkzeug password hash. The stored value is "<selector>|<hash>".
"""
import re
import secrets

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
