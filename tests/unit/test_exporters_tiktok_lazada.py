"""TikTok Shop and Lazada mass-upload sheets, checked against the layouts of their own templates.

Sources (docs/MARKETPLACES.md):
- TikTok Shop Seller Center batch-upload templates, published copies
  ``Tiktoksellercenter_batchupload_20230415_template.xlsx`` and ``…_20241113_template.xlsx``
  (Category mandatory; Brand optional; Product Name mandatory, "less than 255 characters";
  Product Description mandatory; Main Product Image mandatory; Product Image 2–9 optional) and
  public tools that fill the 2025 "V5" templates: sheet "Template"; row 1 the keys (``category``,
  ``brand``, ``product_name``, ``product_description``, ``main_image``, ``image_2``…``image_9``,
  ``parcel_weight``, ``parcel_length/width/height``, ``delivery``, ``price``, ``quantity``,
  ``seller_sku`` …); row 2 TikTok's version line (``V5.0.0, create_product, …``); row 3 the names;
  row 4 Mandatory / Optional / Conditionally mandatory; row 5 instructions; row 6 an example;
  products from row 7. TikTok Shop Partner API 202309 CreateProduct: title 25–255, description
  ≤ 10,000, price 1–180,000,000 VND, seller_sku ≤ 50.
- Lazada Seller Center mass-upload template: sheets Instructions, Data terminology, "Upload
  Template" (the only sheet to fill, header names must not be edited), Valid values, Example
  (Lazada GSP/ASC guides); a published copy's columns (Lazada TH, as a public export tool fills
  it): catId, *Product Name, *Product Images1…8, *Brand, Long Description (Lorikeet),
  *Package Weight (kg), *Package Dimensions (cm)-Length/Width/Height, *Quantity, *Price,
  SellerSKU; a leading * marks a mandatory column. Lazada Open Platform CreateProduct: name ≤ 255,
  description ≤ 25,000, ≤ 8 images, package weight in kg with two decimals.
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


def listing(number=1, **changes):
    return replace(sample_listing(number), **changes)


def export(format_name, listings, **options):
    out = io.BytesIO()
    report = EXPORTERS[format_name].write(listings, out, today=JUNE, **options)
    return out.getvalue(), report


def keyed_row(sheet, row, key_row=1):
    return {sheet.cell(row=key_row, column=c).value: sheet.cell(row=row, column=c).value
            for c in range(1, sheet.max_column + 1)}


def named_rows(sheet, header_row=1):
    names = [cell.value for cell in sheet[header_row]]
    return [dict(zip(names, values)) for values in sheet.iter_rows(min_row=header_row + 1, values_only=True)
            if any(value not in (None, "") for value in values)]


# TikTok Shop


def test_tiktok_sheet_has_the_templates_layout():
    first = listing(1)
    data, report = export("tiktok-xlsx", [first, listing(2)], category_ids={4: "600001"}, in_stock_quantity=25)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Template"]
    sheet = workbook["Template"]
    keys = [cell.value for cell in sheet[1]]
    assert keys[:5] == ["category", "brand", "product_name", "product_description", "main_image"]
    assert keys[5:13] == [f"image_{n}" for n in range(2, 10)]
    assert keys[13:] == ["parcel_weight", "parcel_length", "parcel_width", "parcel_height", "price", "quantity",
                         "seller_sku"]
    names = dict(zip(keys, (cell.value for cell in sheet[3])))
    marks = dict(zip(keys, (cell.value for cell in sheet[4])))
    assert names["product_name"] == "Product Name" and names["parcel_weight"] == "Package Weight(g)"
    assert [key for key, mark in marks.items() if mark == "Mandatory"] == [
        "category", "product_name", "product_description", "main_image", "parcel_weight", "price", "quantity"]
    assert marks["parcel_length"] == "Conditionally mandatory" and marks["brand"] == "Optional"
    assert all(cell.value is None for cell in sheet[2]) and all(cell.value is None for cell in sheet[6])
    row = keyed_row(sheet, 7)  # products start at row 7
    assert row["category"] == "600001" and row["product_name"] == first.name and row["seller_sku"] == "OCOP-000001"
    assert row["product_description"].startswith("<p>Sản phẩm OCOP 4 sao (2024)</p><p>")
    assert row["price"] == first.price_vnd and isinstance(row["price"], int) and row["quantity"] == 25
    assert row["parcel_weight"] == first.weight_g and row["parcel_length"] is None
    assert row["main_image"] == first.image_urls[0] and row["image_2"] == first.image_urls[1]
    assert keyed_row(sheet, 8)["quantity"] == 0  # out of stock
    assert sheet.max_row == 8 and report.exported == 2


def test_tiktok_cuts_to_its_limits_and_reports_each_cut():
    images = tuple(f"https://choque.vn/anh/{n}.jpg" for n in range(12))
    long = listing(1, name="Mật ong hoa cà phê nguyên chất Tây Nguyên " * 8, description="Ngọt. " * 3000,
                   image_urls=images)
    data, report = export("tiktok-xlsx", [long], category_ids={4: "600001"})
    row = keyed_row(load_workbook(io.BytesIO(data))["Template"], 7)
    assert len(row["product_name"]) < 255 and len(row["product_description"]) <= 10_000
    assert row["image_9"] == images[8]
    assert {p.code for p in report.warnings[0].problems} == {"title_truncated", "description_truncated",
                                                              "images_limited"}


@pytest.mark.parametrize("changes, code", [
    ({"name": "Mật ong rừng U Minh"}, "title_too_short"),
    ({"price_vnd": 180_000_001}, "price_out_of_range"),
    ({"image_urls": ()}, "image_missing"),
    ({"description": ""}, "description_missing"),
    ({"weight_g": None, "unit": "chai 1 lít"}, "weight_missing"),
])
def test_tiktok_leaves_out_what_it_would_refuse(changes, code):
    assert code in [p.code for p in EXPORTERS["tiktok-xlsx"].validate(listing(1, **changes))]


def tiktok_template(path, extra=()):
    """A template as TikTok hands it out: keys, version line, names, marks, instructions, example."""
    columns = [("category", "Category", "Mandatory"), ("brand", "Brand", "Optional"),
               ("product_name", "Product Name", "Mandatory"),
               ("product_description", "Product Description", "Mandatory"),
               ("main_image", "Main Product Image", "Mandatory"), ("image_2", "Product Image 2", "Optional"),
               ("parcel_weight", "Package Weight(g)", "Mandatory"),
               ("parcel_length", "Package Length(cm)", "Conditionally mandatory"),
               ("delivery", "Delivery options", "Optional"), ("price", "Retail Price (Local Currency)", "Mandatory"),
               ("quantity", "Quantity", "Mandatory"), ("seller_sku", "Seller SKU", "Optional"),
               ("product_property/100198", "Shelf life", "Conditionally mandatory"), *extra]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Template"
    for number, (key, name, mark) in enumerate(columns, start=1):
        sheet.cell(row=1, column=number, value=key)
        cell = sheet.cell(row=3, column=number, value=name)
        cell.fill = PatternFill("solid", fgColor="FF000000")
        sheet.cell(row=4, column=number, value=mark)
        sheet.cell(row=5, column=number, value="How to fill")
        sheet.cell(row=6, column=number, value="Example")
    for number, value in enumerate(["V5.0.0", "create_product", "metric", "category_v2"], start=1):
        sheet.cell(row=2, column=number, value=value)
    workbook.create_sheet("Example")["A1"] = "Example"
    workbook.save(path)


def test_tiktok_fills_a_copy_of_the_downloaded_template_by_key(tmp_path):
    template = tmp_path / "Tiktoksellercenter_batchupload_template.xlsx"
    tiktok_template(template)
    before = template.read_bytes()
    data, report = export("tiktok-xlsx", [listing(1), listing(2)], template=template, category_ids={4: "600001"})
    assert template.read_bytes() == before and report.exported == 2
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Template", "Example"]
    sheet = workbook["Template"]
    assert [sheet.cell(row=2, column=c).value for c in (1, 2, 3)] == ["V5.0.0", "create_product", "metric"]
    assert sheet.cell(row=3, column=1).fill.fgColor.rgb == "FF000000"  # formatting kept
    assert sheet.cell(row=6, column=1).value == "Example"  # TikTok's example row untouched
    row = keyed_row(sheet, 7)
    assert row["category"] == "600001" and row["product_name"] == listing(1).name
    assert row["parcel_weight"] == listing(1).weight_g and row["price"] == listing(1).price_vnd
    assert row["image_2"] == listing(1).image_urls[1] and row["parcel_length"] is None and row["delivery"] is None
    assert sheet.max_row == 8


def test_tiktok_template_with_mandatory_columns_we_cannot_fill_is_refused(tmp_path):
    template = tmp_path / "food_template.xlsx"
    tiktok_template(template, extra=[("product_property/101610", "Storage conditions", "Mandatory"),
                                     ("qualification/8647636475739801353", "Food safety certificate", "Mandatory")])
    with pytest.raises(ExportError) as caught:
        export("tiktok-xlsx", [listing(1)], template=template)
    assert caught.value.problem.code == "template_columns_unfillable"
    assert caught.value.problem.params["columns"] == (
        "Storage conditions (product_property/101610), "
        "Food safety certificate (qualification/8647636475739801353)")


# Lazada


def test_lazada_sheet_has_the_upload_template_layout():
    first = listing(1, weight_g=1234)
    data, report = export("lazada-xlsx", [first, listing(2, weight_g=None, unit="chai 500 ml")],
                          category_ids={4: 10001234})
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Upload Template"]
    sheet = workbook["Upload Template"]
    names = [cell.value for cell in sheet[1]]
    assert names[:3] == ["catId", "*Product Name", "*Product Images1"]
    assert names[3:10] == [f"Product Images{n}" for n in range(2, 9)]
    assert names[10:] == ["*Brand", "Long Description (Lorikeet)", "*Package Weight (kg)",
                          "*Package Dimensions (cm)-Length (cm)", "*Package Dimensions (cm)-Width (cm)",
                          "*Package Dimensions (cm)-Height (cm)", "*Quantity", "*Price", "SellerSKU"]
    (row,) = named_rows(sheet)
    assert len(report.skipped) == 1 and report.skipped[0].problems[0].code == "weight_missing"
    assert row["catId"] == 10001234 and row["*Product Name"] == first.name and row["SellerSKU"] == "OCOP-000001"
    assert row["*Package Weight (kg)"] == 1.24 and row["*Brand"] == "No Brand"
    assert row["*Package Dimensions (cm)-Length (cm)"] is None
    assert row["*Price"] == first.price_vnd and row["*Product Images1"] == first.image_urls[0]
    assert [n.code for n in report.notices] == ["package_dimensions_needed"]


def test_lazada_cuts_images_to_eight_and_reports_it():
    images = tuple(f"https://choque.vn/anh/{n}.jpg" for n in range(10))
    data, report = export("lazada-xlsx", [listing(1, image_urls=images)], category_ids={4: 1})
    (row,) = named_rows(load_workbook(io.BytesIO(data)).active)
    assert row["Product Images8"] == images[7]
    assert [p.code for p in report.warnings[0].problems] == ["images_limited"]


def lazada_template(path, extra=()):
    workbook = Workbook()
    workbook.active.title = "Instructions"
    workbook.create_sheet("Data terminology")
    sheet = workbook.create_sheet("Upload Template")
    sheet.append(["Group No", "catId", "*Product Name", "*Product Images1", "Product Images2", "*Brand",
                  "Long Description (Lorikeet)", "*Package Weight (kg)", "*Package Dimensions (cm)-Length (cm)",
                  "*Package Dimensions (cm)-Width (cm)", "*Package Dimensions (cm)-Height (cm)", "Color Family",
                  "*Quantity", "SpecialPrice", "*Price", "SellerSKU", *extra])
    workbook.create_sheet("Valid values")["A1"] = "10001234"
    workbook.create_sheet("Example")
    workbook.save(path)


def test_lazada_fills_the_upload_template_sheet_by_name(tmp_path):
    template = tmp_path / "lazada_template.xlsx"
    lazada_template(template)
    data, report = export("lazada-xlsx", [listing(1), listing(2)], template=template, category_ids={4: 10001234})
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Instructions", "Data terminology", "Upload Template", "Valid values", "Example"]
    rows = named_rows(workbook["Upload Template"])
    assert [row["SellerSKU"] for row in rows] == ["OCOP-000001", "OCOP-000002"]
    assert rows[0]["catId"] == 10001234 and rows[0]["*Product Name"] == listing(1).name
    assert rows[0]["*Package Weight (kg)"] == 1.4 and rows[0]["Product Images2"] == listing(1).image_urls[1]
    assert rows[0]["Color Family"] is None and rows[0]["*Package Dimensions (cm)-Length (cm)"] is None
    assert report.exported == 2 and [n.code for n in report.notices] == ["package_dimensions_needed"]


def test_lazada_template_with_mandatory_columns_we_cannot_fill_is_refused(tmp_path):
    template = tmp_path / "lazada_template.xlsx"
    lazada_template(template, extra=["*Shelf Life", "*Country of Origin"])
    with pytest.raises(ExportError) as caught:
        export("lazada-xlsx", [listing(1)], template=template)
    assert caught.value.problem.code == "template_columns_unfillable"
    assert caught.value.problem.params["columns"] == "Shelf Life, Country of Origin"


def test_a_workbook_without_the_columns_is_not_taken_for_a_template(tmp_path):
    template = tmp_path / "other.xlsx"
    workbook = Workbook()
    workbook.active.append(["Tên", "Mô tả"])
    workbook.save(template)
    for format_name in ("tiktok-xlsx", "lazada-xlsx"):
        with pytest.raises(ExportError) as caught:
            export(format_name, [listing(1)], template=template)
        assert caught.value.problem.code == "template_header_not_found"


# Categories, on all three marketplaces


@pytest.mark.parametrize("format_name, marketplace", [
    ("shopee-xlsx", "Shopee"), ("tiktok-xlsx", "TikTok Shop"), ("lazada-xlsx", "Lazada")])
def test_each_product_without_a_category_id_says_so_and_is_still_exported(format_name, marketplace):
    listings = [listing(1), listing(13), listing(5, category_code=13)]
    _, report = export(format_name, listings, category_ids={})
    assert report.exported == 3
    noted = [(issue.listing_id, problem.params["set"], problem.params["marketplace"])
             for issue in report.warnings for problem in issue.problems if problem.code == "category_unmapped"]
    assert noted == [(item.id, item.category_code, marketplace) for item in listings]
    message = report.warnings[0].problems[0].message
    assert message.startswith(f"No category id for OCOP product set 4 on {marketplace}")


def test_notices_and_per_product_notes_survive_the_export_jobs_stored_report():
    """The web export stores its report as JSON on the job; the results page reads it back."""
    from catalog.export_jobs import report_from_json, report_to_json

    _, report = export("lazada-xlsx", [listing(1)], category_ids={})
    back = report_from_json(report_to_json(report))
    assert [n.code for n in back.notices] == ["package_dimensions_needed"]
    assert back.warnings == report.warnings and back.warnings[0].problems[0].code == "category_unmapped"
