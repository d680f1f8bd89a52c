"""Reconciliation rules without Flask: find an order code in a bank's description,
compare what arrived with what is due, and say how far an order's payment has come."""
import re
from datetime import datetime, timedelta

from payments.constants import OrderStatus
from payments.rules import CODE_ALPHABET, CODE_LENGTH, CODE_PREFIX
from reconcile.constants import AmountOutcome, PaymentProgress
from vntext import fold

_SEPARATORS = r"[\s.\-_/:,;#+]*"
_CHARS = "[" + CODE_ALPHABET + "]"
# The code with any separators a bank may have put inside it ("CQ ABC.234", "CQ-ABC234"),
# not glued to a letter or digit before it.
_SPACED_CODE = re.compile(
    r"(?<![A-Z0-9])" + _SEPARATORS.join(CODE_PREFIX) + "".join(_SEPARATORS + _CHARS for _ in range(CODE_LENGTH)))
_COMPACT_CODE = re.compile(f"(?={CODE_PREFIX}{_CHARS}{{{CODE_LENGTH}}})")
_NOT_CODE_CHAR = re.compile(r"[^A-Z0-9]")


def order_code_candidates(description) -> list[str]:
    """Every order code the description may carry, most likely first.

    Banks upper-case the memo, drop diacritics, put prefixes before it
    (``MBVCB.1234567.CQ…``, ``IBFT``, ``TKThe``), and sometimes spaces or dots
    inside it. Codes standing as their own word come first; codes glued to a
    prefix ("…1234567CQABC234") come after. The caller keeps the first one
    that names a real order of the producer.
    """
    if not isinstance(description, str) or not description:
        return []
    text = fold(description).upper()
    standing, glued = [], []
    for match in _SPACED_CODE.finditer(text):
        ends_a_word = match.end() == len(text) or not text[match.end()].isalnum()
        (standing if ends_a_word else glued).append(_NOT_CODE_CHAR.sub("", match.group(0)))
    found = standing + glued
    compact = _NOT_CODE_CHAR.sub("", text)
    for match in _COMPACT_CODE.finditer(compact):
        found.append(compact[match.start():match.start() + len(CODE_PREFIX) + CODE_LENGTH])
    return list(dict.fromkeys(found))


def amount_outcome(amount_due: int, received: int) -> AmountOutcome:
    if received < amount_due:
        return AmountOutcome.PARTIAL
    if received > amount_due:
        return AmountOutcome.OVER
    return AmountOutcome.FULL


PAID_STATUSES = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED)


def payment_progress(status: str, amount_due: int, received: int, created_at: datetime, now: datetime,
                     window_hours: int) -> PaymentProgress:
    """Where an order stands on payment; unpaid for more than `window_hours` (setting
    ORDER_PAYMENT_WINDOW_HOURS) it has expired. Money that arrived counts before expiry: a partly paid
    order stays 'partly paid' however old it is, so the producer follows it up."""
    if status == OrderStatus.CANCELLED:
        return PaymentProgress.CANCELLED
    if status in PAID_STATUSES:
        return PaymentProgress.PAID
    if received > 0:
        return PaymentProgress.PAID if received >= amount_due else PaymentProgress.PARTLY_PAID
    if now - created_at > timedelta(hours=window_hours):
        return PaymentProgress.EXPIRED
    return PaymentProgress.AWAITING
