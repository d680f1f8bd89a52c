"""Lazada VN product sheet (xlsx), following the Open Platform CreateProduct fields.

Enforced from docs/EXPORTS.md §4: name required, at most 255 characters;
description up to 25,000 characters of HTML (we emit only p and br); per SKU a
unique SellerSku, a price, a quantity and a package weight in kg with at most
two decimals; at most 8 images. Headers are the API field names, because
Seller Center templates differ per category:

    SellerSku, PrimaryCategory, name, description, brand, price, quantity,
    package_weight, package_length, package_width, package_height,
    image_1 … image_8

Not filled, because we do not know them: package length/width/height (cm),
required by Lazada, and PrimaryCategory unless the caller or the category
file (marketplace_categories.py) maps the OCOP set to a Lazada leaf category.
A missing weight is taken from the unit ("túi 250g"), noted in the report. brand defaults to "No Brand", which
Lazada provides; a producer's name only works once registered as a brand.
Images must be uploaded or migrated to Lazada first (MigrateImage); the image
columns carry our URLs for that step (see xlsx.py).
"""
from __future__ import annotations

from datetime import date
from typing import BinaryIO, Iterable, Mapping

from .base import (
    Exporter, check_goods, check_id, check_main_image, check_price, check_texts, check_weight,
    record_notes, shipping_weight, usable_images,
)
from .fields import kilograms
from .problems import ExportReport, N_, Problem
from .record import Listing
from .xlsx import (
    MARKETPLACE_IMAGE_TYPES, category_for, marketplace_description, marketplace_title, write_sheet,
)

LAZADA_NAME_MAX = 255
LAZADA_DESCRIPTION_MAX = 25_000
LAZADA_IMAGE_MAX = 8
LAZADA_COLUMNS = (
    "SellerSku", "PrimaryCategory", "name", "description", "brand", "price", "quantity",
    "package_weight", "package_length", "package_width", "package_height",
) + tuple(f"image_{n}" for n in range(1, LAZADA_IMAGE_MAX + 1))


class LazadaXlsxExporter(Exporter):
    name = "lazada-xlsx"
    label = N_("Lazada product sheet (xlsx)")
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    file_extension = "xlsx"

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
        today: date | None = None,
        in_stock_quantity: int = 1,
        category_ids: Mapping[int, object] | None = None,
        brand: str = "No Brand",
    ) -> ExportReport:
        today = today or date.today()
        report = ExportReport(self.name)

        def rows():
            for listing in self.accepted(listings, report):
                notes: list[Problem] = []
                images = usable_images(listing, MARKETPLACE_IMAGE_TYPES, LAZADA_IMAGE_MAX, notes)
                yield [
                    listing.id,
                    category_for(listing, category_ids, "lazada_vn", report),
                    marketplace_title(listing, LAZADA_NAME_MAX, notes),
                    marketplace_description(listing, LAZADA_DESCRIPTION_MAX, notes, as_html=True),
                    brand,
                    listing.price_vnd,
                    in_stock_quantity if listing.in_stock_on(today) else 0,
                    kilograms(shipping_weight(listing, notes)),
                    None, None, None,
                ] + images + [None] * (LAZADA_IMAGE_MAX - len(images))
                record_notes(report, listing, notes)

        write_sheet(out, "products", LAZADA_COLUMNS, rows())
        return report
