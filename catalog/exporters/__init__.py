"""Listing exporters: pure functions over ``Listing`` records, one module per format.

No Flask and no database here. The web layer builds ``Listing`` objects,
picks an exporter from ``EXPORTERS`` and streams ``write`` into a response or
file; it translates ``Problem`` messages with gettext(MESSAGES[code], **params).

    exporter = EXPORTERS["google-xml"]
    report = exporter.write(listings, binary_file, today=date.today())
    report.exported, report.skipped, report.warnings
"""
from .base import Exporter
from .cells import neutralise_cell, restore_cell
from .google_tsv import GoogleTsvExporter
from .google_xml import GoogleXmlExporter
from .lazada_xlsx import LazadaXlsxExporter
from .meta_csv import MetaCsvExporter
from .ourcsv import CsvImportError, OUR_COLUMNS, OwnCsvExporter, iter_csv_rows, listing_from_row, read_csv_listings
from .ourjson import OwnJsonExporter
from .ourzip import OwnZipExporter
from .problems import MESSAGES, ExportError, ExportReport, ListingIssue, Problem
from .record import InvalidListing, Listing, nfc_clean
from .shopee_xlsx import ShopeeXlsxExporter
from .tiktok_xlsx import TiktokXlsxExporter

EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        GoogleXmlExporter(),
        GoogleTsvExporter(),
        MetaCsvExporter(),
        ShopeeXlsxExporter(),
        TiktokXlsxExporter(),
        LazadaXlsxExporter(),
        OwnCsvExporter(),
        OwnJsonExporter(),
        OwnZipExporter(),
    )
}

__all__ = [
    "EXPORTERS", "Exporter", "Listing", "InvalidListing", "nfc_clean", "Problem", "ListingIssue",
    "ExportReport", "ExportError", "MESSAGES", "neutralise_cell", "restore_cell", "OUR_COLUMNS",
    "read_csv_listings", "iter_csv_rows", "listing_from_row", "CsvImportError",
]
