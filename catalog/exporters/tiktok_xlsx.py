"""TikTok Shop VN product sheet (xlsx), following the Partner API product fields.

Only what docs/EXPORTS.md §4 supports is enforced: title 25–255 characters
(254 here, so the batch template's "under 255" holds too), description up to
10,000 characters in TikTok's HTML subset (we emit only p and br), price 1 to
180,000,000 VND as a bare number, seller_sku up to 50 characters, inventory up
to 999,999, 1–9 main images (jpg/png). TikTok's own batch template changes
over time, so the headers are the API field names:

    seller_sku, category_id, title, description, price_vnd, inventory,
    package_weight_kg, main_image_1 … main_image_9

category_id comes from the caller's mapping or the category file
(marketplace_categories.py; TikTok ids are site-specific). A missing weight
is taken from the unit ("túi 250g"), noted in the report.
Images must be uploaded to TikTok before listing: the image columns carry our
URLs so the upload step knows what to send (see xlsx.py).
"""
from __future__ import annotations

from datetime import date
from typing import BinaryIO, Iterable, Mapping

from .base import (
    Exporter, check_goods, check_id, check_main_image, check_price, check_texts, record_notes,
    shipping_weight, usable_images,
)
from .fields import kilograms
from .problems import ExportReport, N_, Problem
from .record import Listing
from .xlsx import (
    MARKETPLACE_IMAGE_TYPES, category_for, marketplace_description, marketplace_title, write_sheet,
)

TIKTOK_TITLE_MIN = 25
TIKTOK_TITLE_MAX = 254
TIKTOK_DESCRIPTION_MAX = 10_000
TIKTOK_PRICE_MAX = 180_000_000
TIKTOK_INVENTORY_MAX = 999_999
TIKTOK_IMAGE_MAX = 9
TIKTOK_COLUMNS = (
    "seller_sku", "category_id", "title", "description", "price_vnd", "inventory", "package_weight_kg",
) + tuple(f"main_image_{n}" for n in range(1, TIKTOK_IMAGE_MAX + 1))


class TiktokXlsxExporter(Exporter):
    name = "tiktok-xlsx"
    label = N_("TikTok Shop product sheet (xlsx)")
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    file_extension = "xlsx"

    def validate(self, listing: Listing) -> list[Problem]:
        problems = check_id(listing, 50) + check_goods(listing) + check_texts(listing, description=True)
        if listing.name and len(listing.name) < TIKTOK_TITLE_MIN:
            problems.append(Problem("name", "title_too_short", {"min": TIKTOK_TITLE_MIN, "length": len(listing.name)}))
        return (
            problems
            + check_price(listing, 1, TIKTOK_PRICE_MAX)
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
    ) -> ExportReport:
        today = today or date.today()
        report = ExportReport(self.name)
        quantity = min(in_stock_quantity, TIKTOK_INVENTORY_MAX)

        def rows():
            for listing in self.accepted(listings, report):
                notes: list[Problem] = []
                images = usable_images(listing, MARKETPLACE_IMAGE_TYPES, TIKTOK_IMAGE_MAX, notes)
                yield [
                    listing.id,
                    category_for(listing, category_ids, "tiktok_vn", report),
                    marketplace_title(listing, TIKTOK_TITLE_MAX, notes),
                    marketplace_description(listing, TIKTOK_DESCRIPTION_MAX, notes, as_html=True),
                    listing.price_vnd,
                    quantity if listing.in_stock_on(today) else 0,
                    kilograms(weight) if (weight := shipping_weight(listing, notes)) else None,
                ] + images + [None] * (TIKTOK_IMAGE_MAX - len(images))
                record_notes(report, listing, notes)

        write_sheet(out, "products", TIKTOK_COLUMNS, rows())
        return report
