"""One row -> a validated record or the problems of each column (pure)."""
from datetime import date, datetime

import pytest

from catalog.importer import values
from catalog.importer.messages import ERROR, WARNING, CellProblem
from catalog.importer.rows import validate_row
from tests.unit.importer_files import GIA_PHU, LAO_CAI, product_row


def codes(result, severity=None):
    return sorted((issue.field, issue.code) for issue in result.issues
                  if severity is None or issue.severity == severity)


@pytest.mark.parametrize("cell, expected", [
    ("120000", 120000), ("120.000", 120000), ("120,000", 120000), ("1.200.000", 1200000),
    ("120.000 đ", 120000), ("120.000đ", 120000), ("120 000 VNĐ", 120000), ("250000₫", 250000),
    (120000, 120000), (120000.0, 120000), ("0", 0),
])
def test_price_forms(cell, expected):
    assert values.parse_price(cell) == expected


@pytest.mark.parametrize("cell", ["12.5", "120,5", "1.20.000", "120.000,50", "abc", "-5", -5, 99.5, "1.200,000",
                                  "12e3", True])
def test_prices_that_are_not_whole_dong(cell):
    with pytest.raises(CellProblem) as caught:
        values.parse_price(cell)
    assert caught.value.code == "price_invalid"


def test_absurd_prices_are_refused():
    with pytest.raises(CellProblem) as caught:
        values.parse_price("99.000.000.000")
    assert caught.value.code == "price_out_of_range"


@pytest.mark.parametrize("cell, expected", [("3", 3), (4, 4), (5.0, 5), ("4 sao", 4), ("5★", 5), ("3*", 3)])
def test_stars(cell, expected):
    assert values.parse_stars(cell) == expected


@pytest.mark.parametrize("cell", ["2", "6", 7, "4.5", "bốn", "34"])
def test_bad_stars(cell):
    with pytest.raises(CellProblem) as caught:
        values.parse_stars(cell)
    assert caught.value.code == "stars_invalid"


@pytest.mark.parametrize("cell, expected", [
    ("cooperative", "cooperative"), ("cooperative_group", "cooperative_group"), ("household", "household"),
    ("enterprise", "enterprise"), ("Hợp tác xã", "cooperative"), ("hop tac xa", "cooperative"),
    ("HTX", "cooperative"), ("to hop tac", "cooperative_group"), ("Tổ hợp tác", "cooperative_group"),
    ("ho kinh doanh", "household"), ("Hộ kinh doanh", "household"), ("doanh nghiep", "enterprise"),
    ("DOANH NGHIỆP", "enterprise"), ("Công ty", "enterprise"),
])
def test_producer_types_in_english_and_vietnamese_with_or_without_diacritics(cell, expected):
    assert values.parse_producer_kind(cell) == expected


@pytest.mark.parametrize("cell, expected", [
    ("500", 500), (500, 500), ("500 g", 500), ("500g", 500), ("1,5 kg", 1500), ("1.5kg", 1500), ("2 kg", 2000),
])
def test_weights(cell, expected):
    assert values.parse_weight(cell) == expected


@pytest.mark.parametrize("cell, expected", [
    ("17/05/2024", date(2024, 5, 17)), ("2024-05-17", date(2024, 5, 17)), ("7.5.2024", date(2024, 5, 7)),
    (datetime(2024, 5, 17, 0, 0), date(2024, 5, 17)), (date(2023, 1, 2), date(2023, 1, 2)),
])
def test_dates(cell, expected):
    assert values.parse_date(cell) == expected


def test_a_bad_date_is_a_warning():
    with pytest.raises(CellProblem) as caught:
        values.parse_date("31/02/2024")
    assert (caught.value.code, caught.value.severity) == ("certificate_date_invalid", WARNING)


