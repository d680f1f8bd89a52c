"""Password rules (ASVS 6.2): 8 to 256 characters, no composition rules,
common passwords refused. Pure, no Flask."""
from functools import lru_cache

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 256
# Frequent Vietnamese choices that English lists miss.
_VIETNAMESE_COMMON = (
    "matkhau", "matkhau123", "anhyeuem", "emyeuanh", "yeuem123", "vietnam", "vietnam123",
    "hanoi123", "saigon123", "abc12345", "12345678", "123456789", "88888888", "66666666",
    "11111111", "00000000", "iloveyou", "khongbiet", "nguyenvan", "tranthi",
)


@lru_cache(maxsize=1)
def _common_passwords():
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"][:3000]) | frozenset(_VIETNAMESE_COMMON)


def password_problem(password: str):
    """None if acceptable, else a reason code: 'too_short', 'too_long' or 'too_common'."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    if password.lower() in _common_passwords():
        return "too_common"
    return None


def hash_password(password: str, method: str) -> str:
    return generate_password_hash(password, method=method)


def verify_password(stored_hash: str, password: str) -> bool:
    return check_password_hash(stored_hash, password)


def needs_rehash(stored_hash: str, method: str) -> bool:
    return not stored_hash.startswith(method + "$")
