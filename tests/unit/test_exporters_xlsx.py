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


def test_weight_comes_from_the_unit_when_missing():
    data, report = export("lazada-xlsx", [listing(1, weight_g=None, unit="túi 250g")], today=JUNE)
    assert sheet_rows(data)[1][0]["*Package Weight (kg)"] == 0.25
    assert "weight_from_unit" in [p.code for p in report.warnings[0].problems]


def test_numbers_stay_numeric_and_text_is_a_typed_string_without_apostrophe():
    evil = listing(1, name="@SUM(1+1) Mật ong rừng nguyên chất loại một", producer_name="-Hộ kinh doanh")
    data, _ = export("lazada-xlsx", [evil], today=JUNE)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["B2"].value == "@SUM(1+1) Mật ong rừng nguyên chất loại một"
    assert sheet["B2"].data_type == "s"
    assert sheet["R2"].data_type == "n" and isinstance(sheet["R2"].value, int)


def test_caller_values_cannot_break_the_sheet_xml():
    data, _ = export("lazada-xlsx", [listing(1)], brand="No\x00 Brand\x1f")
    assert sheet_rows(data)[1][0]["*Brand"] == "No Brand"
