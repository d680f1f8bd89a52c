"""The accounts' rules, without Flask or the database: the password policy (ASVS 6.2: 8 to 256
characters, no composition rules, common passwords refused), who works for communes, and the
log-in back-off. Hashing is accounts.passwords."""
from datetime import timedelta
from functools import lru_cache

from accounts.constants import COMMUNE_ROLES

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


def works_for_communes(role) -> bool:
    """Officers and helpers act on behalf of producers of their communes."""
    return role in COMMUNE_ROLES


# Failed log-ins: the first FREE_FAILURES cost nothing, then the wait doubles up to MAX_BACKOFF.
FREE_FAILURES = 3
MAX_BACKOFF = timedelta(minutes=15)


def backoff(failures: int) -> timedelta | None:
    """How long to block after this many failures in a row; None while they are free."""
    if failures <= FREE_FAILURES:
        return None
    return min(timedelta(seconds=2 ** (failures - FREE_FAILURES - 1)), MAX_BACKOFF)


def throttle_keys(phone, remote_addr) -> list[str]:
    """Failures are counted per account and per address."""
    return [f"user:{phone}", f"ip:{remote_addr or '-'}"]
