"""Filling a copy of a seller's downloaded mass-upload template (Shopee, TikTok Shop, Lazada).

Marketplace templates are per category and change over time, so we never rebuild them: we
open a copy with openpyxl (its other sheets, drop-down lists and styles stay), find the row
that names the columns, and write products below the last used row, by column. A template
that requires a column we cannot fill is refused with the list of those columns, because the
marketplace would reject every row of the file.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Iterable, Mapping


from .problems import ExportError
from .record import nfc_clean
from .xlsx import set_typed_cell

HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class TemplateColumn:
    """One column of a marketplace sheet as we write it.

    ``key``: the marketplace's column key where its template has a key row (Shopee, TikTok),
    else our name for it (Lazada). ``label``: the column name in its header row; ``required``:
    marked mandatory there; ``hint``: our instruction line; ``aliases``: other names seen in
    templates. ``seller_fills``: required by the marketplace, but Chợ Quê does not record it
    (package dimensions), so it is left for the seller and never refuses a template.
    """

    key: str
    label: str
    required: bool
    hint: str = ""
    aliases: tuple[str, ...] = ()
    seller_fills: bool = False


@dataclass(frozen=True)
class TemplateHeader:
    """Where products go in a template: the sheet, the first free row, our key → column."""

    sheet: object
    first_row: int
    columns: dict[str, int]
    unfillable: tuple[str, ...]


def label_key(value: object) -> str:
    """A column name as compared: NFC, no '*' marks, single spaces, case-folded."""
    return " ".join(nfc_clean(str(value)).replace("*", " ").split()).casefold()


def labels_index(columns: Iterable[TemplateColumn]) -> dict[str, TemplateColumn]:
    index = {}
    for column in columns:
        for name in (column.label, *column.aliases):
            index.setdefault(label_key(name), column)
    return index


def last_used_row(sheet, header_row: int) -> int:
    for row_number in range(sheet.max_row, header_row, -1):
        if any(cell.value not in (None, "") for cell in sheet[row_number]):
            return row_number
    return header_row


def head_rows(sheet):
    """The first rows of a sheet, where a template keeps its key and name rows."""
    return list(sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, HEADER_SEARCH_ROWS)))


def fill_template(template, out: BinaryIO, find_header, rows: Iterable[Mapping[str, object]]) -> TemplateHeader:
    """Write ``rows`` (our key → value) into a copy of ``template`` and save it to ``out``.

    ``find_header(workbook)`` returns a TemplateHeader or raises ExportError. Required columns
    we cannot fill refuse the whole template before anything is written."""
    from openpyxl import load_workbook  # only filling a seller's template needs it: importing exporters stays light

    workbook = load_workbook(template)
    header = find_header(workbook)
    if header.unfillable:
        raise ExportError("template_columns_unfillable", columns=", ".join(header.unfillable))
    next_row = header.first_row
    for values in rows:
        for key, column in header.columns.items():
            value = values.get(key)
            if value is not None:
                set_typed_cell(header.sheet, next_row, column, value)
        next_row += 1
    workbook.save(out)
    return header