@pytest.mark.parametrize("cell, expected", [
    ("in_stock", ("in_stock", ())), ("out_of_stock", ("out_of_stock", ())), ("còn hàng", ("in_stock", ())),
    ("Hết hàng", ("out_of_stock", ())), ("seasonal:5-8", ("seasonal", (5, 6, 7, 8))),
    ("theo mùa: 11-2", ("seasonal", (1, 2, 11, 12))), ("theo mua 5,6,7", ("seasonal", (5, 6, 7))),
])
def test_availability(cell, expected):
    assert values.parse_availability(cell) == expected


@pytest.mark.parametrize("cell", ["seasonal", "theo mùa", "maybe", "in_stock:5", "seasonal:13"])
def test_bad_availability(cell):
    with pytest.raises(CellProblem):
        values.parse_availability(cell)


def test_tax_codes():
    assert values.parse_tax_code("0100233488", "cooperative") == "0100233488"
    assert values.parse_tax_code(100233488, "cooperative") == "0100233488"  # Excel ate the leading zero
    assert values.parse_tax_code("0100233488-001", "enterprise") == "0100233488-001"
    assert values.parse_tax_code("001203012345", "household") == "001203012345"
    for bad, kind in (("0100233480", "cooperative"), ("001203012345", "cooperative"), ("12", "household")):
        with pytest.raises(CellProblem) as caught:
            values.parse_tax_code(bad, kind)
        assert (caught.value.code, caught.value.severity) == ("tax_code_invalid", WARNING)


def test_a_sheet_and_the_wizard_accept_the_same_tax_codes():
    """One check (producers.rules.normalise_tax_code, python-stdnum's stdnum.vn.mst): a personal
    ID in digits of another script, once accepted by the sheet reader alone, is refused by both."""
    from producers.rules import IdentifierError, normalise_tax_code

    other_script = "٠٠١٢٠٣٠١٢٣٤٥"  # Arabic-Indic digits: str.isdigit() says yes
    with pytest.raises(IdentifierError):
        normalise_tax_code("household", other_script)
    with pytest.raises(CellProblem):
        values.parse_tax_code(other_script, "household")
    for typed in ("0100233488", "0100233488-001", "01 0023 3488"):
        assert values.parse_tax_code(typed, "enterprise") == normalise_tax_code("enterprise", typed)


def test_a_full_row_becomes_a_record():
    result = validate_row(2, product_row(images="a.jpg; b.jpg;a.jpg"))
    assert result.issues == []
    record = result.record
    assert (record.ref, record.name, record.product_set_code, record.stars) == ("MO-500", "Mật ong bạc hà", 4, 4)
    assert (record.price_vnd, record.unit, record.weight_g) == (250000, "chai 500ml", 700)
    assert (record.certificate_no, record.certificate_date) == ("3981/QĐ-UBND", date(2024, 5, 17))
    assert record.availability == "in_stock" and record.image_names == ("a.jpg", "b.jpg")
    producer = record.producer
    assert (producer.kind, producer.province_code, producer.commune_code) == ("cooperative", LAO_CAI, GIA_PHU)
    assert (producer.phone, producer.tax_code) == ("+84912345678", "0100233488")
    assert producer.key == "htx chè gia phú"


@pytest.mark.parametrize("category, code", [
    ("4", 4), (4, 4), (4.0, 4), ("Mật ong và nông sản sơ chế khác", 4), ("mat ong va nong san so che khac", 4),
    ("Chè (trà)", 11), ("Chè", 11), ("che", 11), ("7 - Chế biến từ rau củ quả", 7), ("Tea", 11),
])
def test_category_by_number_or_official_name(category, code):
    assert validate_row(2, product_row(category=category)).record.product_set_code == code


def test_provinces_are_matched_tolerantly():
    for text in ("Tỉnh Lào Cai", "lao cai", "Yên Bái"):  # Yên Bái is a former name, now in Lào Cai
        assert validate_row(2, product_row(province=text, commune="")).record.producer.province_code == LAO_CAI
    hcm = validate_row(2, product_row(province="TP. Hồ Chí Minh", commune=""))
    assert hcm.record.producer.province_name == "Hồ Chí Minh"


