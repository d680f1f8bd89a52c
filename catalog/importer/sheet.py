"""Read an import file: CSV (UTF-8 with or without BOM), XLSX, JSON (our JSON export), or a ZIP
holding one of them and its photos. Pure module (no Flask, no database).

    with open_sheet(path, photo_dir=folder_or_None) as sheet:
        for row in sheet.rows: row.number, row.cells   # {column: raw value}
        sheet.photos.read("mat-ong.jpg")               # bytes, or CellProblem warning

The type is decided by the content, not the file name. Text cells that an export guarded
against formula injection get their apostrophe back off (catalog.exporters.cells.restore_cell).
Row numbers are those a spreadsheet program shows (the header row included).
"""
from __future__ import annotations

import csv
import io
import posixpath
import re
import xml.etree.ElementTree as ElementTree
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from catalog.exporters.cells import restore_cell

from .archive import MB, FolderPhotos, NoPhotos, PhotoLibrary, ZipLimits, ZipPhotos, check_zip, is_junk, \
    safe_member_name
from places import units
from vntext import fold, nfc

from .columns import PROVINCE_SOURCES, HeaderMap, find_header
from .jsonrows import json_rows, looks_like_json
from .messages import ImportFileError

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and other old Office files
SHEET_SUFFIXES = (".csv", ".xlsx", ".json")
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class SheetLimits:
    max_sheet_bytes: int = 50 * MB  # the spreadsheet itself (photos have their own cap)
    max_rows: int = 50_000
    # Only this many columns are ever looked at: a stray cell in column XFD must not make every
    # row 16,384 cells wide (it took a worker to 2.7 GB). Cells are cut to max_cell_chars.
    max_columns: int = 200
    max_cell_chars: int = 20_000
    header_search_rows: int = 10
    zip: ZipLimits = ZipLimits()  # a ZIP of a sheet and its photos
    xlsx_zip: ZipLimits = ZipLimits(max_total_bytes=100 * MB)  # the XML inside a workbook


_MAX_CSV_COLUMNS = SheetLimits.max_columns


# Cells whose values repeat down a list (the same owner, address, group, stars, decision on
# many rows): each distinct value is kept once. Names, refs and descriptions rarely repeat.
_UNSHARED_FIELDS = frozenset({"name", "ref", "description", "images"})


class SheetRow:
    """One data row: its spreadsheet row number and its mapped cells.

    The cells are kept as a tuple of values beside the header's shared tuple of column names
    (a dict per row cost about 300 bytes more on a 50,000-row list); ``cells`` builds the
    {column: raw value} dict when a row is read."""

    __slots__ = ("number", "_names", "_values")

    def __init__(self, number: int, cells: dict[str, object], names: tuple[str, ...] | None = None):
        self.number = number
        self._names = names if names is not None and len(names) == len(cells) else tuple(cells)
        self._values = tuple(cells.values())

    @property
    def cells(self) -> dict[str, object]:
        return dict(zip(self._names, self._values))

    def __eq__(self, other) -> bool:
        return isinstance(other, SheetRow) and (self.number, self.cells) == (other.number, other.cells)

    def __repr__(self) -> str:
        return f"SheetRow({self.number!r}, {self.cells!r})"


