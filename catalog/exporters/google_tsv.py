"""Google Merchant Center tab-separated feed.

A header row of attribute names, then one product per line; tabs and line
breaks inside values become spaces. Several extra images share one cell,
comma-separated (commas in URLs are percent-encoded).

Quoting follows Google's "quoted attributes" rule (docs/MARKETPLACES.md): a
value holding a double quote is enclosed in double quotes and each quote in
it doubled (``12" chảo`` → ``"12"" chảo"``); other values are written as they
are. The file is read by Google, not opened as a spreadsheet, so text keeps
its first character even when it is ``=``, ``+``, ``-`` or ``@``.
"""
from __future__ import annotations

from datetime import date
from typing import BinaryIO, Iterable

from .base import Exporter, record_notes, text_stream
from .feeds import GOOGLE_RULES, feed_item, validate_feed_listing
from .fields import one_line
from .google_xml import google_extras
from .problems import ExportReport, N_, Problem
from .record import Listing

GOOGLE_TSV_COLUMNS = (
    "id", "title", "description", "link", "image_link", "additional_image_link",
    "availability", "price", "condition", "brand", "identifier_exists",
    "google_product_category", "product_type", "shipping_weight",
    "custom_label_0", "custom_label_1", "custom_label_2",
)


class GoogleTsvExporter(Exporter):
    name = "google-tsv"
    label = N_("Google Merchant Center (tab-separated feed)")
    media_type = "text/tab-separated-values; charset=utf-8"
    file_extension = "tsv"

    def validate(self, listing: Listing) -> list[Problem]:
        return validate_feed_listing(listing, GOOGLE_RULES)

    def write(self, listings: Iterable[Listing], out: BinaryIO, *, today: date | None = None) -> ExportReport:
        today = today or date.today()
        report = ExportReport(self.name)
        with text_stream(out) as stream:
            stream.write("\t".join(GOOGLE_TSV_COLUMNS) + "\n")
            for listing in self.accepted(listings, report):
                item, notes = feed_item(listing, GOOGLE_RULES, today)
                item.update(google_extras(listing))
                stream.write("\t".join(_tsv_value(item[column]) for column in GOOGLE_TSV_COLUMNS) + "\n")
                record_notes(report, listing, notes)
        return report


def _tsv_value(value: object) -> str:
    text = one_line(",".join(value) if isinstance(value, list) else str(value))
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    return text
