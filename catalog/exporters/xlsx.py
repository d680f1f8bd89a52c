"""Shared pieces of the marketplace spreadsheets (xlsx).

Sheets are streamed row by row (xlsx_stream.py), so memory stays flat however
many listings there are.

Marketplaces do not hotlink images: Shopee, Lazada and TikTok Shop expect
images uploaded to (or migrated into) their own storage. Our image URLs fill
the image columns so that a seller or a later upload step knows which files
belong to which product; they are not accepted as-is by the platforms. That
step must also convert our WebP renditions, since the platforms name jpg and
png; the URLs are therefore not filtered by file type here. At least one
image is required (a listing without photos cannot be published there).
"""
from __future__ import annotations

from functools import lru_cache
from typing import BinaryIO, Iterable, Mapping, Sequence

from .fields import fit_html, ocop_line, truncate_words
from .marketplace_categories import MARKETPLACE_NAMES, category_hint, category_ids as category_ids_for
from .problems import Problem
from .record import Listing
from .xlsx_stream import EXCEL_CELL_TEXT_LIMIT, write_xlsx

# None: no file-type filter (the upload step converts), see the module docstring.
MARKETPLACE_IMAGE_TYPES = None


def set_typed_cell(sheet, row: int, column: int, value: object) -> None:
    """Write a value into an openpyxl sheet: numbers as numbers, text as a string cell.

    openpyxl takes any string starting with '=' for a formula; marking the
    cell as a string keeps the text exactly as it is (no apostrophe) and
    keeps spreadsheet programs from evaluating it.
    """
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"


def write_sheet(
    out: BinaryIO, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    """A streamed sheet; its text cells are inline strings, which are never formulas."""
    write_xlsx(out, sheet_title, headers, rows)


def marketplace_title(listing: Listing, limit: int | None, notes: list[Problem]) -> str:
    """The name, shortened at a word boundary to ``limit`` (or to what a cell holds)."""
    limit = min(limit or EXCEL_CELL_TEXT_LIMIT, EXCEL_CELL_TEXT_LIMIT)
    title, cut = truncate_words(listing.name, limit)
    if cut:
        notes.append(Problem("name", "title_truncated", {"max": limit}))
    return title


def marketplace_description(
    listing: Listing, limit: int | None, notes: list[Problem], *, as_html: bool
) -> str:
    """The description with an OCOP line first (marketplaces have no star field).

    ``as_html`` (TikTok, Lazada) renders paragraphs and line breaks as HTML;
    Shopee takes plain text. Without a platform limit, the cell's own limit
    (32,767 characters) applies.
    """
    limit = min(limit or EXCEL_CELL_TEXT_LIMIT, EXCEL_CELL_TEXT_LIMIT)
    text = "\n\n".join(part for part in (ocop_line(listing), listing.description) if part)
    if as_html:
        rendered, cut = fit_html(text, limit)
    else:
        rendered, cut = truncate_words(text, limit)
    if cut:
        notes.append(Problem("description", "description_truncated", {"max": limit}))
    return rendered


def category_for(
    listing: Listing, category_ids: Mapping[int, object] | None, marketplace: str, notes: list[Problem]
) -> object:
    """The marketplace's category id for the OCOP set, or None with a note on this listing.

    ``category_ids`` (OCOP set → id) comes from the caller, or else from the
    editable category file (marketplace_categories.py). Marketplace ids are
    site-specific and change, so a missing id is never guessed: the listing is
    exported with an empty category and its report line names the category the
    seller should choose.
    """
    ids = category_ids if category_ids is not None else category_ids_for(marketplace)
    value = ids.get(listing.category_code)
    if value not in (None, ""):
        return value
    notes.append(_unmapped(listing.category_code, marketplace, listing.category_name))
    return None


@lru_cache(maxsize=256)
def _unmapped(ocop_set: int, marketplace: str, category_name: str) -> Problem:
    """One shared note per set and marketplace: a large export repeats it on many listings."""
    path = category_hint(ocop_set, marketplace) or category_name
    return Problem("category_code", "category_unmapped", {
        "set": ocop_set, "marketplace": MARKETPLACE_NAMES[marketplace], "path": path})