@dataclass
class Sheet:
    kind: str  # "csv", "xlsx" or "json"
    header: HeaderMap
    header_row: int
    rows: list[SheetRow]
    photos: PhotoLibrary
    in_zip: bool = False
    title_lines: tuple[str, ...] = ()  # the text above the header (an official list's title)
    defaults: dict = field(default_factory=dict)  # cells every row gets (TITLE_PROVINCE, TITLE_DECISION)
    _closers: list = field(default_factory=list, repr=False)

    @property
    def labels(self) -> dict[str, str]:
        return self.header.labels

    def close(self) -> None:
        while self._closers:
            self._closers.pop()()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def _file_head(path: Path) -> bytes:
    """The file's first bytes, refusing an empty file and the old binary .xls at once."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise ImportFileError("file_empty")
    if head.startswith(OLE2_MAGIC):
        raise ImportFileError("file_xls_old")
    return head


def open_sheet(path, *, photo_dir=None, limits: SheetLimits = SheetLimits()) -> Sheet:
    """Open and read an import file. `photo_dir` is where photos of a lone CSV/XLSX are looked
    for (the command line passes the file's folder; the web passes None). Raises ImportFileError."""
    path = Path(path)
    head = _file_head(path)
    folder_photos = FolderPhotos(photo_dir) if photo_dir is not None else NoPhotos()
    if not head.startswith(ZIP_MAGIC):
        if path.stat().st_size > limits.max_sheet_bytes:
            raise ImportFileError("file_too_large", max_mb=limits.max_sheet_bytes // MB)
        return _build(*_text_rows(path.read_bytes()), folder_photos, limits)
    archive = _open_zip(path)
    try:
        if _is_xlsx(archive):
            check_zip(archive, limits.xlsx_zip)
            sheet = _build("xlsx", _xlsx_rows(path, limits), folder_photos, limits)
            archive.close()
            return sheet
        sheet = _bundle(archive, check_zip(archive, limits.zip), limits)
    except BaseException:
        archive.close()
        raise
    sheet._closers.append(archive.close)
    return sheet


def _open_zip(source) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise ImportFileError("zip_damaged") from None


def _is_xlsx(archive: zipfile.ZipFile) -> bool:
    return "xl/workbook.xml" in archive.namelist()


def _bundle(archive: zipfile.ZipFile, members, limits: SheetLimits) -> Sheet:
    """A ZIP holding one spreadsheet and its photos."""
    sheets = [m for m in members if not m.is_dir() and not is_junk(safe_member_name(m.filename))
              and m.filename.lower().endswith(SHEET_SUFFIXES)]
    if not sheets:
        raise ImportFileError("zip_no_sheet")
    if len(sheets) > 1:
        raise ImportFileError("zip_many_sheets", names=", ".join(m.filename for m in sheets[:5]))
    member = sheets[0]
    if member.file_size > limits.max_sheet_bytes:
        raise ImportFileError("file_too_large", max_mb=limits.max_sheet_bytes // MB)
    try:
        data = archive.read(member)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise ImportFileError("zip_damaged") from None
    folder = posixpath.dirname(safe_member_name(member.filename))
    photos = ZipPhotos(archive, members, folder)
    if data.startswith(ZIP_MAGIC):
        inner = _open_zip(io.BytesIO(data))
        with inner:
            check_zip(inner, limits.xlsx_zip)
            if not _is_xlsx(inner):
                raise ImportFileError("xlsx_unreadable")
        return _build("xlsx", _xlsx_rows(io.BytesIO(data), limits), photos, limits, in_zip=True)
    if data.startswith(OLE2_MAGIC):
        raise ImportFileError("file_xls_old")
    return _build(*_text_rows(data), photos, limits, in_zip=True)


TITLE_PROVINCE = "title_province"  # a cell every row gets: the province the title names
TITLE_DECISION = "title_decision"  # and the decision it names ("1835/QĐ-UBND", date)
_TOTAL_LINE = re.compile(r"^(tong cong|tong so|tong|cong)\b\s*[:\d]")
_DECISION = re.compile(r"(\d+[\w.-]*/Q[ĐD][\w./-]*)", re.IGNORECASE)
_DECISION_DATE = re.compile(r"ng[aà]y\s+(\d{1,2}[/.-]\d{1,2}[/.-]\d{4})", re.IGNORECASE)
_PROVINCE_IN_TITLE = re.compile(r"\b(?:tinh|thanh pho|tp)\s+((?:[a-z]+\s*){1,5})")


def _build(kind, raw_rows, photos, limits: SheetLimits, in_zip=False) -> Sheet:
    """Find the header among the first filled rows, then keep of each data row only the
    mapped cells (the rows are never held whole). Blank and total lines are skipped. What the
    title lines say for every row is kept once, in `Sheet.defaults`, not copied into each row."""
    filled = _filled(raw_rows, limits)
    head = []
    for number, row in filled:
        head.append((number, row))
        if len(head) >= limits.header_search_rows:
            break
    if not head:
        raise ImportFileError("sheet_empty")
    header_index, header = find_header([row for _, row in head], limits.header_search_rows)
    title_lines = tuple(_row_text(row) for _, row in head[:header_index])
    defaults = _title_defaults(title_lines)
    if not any(name in header.index for name in PROVINCE_SOURCES) and TITLE_PROVINCE not in defaults:
        raise ImportFileError("columns_missing", columns="province")
    data_rows = []
    names = tuple(header.index)
    shared = tuple(name not in _UNSHARED_FIELDS for name in names)
    seen: dict = {}

    def keep(number, row):
        cells = header.cells_of(row)
        if any(not _blank(value) for value in cells.values()) and not _is_total_line(cells):
            if len(data_rows) >= limits.max_rows:
                raise ImportFileError("too_many_rows", max=limits.max_rows)
            for (name, value), share in zip(cells.items(), shared):
                if share and isinstance(value, str):
                    cells[name] = seen.setdefault(value, value)
            data_rows.append(SheetRow(number, cells, names))

    for number, row in head[header_index + 1:]:
        keep(number, row)
    for number, row in filled:
        keep(number, row)
    return Sheet(kind, header, head[header_index][0], data_rows, photos, in_zip, title_lines, defaults)


def _row_text(row) -> str:
    return " ".join(str(cell).strip() for cell in row if not _blank(cell))


def _folded(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9:]+", " ", fold(nfc(text)).lower()).split())


def _is_total_line(cells) -> bool:
    """'Tổng cộng: 15 sản phẩm' at the foot of an official list (no producer on that line)."""
    if not _blank(cells.get("producer_name")):
        return False
    return any(isinstance(value, str) and _TOTAL_LINE.match(_folded(value)) for value in cells.values())


def _title_defaults(lines) -> dict[str, object]:
    """What the title lines say for every row: the province ('… TỈNH LÀO CAI …') and the
    recognition decision ('Quyết định số 1835/QĐ-UBND ngày 12/10/2023')."""
    defaults: dict[str, object] = {}
    for line in lines:
        if TITLE_PROVINCE not in defaults:
            for match in _PROVINCE_IN_TITLE.finditer(_folded(line)):
                words = match.group(1).split()
                found = next((units.match_province(" ".join(words[:size]))
                              for size in range(len(words), 0, -1) if units.match_province(" ".join(words[:size]))),
                             None)
                if found is not None:
                    defaults[TITLE_PROVINCE] = found.short_name
                    break
        decision, when = _DECISION.search(nfc(line)), _DECISION_DATE.search(nfc(line))
        if decision and when and TITLE_DECISION not in defaults:
            defaults[TITLE_DECISION] = (decision.group(1), when.group(1))
    return defaults


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _filled(raw_rows, limits: SheetLimits):
    """(spreadsheet row number, cells) of the rows holding anything, at most
    `max_columns` wide, text cut to `max_cell_chars`. Excel often stores thousands of
    formatted but empty rows; they neither count nor take memory."""
    width, longest = limits.max_columns, limits.max_cell_chars
    for number, row in enumerate(raw_rows, start=1):
        row = row[:width]
        if any(not _blank(cell) for cell in row):
            yield number, [cell[:longest] if isinstance(cell, str) else cell for cell in row]


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" is UTF-16
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError("file_not_utf8") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFileError("file_not_utf8") from None


def _delimiter(text: str) -> str:
    """Comma unless the first line clearly uses semicolons (Excel in some locales) or tabs."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > 0 else ","


def _text_rows(data: bytes):
    """("json" or "csv", rows) of a text file; the content decides, not the name."""
    text = _decode(data)
    if looks_like_json(text):
        return "json", json_rows(text)
    return "csv", _csv_rows(text)


def _csv_rows(text: str):
    if "\x00" in text:
        raise ImportFileError("file_type_unknown")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for row in reader:
            yield [restore_cell(cell) for cell in row[:_MAX_CSV_COLUMNS]]
    except csv.Error:
        raise ImportFileError("file_type_unknown") from None


def _xlsx_rows(source, limits: SheetLimits):
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError,
            ElementTree.ParseError, TypeError):
        raise ImportFileError("xlsx_unreadable") from None
    try:
        worksheet = workbook.active or workbook.worksheets[0]
        worksheet.reset_dimensions()  # some programs write a wrong size; read what is there
        for row in worksheet.iter_rows(max_col=limits.max_columns, values_only=True):
            yield [restore_cell(cell) if isinstance(cell, str) else cell for cell in row]
    except (KeyError, ValueError, IndexError, EOFError, zipfile.BadZipFile, ElementTree.ParseError, TypeError):
        raise ImportFileError("xlsx_unreadable") from None
    finally:
        workbook.close()


def read_table(path, limits: SheetLimits = SheetLimits()) -> list[tuple[int, list]]:
    """(spreadsheet row number, cells) of the filled rows of a lone CSV or XLSX file, for readers
    with their own columns (bank statements). Raises ImportFileError like open_sheet."""
    path = Path(path)
    head = _file_head(path)
    if path.stat().st_size > limits.max_sheet_bytes:
        raise ImportFileError("file_too_large", max_mb=limits.max_sheet_bytes // MB)
    if not head.startswith(ZIP_MAGIC):
        raw_rows = _csv_rows(_decode(path.read_bytes()))
    else:
        with _open_zip(path) as archive:
            if not _is_xlsx(archive):
                raise ImportFileError("file_type_unknown")
            check_zip(archive, limits.xlsx_zip)
        raw_rows = _xlsx_rows(path, limits)
    rows = []
    for number, row in _filled(raw_rows, limits):
        if len(rows) >= limits.max_rows:
            raise ImportFileError("too_many_rows", max=limits.max_rows)
        rows.append((number, list(row)))
    if not rows:
        raise ImportFileError("sheet_empty")
    return rows
