"""Matching rules without Flask: order codes however banks rewrite them, amounts, progress."""
from datetime import datetime, timedelta

import pytest

from payments.constants import OrderStatus
from payments.rules import new_order_code
from reconcile.rules import amount_outcome, order_code_candidates, payment_progress
from reconcile.constants import AmountOutcome, PaymentProgress


@pytest.mark.parametrize("description", [
    "CQ7KX2MA Mat ong rung U Minh",  # our memo as sent
    "cq7kx2ma mat ong",  # lower case
    "CQ7KX2MA Mật ong rừng",  # diacritics kept
    "MBVCB.4525077405.029552.CQ7KX2MA.CT tu 0351000646393 TRAN THI BINH toi1234567890123",  # Vietcombank app
    "IBFT CQ7KX2MA",  # interbank prefix
    "CQ 7KX 2MA Mat ong",  # spaces inside
    "CQ.7KX.2MA",  # dots inside
    "C Q 7 K X 2 M A",  # every character apart
    "CQ-7KX2MA-mat-ong",
    "MBVCB1234567CQ7KX2MACHUYENTIEN",  # glued to a prefix and to the next word
    "TRAN THI BINH chuyen tien FT23304567890123 CQ7KX2MA",  # Techcombank/MB with its reference first
])
def test_the_code_is_found_however_a_bank_rewrites_it(description):
    assert "CQ7KX2MA" in order_code_candidates(description)


def test_codes_standing_alone_come_before_glued_ones():
    assert order_code_candidates("CQABCDEFGH CQ7KX2MA")[0] == "CQ7KX2MA"


@pytest.mark.parametrize("description", ["", None, "chuyen tien", "CQ7KX2M", "CQ0OIL11", 12345])
def test_no_code(description):
    assert order_code_candidates(description) == []


def test_every_new_code_is_found_in_a_bank_memo():
    for _ in range(200):
        code = new_order_code()
        assert code in order_code_candidates(f"MBVCB.123.{code[:4]} {code[4:]}.CT tu 0351")


@pytest.mark.parametrize("due, received, outcome", [
    (120_000, 120_000, AmountOutcome.FULL), (120_000, 100_000, AmountOutcome.PARTIAL),
    (120_000, 150_000, AmountOutcome.OVER), (120_000, 0, AmountOutcome.PARTIAL)])
def test_amount_outcome(due, received, outcome):
    assert amount_outcome(due, received) == outcome


NOW = datetime(2026, 12, 3, 12, 0)


@pytest.mark.parametrize("status, received, age_hours, progress", [
    (OrderStatus.NEW, 0, 1, PaymentProgress.AWAITING),
    (OrderStatus.NEW, 0, 73, PaymentProgress.EXPIRED),
    (OrderStatus.NEW, 50_000, 1, PaymentProgress.PARTLY_PAID),
    (OrderStatus.NEW, 50_000, 500, PaymentProgress.PARTLY_PAID),  # money arrived: never "expired"
    (OrderStatus.PAID, 0, 1, PaymentProgress.PAID),  # marked paid by hand
    (OrderStatus.SHIPPED, 100_000, 500, PaymentProgress.PAID),
    (OrderStatus.COMPLETED, 100_000, 500, PaymentProgress.PAID),
    (OrderStatus.CANCELLED, 50_000, 1, PaymentProgress.CANCELLED),
])
def test_payment_progress(status, received, age_hours, progress):
    assert payment_progress(status, 100_000, received, NOW - timedelta(hours=age_hours), NOW,
                            window_hours=72) == progress
