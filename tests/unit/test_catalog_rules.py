"""Pure catalogue rules: numbers as typed, references, months, slugs, certificate bound, links."""
from datetime import date, timedelta

import pytest

from catalog.certificates import earliest_valid_decision_date
from catalog.rules import (InputError, clean_months, clean_ref, months_text, national_number, next_ref, parse_price_vnd, parse_weight_g, parse_whole_number,
                           product_slug, ref_with_suffix, zalo_url)
from producers.ocop import certificate_valid_until


@pytest.mark.parametrize("typed, expected", [
    ("120000", 120_000), ("120.000", 120_000), ("120 000", 120_000), ("120,000", 120_000),
    ("1.250.000", 1_250_000), ("1 250 000", 1_250_000), ("1,250,000", 1_250_000), ("120.000đ", 120_000),
    ("120.000 ₫", 120_000), ("120000 VND", 120_000), ("120.000 vnđ", 120_000), ("120k", 120_000),
    ("120 nghìn", 120_000), (" 95000 ", 95_000), ("+5000", 5_000), ("120\u00a0000", 120_000), ("7", 7),
])
def test_prices_as_people_type_them(typed, expected):
    assert parse_price_vnd(typed) == expected


@pytest.mark.parametrize("typed, code", [
    ("120.5", "decimal"), ("12,50", "decimal"), ("1.20.000", "decimal"), ("120.000,50", "decimal"),
    ("-5000", "negative"), ("−5000", "negative"), ("0", "zero"), ("0.000", "zero"), ("abc", "not_a_number"),
    ("12a", "not_a_number"), ("đ", "not_a_number"), ("2000000000", "too_large"), ("1.5k", "decimal"),
    ("120 00", "not_a_number"),
])
def test_bad_prices_name_their_problem(typed, code):
    with pytest.raises(InputError) as caught:
        parse_price_vnd(typed)
    assert caught.value.code == code


def test_empty_is_none_and_zero_can_be_allowed():
    assert parse_price_vnd("") is None and parse_price_vnd(None) is None and parse_price_vnd("  ") is None
    assert parse_whole_number("0", allow_zero=True) == 0
    assert parse_weight_g("1.000") == 1000


def test_unknown_error_code_is_a_programming_error():
    with pytest.raises(ValueError):
        InputError("nonsense")


def test_refs():
    assert clean_ref("  MO-500 ") == "MO-500"
    assert clean_ref("") == ""
    for bad in ("mã 1", "-abc", "a" * 51, "SP 01", "<b>"):
        with pytest.raises(InputError):
            clean_ref(bad)
    assert next_ref([]) == "SP0001"
    assert next_ref(["SP0001", "sp0003"]) == "SP0002"
    assert ref_with_suffix("MO-500", ["MO-500"]) == "MO-500-2"
    assert ref_with_suffix("MO-500", ["MO-500", "MO-500-2"]) == "MO-500-3"
    assert ref_with_suffix("MO-500-2", ["MO-500", "MO-500-2"]) == "MO-500-3"
    assert ref_with_suffix("CC-200", ["CC-200"]) == "CC-200-2"
    long_ref = "X" * 50
    copy = ref_with_suffix(long_ref, [long_ref])
    assert len(copy) == 50 and copy.endswith("-2")


def test_months_and_slugs():
    assert clean_months(["7", "5", "13", "x", "5", 0, None]) == [5, 7]
    assert months_text(["12", "1"]) == "1,12"
    assert product_slug("Cá chạch sấy khô Yên Hòa") == "ca-chach-say-kho-yen-hoa"
    assert product_slug("Đặc sản Đà Lạt") == "dac-san-da-lat"
    assert product_slug("!!!") == "san-pham"


def test_earliest_valid_decision_date_matches_certificate_validity_every_day():
    day = date(2023, 12, 25)
    while day < date(2026, 4, 1):
        bound = earliest_valid_decision_date(day)
        assert certificate_valid_until(bound) >= day
        assert certificate_valid_until(bound - timedelta(days=1)) < day
        day += timedelta(days=1)


def test_contact_links():
    assert national_number("+84912345678") == "0912345678"
    assert zalo_url("+84912345678") == "https://zalo.me/0912345678"
    assert zalo_url("") == ""


@pytest.mark.parametrize("unit, grams", [
    ("túi 250g", 250), ("hộp 1,2kg", 1200), ("500 gram", 500), ("gói 0.5 kg", 500), ("Túi 250G", 250),
    ("hũ 200 gr", 200), ("chai 500 ml", None), ("chai 1 lít", None), ("chiếc", None), ("", None),
    ("2 x 250g", None), ("hộp 6 gói x 20g", None), ("hộp 1.234 g", None),
])
def test_weight_from_unit_reads_masses_only(unit, grams):
    from catalog.rules import weight_from_unit

    assert weight_from_unit(unit) == grams
