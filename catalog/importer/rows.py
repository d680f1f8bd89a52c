"""One spreadsheet row -> a validated product record, or the problems of each column.

Pure module (no Flask, no database). Empty optional cells mean "no information": they never
clear what the catalogue already holds, so importing a list that lacks weights does not wipe
the weights producers typed themselves.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Mapping

from accounts.phones import normalise_phone
from places import units
from producers.ocop import match_product_set, product_set, product_sets
from vntext import fold, looks_like_legacy_encoding, nfc, slugify

from . import values
from .messages import ERROR, WARNING, CellProblem, Issue

# Column widths of the database (catalog.models.Product, producers.models.Producer/Certificate).
MAX_LENGTHS = {"ref": 50, "name": 200, "unit": 60, "producer_name": 200, "certificate_no": 60,
               "description": 10_000, "commune": 200}
MAX_PHOTOS = 8
IMAGE_SEPARATOR = ";"
# The same rule as the product form (catalog.rules.clean_ref): refs end up in feeds as plain ids.
REF_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
# Text columns checked for TCVN3/VNI mojibake (numbers and codes cannot show it).
TEXT_FIELDS = ("name", "description", "unit", "producer_name", "province", "commune")


@dataclass(frozen=True)
class ProducerRecord:
    name: str
    key: str  # values.match_key(name): how producers are matched, with the province
    kind: str
    province_code: int
    province_name: str
    commune_code: int | None = None
    address: str | None = None  # the commune text when it is not a commune of today
    phone: str | None = None
    tax_code: str | None = None

    @property
    def details(self) -> tuple:
        """What two rows of the same producer should agree on."""
        return (self.kind, self.commune_code, self.address, self.phone, self.tax_code)


@dataclass(frozen=True)
class ProductRecord:
    row: int
    ref: str
    name: str
    product_set_code: int
    producer: ProducerRecord
    description: str | None = None
    stars: int | None = None
    price_vnd: int | None = None
    unit: str | None = None
    weight_g: int | None = None
    availability: str | None = None
    season_months: tuple[int, ...] = ()
    certificate_no: str | None = None
    certificate_date: date | None = None
    image_names: tuple[str, ...] = ()


@dataclass
class RowResult:
    record: ProductRecord | None
    issues: list[Issue] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return self.record is None


class _Row:
    """Collects issues while one row is read; `labels` are the file's own column names."""

    def __init__(self, number: int, cells: Mapping[str, object], labels: Mapping[str, str]):
        self.number = number
        self.cells = cells
        self.labels = labels
        self.issues: list[Issue] = []

    def add(self, column: str, code: str, severity: str = ERROR, **params) -> None:
        self.issues.append(Issue(self.number, column, self.labels.get(column, column), code, params, severity))

    def problem(self, name: str, error: CellProblem) -> None:
        self.add(name, error.code, error.severity, **error.params)

    @property
    def has_errors(self) -> bool:
        return any(issue.severity == ERROR for issue in self.issues)

    def raw(self, name: str):
        value = self.cells.get(name)
        return None if values.is_blank(value) else value

    def line(self, name: str, required: bool = False) -> str | None:
        value = self.raw(name)
        text = values.clean_line(value) if value is not None else ""
        if text and not values.is_printable_name(text) and name in ("name", "producer_name"):
            text = ""
        if not text:
            if required:
                self.add(name, "value_missing")
            return None
        return self._checked(name, text)

    def block(self, name: str) -> str | None:
        value = self.raw(name)
        text = values.clean_block(value) if value is not None else ""
        return self._checked(name, text) if text else None

    def _checked(self, name: str, text: str) -> str | None:
        limit = MAX_LENGTHS.get(name)
        if limit is not None and len(text) > limit:
            self.add(name, "too_long", max=limit)
            return None
        return text

    def parsed(self, name: str, parser, *args):
        value = self.raw(name)
        if value is None:
            return None
        try:
            return parser(value, *args)
        except CellProblem as error:
            self.problem(name, error)
            return None


def validate_row(number: int, cells: Mapping[str, object], labels: Mapping[str, str] | None = None) -> RowResult:
    """Check one data row. `cells` maps import columns to raw cell values (already restored
    from the export's formula guard); `labels` maps them to the file's header texts."""
    row = _Row(number, cells, labels or {})
    _check_legacy_text(row)
    if row.has_errors:
        return RowResult(None, row.issues)

    name = row.line("name", required=True)
    product_set = _product_set(row)
    producer = _producer(row)
    stars = row.parsed("stars", values.parse_stars)
    price = row.parsed("price_vnd", values.parse_price)
    weight = row.parsed("weight_g", values.parse_weight)
    availability = row.parsed("availability", values.parse_availability)
    ref = _ref(row, name)
    description = row.block("description")
    unit = row.line("unit")
    certificate_no, certificate_date = _certificate(row, stars)
    images = _image_names(row)
    if row.has_errors or not (name and product_set and producer and ref):
        return RowResult(None, row.issues)
    kind, months = availability or (None, ())
    record = ProductRecord(
        row=number, ref=ref, name=name, product_set_code=product_set.code, producer=producer,
        description=description, stars=stars, price_vnd=price, unit=unit, weight_g=weight,
        availability=kind, season_months=months, certificate_no=certificate_no,
        certificate_date=certificate_date, image_names=images)
    return RowResult(record, row.issues)


