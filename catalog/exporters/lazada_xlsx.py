"""Lazada VN mass-upload sheet ("Tải lên hàng loạt"), laid out like Lazada's Seller Center template.

Layout (docs/MARKETPLACES.md): Lazada's per-category template has the sheets "Instructions",
"Data terminology", "Upload Template", "Valid values" (leaf categories with their ids, and the
options of each attribute) and "Example"; products are entered on "Upload Template" only, under a
header row that must not be edited, where a leading ``*`` marks a mandatory column. Columns of a
published copy (Lazada TH, as a public export tool fills it): ``catId``, ``*Product Name``,
``*Product Images1`` … ``Product Images8``, ``*Brand``, category attributes, ``Long Description
(Lorikeet)``, ``*Package Weight (kg)``, ``*Package Dimensions (cm)-Length (cm)`` / ``-Width`` /
``-Height``, ``*Quantity``, ``SpecialPrice``, ``*Price``, ``SellerSKU``. The English wording of the
package-dimension names is our reading of the Thai ones (unverified).

Without a template we write the "Upload Template" sheet with those columns. With ``template=``
(the seller's downloaded file) we fill a copy by column name, below the last used row of that
sheet, and refuse a template with a mandatory (``*``) column we cannot fill, listing them. The
package dimensions are mandatory for Lazada but Chợ Quê does not record them: they are left
for the seller, and the report says so once.

Limits applied, each cut noted in the report: name at most 255 characters, description at most
25,000 characters of p/br HTML, 8 images, weight in kg with two decimals rounded up, price a
whole number of đồng. Brand "No Brand" (Lazada's own entry; a producer's name only works once
registered as a brand). catId takes Lazada's leaf category id from the caller or the category
file (marketplace_categories.py); without one the cell stays empty and the report says, per
product, which category to choose. Images must be migrated to Lazada first; the image columns
carry our addresses (see xlsx.py).
"""
from __future__ import annotations

from datetime import date
from typing import BinaryIO, Iterable, Mapping

from .base import (
    Exporter, check_goods, check_id, check_main_image, check_price, check_texts, check_weight,
    record_notes, shipping_weight, usable_images,
)
from .fields import kilograms
from .problems import ExportError, ExportReport, N_, Problem
from .record import Listing
from .template_fill import (
    TemplateColumn, TemplateHeader, fill_template, head_rows, label_key, labels_index, last_used_row,
)
from .xlsx import (
    MARKETPLACE_IMAGE_TYPES, category_for, marketplace_description, marketplace_title, write_sheet,
)

LAZADA_NAME_MAX = 255
LAZADA_DESCRIPTION_MAX = 25_000
LAZADA_IMAGE_MAX = 8
LAZADA_SHEET_TITLE = "Upload Template"
LAZADA_NO_BRAND = "No Brand"

LAZADA_COLUMNS = (
    TemplateColumn("catId", "catId", False, aliases=("Category ID", "PrimaryCategory")),
    TemplateColumn("name", "*Product Name", True, aliases=("Tên sản phẩm",)),
) + tuple(
    TemplateColumn(f"image_{n}", f"{'*' if n == 1 else ''}Product Images{n}", n == 1,
                   aliases=(f"Product Images {n}", f"Hình ảnh sản phẩm{n}", f"Hình ảnh sản phẩm {n}"))
    for n in range(1, LAZADA_IMAGE_MAX + 1)
) + (
    TemplateColumn("brand", "*Brand", True, aliases=("Thương hiệu",)),
    TemplateColumn("description", "Long Description (Lorikeet)", False,
                   aliases=("Main Description", "Mô tả sản phẩm", "Mô tả chi tiết")),
    TemplateColumn("package_weight", "*Package Weight (kg)", True,
                   aliases=("Trọng lượng gói hàng (kg)", "Khối lượng gói hàng (kg)")),
    TemplateColumn("package_length", "*Package Dimensions (cm)-Length (cm)", True, seller_fills=True,
                   aliases=("Package Length (cm)", "Package Length(cm)")),
    TemplateColumn("package_width", "*Package Dimensions (cm)-Width (cm)", True, seller_fills=True,
                   aliases=("Package Width (cm)", "Package Width(cm)")),
    TemplateColumn("package_height", "*Package Dimensions (cm)-Height (cm)", True, seller_fills=True,
                   aliases=("Package Height (cm)", "Package Height(cm)")),
    TemplateColumn("quantity", "*Quantity", True, aliases=("Số lượng",)),
    TemplateColumn("price", "*Price", True, aliases=("Giá",)),
    TemplateColumn("seller_sku", "SellerSKU", False, aliases=("Seller SKU", "SellerSku")),
)
LAZADA_HEADERS = tuple(column.label for column in LAZADA_COLUMNS)
_KEYS = tuple(column.key for column in LAZADA_COLUMNS)
_BY_LABEL = labels_index(LAZADA_COLUMNS)
_DIMENSIONS_NOTICE = Problem("", "package_dimensions_needed")