def test_unknown_commune_keeps_the_row_with_a_warning_and_the_text_as_address():
    result = validate_row(5, product_row(commune="Xã Không Có"))
    assert codes(result) == [("commune", "commune_unknown")]
    assert result.issues[0].severity == WARNING
    assert result.record.producer.commune_code is None
    assert result.record.producer.address == "Xã Không Có, Lào Cai"


def test_every_bad_column_is_reported_at_once_with_the_row_number_and_header():
    row = product_row(name="", category="99", stars="7", price_vnd="12,5", producer_type="abc", province="Nowhere")
    result = validate_row(9, row, labels={"price_vnd": "Giá bán"})
    assert result.refused
    assert codes(result, ERROR) == [("category", "category_unknown"), ("name", "value_missing"),
                                    ("price_vnd", "price_invalid"), ("producer_type", "producer_type_unknown"),
                                    ("province", "province_unknown"), ("stars", "stars_invalid")]
    price = next(issue for issue in result.issues if issue.field == "price_vnd")
    assert (price.row, price.header) == (9, "Giá bán")
    assert "12,5" in price.message


def test_empty_optional_cells_are_no_information():
    result = validate_row(2, product_row(description="", price_vnd="", unit="", weight_g="", availability="",
                                         stars="", certificate_no="", certificate_date=""))
    record = result.record
    assert result.issues == []
    assert (record.description, record.price_vnd, record.unit, record.weight_g) == (None, None, None, None)
    assert (record.availability, record.stars, record.certificate_no) == (None, None, None)


def test_stars_without_certificate_data_warn_that_no_badge_will_show():
    result = validate_row(2, product_row(certificate_no="", certificate_date=""))
    assert codes(result, WARNING) == [("stars", "certificate_incomplete")]
    assert result.record.stars == 4 and result.record.certificate_no is None


def test_bad_phone_and_tax_code_are_left_out_with_warnings():
    result = validate_row(2, product_row(phone="12345", tax_code="0100233480"))
    assert codes(result, WARNING) == [("phone", "phone_invalid"), ("tax_code", "tax_code_invalid")]
    assert result.record.producer.phone is None and result.record.producer.tax_code is None


def test_legacy_encoded_text_refuses_the_row():
    result = validate_row(2, product_row(name="MËt ong b¹c hµ", producer_name="HTX ChÌ Gia Phó"))
    assert result.refused
    assert ("name", "legacy_encoding") in codes(result)


def test_ref_is_made_from_the_name_when_empty_and_checked_when_given():
    assert validate_row(2, product_row(ref="")).record.ref == "mat-ong-bac-ha"
    bad = validate_row(2, product_row(ref="mã 1"))
    assert codes(bad) == [("ref", "ref_invalid")]


def test_too_long_text_is_refused():
    result = validate_row(2, product_row(unit="x" * 61))
    assert codes(result) == [("unit", "too_long")]


def test_more_than_eight_photos_warns_for_the_extra_ones():
    names = ";".join(f"p{n}.jpg" for n in range(10))
    result = validate_row(2, product_row(images=names))
    assert len(result.record.image_names) == 8
    assert codes(result) == [("images", "photos_limit"), ("images", "photos_limit")]


def test_text_is_cleaned_to_nfc_single_lines():
    decomposed = "Ma\u0302\u0323t ong   ba\u0323c ha\u0300"
    record = validate_row(2, product_row(name=decomposed, description="Dòng 1\r\nDòng 2  \r\n")).record
    assert record.name == "Mật ong bạc hà"
    assert record.description == "Dòng 1\nDòng 2"


def test_a_commune_whose_name_starts_like_a_prefix_is_found():
    record = validate_row(2, product_row(province="Hà Nội", commune="Phương Liệt")).record
    assert record.producer.commune_code == 352  # Phường Phương Liệt
    assert validate_row(2, product_row(province="Hà Nội", commune="Phường Phương Liệt")).record.producer.commune_code == 352
