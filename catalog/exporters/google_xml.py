"""Google Merchant Center RSS 2.0 feed with the ``g`` namespace, written item by item.

Each item is escaped and written as soon as it is ready, so memory does not
grow with the catalogue. title, link and description use the plain RSS
elements; every other attribute is ``g:``-prefixed. The file must list every
product: Google deletes products missing from it, so skipped listings in the
report deserve attention.
"""
from __future__ import annotations

from datetime import date
from typing import BinaryIO, Iterable
from xml.sax.saxutils import escape

from .base import Exporter, record_notes, text_stream
from .feeds import GOOGLE_RULES, feed_item, validate_feed_listing
from .problems import ExportReport, N_, Problem
from .record import Listing, nfc_clean

GOOGLE_NAMESPACE = "http://base.google.com/ns/1.0"
_PLAIN_RSS_ELEMENTS = ("title", "link", "description")


def google_extras(listing: Listing) -> dict[str, str]:
    """Attributes Google has and Meta lacks (OCOP goods carry no GTIN or MPN)."""
    return {
        "identifier_exists": "no",
        "shipping_weight": f"{listing.weight_g} g" if listing.weight_g else "",
    }


class GoogleXmlExporter(Exporter):
    name = "google-xml"
    label = N_("Google Merchant Center (XML feed)")
    media_type = "application/rss+xml"
    file_extension = "xml"

    def validate(self, listing: Listing) -> list[Problem]:
        return validate_feed_listing(listing, GOOGLE_RULES)

    def write(
        self,
        listings: Iterable[Listing],
        out: BinaryIO,
        *,
        today: date | None = None,
        channel_title: str = "Chợ Quê",
        channel_link: str = "",
        channel_description: str = "",
    ) -> ExportReport:
        today = today or date.today()
        report = ExportReport(self.name)
        with text_stream(out) as stream:
            stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
            stream.write(f'<rss version="2.0" xmlns:g="{GOOGLE_NAMESPACE}">\n<channel>\n')
            for element, value in (
                ("title", channel_title), ("link", channel_link), ("description", channel_description),
            ):
                stream.write(f"<{element}>{escape(nfc_clean(value))}</{element}>\n")
            for listing in self.accepted(listings, report):
                item, notes = feed_item(listing, GOOGLE_RULES, today)
                item.update(google_extras(listing))
                stream.write(_item_xml(item))
                record_notes(report, listing, notes)
            stream.write("</channel>\n</rss>\n")
        return report


def _item_xml(item: dict[str, object]) -> str:
    parts = ["<item>\n"]
    for attribute, value in item.items():
        tag = attribute if attribute in _PLAIN_RSS_ELEMENTS else f"g:{attribute}"
        for text in value if isinstance(value, list) else [value]:
            if text:
                parts.append(f"<{tag}>{escape(str(text))}</{tag}>\n")
    parts.append("</item>\n")
    return "".join(parts)