class LazadaXlsxExporter(Exporter):
    name = "lazada-xlsx"
    label = N_("Lazada mass upload sheet (xlsx)")
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    file_extension = "xlsx"
    accepts_template = True

    def validate(self, listing: Listing) -> list[Problem]:
        return (
            check_id(listing, 50)
            + check_goods(listing)
            + check_texts(listing, description=False)
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
        brand: str = LAZADA_NO_BRAND,
    ) -> ExportReport:
        today = today or date.today()
        report = ExportReport(self.name)

        def rows():
            for listing in self.accepted(listings, report):
                notes: list[Problem] = []
                images = usable_images(listing, MARKETPLACE_IMAGE_TYPES, LAZADA_IMAGE_MAX, notes)
                values = {
                    "catId": category_for(listing, category_ids, "lazada_vn", notes),
                    "name": marketplace_title(listing, LAZADA_NAME_MAX, notes),
                    "brand": brand,
                    "description": marketplace_description(listing, LAZADA_DESCRIPTION_MAX, notes, as_html=True),
                    "package_weight": kilograms(shipping_weight(listing, notes)),
                    "quantity": in_stock_quantity if listing.in_stock_on(today) else 0,
                    "price": listing.price_vnd,
                    "seller_sku": listing.id,
                }
                for number, url in enumerate(images, start=1):
                    values[f"image_{number}"] = url
                if _DIMENSIONS_NOTICE not in report.notices:
                    report.notices.append(_DIMENSIONS_NOTICE)
                yield values
                record_notes(report, listing, notes)

        if template is None:
            write_sheet(out, LAZADA_SHEET_TITLE, LAZADA_HEADERS,
                        ([values.get(key) for key in _KEYS] for values in rows()))
        else:
            fill_template(template, out, _find_header_row, rows())
        return report


def _find_header_row(workbook) -> TemplateHeader:
    """The row naming the product name and price, on "Upload Template" when the file has it.

    A name starting with ``*`` marks a mandatory column."""
    sheets = [workbook[LAZADA_SHEET_TITLE]] if LAZADA_SHEET_TITLE in workbook.sheetnames else workbook.worksheets
    for sheet in sheets:
        for cells in head_rows(sheet):
            found = {}
            for cell in cells:
                if cell.value is not None and str(cell.value).strip():
                    found.setdefault(cell.column, str(cell.value).strip())
            known = {column: _BY_LABEL.get(label_key(name)) for column, name in found.items()}
            keys = {spec.key for spec in known.values() if spec is not None}
            if "name" not in keys or "price" not in keys:
                continue
            columns, unfillable = {}, []
            for column, spec in known.items():
                if spec is None:
                    if found[column].startswith("*"):
                        unfillable.append(found[column].lstrip("*").strip())
                elif not spec.seller_fills:
                    columns.setdefault(spec.key, column)
            header_row = cells[0].row
            return TemplateHeader(sheet, last_used_row(sheet, header_row) + 1, columns, tuple(unfillable))
    raise ExportError("template_header_not_found", columns="*Product Name, *Price", rows=10)
