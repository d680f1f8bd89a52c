"""TikTok Shop VN batch-upload sheet ("Tải lên hàng loạt"), laid out like TikTok's own template.

Layout (docs/MARKETPLACES.md; published copies of Seller Center templates
``Tiktoksellercenter_batchupload_20230415/20241113_template.xlsx`` and public tools that fill the
2025 "V5" templates): one sheet named "Template"; row 1 holds the column keys (``category``,
``brand``, ``product_name``, ``product_description``, ``main_image``, ``image_2`` … ``image_9``,
``parcel_weight``, ``parcel_length``, ``parcel_width``, ``parcel_height``, ``price``, ``quantity``,
``seller_sku`` …), row 2 TikTok's own version line (``V5.0.0, create_product, metric, …``),
row 3 the column names, row 4 "Mandatory" / "Optional" / "Conditionally mandatory", row 5 how
to fill the column, row 6 an example; products from row 7.

Without a template we write that layout and leave row 2 empty: TikTok writes its version there
when the seller downloads a template, so for uploading, the seller's downloaded template should
be given (``template=``); we fill a copy of it by key, and refuse one that marks "Mandatory" a
column we cannot fill (a category attribute, say), listing those columns.

Limits applied, each cut noted in the report: product name 25–254 characters (the template says
"less than 255", the Partner API wants at least 25), description at most 10,000 characters of
p/br HTML, a main image and 8 more, price 1–180,000,000 đồng as a bare number, quantity at most
999,999, seller SKU at most 50 characters. Package weight is in grams (metric sites). The
category cell takes TikTok's category id from the caller or the category file
(marketplace_categories.py); when there is none it stays empty and the report says, per product,
which category to choose. Images must be in TikTok's media centre: the image columns carry our
addresses so the seller knows which files belong where (see xlsx.py).
"""
from __future__ import annotations

from datetime import date
from typing import BinaryIO, Iterable, Mapping

from .base import (
    Exporter, check_goods, check_id, check_main_image, check_price, check_texts, check_weight,
    record_notes, shipping_weight, usable_images,
)
from .problems import ExportError, ExportReport, N_, Problem
from .record import Listing
from .template_fill import TemplateColumn, TemplateHeader, fill_template, head_rows, last_used_row
from .xlsx import (
    MARKETPLACE_IMAGE_TYPES, category_for, marketplace_description, marketplace_title, write_sheet,
)

TIKTOK_TITLE_MIN = 25
TIKTOK_TITLE_MAX = 254
TIKTOK_DESCRIPTION_MAX = 10_000
TIKTOK_PRICE_MAX = 180_000_000
TIKTOK_INVENTORY_MAX = 999_999
TIKTOK_IMAGE_MAX = 9
TIKTOK_SHEET_TITLE = "Template"
FIRST_PRODUCT_ROW = 7  # below keys, version, names, mandatory marks, instructions, example
MANDATORY = "mandatory"

TIKTOK_COLUMNS = (
    TemplateColumn("category", "Category", True, "Mã danh mục TikTok Shop (danh mục lá)"),
    TemplateColumn("brand", "Brand", False, "Để trống: không thương hiệu"),
    TemplateColumn("product_name", "Product Name", True, "25–254 ký tự"),
    TemplateColumn("product_description", "Product Description", True, "Tối đa 10.000 ký tự"),
    TemplateColumn("main_image", "Main Product Image", True, "Đường dẫn ảnh (tải lên Media Center)"),
) + tuple(
    TemplateColumn(f"image_{n}", f"Product Image {n}", False, "Đường dẫn ảnh") for n in range(2, TIKTOK_IMAGE_MAX + 1)
) + (
    TemplateColumn("parcel_weight", "Package Weight(g)", True, "Gam, gồm cả bao bì"),
    TemplateColumn("parcel_length", "Package Length(cm)", False, "Người bán điền", seller_fills=True),
    TemplateColumn("parcel_width", "Package Width(cm)", False, "Người bán điền", seller_fills=True),
    TemplateColumn("parcel_height", "Package Height(cm)", False, "Người bán điền", seller_fills=True),
    TemplateColumn("price", "Retail Price (Local Currency)", True, "1–180.000.000 đồng, không ký hiệu tiền"),
    TemplateColumn("quantity", "Quantity", True, "Tối đa 999.999"),
    TemplateColumn("seller_sku", "Seller SKU", False, "Mã sản phẩm của người bán"),
)
TIKTOK_KEYS = tuple(column.key for column in TIKTOK_COLUMNS)
_BY_KEY = {column.key: column for column in TIKTOK_COLUMNS}


