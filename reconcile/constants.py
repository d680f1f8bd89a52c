"""The words of reconciliation: where a bank transaction came from, what became of it,
and how far an order's payment has come; with their labels."""
from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Service(StrEnum):
    """Bank-notification services a producer can connect."""
    SEPAY = "sepay"
    CASSO = "casso"


class AuthMethod(StrEnum):
    """How a service proves a notification is its own."""
    SEPAY_HMAC = "sepay_hmac"  # X-SePay-Signature: sha256=HMAC-SHA256(secret, "<timestamp>.<body>")
    SEPAY_API_KEY = "sepay_api_key"  # Authorization: Apikey <key>
    CASSO_SIGNATURE = "casso_signature"  # X-Casso-Signature: t=<ms>,v1=HMAC-SHA512(key, "<t>.<sorted JSON>")


SERVICE_METHODS = {
    Service.SEPAY: (AuthMethod.SEPAY_HMAC, AuthMethod.SEPAY_API_KEY),
    Service.CASSO: (AuthMethod.CASSO_SIGNATURE,),
}


class Source(StrEnum):
    """Where a transaction was learnt from."""
    SEPAY = "sepay"
    CASSO = "casso"
    STATEMENT = "statement"  # a statement file the producer uploaded


class MatchState(StrEnum):
    MATCHED = "matched"  # counted towards an order
    UNMATCHED = "unmatched"  # waits for the producer to match it by hand
    IGNORED = "ignored"  # the producer said it belongs to no order
    # The same transfer already counted through another source (a statement after SePay, say).
    ALREADY_COUNTED = "already_counted"


class AmountOutcome(StrEnum):
    """An order's total received compared with its amount."""
    FULL = "full"
    PARTIAL = "partial"
    OVER = "over"


class PaymentProgress(StrEnum):
    """What the producer's payment list filters by."""
    AWAITING = "awaiting"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


PROGRESS_LABELS = {
    PaymentProgress.AWAITING: _l("Awaiting payment"),
    PaymentProgress.PARTLY_PAID: _l("Partly paid"),
    PaymentProgress.PAID: _l("Paid"),
    PaymentProgress.EXPIRED: _l("Expired"),
    PaymentProgress.CANCELLED: _l("Cancelled"),
}

# Vietnamese URL values of the list's filter (?tinh-trang=…).
PROGRESS_SLUGS = {
    PaymentProgress.AWAITING: "cho-thanh-toan",
    PaymentProgress.PARTLY_PAID: "thanh-toan-mot-phan",
    PaymentProgress.PAID: "da-thanh-toan",
    PaymentProgress.EXPIRED: "het-han",
    PaymentProgress.CANCELLED: "da-huy",
}
PROGRESS_BY_SLUG = {slug: progress for progress, slug in PROGRESS_SLUGS.items()}

OUTCOME_LABELS = {
    AmountOutcome.FULL: _l("Paid in full"),
    AmountOutcome.PARTIAL: _l("Partly paid"),
    AmountOutcome.OVER: _l("Overpaid"),
}

SOURCE_LABELS = {
    Source.SEPAY: "SePay",
    Source.CASSO: "Casso",
    Source.STATEMENT: _l("Bank statement"),
}

SERVICE_LABELS = {Service.SEPAY: "SePay", Service.CASSO: "Casso"}

METHOD_LABELS = {
    AuthMethod.SEPAY_HMAC: _l("HMAC-SHA256 signature (recommended)"),
    AuthMethod.SEPAY_API_KEY: _l("API key"),
    AuthMethod.CASSO_SIGNATURE: _l("Casso webhook V2 signature (checksum key)"),
}

STATE_LABELS = {
    MatchState.MATCHED: _l("Matched"),
    MatchState.UNMATCHED: _l("Not matched"),
    MatchState.IGNORED: _l("Not for an order"),
    MatchState.ALREADY_COUNTED: _l("Already counted"),
}


def label(mapping, value) -> str:
    return str(mapping.get(value, value))
