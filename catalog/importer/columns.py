"""The import's columns and how header cells map to them.

Pure module. Headers are matched by name in any order, ignoring case, diacritics, spaces and
punctuation, so "Price VND", "price_vnd" and "Giá bán (VNĐ)" all mean ``price_vnd``. The
canonical names are those of our own CSV export (catalog.exporters.ourcsv.OUR_COLUMNS), so an
exported file imports back unchanged.
"""
from __future__ import annotations

import re

from catalog.exporters.ourcsv import OUR_COLUMNS
from vntext import fold, nfc

from .messages import ImportFileError

# Every column of our CSV export, and ``address`` (official OCOP lists give one address column).
FIELDS = ("ref", "name", "description", "category", "stars", "price_vnd", "unit", "producer_name",
          "producer_type", "province", "commune", "weight_g", "certificate_no", "certificate_date",
          "availability", "phone", "tax_code", "images", "address")
assert set(OUR_COLUMNS) <= set(FIELDS), "the import must read every column the CSV export writes"
# A sheet needs only these; the province may also come from an address or the title lines
# (sheet.py checks that), and a product lacking a price or a photo is kept as a draft.
REQUIRED_FIELDS = ("name", "producer_name")
PROVINCE_SOURCES = ("province", "address")
# Header cells that are known and carry nothing to import (the row numbers of official lists).
SILENT_HEADERS = ("stt", "tt", "so tt", "so thu tu")

# Names people give these columns in provincial OCOP lists and shop spreadsheets (folded form).
ALIASES: dict[str, tuple[str, ...]] = {
    "ref": ("ma", "ma sp", "ma san pham", "ma hang", "sku", "reference", "product ref"),
    "name": ("ten", "ten sp", "ten san pham", "san pham", "ten hang", "product", "product name"),
    "description": ("mo ta", "mo ta san pham", "gioi thieu", "thong tin san pham"),
    "category": ("bo san pham", "nhom san pham", "phan nhom", "nhom", "bo sp", "product set", "ocop set",
                 "ocop category"),
    "stars": ("sao", "so sao", "hang sao", "xep hang", "xep hang ocop", "hang ocop", "ocop stars", "star"),
    "price_vnd": ("gia", "gia ban", "gia vnd", "gia ban vnd", "don gia", "price", "gia dong"),
    "unit": ("don vi", "don vi tinh", "dvt", "quy cach", "quy cach dong goi", "selling unit"),
    "producer_name": ("chu the", "ten chu the", "chu the san xuat", "co so san xuat", "nha san xuat",
                      "don vi san xuat", "producer", "ten co so"),
    "producer_type": ("loai hinh", "loai chu the", "loai hinh chu the", "loai hinh to chuc", "producer kind",
                      "kind"),
    "province": ("tinh", "tinh thanh", "tinh thanh pho", "tinh tp", "province city"),
    "commune": ("xa", "xa phuong", "phuong xa", "xa phuong dac khu", "ward"),
    "weight_g": ("khoi luong", "khoi luong g", "trong luong", "trong luong g", "weight", "weight grams",
                 "can nang"),
    "certificate_no": ("so quyet dinh", "so qd", "quyet dinh", "so chung nhan", "so giay chung nhan",
                       "certificate", "certificate number", "decision no", "so qd cong nhan",
                       "so quyet dinh cong nhan", "quyet dinh cong nhan"),
    "certificate_date": ("ngay quyet dinh", "ngay qd", "ngay cong nhan", "ngay chung nhan", "ngay cap",
                         "decision date"),
    "availability": ("tinh trang", "tinh trang hang", "con hang", "stock"),
    "phone": ("dien thoai", "so dien thoai", "sdt", "dt", "telephone", "mobile"),
    "tax_code": ("ma so thue", "mst", "ma so doanh nghiep", "tax id"),
    "images": ("anh", "hinh anh", "hinh", "anh san pham", "photos", "pictures", "image", "image names"),
    "address": ("dia chi", "dia chi chu the", "dia chi san xuat", "dia chi co so"),
}


def header_key(text: object) -> str:
    """'Giá bán (VNĐ)' -> 'gia ban vnd'; 'price_vnd' -> 'price vnd'."""
    folded = fold(nfc(str(text or ""))).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def _build_lookup() -> dict[str, str]:
    lookup = {}
    for name in FIELDS:
        keys = (header_key(name), *ALIASES.get(name, ()))
        for key in keys:
            assert key not in lookup, f"alias {key!r} is claimed twice"
            lookup[key] = name
    return lookup


_LOOKUP = _build_lookup()


def field_for(header: object) -> str | None:
    """The import column a header cell names, or None."""
    return _LOOKUP.get(header_key(header))


class HeaderMap:
    """Where each import column sits in the rows, and what the file calls it."""

    def __init__(self, cells) -> None:
        self.index: dict[str, int] = {}
        self.labels: dict[str, str] = {}
        self.ignored: list[str] = []
        for position, cell in enumerate(cells):
            label = " ".join(str(cell).split()) if cell is not None else ""
            if not label:
                continue
            name = field_for(label)
            if name is None:
                if header_key(label) not in SILENT_HEADERS:
                    self.ignored.append(label)
            elif name in self.index:
                raise ImportFileError("column_duplicated", first=self.labels[name], second=label, column=name)
            else:
                self.index[name] = position
                self.labels[name] = label

    @property
    def score(self) -> int:
        return len(self.index)

    def missing(self) -> list[str]:
        return [name for name in REQUIRED_FIELDS if name not in self.index]

    @property
    def last_position(self) -> int:
        """The rightmost column read: cells to its right are never looked at."""
        return max(self.index.values(), default=-1)

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def cells_of(self, row) -> dict[str, object]:
        """{column: raw cell} for one data row (missing trailing cells are None)."""
        return {name: (row[position] if position < len(row) else None) for name, position in self.index.items()}


def find_header(rows, search_rows: int = 10) -> tuple[int, HeaderMap]:
    """(index of the header row, its map) among the first `search_rows` rows.

    Provincial lists often put a title above the table, so the header is the first row naming
    at least three import columns including ``name``. When no row does, the row naming the most
    columns decides the message: which columns are missing, or that no header was found.
    Raises ImportFileError.
    """
    best = None
    for index, row in enumerate(rows[:search_rows]):
        try:
            header = HeaderMap(row)
        except ImportFileError:
            if index == 0 or _looks_like_header(row):
                raise
            continue
        if header.score >= 3 and "name" in header.index:
            missing = header.missing()
            if missing:
                raise ImportFileError("columns_missing", columns=", ".join(missing))
            return index, header
        if best is None or header.score > best.score:
            best = header
    if best is not None and best.score >= 2:
        raise ImportFileError("columns_missing", columns=", ".join(best.missing()))
    raise ImportFileError("header_not_found", rows=search_rows,
                          columns=", ".join(REQUIRED_FIELDS + ("province", "price_vnd")))


def _looks_like_header(row) -> bool:
    return sum(1 for cell in row if cell is not None and field_for(cell)) >= 3