class TiktokXlsxExporter(Exporter):
    name = "tiktok-xlsx"
    label = N_("TikTok Shop batch upload sheet (xlsx)")
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    file_extension = "xlsx"
    accepts_template = True

    def validate(self, listing: Listing) -> list[Problem]:
        problems = check_id(listing, 50) + check_goods(listing) + check_texts(listing, description=True)
        if listing.name and len(listing.name) < TIKTOK_TITLE_MIN:
            problems.append(Problem("name", "title_too_short", {"min": TIKTOK_TITLE_MIN, "length": len(listing.name)}))
        return (
            problems
            + check_price(listing, 1, TIKTOK_PRICE_MAX)
            + check_weight(listing)
            + check_main_image(listing, MARKETPLACE_IMAGE_TYPES)
        )

    def write(
        self,
        listings: Iterable[Listing],
        out: BinaryIO,
        *,
        template=None,
        today: date | None = None,
        in_stock_quantity: int = 1,
        category_ids: Mapping[int, object] | None = None,
    ) -> ExportReport:
        today = today or date.today()
        report = ExportReport(self.name)
        quantity = min(in_stock_quantity, TIKTOK_INVENTORY_MAX)

        def rows():
            for listing in self.accepted(listings, report):
                notes: list[Problem] = []
                images = usable_images(listing, MARKETPLACE_IMAGE_TYPES, TIKTOK_IMAGE_MAX, notes)
                values = {
                    "category": category_for(listing, category_ids, "tiktok_vn", notes),
                    "product_name": marketplace_title(listing, TIKTOK_TITLE_MAX, notes),
                    "product_description": marketplace_description(listing, TIKTOK_DESCRIPTION_MAX, notes,
                                                                   as_html=True),
                    "main_image": images[0],
                    "parcel_weight": shipping_weight(listing, notes),
                    "price": listing.price_vnd,
                    "quantity": quantity if listing.in_stock_on(today) else 0,
                    "seller_sku": listing.id,
                }
                for number, url in enumerate(images[1:], start=2):
                    values[f"image_{number}"] = url
                yield values
                record_notes(report, listing, notes)

        if template is None:
            write_sheet(out, TIKTOK_SHEET_TITLE, TIKTOK_KEYS, _header_rows_then(rows()))
        else:
            fill_template(template, out, _find_key_row, rows())
        return report


def _header_rows_then(rows):
    """Rows 2–6 of our own sheet, then one row per product, in TIKTOK_KEYS order."""
    yield []  # TikTok's version line: written by TikTok into the templates it hands out
    yield [column.label for column in TIKTOK_COLUMNS]
    yield [("Conditionally mandatory" if column.seller_fills else "Mandatory" if column.required else "Optional")
           for column in TIKTOK_COLUMNS]
    yield [column.hint for column in TIKTOK_COLUMNS]
    yield []  # TikTok's example row
    for values in rows:
        yield [values.get(key) for key in TIKTOK_KEYS]


def _find_key_row(workbook) -> TemplateHeader:
    """The row of TikTok column keys (``product_name``, ``price`` …) in the first rows of a sheet.

    The marks row (three rows below the keys, "Mandatory") says which columns are required."""
    for sheet in workbook.worksheets:
        rows = head_rows(sheet)
        for index, cells in enumerate(rows):
            keys = {cell.value.strip(): cell.column for cell in cells
                    if isinstance(cell.value, str) and cell.value.strip()}
            if "product_name" not in keys or "price" not in keys:
                continue
            marks = {cell.column: str(cell.value or "").strip().casefold()
                     for cell in (rows[index + 3] if index + 3 < len(rows) else ())}
            names = {cell.column: cell.value for cell in (rows[index + 2] if index + 2 < len(rows) else ())}
            columns, unfillable = {}, []
            for key, column in keys.items():
                if key in _BY_KEY and not _BY_KEY[key].seller_fills:
                    columns[key] = column
                elif key not in _BY_KEY and marks.get(column) == MANDATORY:
                    unfillable.append(f"{names.get(column) or key} ({key})")
            key_row = index + 1
            first_row = max(last_used_row(sheet, key_row) + 1, key_row + FIRST_PRODUCT_ROW - 1)
            return TemplateHeader(sheet, first_row, columns, tuple(unfillable))
    raise ExportError("template_header_not_found", columns="product_name, price (Product Name, Price)",
                      rows=10)
