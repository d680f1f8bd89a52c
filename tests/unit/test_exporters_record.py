"""Listing record: normalisation on construction and value checks."""
import unicodedata
from dataclasses import replace
from datetime import date, datetime

import pytest

from catalog.exporters import InvalidListing, nfc_clean
from catalog.exporters.samples import sample_listing


def base(**changes):
    return replace(sample_listing(1), **changes)


def test_nfc_clean_composes_and_drops_controls():
    decomposed = unicodedata.normalize("NFD", "Mật ong")
    assert decomposed != "Mật ong"
    assert nfc_clean(decomposed) == "Mật ong"
    assert nfc_clean("a\x00b\x07c\x1bd\x85e\ud800f\ufffe") == "abcdef"
    assert nfc_clean("dòng 1\r\ndòng 2\rdòng 3\tcột") == "dòng 1\ndòng 2\ndòng 3\tcột"
    assert nfc_clean(None) == ""


def test_single_line_fields_are_nfc_and_collapsed():
    listing = base(name=unicodedata.normalize("NFD", "  Nước   mắm\tPhú\nQuốc\u00a0 "), phone=" 0912 345 678 ")
    assert listing.name == "Nước mắm Phú Quốc"
    assert unicodedata.is_normalized("NFC", listing.name)
    assert listing.phone == "0912 345 678"


def test_description_keeps_paragraphs_but_trims_lines():
    listing = base(description="  Dòng một   \r\n\r\nDòng hai\x07  \n")
    assert listing.description == "Dòng một\n\nDòng hai"


def test_sequences_become_tuples_without_blanks():
    listing = base(image_urls=["https://a.vn/1.jpg", "  ", "https://a.vn/2.jpg"], image_names=["1.jpg", ""])
    assert listing.image_urls == ("https://a.vn/1.jpg", "https://a.vn/2.jpg")
    assert listing.image_names == ("1.jpg",)


@pytest.mark.parametrize(
    "changes, field_name, code",
    [
        ({"category_code": 0}, "category_code", "category_invalid"),
        ({"category_code": 27}, "category_code", "category_invalid"),
        ({"category_code": True}, "category_code", "category_invalid"),
        ({"stars": 2}, "stars", "stars_invalid"),
        ({"availability": "in stock"}, "availability", "availability_invalid"),
        ({"producer_type": "company"}, "producer_type", "producer_type_invalid"),
        ({"price_vnd": -5}, "price_vnd", "number_invalid"),
        ({"price_vnd": 185.5}, "price_vnd", "number_invalid"),
        ({"weight_g": "700"}, "weight_g", "number_invalid"),
        ({"availability": "seasonal", "seasonal_months": ()}, "seasonal_months", "seasonal_months_missing"),
        ({"availability": "seasonal", "seasonal_months": (0, 5)}, "seasonal_months", "month_invalid"),
    ],
)
def test_invalid_values_raise_with_a_translatable_problem(changes, field_name, code):
    with pytest.raises(InvalidListing) as caught:
        base(**changes)
    assert caught.value.problem.field == field_name
    assert caught.value.problem.code == code
    assert caught.value.problem.message  # English text fills its placeholders


def test_months_are_sorted_and_only_kept_for_seasonal_goods():
    assert base(availability="seasonal", seasonal_months=[8, 5, 6, 5]).seasonal_months == (5, 6, 8)
    assert base(availability="in_stock", seasonal_months=(5,)).seasonal_months == ()


def test_seasonal_goods_are_in_stock_only_in_season():
    longan = base(availability="seasonal", seasonal_months=(11, 12, 1))
    assert longan.in_stock_on(date(2025, 12, 15))
    assert longan.in_stock_on(date(2026, 1, 31))
    assert not longan.in_stock_on(date(2026, 2, 1))
    assert base(availability="in_stock").in_stock_on(date(2025, 2, 1))
    assert not base(availability="out_of_stock").in_stock_on(date(2025, 2, 1))


def test_certificate_datetime_becomes_date_and_label_falls_back():
    listing = base(certificate_date=datetime(2024, 5, 17, 9, 30))
    assert listing.certificate_date == date(2024, 5, 17)
    assert base(id="", ref="SP1").label == "SP1"
    assert base(id="", ref="").label == listing.name


def test_listing_is_frozen():
    with pytest.raises(AttributeError):
        sample_listing(1).name = "khác"
