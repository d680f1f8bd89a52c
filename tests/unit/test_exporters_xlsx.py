"""Marketplace sheets (Shopee, TikTok Shop, Lazada), read back with openpyxl."""
import io
import zipfile
from dataclasses import replace
from datetime import date

import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook

from catalog.exporters import EXPORTERS, ExportError
from catalog.exporters.samples import generate_listings, sample_listing
from catalog.exporters.xlsx_stream import column_letters

JUNE = date(2025, 6, 15)


def listing(number=1, **changes):
    return replace(sample_listing(number), **changes)


def export(format_name, listings, **options):
    out = io.BytesIO()
    report = EXPORTERS[format_name].write(listings, out, **options)
    return out.getvalue(), report


def sheet_rows(data):
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    return list(rows[0]), [dict(zip(rows[0], row)) for row in rows[1:]]


def test_column_letters():
    assert [column_letters(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]


@pytest.mark.parametrize("format_name", ["shopee-xlsx", "tiktok-xlsx", "lazada-xlsx"])
def test_streamed_workbook_parts_are_well_formed(format_name):
    data, _ = export(format_name, generate_listings(5), today=JUNE)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = set(archive.namelist())
        assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} <= names
        for name in names:
            etree.fromstring(archive.read(name))


def test_shopee_requirements():
    shopee = EXPORTERS["shopee-xlsx"]
    assert [p.code for p in shopee.validate(listing(1, weight_g=None))] == ["weight_missing"]
    assert [p.code for p in shopee.validate(listing(1, image_urls=()))] == ["image_missing"]
    assert [p.code for p in shopee.validate(listing(1, description=""))] == ["description_missing"]
    assert shopee.validate(listing(1, image_urls=("https://choque.vn/1-1200.webp",))) == []


def test_shopee_template_without_known_headers_is_refused(tmp_path):
    template = tmp_path / "other.xlsx"
    workbook = Workbook()
    workbook.active.append(["Tên", "Mô tả"])
    workbook.save(template)
    with pytest.raises(ExportError) as caught:
        export("shopee-xlsx", [listing(1)], template=template)
    assert caught.value.problem.code == "template_header_not_found"
    assert caught.value.problem.params["rows"] == 10


def test_tiktok_sheet_values():
    first = listing(1)
    data, report = export("tiktok-xlsx", [first], today=JUNE, in_stock_quantity=25)
    headers, rows = sheet_rows(data)
    assert headers[:7] == ["seller_sku", "category_id", "title", "description", "price_vnd", "inventory",
                           "package_weight_kg"]
    assert headers[-1] == "main_image_9"
    row = rows[0]
    assert row["seller_sku"] == "OCOP-000001" and row["title"] == first.name
    assert row["description"].startswith("<p>Sản phẩm OCOP 4 sao (2024)</p><p>")
    assert "<br>" in row["description"]
    assert row["price_vnd"] == first.price_vnd and row["inventory"] == 25
    assert row["main_image_1"] == first.image_urls[0]


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"name": "Mật ong rừng U Minh"}, "title_too_short"),
        ({"price_vnd": 180_000_001}, "price_out_of_range"),
        ({"price_vnd": None}, "price_missing"),
        ({"image_urls": ()}, "image_missing"),
        ({"category_code": 26}, "service_not_product"),
    ],
)
def test_tiktok_requirements(changes, code):
    assert code in [p.code for p in EXPORTERS["tiktok-xlsx"].validate(listing(1, **changes))]


def test_tiktok_accepts_the_price_bounds_and_cuts_long_titles():
    tiktok = EXPORTERS["tiktok-xlsx"]
    assert tiktok.validate(listing(1, price_vnd=180_000_000)) == []
    assert tiktok.validate(listing(1, price_vnd=1)) == []
    data, report = export("tiktok-xlsx", [listing(1, name="Cà phê Robusta rang mộc " * 20)])
    assert len(sheet_rows(data)[1][0]["title"]) <= 254
    assert "title_truncated" in [p.code for p in report.warnings[0].problems]


def test_lazada_sheet_values_and_requirements():
    first = listing(1, weight_g=1234)
    data, report = export("lazada-xlsx", [first, listing(2, weight_g=None, unit="chai 500 ml")], today=JUNE)
    headers, rows = sheet_rows(data)
    assert headers[:11] == ["SellerSku", "PrimaryCategory", "name", "description", "brand", "price",
                            "quantity", "package_weight", "package_length", "package_width", "package_height"]
    assert headers[-1] == "image_8"
    assert len(rows) == 1 and report.skipped[0].problems[0].code == "weight_missing"
    row = rows[0]
    assert row["package_weight"] == 1.24 and row["brand"] == "No Brand"
    assert row["package_length"] is None
    assert row["price"] == first.price_vnd


def test_weight_comes_from_the_unit_when_missing():
    data, report = export("lazada-xlsx", [listing(1, weight_g=None, unit="túi 250g")], today=JUNE)
    assert sheet_rows(data)[1][0]["package_weight"] == 0.25
    assert "weight_from_unit" in [p.code for p in report.warnings[0].problems]


def test_numbers_stay_numeric_and_text_is_a_typed_string_without_apostrophe():
    evil = listing(1, name="@SUM(1+1) Mật ong rừng nguyên chất loại một", producer_name="-Hộ kinh doanh")
    data, _ = export("tiktok-xlsx", [evil], today=JUNE)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["C2"].value == "@SUM(1+1) Mật ong rừng nguyên chất loại một"
    assert sheet["C2"].data_type == "s"
    assert sheet["E2"].data_type == "n" and isinstance(sheet["E2"].value, int)


def test_caller_values_cannot_break_the_sheet_xml():
    data, _ = export("lazada-xlsx", [listing(1)], brand="No\x00 Brand\x1f")
    assert sheet_rows(data)[1][0]["brand"] == "No Brand"
