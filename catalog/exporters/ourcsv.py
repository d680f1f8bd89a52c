"""Our own CSV: exactly the columns of the spreadsheet import, both directions.

UTF-8 with BOM (so Excel opens Vietnamese text correctly), CRLF row ends,
minimal quoting, numbers as plain digits, empty cells for missing values. The
output depends only on the listings, so export → import → export gives the
same bytes. ``read_csv_listings`` is the import half; the importer reuses it.

Cell conventions:
- ``category``: OCOP product set number (1–26).
- ``availability``: ``in_stock``, ``out_of_stock`` or ``seasonal:<months>``
  with month ranges, e.g. ``seasonal:5-8`` or ``seasonal:11-2,6`` (a range may
  wrap over the new year). Bare ``seasonal`` is refused: it needs months.
- ``stars``: as the certificate records them, also once it has lapsed (the
  date tells; the site shows the badge only while the certificate is valid),
  so that an import into an empty site can recreate the certificate.
- ``certificate_date``: ISO ``YYYY-MM-DD``.
- ``images``: image file names joined by ``;``.
- text cells that could start a formula carry one leading apostrophe
  (cells.py), removed again on import. This file is the only one with that
  guard: it is meant to be opened in spreadsheet programs.
"""
from __future__ import annotations

import csv
import io
from datetime import date
from typing import BinaryIO, Iterable, Iterator, Mapping

from .base import Exporter, check_texts, record_notes, text_stream
from .cells import neutralise_cell, restore_cell
from .problems import ExportReport, N_, Problem
from .record import InvalidListing, Listing

OUR_COLUMNS = (
    "ref", "name", "description", "category", "stars", "price_vnd", "unit", "producer_name",
    "producer_type", "province", "commune", "weight_g", "certificate_no", "certificate_date",
    "availability", "phone", "tax_code", "images",
)
REQUIRED_COLUMNS = ("name", "category", "producer_name", "producer_type", "province")
IMAGE_NAME_SEPARATOR = ";"


class CsvImportError(ValueError):
    """A row of an imported CSV that cannot become a Listing."""

    def __init__(self, row: int, problem: Problem) -> None:
        self.row = row
        self.problem = problem
        super().__init__(f"row {row}: {problem.message}")


def format_months(months: Iterable[int]) -> str:
    """Months as ranges, wrapping over the new year: (1, 2, 11, 12) → '11-2'."""
    chosen = sorted(set(months))
    if len(chosen) == 12:
        return "1-12"
    runs: list[list[int]] = []
    for month in chosen:
        if runs and month == runs[-1][1] + 1:
            runs[-1][1] = month
        else:
            runs.append([month, month])
    if len(runs) > 1 and runs[0][0] == 1 and runs[-1][1] == 12:
        runs[0][0] = runs.pop()[0]
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def parse_months(text: str) -> tuple[int, ...]:
    months: set[int] = set()
    for part in text.replace(";", ",").split(","):
        start, _, end = part.strip().partition("-")
        if not (start.isdigit() and (not end or end.strip().isdigit())):
            raise InvalidListing("seasonal_months", "month_invalid")
        first, last = int(start), int(end) if end else int(start)
        if not (1 <= first <= 12 and 1 <= last <= 12):
            raise InvalidListing("seasonal_months", "month_invalid")
        span = (last - first) % 12
        months.update((first - 1 + step) % 12 + 1 for step in range(span + 1))
    return tuple(sorted(months))


def availability_cell(listing: Listing) -> str:
    if listing.availability == "seasonal":
        return f"seasonal:{format_months(listing.seasonal_months)}"
    return listing.availability


def own_values(listing: Listing) -> dict[str, object]:
    """The import columns with typed values (None for empty, images as a list)."""
    return {
        "ref": listing.ref,
        "name": listing.name,
        "description": listing.description,
        "category": listing.category_code,
        "stars": listing.certificate_stars if listing.certificate_stars is not None else listing.stars,
        "price_vnd": listing.price_vnd,
        "unit": listing.unit,
        "producer_name": listing.producer_name,
        "producer_type": listing.producer_type,
        "province": listing.province,
        "commune": listing.commune,
        "weight_g": listing.weight_g,
        "certificate_no": listing.certificate_no,
        "certificate_date": listing.certificate_date.isoformat() if listing.certificate_date else None,
        "availability": availability_cell(listing),
        "phone": listing.phone,
        "tax_code": listing.tax_code,
        "images": list(listing.image_names),
    }


