"""Our own CSV and JSON: the import columns, and a byte-identical CSV round trip."""
import csv
import io
import json
import unicodedata
from dataclasses import replace
from datetime import date

import pytest

from catalog.exporters import (
    EXPORTERS, OUR_COLUMNS, CsvImportError, Listing, read_csv_listings,
)
from catalog.exporters.ourcsv import format_months, parse_months
from catalog.exporters.samples import generate_listings, sample_listing

IMPORT_COLUMNS = [
    "ref", "name", "description", "category", "stars", "price_vnd", "unit", "producer_name", "producer_type",
    "province", "commune", "weight_g", "certificate_no", "certificate_date", "availability", "phone",
    "tax_code", "images",
]


def listing(number=1, **changes):
    return replace(sample_listing(number), **changes)


def to_csv(listings):
    out = io.BytesIO()
    report = EXPORTERS["csv"].write(listings, out)
    return out.getvalue(), report


def tricky_listings():
    return [
        listing(1),
        listing(2, name='=HYPERLINK("http://evil.example","Bấm")', description="-50% hôm nay\n\n+ quà tặng"),
        listing(3, name="'=A1 đã có nháy", producer_name="@Hợp tác xã", phone="+84912345678"),
        listing(4, name='Trà "Shan Tuyết", cổ thụ; loại 1', description="Dòng 1\r\nDòng 2\rDòng 3"),
        listing(5, name=unicodedata.normalize("NFD", "Nước mắm Phú Quốc"), price_vnd=None, weight_g=None,
                stars=None, certificate_no="", certificate_date=None),
        listing(6, availability="seasonal", seasonal_months=(11, 12, 1, 2, 6)),
        listing(7, availability="seasonal", seasonal_months=tuple(range(1, 13)), tax_code="0100233488-001"),
        listing(8, image_names=(), ref="", commune=""),
        listing(9, unit="'kg", description="'trích dẫn'"),
    ]


def test_header_is_exactly_the_import_columns_with_bom_and_crlf():
    data, _ = to_csv([listing(1)])
    assert list(OUR_COLUMNS) == IMPORT_COLUMNS
    assert data.startswith(b"\xef\xbb\xbf" + ",".join(IMPORT_COLUMNS).encode() + b"\r\n")
    assert data.endswith(b"\r\n")


def test_values_in_cells():
    first = listing(3)
    data, _ = to_csv([first])
    [row] = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert row["category"] == "3" and row["stars"] == ""
    assert row["price_vnd"] == str(first.price_vnd) and row["weight_g"] == "5050"
    assert row["availability"] == "seasonal:5-8"
    assert row["images"] == ";".join(first.image_names)
    assert row["tax_code"] == "0100233488"
    assert row["producer_type"] == "enterprise"


def test_formula_cells_are_guarded():
    data, _ = to_csv(tricky_listings())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[1]["name"].startswith("'=HYPERLINK")
    assert rows[1]["description"].startswith("'-50%")
    assert rows[2]["name"] == "''=A1 đã có nháy"
    assert rows[2]["producer_name"] == "'@Hợp tác xã" and rows[2]["phone"] == "'+84912345678"
    assert rows[8]["unit"] == "'kg"


def test_export_import_export_is_byte_identical():
    first, report = to_csv(tricky_listings() + list(generate_listings(40)))
    assert report.exported == 49 and report.skipped == []
    imported = list(read_csv_listings(io.BytesIO(first)))
    second, _ = to_csv(imported)
    assert second == first


def test_import_restores_the_values():
    originals = tricky_listings()
    imported = list(read_csv_listings(io.BytesIO(to_csv(originals)[0])))
    for original, back in zip(originals, imported):
        for field_name in ("ref", "name", "description", "category_code", "stars", "price_vnd", "unit",
                           "producer_name", "producer_type", "province", "commune", "weight_g",
                           "certificate_no", "certificate_date", "availability", "seasonal_months",
                           "phone", "tax_code", "image_names"):
            assert getattr(back, field_name) == getattr(original, field_name), field_name
    assert imported[1].name == '=HYPERLINK("http://evil.example","Bấm")'
    assert imported[2].name == "'=A1 đã có nháy"
    assert imported[3].description == "Dòng 1\nDòng 2\nDòng 3"
    assert imported[5].seasonal_months == (1, 2, 6, 11, 12)


@pytest.mark.parametrize(
    "months, text",
    [((5, 6, 7, 8), "5-8"), ((11, 12, 1, 2), "11-2"), ((1, 2, 6, 11, 12), "11-2,6"), ((3,), "3"),
     ((1, 3, 5), "1,3,5"), (tuple(range(1, 13)), "1-12"), ((12, 1), "12-1")],
)
def test_month_ranges_round_trip(months, text):
    assert format_months(months) == text
    assert parse_months(text) == tuple(sorted(months))


def test_month_lists_typed_by_people_are_accepted():
    assert parse_months("5,6, 7") == (5, 6, 7)
    assert parse_months("5;6") == (5, 6)


