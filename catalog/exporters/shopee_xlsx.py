"""Shopee VN mass-upload sheet ("Tải lên hàng loạt"), laid out like Shopee's own template.

Layout (docs/MARKETPLACES.md): a sheet named "Template" whose row 1 holds Shopee's column keys
with two flags, ``key|required|type`` (``ps_product_name|1|0``: required text; type 1 is a
number, 3 an image address), row 2 the column names in Vietnamese, rows 3–6 what is required
and how to fill it, and products from row 7.

Without a template we write that layout ourselves. With ``template=`` (the seller's
downloaded, category-specific file, a path or a binary file) we fill a COPY of it: the key row
is found in the first 10 rows of any sheet (or, in older templates without keys, the row of
column names), products go below the last used row, and every other sheet and style stays.
A template that requires a column we cannot fill is refused with the list of those columns,
instead of a file Shopee would reject row by row.

Limits applied (cuts and drops are noted in the report): name 10–120 characters, description
at most 3,000 characters (plain text, with the OCOP line first), cover image plus 8 images,
price 1,000–120,000,000 đồng as a whole number, weight in kg with packaging. Category ids come
from the caller or the category file (marketplace_categories.py). Images must be uploaded to
Shopee; the image columns carry our addresses (see xlsx.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO, Iterable, Mapping

from .base import (
    Exporter, check_goods, check_id, check_main_image, check_price, check_texts, check_weight,
    record_notes, shipping_weight, usable_images,
)
from .fields import kilograms
from .problems import ExportError, ExportReport, N_, Problem
from .record import Listing
from .template_fill import label_key, last_used_row
from .xlsx import (
    MARKETPLACE_IMAGE_TYPES, category_for, marketplace_description, marketplace_title, set_typed_cell,
    write_sheet,
)

SHOPEE_NAME_MIN = 10
SHOPEE_NAME_MAX = 120
SHOPEE_DESCRIPTION_MAX = 3000
SHOPEE_PRICE_MIN = 1_000
SHOPEE_PRICE_MAX = 120_000_000
SHOPEE_IMAGE_MAX = 9  # the cover and 8 more
SHOPEE_HEADER_SEARCH_ROWS = 10
SHOPEE_SHEET_TITLE = "Template"
FIRST_PRODUCT_ROW = 7
TEXT, NUMBER, IMAGE = 0, 1, 3


@dataclass(frozen=True)
class ShopeeColumn:
    key: str
    label: str  # as in Shopee's Vietnamese template
    required: bool
    kind: int
    hint: str  # our instruction row
    aliases: tuple[str, ...] = ()  # other names seen in templates (English, older Vietnamese)

    @property
    def key_cell(self) -> str:
        return f"{self.key}|{int(self.required)}|{self.kind}"


# The columns we fill, in Shopee's order.
FILLED_COLUMNS = (
    ShopeeColumn("ps_category", "Ngành hàng", True, TEXT, "Mã ngành hàng Shopee", ("Category",)),
    ShopeeColumn("ps_product_name", "Tên sản phẩm", True, TEXT, "10–120 ký tự", ("Product Name",)),
    ShopeeColumn("ps_product_description", "Mô tả sản phẩm", True, TEXT, "Tối đa 3000 ký tự",
                 ("Product Description",)),
    ShopeeColumn("ps_sku_parent_short", "SKU sản phẩm", False, TEXT, "Mã sản phẩm của người bán",
                 ("Parent SKU", "SKU", "Mã sản phẩm")),
    ShopeeColumn("ps_price", "Giá", True, NUMBER, "1.000–120.000.000 đồng", ("Price",)),
    ShopeeColumn("ps_stock", "Kho hàng", True, NUMBER, "Số lượng có sẵn", ("Stock",)),
    ShopeeColumn("ps_item_cover_image", "Ảnh bìa", True, IMAGE, "Đường dẫn ảnh", ("Cover image",)),
) + tuple(
    ShopeeColumn(f"ps_item_image_{n}", f"Hình ảnh sản phẩm {n}", False, IMAGE, "Đường dẫn ảnh",
                 (f"Item Image {n}", f"Ảnh sản phẩm {n}"))
    for n in range(1, SHOPEE_IMAGE_MAX)
) + (
    ShopeeColumn("ps_weight", "Cân nặng", True, NUMBER, "Kg, gồm cả bao bì", ("Weight", "Cân nặng (kg)")),
)
_BY_KEY = {column.key: column for column in FILLED_COLUMNS}
# Every other column of a template (variations, size chart, GTIN, parcel size, shipping
# channels…) stays empty: a product without variations needs none of them, unless the template
# marks one required, and then the template is refused.
_KEY_CELL = re.compile(r"([a-z][a-z0-9_]*(?:\.[\w]+)?)(?:\|(\d)\|(\d+))?")
_REQUIRED_WORDS = ("bắt buộc", "mandatory", "required", "wajib")
SHOPEE_HEADERS = tuple(column.label for column in FILLED_COLUMNS)


_BY_LABEL = {}
for _column in FILLED_COLUMNS:
    for _name in (_column.label, *_column.aliases):
        _BY_LABEL[label_key(_name)] = _column.key


class ShopeeXlsxExporter(Exporter):
    name = "shopee-xlsx"
    label = N_("Shopee mass upload sheet (xlsx)")
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    file_extension = "xlsx"
    accepts_template = True

    def validate(self, listing: Listing) -> list[Problem]:
        problems = check_id(listing, 50) + check_goods(listing) + check_texts(listing, description=True)
        if listing.name and len(listing.name) < SHOPEE_NAME_MIN:
            problems.append(Problem("name", "title_too_short", {"min": SHOPEE_NAME_MIN, "length": len(listing.name)}))
        return (
            problems
            + check_price(listing, SHOPEE_PRICE_MIN, SHOPEE_PRICE_MAX)
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
        name_limit: int = SHOPEE_NAME_MAX,
        description_limit: int = SHOPEE_DESCRIPTION_MAX,
    ) -> ExportReport:
        today = today or date.today()
        report = ExportReport(self.name)

        def rows():
            for listing in self.accepted(listings, report):
                notes: list[Problem] = []
                images = usable_images(listing, MARKETPLACE_IMAGE_TYPES, SHOPEE_IMAGE_MAX, notes)
                values = {
                    "ps_category": category_for(listing, category_ids, "shopee_vn", notes),
                    "ps_product_name": marketplace_title(listing, name_limit, notes),
                    "ps_product_description": marketplace_description(listing, description_limit, notes,
                                                                      as_html=False),
                    "ps_sku_parent_short": listing.id,
                    "ps_price": listing.price_vnd,
                    "ps_stock": in_stock_quantity if listing.in_stock_on(today) else 0,
                    "ps_weight": kilograms(shipping_weight(listing, notes)),
                    "ps_item_cover_image": images[0],
                }
                for number, url in enumerate(images[1:], start=1):
                    values[f"ps_item_image_{number}"] = url
                yield values
                record_notes(report, listing, notes)

        if template is None:
            write_sheet(out, SHOPEE_SHEET_TITLE, _key_row(), _header_rows_then(_product_rows(rows())))
        else:
            _fill_template(template, out, rows())
        return report


def _key_row() -> list[str]:
    return [column.key_cell for column in FILLED_COLUMNS]


def _header_rows():
    """Rows 2–6 of our own sheet: names, required or not, how to fill, and two spare rows."""
    return [
        [column.label for column in FILLED_COLUMNS],
        ["Bắt buộc" if column.required else "Tùy chọn" for column in FILLED_COLUMNS],
        [column.hint for column in FILLED_COLUMNS],
        [], [],
    ]


def _product_rows(rows):
    for values in rows:
        yield [values.get(column.key) for column in FILLED_COLUMNS]


def _header_rows_then(rows):
    yield from _header_rows()
    yield from rows


def _fill_template(template, out: BinaryIO, rows: Iterable[dict[str, object]]) -> None:
    # openpyxl (with numpy and Pillow behind it) only when a seller's template is filled:
    # every other format, and importing the exporters, does without it.
    from openpyxl import load_workbook

    workbook = load_workbook(template)
    sheet, header_row, columns, unfillable, has_keys = _find_header_row(workbook)
    if unfillable:
        raise ExportError("template_columns_unfillable", columns=", ".join(unfillable))
    # Below a key row, Shopee keeps rows 2–6 for names and instructions, some of them empty.
    first_free = header_row + FIRST_PRODUCT_ROW - 1 if has_keys else 0
    next_row = max(last_used_row(sheet, header_row) + 1, first_free)
    for values in rows:
        for key, column in columns.items():
            value = values.get(key)
            if value is not None:
                set_typed_cell(sheet, next_row, column, value)
        next_row += 1
    workbook.save(out)


def _find_header_row(workbook):
    """(sheet, row, {our key: column number}, names of required columns we cannot fill,
    whether the row holds Shopee keys).

    A row of Shopee keys wins; otherwise the row naming most of our columns by label."""
    best = None
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, SHOPEE_HEADER_SEARCH_ROWS)))
        for index, cells in enumerate(rows):
            found = _read_key_row(cells, rows[index + 1] if index + 1 < len(rows) else ())
            if found is None:
                found = _read_label_row(cells, rows[index + 1:index + 3])
            columns, unfillable, by_key = found
            if "ps_product_name" not in columns or "ps_price" not in columns:
                continue
            rank = (by_key, len(columns))
            if best is None or rank > best[0]:
                best = (rank, sheet, index + 1, columns, unfillable, by_key)
    if best is None:
        raise ExportError("template_header_not_found", columns="ps_product_name, ps_price (Tên sản phẩm, Giá)",
                          rows=SHOPEE_HEADER_SEARCH_ROWS)
    return best[1:]


def _read_key_row(cells, label_cells):
    """Columns of a row of Shopee keys (``ps_product_name|1|0``), or None when it is not one."""
    columns, unfillable, keys = {}, [], 0
    labels = {cell.column: cell.value for cell in label_cells}
    for cell in cells:
        match = _KEY_CELL.fullmatch(str(cell.value).strip()) if isinstance(cell.value, str) else None
        if match is None:
            continue
        key, required = match.group(1), match.group(2) == "1"
        if not (key.startswith(("ps_", "et_", "channel_id", "sl_"))):
            continue
        keys += 1
        if key in _BY_KEY:
            columns.setdefault(key, cell.column)
        elif required:
            unfillable.append(f"{labels.get(cell.column) or key} ({key})")
    return (columns, unfillable, True) if keys >= 2 else None


def _read_label_row(cells, rows_below):
    """Columns of a row of column names; a name ending in * or marked 'Bắt buộc' below is required."""
    columns, unfillable = {}, []
    marks = {}
    for row in rows_below:
        for cell in row:
            if isinstance(cell.value, str) and label_key(cell.value) in _REQUIRED_WORDS:
                marks[cell.column] = True
    for cell in cells:
        if cell.value is None or not str(cell.value).strip():
            continue
        key = _BY_LABEL.get(label_key(cell.value))
        if key is not None:
            columns.setdefault(key, cell.column)
        elif str(cell.value).strip().endswith("*") or marks.get(cell.column):
            unfillable.append(" ".join(str(cell.value).replace("*", " ").split()))
    return columns, unfillable, False
