"""The words of reconciliation: where a bank transaction came from, what became of it,
and how far an order's payment has come."""
from enum import StrEnum


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
