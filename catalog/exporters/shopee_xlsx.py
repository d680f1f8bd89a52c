"""Shopee VN mass-upload sheet (xlsx).

With ``template=`` (a path or binary file of the seller's downloaded,
category-specific template) the exporter fills a COPY of it: the header row is
found by column names within the first 10 rows of any sheet, rows go below
the last non-empty row (older templates have instruction rows under the
header), and columns we do not know stay empty. The template is loaded in
openpyxl's normal mode to keep its formatting and lists, so memory grows with
the number of rows; Shopee's own per-file limits keep such files small.

Without a template a streamed sheet with Shopee's English headers is written:

    Category, Product Name, Product Description, Parent SKU, Price, Stock,
    Weight, Cover image, Item Image 1 … Item Image 8

Integer price; weight in kg (packaging included); at most 9 images, jpg/png.
Category ids are site-specific: pass ``category_ids`` (OCOP set → Shopee id).
Name and description limits vary by site; pass ``name_limit`` /
``description_limit`` read from the template, otherwise text is kept whole.
Images must be uploaded to Shopee; the image columns carry our URLs (see
xlsx.py).
"""
from __future__ import annotations

from datetime import date
from typing import BinaryIO, Iterable, Mapping

from openpyxl import load_workbook

from .base import (
    Exporter, check_goods, check_id, check_main_image, check_price, check_texts, check_weight,
    record_notes, usable_images,
)
from .fields import kilograms
from .problems import ExportError, ExportReport, N_, Problem
from .record import Listing, nfc_clean
from .xlsx import (
    MARKETPLACE_IMAGE_TYPES, category_for, marketplace_description, marketplace_title, write_sheet,
    xlsx_cell,
)

SHOPEE_IMAGE_MAX = 9
SHOPEE_HEADER_SEARCH_ROWS = 10
SHOPEE_HEADERS = (
    "Category", "Product Name", "Product Description", "Parent SKU", "Price", "Stock", "Weight",
    "Cover image",
) + tuple(f"Item Image {n}" for n in range(1, SHOPEE_IMAGE_MAX))
# Vietnamese labels seen in Vietnamese-language templates (unverified in the
# reference, so only the four it names).
SHOPEE_HEADER_ALIASES = {
    "Tên sản phẩm": "Product Name",
    "Giá": "Price",
    "Kho hàng": "Stock",
    "Cân nặng": "Weight",
}
SHOPEE_REQUIRED_HEADERS = ("Product Name", "Price")


def _header_key(value: object) -> str:
    text = " ".join(nfc_clean(str(value)).split()).rstrip("* ").casefold()
    return text


_KNOWN_HEADERS = {_header_key(h): h for h in SHOPEE_HEADERS}
_KNOWN_HEADERS.update({_header_key(alias): h for alias, h in SHOPEE_HEADER_ALIASES.items()})


class ShopeeXlsxExporter(Exporter):
    name = "shopee-xlsx"
    label = N_("Shopee mass upload sheet (xlsx)")
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    file_extension = "xlsx"

    def validate(self, listing: Listing) -> list[Problem]:
        return (
            check_id(listing, 50)
            + check_goods(listing)
            + check_texts(listing, description=True)
            + check_price(listing)
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
        name_limit: int | None = None,
        description_limit: int | None = None,
    ) -> ExportReport:
        today = today or date.today()
        report = ExportReport(self.name)

        def rows():
            for listing in self.accepted(listings, report):
                notes: list[Problem] = []
                images = usable_images(listing, MARKETPLACE_IMAGE_TYPES, SHOPEE_IMAGE_MAX, notes)
                values = [
                    category_for(listing, category_ids),
                    marketplace_title(listing, name_limit, notes),
                    marketplace_description(listing, description_limit, notes, as_html=False),
                    listing.id,
                    listing.price_vnd,
                    in_stock_quantity if listing.in_stock_on(today) else 0,
                    kilograms(listing.weight_g),
                ] + images + [None] * (SHOPEE_IMAGE_MAX - len(images))
                yield dict(zip(SHOPEE_HEADERS, values))
                record_notes(report, listing, notes)

        if template is None:
            write_sheet(out, "Shopee", SHOPEE_HEADERS, ([row[h] for h in SHOPEE_HEADERS] for row in rows()))
        else:
            _fill_template(template, out, rows())
        return report


def _fill_template(template, out: BinaryIO, rows: Iterable[dict[str, object]]) -> None:
    workbook = load_workbook(template)
    sheet, header_row, columns = _find_header_row(workbook)
    next_row = _last_used_row(sheet, header_row) + 1
    for row in rows:
        for header, column in columns.items():
            value = row[header]
            if value is not None:
                sheet.cell(row=next_row, column=column, value=xlsx_cell(value))
        next_row += 1
    workbook.save(out)


def _find_header_row(workbook):
    """(sheet, row number, {our header: column number}) of the best header row."""
    best = None
    for sheet in workbook.worksheets:
        last = min(sheet.max_row, SHOPEE_HEADER_SEARCH_ROWS)
        for row_number, cells in enumerate(sheet.iter_rows(min_row=1, max_row=last), start=1):
            columns = {}
            for cell in cells:
                header = _KNOWN_HEADERS.get(_header_key(cell.value)) if cell.value is not None else None
                if header and header not in columns:
                    columns[header] = cell.column
            if all(h in columns for h in SHOPEE_REQUIRED_HEADERS):
                if best is None or len(columns) > len(best[2]):
                    best = (sheet, row_number, columns)
    if best is None:
        raise ExportError(
            "template_header_not_found",
            columns=", ".join(SHOPEE_REQUIRED_HEADERS), rows=SHOPEE_HEADER_SEARCH_ROWS,
        )
    return best


def _last_used_row(sheet, header_row: int) -> int:
    for row_number in range(sheet.max_row, header_row, -1):
        if any(cell.value not in (None, "") for cell in sheet[row_number]):
            return row_number
    return header_row
