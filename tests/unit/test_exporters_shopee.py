"""Shopee's mass-upload sheet, checked against the layout of Shopee's own template.

Source of the layout (see docs/MARKETPLACES.md): Shopee Seller Centre's mass-upload template
("Tải lên hàng loạt", basic template), as described by public sellers' tools that fill it: a
sheet named "Template"; row 1 holds the column keys with two flags, ``key|required|type``
(``ps_product_name|1|0``, ``ps_price|1|1``, ``ps_item_cover_image|0|3``); row 2 the names in the
site's language; rows 3–6 instructions; products from row 7; the other sheets (guide, examples)
must stay in the file. Keys: ps_category, ps_product_name, ps_product_description,
ps_sku_parent_short, et_title_variation_*, ps_price, ps_stock, ps_sku_short, ps_item_cover_image,
ps_item_image_1…8, ps_weight (kg), ps_length/width/height, channel_id.<n>.
"""
import io
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill

from catalog.exporters import EXPORTERS, ExportError
from catalog.exporters.samples import sample_listing

JUNE = date(2025, 6, 15)
# The columns of a Vietnamese basic template, in Shopee's order (labels as the template shows them).
TEMPLATE_COLUMNS = [
    ("ps_category|1|0", "Ngành hàng"), ("ps_product_name|1|0", "Tên sản phẩm"),
    ("ps_product_description|1|0", "Mô tả sản phẩm"), ("ps_sku_parent_short|0|0", "SKU sản phẩm"),
    ("et_title_variation_integration_no|0|0", "Mã phân loại"), ("et_title_variation_1|0|0", "Tên nhóm phân loại 1"),
    ("et_title_option_for_variation_1|0|0", "Tên phân loại 1"), ("et_title_image_per_variation|0|3", "Hình ảnh"),
    ("ps_price|1|1", "Giá"), ("ps_stock|0|1", "Kho hàng"), ("ps_sku_short|0|0", "SKU phân loại"),
    ("ps_item_cover_image|0|3", "Ảnh bìa"),
] + [(f"ps_item_image_{n}|0|3", f"Hình ảnh sản phẩm {n}") for n in range(1, 9)] + [
    ("ps_weight|1|1", "Cân nặng"), ("ps_length|0|1", "Chiều dài"), ("ps_width|0|1", "Chiều rộng"),
    ("ps_height|0|1", "Chiều cao"), ("channel_id.50011|0|0", "Giao hàng nhanh"),
]


def listing(number=1, **changes):
    return replace(sample_listing(number), **changes)


def export(listings, **options):
    out = io.BytesIO()
    report = EXPORTERS["shopee-xlsx"].write(listings, out, today=JUNE, **options)
    return out.getvalue(), report


def shopee_template(path, columns=TEMPLATE_COLUMNS):
    workbook = Workbook()
    guide = workbook.active
    guide.title = "Hướng dẫn"
    guide["A1"] = "Đọc kỹ trước khi điền"
    sheet = workbook.create_sheet("Template")
    for column, (key, label) in enumerate(columns, start=1):
        sheet.cell(row=1, column=column, value=key)
        cell = sheet.cell(row=2, column=column, value=label)
        cell.fill = PatternFill("solid", fgColor="FFEE4D2D")
        sheet.cell(row=3, column=column, value="Bắt buộc" if "|1|" in key else "Tùy chọn")
        sheet.cell(row=4, column=column, value="Hướng dẫn điền")
    workbook.save(path)


def by_key(sheet, row):
    keys = [str(cell.value).split("|")[0] for cell in sheet[1]]
    return {key: cell.value for key, cell in zip(keys, sheet[row])}


def test_our_own_sheet_has_shopees_layout():
    first = listing(1)
    data, report = export([first, listing(2)], category_ids={4: 100642})
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Template"]
    sheet = workbook["Template"]
    assert sheet["A1"].value == "ps_category|1|0" and sheet["B1"].value == "ps_product_name|1|0"
    assert sheet["B2"].value == "Tên sản phẩm" and sheet["B3"].value == "Bắt buộc"
    assert [sheet.cell(row=r, column=2).value for r in (5, 6)] == [None, None]
    row = by_key(sheet, 7)
    assert row["ps_category"] == 100642  # the mapped id, not an empty cell
    assert row["ps_product_name"] == first.name and row["ps_sku_parent_short"] == "OCOP-000001"
    assert row["ps_price"] == first.price_vnd and isinstance(row["ps_price"], int)
    assert row["ps_weight"] == 1.4 and row["ps_stock"] == 1
    assert row["ps_item_cover_image"] == first.image_urls[0]
    assert row["ps_product_description"].startswith("Sản phẩm OCOP 4 sao (2024)\n\n")
    assert by_key(sheet, 8)["ps_stock"] == 0  # out of stock
    assert sheet.max_row == 8 and report.exported == 2


