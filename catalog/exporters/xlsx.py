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

from typing import BinaryIO, Iterable, Sequence

from .cells import neutralise_cell
from .fields import fit_html, ocop_line, truncate_words
from .problems import Problem
from .record import Listing
from .xlsx_stream import EXCEL_CELL_TEXT_LIMIT, write_xlsx

# None: no file-type filter (the upload step converts), see the module docstring.
MARKETPLACE_IMAGE_TYPES = None


def xlsx_cell(value: object) -> object:
    """Numbers stay numeric cells; text is guarded against formula injection.

    openpyxl (template filling) stores any string starting with '=' as a
    formula, so the guard also keeps names from becoming formulas in the file.
    """
    if isinstance(value, str):
        return neutralise_cell(value)
    return value


def write_sheet(
    out: BinaryIO, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    write_xlsx(out, sheet_title, headers, ([xlsx_cell(value) for value in row] for row in rows))


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


def category_for(listing: Listing, category_ids: dict[int, object] | None) -> object:
    """The platform's category id for the OCOP set, from the seller's mapping.

    Marketplace category ids are site-specific and change, so they come from
    the caller (fetched from the platform), never from a table here.
    """
    return (category_ids or {}).get(listing.category_code)
