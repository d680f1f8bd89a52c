"""payments.rules: order codes, status changes, what may be ordered, payment links."""
import random

import pytest

from payments.constants import OrderStatus
from payments.rules import (CODE_ALPHABET, MAX_LINK_LENGTH, OrderRefused, PaymentLinkError, can_change_status,
                            check_payment_link, link_host, new_order_code, next_statuses, normalise_order_code,
                            order_amount, order_memo, order_refusal, with_client_reference)


def test_alphabet_has_no_lookalikes():
    assert len(CODE_ALPHABET) == len(set(CODE_ALPHABET)) == 32
    assert not set(CODE_ALPHABET) & set("01OIl")


def test_new_codes_use_the_prefix_and_alphabet():
    rng = random.Random(7)
    codes = [new_order_code(rng.choice) for _ in range(2000)]
    assert all(len(code) == 8 and code.startswith("CQ") and set(code[2:]) <= set(CODE_ALPHABET) for code in codes)
    assert len(set(codes)) == 2000
    assert set("".join(code[2:] for code in codes)) == set(CODE_ALPHABET)  # every symbol gets used


def test_code_fits_in_the_vietqr_memo():
    code = new_order_code()
    assert order_memo(code, "Mật ong rừng U Minh").text.startswith(code + " ")


@pytest.mark.parametrize("text,expected", [
    ("CQABC234", "CQABC234"), (" cqabc234 ", "CQABC234"), ("CQ-ABC 234", "CQABC234"),
    ("#cq.abc_234", "CQABC234"), ("CQABC23", None), ("CQABC2345", None), ("CQABC230", None), ("CQABCI34", None),
    ("XXABC234", None), ("", None), (None, None), (1234, None),
])
def test_normalise_order_code(text, expected):
    assert normalise_order_code(text) == expected


def test_status_changes():
    assert next_statuses(OrderStatus.NEW) == (OrderStatus.PAID, OrderStatus.CANCELLED)
    assert can_change_status(OrderStatus.PAID, OrderStatus.SHIPPED)
    assert can_change_status(OrderStatus.SHIPPED, OrderStatus.COMPLETED)
    assert not can_change_status(OrderStatus.NEW, OrderStatus.SHIPPED)
    assert not can_change_status(OrderStatus.NEW, OrderStatus.NEW)
    assert not can_change_status(OrderStatus.SHIPPED, OrderStatus.CANCELLED)
    for final in (OrderStatus.COMPLETED, OrderStatus.CANCELLED):
        assert next_statuses(final) == ()
        assert not any(can_change_status(final, target) for target in OrderStatus.ALL)
    assert not can_change_status("bogus", OrderStatus.PAID)


ORDERABLE = dict(is_public=True, availability="in_stock", season_months=[], month=6, price_vnd=120_000,
                 payment_state="ready")


@pytest.mark.parametrize("changes,code", [
    ({}, None),
    ({"is_public": False}, "not_public"),
    ({"availability": "out_of_stock"}, "out_of_stock"),
    ({"availability": "seasonal", "season_months": [5, 6, 7]}, None),
    ({"availability": "seasonal", "season_months": [11, 12]}, "out_of_season"),
    ({"availability": "seasonal", "season_months": []}, "out_of_season"),
    ({"availability": "unknown"}, "out_of_stock"),
    ({"price_vnd": None}, "no_price"),
    ({"price_vnd": 0}, "no_price"),
    ({"payment_state": "pending"}, "payment_pending"),
    ({"payment_state": "unavailable"}, "no_payment_account"),
])
def test_order_refusal(changes, code):
    assert order_refusal(**{**ORDERABLE, **changes}) == code


def test_order_amount():
    assert order_amount(120_000, 2) == 240_000
    assert order_amount(1, 999) == 999
    for quantity in (0, 1000, -1, True, 2.0, "2"):
        with pytest.raises(OrderRefused) as refused:
            order_amount(120_000, quantity)
        assert refused.value.code == "bad_quantity" and refused.value.params == {"min": 1, "max": 999}
    assert order_amount(500_000, 999) == 499_500_000  # just under the NAPAS247 cap
    with pytest.raises(OrderRefused) as refused:
        order_amount(500_501, 999)
    assert refused.value.code == "amount_too_large"


@pytest.mark.parametrize("url", [
    "https://buy.stripe.com/test_8wM5lM0hV2bk",
    "https://buy.stripe.com/8wM5lM0hV2bk?prefilled_email=a%40b.vn&locale=vi",
    "HTTPS://Buy.Stripe.com/abc",
    "https://pay.example.vn:443/p/1#top",
    "https://xn--ch-qu-xta.vn/pay",
])
def test_https_links_are_accepted(url):
    assert check_payment_link("  " + url + "\n") == url


@pytest.mark.parametrize("url,code", [
    ("", "empty"), ("   ", "empty"), (None, "empty"),
    ("http://buy.stripe.com/abc", "not_https"),
    ("javascript:alert(1)", "not_https"),
    ("JaVaScRiPt:alert(document.cookie)", "not_https"),
    ("data:text/html,<script>alert(1)</script>", "not_a_url"),
    ("data:text/html;base64,PHNjcmlwdD4=", "not_https"),
    ("ftp://files.example.com/x", "not_https"),
    ("buy.stripe.com/abc", "not_a_url"),
    ("//buy.stripe.com/abc", "not_a_url"),
    ("https://", "not_a_url"),
    ("https:///path", "not_a_url"),
    ("https://localhost/pay", "not_a_url"),
    ("https://127.0.0.1/pay", "not_a_url"),
    ("https://buy.stripe.com@evil.example/pay", "not_a_url"),
    ("https://user:pw@buy.stripe.com/pay", "not_a_url"),
    ("https://buy.stripe.com:8443/pay", "not_a_url"),
    ("https://buy.stripe.com:99999/pay", "not_a_url"),
    ("https://buy.stripe.com/a b", "not_a_url"),
    ("https://buy.stripe.com/\"onmouseover=alert(1)", "not_a_url"),
    ("https://buy.stripe.com\\@evil.example", "not_a_url"),
    ("https://buy.stripe.com/<x>", "not_a_url"),
    ("https://buy.stripe.com/\x00", "not_a_url"),
    ("mật ong", "not_a_url"),
    ("https://buy.stripe.com/" + "a" * MAX_LINK_LENGTH, "too_long"),
])
def test_other_links_are_refused(url, code):
    with pytest.raises(PaymentLinkError) as refused:
        check_payment_link(url)
    assert refused.value.code == code


def test_link_of_exactly_500_characters_is_accepted():
    url = "https://buy.stripe.com/" + "a" * (MAX_LINK_LENGTH - len("https://buy.stripe.com/"))
    assert len(url) == MAX_LINK_LENGTH and check_payment_link(url) == url


def test_client_reference_is_appended_keeping_other_parameters():
    assert with_client_reference("https://buy.stripe.com/abc", "CQABC234") == \
        "https://buy.stripe.com/abc?client_reference_id=CQABC234"
    assert with_client_reference("https://buy.stripe.com/abc?locale=vi&prefilled_email=a%40b.vn#x", "CQABC234") == \
        "https://buy.stripe.com/abc?locale=vi&prefilled_email=a%40b.vn&client_reference_id=CQABC234#x"
    # A reference already in the stored link is replaced, never doubled.
    assert with_client_reference("https://buy.stripe.com/abc?client_reference_id=OLD&a=", "CQABC234") == \
        "https://buy.stripe.com/abc?a=&client_reference_id=CQABC234"


def test_link_host():
    assert link_host("https://Buy.Stripe.com/abc?x=1") == "buy.stripe.com"