def test_a_product_without_a_category_id_is_exported_and_its_line_names_the_category_to_choose():
    data, report = export([listing(1), listing(5, category_code=13)])  # no seller category id in the file
    assert report.exported == 2 and report.notices == []
    (first,), (second,) = (issue.problems for issue in report.warnings)
    assert (first.code, first.params["set"], first.params["marketplace"]) == ("category_unmapped", 4, "Shopee")
    assert second.params["path"] == "Đồ uống > Cà phê và ca cao (shopee.vn/…-cat.11036525.11036576)"
    assert by_key(load_workbook(io.BytesIO(data))["Template"], 7)["ps_category"] is None


def test_limits_cut_name_description_and_images_and_say_so():
    long_name = "Mật ong hoa cà phê nguyên chất " * 6
    images = tuple(f"https://choque.vn/anh/{n}.jpg" for n in range(12))
    data, report = export([listing(1, name=long_name, description="Ngọt thanh. " * 400, image_urls=images)],
                          category_ids={4: 100642})
    row = by_key(load_workbook(io.BytesIO(data))["Template"], 7)
    assert len(row["ps_product_name"]) <= 120 and len(row["ps_product_description"]) <= 3000
    assert row["ps_item_image_8"] == images[8] and "ps_item_image_9" not in row
    codes = {p.code for p in report.warnings[0].problems}
    assert codes == {"title_truncated", "description_truncated", "images_limited"}


@pytest.mark.parametrize("changes, code", [
    ({"name": "Mật ong"}, "title_too_short"),
    ({"price_vnd": 999}, "price_out_of_range"),
    ({"price_vnd": 120_000_001}, "price_out_of_range"),
    ({"weight_g": None, "unit": "chai 1 lít"}, "weight_missing"),
    ({"image_urls": ()}, "image_missing"),
])
def test_what_shopee_refuses_is_left_out_with_the_reason(changes, code):
    assert code in [p.code for p in EXPORTERS["shopee-xlsx"].validate(listing(1, **changes))]


def test_weight_is_taken_from_the_unit():
    data, report = export([listing(1, weight_g=None, unit="túi 250g")], category_ids={4: 1})
    assert by_key(load_workbook(io.BytesIO(data))["Template"], 7)["ps_weight"] == 0.25
    assert [p.code for p in report.warnings[0].problems] == ["weight_from_unit"]


def test_fills_a_copy_of_the_downloaded_template(tmp_path):
    template = tmp_path / "Shopee_mass_upload_basic_template.xlsx"
    shopee_template(template)
    before = template.read_bytes()
    evil = listing(2, name="=1+1 Nước mắm truyền thống")
    data, report = export([listing(1), evil], template=template, category_ids={4: 100642, 13: 100650})
    assert template.read_bytes() == before and report.exported == 2
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Hướng dẫn", "Template"]
    sheet = workbook["Template"]
    assert sheet.cell(row=2, column=2).fill.fgColor.rgb == "FFEE4D2D"  # formatting kept
    assert sheet.cell(row=4, column=1).value == "Hướng dẫn điền"  # instruction rows untouched
    row = by_key(sheet, 7)  # products start at row 7, under Shopee's header rows
    assert row["ps_category"] == 100642 and row["ps_product_name"] == listing(1).name
    assert row["ps_price"] == listing(1).price_vnd and row["ps_weight"] == 1.4
    assert row["ps_item_image_1"] == listing(1).image_urls[1]
    assert row["et_title_variation_1"] is None and row["ps_length"] is None
    formula_cell = sheet.cell(row=8, column=2)
    assert formula_cell.value == "=1+1 Nước mắm truyền thống" and formula_cell.data_type == "s"
    assert sheet.max_row == 8


def test_a_template_requiring_columns_we_cannot_fill_is_refused_with_their_names(tmp_path):
    template = tmp_path / "category_template.xlsx"
    shopee_template(template, TEMPLATE_COLUMNS + [("ps_brand|1|0", "Thương hiệu"),
                                                  ("ps_length|1|1", "Chiều dài")])
    with pytest.raises(ExportError) as caught:
        export([listing(1)], template=template)
    assert caught.value.problem.code == "template_columns_unfillable"
    assert caught.value.problem.params["columns"] == "Thương hiệu (ps_brand), Chiều dài (ps_length)"


def test_an_older_template_with_vietnamese_names_only_is_filled_by_name(tmp_path):
    """Older templates have no key row: the names (a * marks required) decide."""
    template = tmp_path / "old.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ngành hàng", "Tên sản phẩm*", "Mô tả sản phẩm*", "SKU sản phẩm", "Giá*", "Kho hàng*",
                  "Cân nặng*", "Ảnh bìa*", "Hình ảnh sản phẩm 1"])
    sheet.append(["Mã ngành hàng", "10–120 ký tự"])
    workbook.save(template)
    data, report = export([listing(1)], template=template, category_ids={4: 7})
    values = [cell.value for cell in load_workbook(io.BytesIO(data)).active[3]]
    assert values[:2] == [7, listing(1).name] and values[4] == listing(1).price_vnd
    assert values[6] == 1.4 and values[7] == listing(1).image_urls[0] and values[8] == listing(1).image_urls[1]

    sheet.cell(row=1, column=10, value="Thương hiệu*")
    workbook.save(template)
    with pytest.raises(ExportError) as caught:
        export([listing(1)], template=template)
    assert caught.value.problem.params["columns"] == "Thương hiệu"
