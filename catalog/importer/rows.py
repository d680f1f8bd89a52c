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
from places import former, units
from producers.ocop import certificate_valid_until, group_name, match_category, match_product_set, product_set, \
    product_sets
from vntext import fold, looks_like_legacy_encoding, nfc, slugify

from . import values
from .messages import ERROR, WARNING, CellProblem, Issue
from .sheet import TITLE_DECISION, TITLE_PROVINCE

# Column widths of the database (catalog.models.Product, producers.models.Producer/Certificate).
MAX_LENGTHS = {"ref": 50, "name": 200, "unit": 60, "producer_name": 200, "certificate_no": 60,
               "description": 10_000, "commune": 200, "address": 300}
MAX_PHOTOS = 8
IMAGE_SEPARATOR = ";"
# The same rule as the product form (catalog.rules.clean_ref): refs end up in feeds as plain ids.
REF_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
# Text columns checked for TCVN3/VNI mojibake (numbers and codes cannot show it).
TEXT_FIELDS = ("name", "description", "unit", "producer_name", "province", "commune", "address")


@dataclass(frozen=True)
class ProducerRecord:
    name: str
    key: str  # values.match_key(name): how producers are matched, with the province
    kind: str
    province_code: int
    province_name: str
    commune_code: int | None = None
    address: str | None = None  # the address as written, or the commune text that is not a commune of today
    phone: str | None = None
    tax_code: str | None = None
    kind_given: bool = True  # False: guessed from the name (values.infer_producer_kind)

    @property
    def details(self) -> tuple:
        """What two rows of the same producer should agree on."""
        return (self.kind if self.kind_given else None, self.commune_code, self.address, self.phone,
                self.tax_code)


@dataclass(frozen=True)
class ProductRecord:
    row: int
    ref: str
    name: str
    product_set_code: int | None  # None: only the group is known, or no category was given
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
    ref_from_name: bool = False  # no ref column: the product is matched by producer and name


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
    product_set, category_known = _product_set(row)
    producer = _producer(row)
    stars = row.parsed("stars", values.parse_stars)
    price = row.parsed("price_vnd", values.parse_price)
    weight = row.parsed("weight_g", values.parse_weight)
    availability = row.parsed("availability", values.parse_availability)
    ref = _ref(row, name)
    description = row.block("description")
    unit = row.line("unit")
    if weight is None and unit and row.raw("weight_g") is None:
        weight = values.weight_from_unit(unit)
        if weight is not None:
            row.add("weight_g", "weight_from_unit", WARNING, grams=weight, unit=unit)
    certificate_no, certificate_date = _certificate(row, stars)
    images = _image_names(row)
    if row.has_errors or not (name and category_known and producer and ref):
        return RowResult(None, row.issues)
    kind, months = availability or (None, ())
    record = ProductRecord(
        row=number, ref=ref, name=name, product_set_code=product_set.code if product_set else None,
        producer=producer, description=description, stars=stars, price_vnd=price, unit=unit, weight_g=weight,
        availability=kind, season_months=months, certificate_no=certificate_no,
        certificate_date=certificate_date, image_names=images, ref_from_name=row.raw("ref") is None)
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
    """(the product set or None, whether the row may go on). A Decision 148 group or a
    1048-era label that covers several sets imports without a set, with a warning; a row
    without any category (a follow-up sheet) keeps the set on record."""
    value = row.raw("category")
    if value is None:
        return None, True
    found = find_product_set(values.as_text(value))
    if found is not None:
        return found, True
    category = _category(values.clean_line(value))
    if category is None:
        row.add("category", "category_unknown", value=values.clean_line(value))
        return None, False
    if category.product_set is not None:
        return category.product_set, True
    row.add("category", "category_group_only", WARNING, value=values.clean_line(value),
            group=group_name(category.group_code))
    return None, True


def _set_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(nfc(text)).lower()).split())


# A sheet repeats the same provinces, communes, sets and producers on thousands of rows, and
# matching folds every candidate name: these pure look-ups are remembered.
_CACHE_SIZE = 8192
_province = lru_cache(maxsize=_CACHE_SIZE)(units.match_province)
_category = lru_cache(maxsize=_CACHE_SIZE)(match_category)


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
    kind, kind_given = row.parsed("producer_type", values.parse_producer_kind), True
    if kind is None and row.raw("producer_type") is None and name:
        kind, kind_given = values.infer_producer_kind(name), False
    address_text = row.line("address")
    parts = former.split_address(address_text) if address_text else former.AddressParts()
    province_text = row.line("province") or parts.province or row.line(TITLE_PROVINCE)
    province = _province(province_text) if province_text else None
    if province_text is None:
        row.add("province", "value_missing")
    elif province is None:
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
    elif province is not None and parts.commune:
        commune_code = _commune_of_address(row, province, parts)
    if address_text:
        address = address_text  # the address as written, beside today's codes
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
                          phone=phone, tax_code=tax_code, kind_given=kind_given)


@lru_cache(maxsize=_CACHE_SIZE)
def _resolve_commune(province_code: int, commune: str, district: str | None):
    return former.resolve_commune(province_code, commune, district)


def _commune_of_address(row: _Row, province, parts) -> int | None:
    """Today's commune of an address that may still name a former commune and district."""
    found = _resolve_commune(province.code, parts.commune, parts.district)
    written = ", ".join(part for part in (parts.commune, parts.district) if part)
    if found is None:
        row.add("address", "commune_unknown", WARNING, value=written, province=province.short_name)
        return None
    if found.change == former.MERGED:
        row.add("address", "commune_merged", WARNING, value=written, commune=found.commune.name)
    elif found.change == former.SPLIT:
        row.add("address", "commune_split", WARNING, value=written, commune=found.commune.name)
    return found.commune.code


@lru_cache(maxsize=_CACHE_SIZE)
def _phone(text: str) -> str | None:
    digits = text.strip()
    if digits.isdigit() and len(digits) == 9:  # a numeric cell lost its leading zero
        digits = "0" + digits
    return normalise_phone(digits)


def _certificate(row: _Row, stars: int | None, today: date | None = None) -> tuple[str | None, date | None]:
    number = row.line("certificate_no")
    when = row.parsed("certificate_date", values.parse_date)
    given_date = row.raw("certificate_date") is not None
    title_decision = row.raw(TITLE_DECISION)
    if stars is not None and number is None and not given_date and title_decision:
        # The list's title names the decision that recognised every product in it.
        number, when = title_decision[0], values.parse_date(title_decision[1])
        given_date = True
    if stars is not None and not (number and (when or given_date)):
        row.add("stars", "certificate_incomplete", WARNING)
    if number and when:
        if stars is not None and certificate_valid_until(when) < (today or date.today()):
            row.add("stars", "certificate_expired", WARNING, number=number,
                    until=certificate_valid_until(when).strftime("%d/%m/%Y"))
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