def _csv_bytes(header, *rows):
    lines = [",".join(header)] + [",".join(row) for row in rows]
    return io.BytesIO(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))


def _row(**cells):
    base = {"ref": "SP1", "name": "Mật ong", "category": "4", "producer_name": "HTX Yên Hòa",
            "producer_type": "cooperative", "province": "Lâm Đồng"}
    base.update(cells)
    return [base.get(column, "") for column in IMPORT_COLUMNS]


@pytest.mark.parametrize(
    "cells, code, field_name",
    [
        ({"price_vnd": "185.000"}, "number_invalid", "price_vnd"),
        ({"weight_g": "0.5"}, "number_invalid", "weight_g"),
        ({"category": "chè"}, "category_invalid", "category_code"),
        ({"category": "30"}, "category_invalid", "category_code"),
        ({"stars": "4 sao"}, "stars_invalid", "stars"),
        ({"certificate_date": "17/05/2024"}, "date_invalid", "certificate_date"),
        ({"availability": "seasonal"}, "seasonal_months_missing", "seasonal_months"),
        ({"availability": "seasonal:13"}, "month_invalid", "seasonal_months"),
        ({"availability": "còn hàng"}, "availability_invalid", "availability"),
        ({"producer_type": "htx"}, "producer_type_invalid", "producer_type"),
    ],
)
def test_import_errors_name_the_row(cells, code, field_name):
    source = _csv_bytes(IMPORT_COLUMNS, _row(), _row(**cells))
    listings = read_csv_listings(source)
    assert next(listings).name == "Mật ong"
    with pytest.raises(CsvImportError) as caught:
        next(listings)
    assert caught.value.row == 3
    assert caught.value.problem.code == code and caught.value.problem.field == field_name


def test_import_needs_the_required_columns_only():
    short_header = ["name", "category", "producer_name", "producer_type", "province", "extra"]
    source = _csv_bytes(short_header, ["Gạo ST25", "3", "HTX", "cooperative", "Sóc Trăng", "x"], [""] * 6)
    [only] = list(read_csv_listings(source))
    assert only == Listing(name="Gạo ST25", category_code=3, producer_name="HTX", producer_type="cooperative",
                           province="Sóc Trăng")
    with pytest.raises(CsvImportError) as caught:
        list(read_csv_listings(_csv_bytes(["name", "category"], ["Gạo", "3"])))
    assert caught.value.problem.code == "csv_columns_missing"
    assert caught.value.problem.params["columns"] == "producer_name, producer_type, province"


def test_reading_does_not_close_the_source():
    source = io.BytesIO(to_csv([listing(1)])[0])
    list(read_csv_listings(source))
    assert not source.closed


def test_own_formats_refuse_nameless_or_ambiguous_listings():
    own = EXPORTERS["csv"]
    assert [p.code for p in own.validate(listing(1, name=""))] == ["title_missing"]
    assert [p.code for p in own.validate(listing(1, image_names=("a;b.jpg",)))] == ["image_name_invalid"]
    assert own.validate(listing(1, price_vnd=None, url="", image_urls=())) == []


def test_json_is_an_array_of_typed_objects_with_the_same_keys():
    listings = tricky_listings()
    out = io.BytesIO()
    report = EXPORTERS["json"].write(listings, out)
    records = json.loads(out.getvalue().decode("utf-8"))
    assert report.exported == len(records) == len(listings)
    assert all(list(record) == IMPORT_COLUMNS for record in records)
    first = records[0]
    assert first["category"] == 4 and first["stars"] == 4 and isinstance(first["price_vnd"], int)
    assert first["certificate_date"] == listings[0].certificate_date.isoformat()
    assert first["images"] == list(listings[0].image_names)
    assert records[1]["name"] == '=HYPERLINK("http://evil.example","Bấm")'  # JSON needs no guard
    assert records[4]["price_vnd"] is None and records[4]["stars"] is None
    assert records[5]["availability"] == "seasonal:11-2,6"
    assert "Nước mắm".encode() in out.getvalue()  # UTF-8, not \\u escapes


def test_json_empty_export():
    out = io.BytesIO()
    EXPORTERS["json"].write([], out)
    assert json.loads(out.getvalue()) == []


def test_certificate_dates_survive(tmp_path):
    dated = listing(1, certificate_date=date(2024, 2, 29))
    [back] = list(read_csv_listings(io.BytesIO(to_csv([dated])[0])))
    assert back.certificate_date == date(2024, 2, 29)


def test_a_zip_without_photo_files_says_so_once_and_names_no_photo():
    import zipfile

    from catalog.exporters.samples import generate_listings

    out = io.BytesIO()
    report = EXPORTERS["zip"].write(generate_listings(50), out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        assert archive.namelist() == ["choque.csv"]
        rows = list(read_csv_listings(io.BytesIO(archive.read("choque.csv"))))
    assert len(rows) == report.exported == 50 and all(row.image_names == () for row in rows)
    assert [notice.code for notice in report.notices] == ["photo_files_unavailable"] and report.warnings == []
