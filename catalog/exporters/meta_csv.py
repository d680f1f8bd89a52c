"""Meta (Facebook/Instagram) catalogue data feed as CSV.

Every field is quoted (Meta asks for quotes around values with commas or
spaces; quoting all is the simple safe form) and inner quotes are doubled.
UTF-8 without BOM: the feed is machine-read and a BOM would stick to the
first header. Availability uses Meta's spaced words (``in stock``). Extra
images go comma-separated into one field, at most 20 and 2,000 characters.
Meta reads the text as it is: no spreadsheet formula guard is added.
"""
from __future__ import annotations

import csv
from datetime import date
from typing import BinaryIO, Iterable

from .base import Exporter, record_notes, text_stream
from .feeds import META_RULES, feed_item, validate_feed_listing
from .problems import ExportReport, N_, Problem
from .record import Listing

META_COLUMNS = (
    "id", "title", "description", "availability", "condition", "price", "link",
    "image_link", "brand", "additional_image_link", "google_product_category",
    "product_type", "custom_label_0", "custom_label_1", "custom_label_2",
)
ADDITIONAL_IMAGES_CHAR_LIMIT = 2000


class MetaCsvExporter(Exporter):
    name = "meta-csv"
    label = N_("Meta catalogue for Facebook and Instagram (CSV)")
    media_type = "text/csv; charset=utf-8"
    file_extension = "csv"

    def validate(self, listing: Listing) -> list[Problem]:
        return validate_feed_listing(listing, META_RULES)

    def write(self, listings: Iterable[Listing], out: BinaryIO, *, today: date | None = None) -> ExportReport:
        today = today or date.today()
        report = ExportReport(self.name)
        with text_stream(out) as stream:
            writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\n")
            writer.writerow(META_COLUMNS)
            for listing in self.accepted(listings, report):
                item, notes = feed_item(listing, META_RULES, today)
                item["additional_image_link"] = _fit_image_list(item["additional_image_link"], notes)
                writer.writerow(item[column] for column in META_COLUMNS)
                record_notes(report, listing, notes)
        return report


def _fit_image_list(urls: list[str], notes: list[Problem]) -> str:
    kept: list[str] = []
    for url in urls:
        if len(",".join(kept + [url])) > ADDITIONAL_IMAGES_CHAR_LIMIT:
            notes.append(Problem("image_urls", "images_limited", {"max": len(kept) + 1}))
            break
        kept.append(url)
    return ",".join(kept)