def validate_own(listing: Listing) -> list[Problem]:
    problems = check_texts(listing, description=False)
    for name in listing.image_names:
        if IMAGE_NAME_SEPARATOR in name:
            problems.append(Problem("image_names", "image_name_invalid", {"name": name}))
    return problems


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        value = IMAGE_NAME_SEPARATOR.join(value)
    return neutralise_cell(value)


class OwnCsvExporter(Exporter):
    name = "csv"
    label = N_("Chợ Quê spreadsheet (CSV, opens in Excel, can be imported back)")
    media_type = "text/csv; charset=utf-8"
    file_extension = "csv"

    def validate(self, listing: Listing) -> list[Problem]:
        return validate_own(listing)

    def write(self, listings: Iterable[Listing], out: BinaryIO) -> ExportReport:
        report = ExportReport(self.name)
        with text_stream(out, bom=True) as stream:
            writer = csv.writer(stream, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
            writer.writerow(OUR_COLUMNS)
            for listing in self.accepted(listings, report):
                values = own_values(listing)
                writer.writerow([_csv_cell(values[column]) for column in OUR_COLUMNS])
                record_notes(report, listing, [])
        return report


# Import side.

def _whole_number(text: str, field_name: str) -> int | None:
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise InvalidListing(field_name, "number_invalid", value=text)
    return int(text)


def _availability(text: str) -> tuple[str, tuple[int, ...]]:
    kind, colon, months = text.partition(":")
    kind = kind.strip()
    if kind == "seasonal":
        return kind, parse_months(months) if colon and months.strip() else ()
    if colon or kind not in ("in_stock", "out_of_stock"):
        raise InvalidListing("availability", "availability_invalid")
    return kind, ()


def _category(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise InvalidListing("category_code", "category_invalid")
    return int(text)


def _stars(text: str) -> int | None:
    if text and not (text.isascii() and text.isdigit()):
        raise InvalidListing("stars", "stars_invalid")
    return int(text) if text else None


def _certificate_date(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidListing("certificate_date", "date_invalid", value=text) from None


def listing_from_row(row: Mapping[str, str]) -> Listing:
    """One CSV row (cells already restored) as a Listing; raises InvalidListing."""

    def cell(column: str) -> str:
        return (row.get(column) or "").strip()

    availability, months = _availability(cell("availability") or "in_stock")
    stars = _stars(cell("stars"))
    return Listing(
        ref=cell("ref"),
        name=cell("name"),
        description=row.get("description") or "",
        category_code=_category(cell("category")),
        stars=stars,
        certificate_stars=stars,
        price_vnd=_whole_number(cell("price_vnd"), "price_vnd"),
        unit=cell("unit"),
        producer_name=cell("producer_name"),
        producer_type=cell("producer_type"),
        province=cell("province"),
        commune=cell("commune"),
        weight_g=_whole_number(cell("weight_g"), "weight_g"),
        certificate_no=cell("certificate_no"),
        certificate_date=_certificate_date(cell("certificate_date")),
        availability=availability,
        seasonal_months=months,
        phone=cell("phone"),
        tax_code=cell("tax_code"),
        image_names=tuple(n.strip() for n in cell("images").split(IMAGE_NAME_SEPARATOR)),
    )


def iter_csv_rows(source: BinaryIO) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {column: restored text}) for each data row.

    Row 1 is the header. Raises CsvImportError when required columns are
    missing; unknown extra columns are ignored.
    """
    text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(text)
        header = [name.strip() for name in next(reader, [])]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise CsvImportError(1, Problem("", "csv_columns_missing", {"columns": ", ".join(missing)}))
        for row_number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            yield row_number, {
                column: restore_cell(value)
                for column, value in zip(header, cells)
                if column in OUR_COLUMNS
            }
    finally:
        # Detach so that the caller's file stays open; a reader abandoned
        # half-way may be finalised after its source was already closed.
        if not source.closed:
            text.detach()


def read_csv_listings(source: BinaryIO) -> Iterator[Listing]:
    """Listings from our CSV (binary file object); CsvImportError names the bad row."""
    for row_number, row in iter_csv_rows(source):
        try:
            yield listing_from_row(row)
        except InvalidListing as error:
            raise CsvImportError(row_number, error.problem) from None
