"""Translatable labels for reconciliation terms and codes."""
from flask_babel import lazy_gettext as _l

from reconcile.terms import AmountOutcome, AuthMethod, MatchState, PaymentProgress, Service, Source

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

MATCH_REFUSALS = {
    "not_unmatched": _l("This transaction is already matched or set aside."),
    "order_not_found": _l("None of your orders has this code. Check the code and try again."),
}

STATEMENT_ERRORS = {
    "header_not_found": _l("No row of column names was found in the first %(rows)s rows. The statement needs "
                           "columns for the date (Ngày giao dịch), the amount received (Số tiền ghi có) and the "
                           "description (Nội dung or Mô tả)."),
}

ROW_PROBLEMS = {
    "amount_unreadable": _l("Row %(row)s: “%(value)s” is not an amount in whole đồng; the row was skipped."),
}


def label(mapping, value) -> str:
    return str(mapping.get(value, value))