def _ref(row: _Row, name: str | None) -> str | None:
    """The producer's reference; when the cell is empty, one made from the name (stable across
    re-imports as long as the name stays the same)."""
    ref = row.line("ref")
    if ref is None:
        derived = slugify(name, MAX_LENGTHS["ref"]) if name else ""
        if name and not derived:
            row.add("ref", "value_missing")
        return derived or None
    if not REF_PATTERN.fullmatch(ref):
        row.add("ref", "ref_invalid", value=ref)
        return None
    return ref


def _check_legacy_text(row: _Row) -> None:
    for name in TEXT_FIELDS:
        value = row.raw(name)
        if isinstance(value, str) and looks_like_legacy_encoding(value):
            row.add(name, "legacy_encoding", value=values.clean_line(value)[:60])


def _product_set(row: _Row):
    value = row.raw("category")
    if value is None:
        row.add("category", "value_missing")
        return None
    found = find_product_set(values.as_text(value))
    if found is None:
        row.add("category", "category_unknown", value=values.clean_line(value))
    return found


def _set_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(nfc(text)).lower()).split())


# A sheet repeats the same provinces, communes, sets and producers on thousands of rows, and
# matching folds every candidate name: these pure look-ups are remembered.
_CACHE_SIZE = 8192
_province = lru_cache(maxsize=_CACHE_SIZE)(units.match_province)


@lru_cache(maxsize=_CACHE_SIZE)
def _commune(province_code: int, text: str):
    """units.match_commune strips a leading 'Xã'/'Phường' from what was typed, so a commune whose
    own name starts with such a word (Phường Phương Liệt) is only found with its prefix."""
    found = units.match_commune(province_code, text)
    for prefix in ("Phường ", "Xã ", "Đặc khu "):
        if found is not None:
            break
        found = units.match_commune(province_code, prefix + text)
    return found
_tax_code = lru_cache(maxsize=_CACHE_SIZE)(values.parse_tax_code)


@lru_cache(maxsize=_CACHE_SIZE)
def find_product_set(text: str):
    """An OCOP product set by number or name (producers.ocop.match_product_set), also when
    punctuation differs, the bracketed part is left out ('Chè' for 'Chè (trà)'), or the number
    leads the name ('7 - Chế biến từ rau củ quả')."""
    text = values.clean_line(text)
    found = match_product_set(text)
    if found is not None:
        return found
    leading = re.match(r"(\d{1,2})\s*[-.:)]\s*\D", text)
    if leading:
        return product_set(int(leading.group(1)))
    key = _set_key(text)
    for item in product_sets():
        if key in (_set_key(item.name_vi), _set_key(re.sub(r"\(.*?\)", "", item.name_vi)), _set_key(item.name_en)):
            return item
    return None


def _producer(row: _Row) -> ProducerRecord | None:
    name = row.line("producer_name", required=True)
    kind = row.parsed("producer_type", values.parse_producer_kind)
    if kind is None and row.raw("producer_type") is None:
        row.add("producer_type", "value_missing")
    province_text = row.line("province", required=True)
    province = _province(province_text) if province_text else None
    if province_text and province is None:
        row.add("province", "province_unknown", value=province_text)
    commune_text = row.line("commune")
    commune_code, address = None, None
    if province is not None and commune_text:
        commune = _commune(province.code, commune_text)
        if commune is None:
            row.add("commune", "commune_unknown", WARNING, value=commune_text, province=province.short_name)
            address = f"{commune_text}, {province.short_name}"
        else:
            commune_code = commune.code
    phone = None
    if (phone_value := row.raw("phone")) is not None:
        phone = _phone(values.as_text(phone_value))
        if phone is None:
            row.add("phone", "phone_invalid", WARNING, value=values.clean_line(phone_value))
    tax_code = row.parsed("tax_code", _tax_code, kind) if kind else None
    if not (name and kind and province):
        return None
    return ProducerRecord(name=name, key=values.match_key(name), kind=kind, province_code=province.code,
                          province_name=province.short_name, commune_code=commune_code, address=address,
                          phone=phone, tax_code=tax_code)


@lru_cache(maxsize=_CACHE_SIZE)
def _phone(text: str) -> str | None:
    digits = text.strip()
    if digits.isdigit() and len(digits) == 9:  # a numeric cell lost its leading zero
        digits = "0" + digits
    return normalise_phone(digits)


def _certificate(row: _Row, stars: int | None) -> tuple[str | None, date | None]:
    number = row.line("certificate_no")
    when = row.parsed("certificate_date", values.parse_date)
    given_date = row.raw("certificate_date") is not None
    if stars is not None and not (number and (when or given_date)):
        row.add("stars", "certificate_incomplete", WARNING)
    if number and when:
        return number, when
    return None, None


def _image_names(row: _Row) -> tuple[str, ...]:
    value = row.raw("images")
    if value is None:
        return ()
    names = []
    for part in values.as_text(value).replace("\n", IMAGE_SEPARATOR).split(IMAGE_SEPARATOR):
        name = values.clean_line(part)
        if name and name not in names:
            names.append(name)
    for extra in names[MAX_PHOTOS:]:
        row.add("images", "photos_limit", WARNING, max=MAX_PHOTOS, name=extra)
    return tuple(names[:MAX_PHOTOS])
