"""Cell values as people type them in Vietnamese spreadsheets, turned into typed values.

Pure module. Each parser takes a raw cell (text from a CSV, or str/int/float/datetime from an
XLSX) and returns the value, or raises CellProblem(code, severity, **params).
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

from catalog.exporters.ourcsv import parse_months
from catalog.exporters.record import InvalidListing
from producers.constants import ProducerKind
from producers.rules import IdentifierError, normalise_tax_code
from vntext import canonical_tones, fold, nfc

from .messages import WARNING, CellProblem

MAX_PRICE_VND = 10_000_000_000  # a bonsai can cost a few hundred million đồng; ten billion is a typo
MAX_WEIGHT_G = 1_000_000

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CURRENCY = re.compile(r"\s*(₫|đ|d|vnđ|vnd|đồng|dong)\.?\s*$", re.IGNORECASE)
_GROUPED = re.compile(r"\d{1,3}([.,]\d{3})+")
_STARS = re.compile(r"([345])(?:[.,]0+)?\s*(?:sao|stars?|\*+|★+)?", re.IGNORECASE)
_WEIGHT = re.compile(r"(\d+(?:[.,]\d+)?)\s*(kg|g|gr|gram|grams|gam)?\.?", re.IGNORECASE)
# A weight inside a selling unit: "túi 250g", "hộp 1,2kg", "500 gram" (not "chai 500ml").
_WEIGHT_IN_UNIT = re.compile(r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s*(kg|kilogram|kilo|g|gr|gram|grams|gam)(?![a-z])",
                             re.IGNORECASE)
_DATE_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")



_PRODUCER_KINDS = {
    "cooperative": ProducerKind.COOPERATIVE, "hop tac xa": ProducerKind.COOPERATIVE,
    "htx": ProducerKind.COOPERATIVE,
    "cooperative group": ProducerKind.COOPERATIVE_GROUP, "to hop tac": ProducerKind.COOPERATIVE_GROUP,
    "tht": ProducerKind.COOPERATIVE_GROUP, "to hop": ProducerKind.COOPERATIVE_GROUP,
    "household": ProducerKind.HOUSEHOLD, "ho kinh doanh": ProducerKind.HOUSEHOLD,
    "hkd": ProducerKind.HOUSEHOLD, "ho gia dinh": ProducerKind.HOUSEHOLD, "ho san xuat": ProducerKind.HOUSEHOLD,
    "ho kinh doanh ca the": ProducerKind.HOUSEHOLD, "co so": ProducerKind.HOUSEHOLD,
    "enterprise": ProducerKind.ENTERPRISE, "doanh nghiep": ProducerKind.ENTERPRISE,
    "dn": ProducerKind.ENTERPRISE, "cong ty": ProducerKind.ENTERPRISE, "company": ProducerKind.ENTERPRISE,
}
_AVAILABILITY = {
    "in stock": "in_stock", "con hang": "in_stock", "co san": "in_stock", "san co": "in_stock",
    "out of stock": "out_of_stock", "het hang": "out_of_stock", "tam het": "out_of_stock",
    "seasonal": "seasonal", "theo mua": "seasonal", "mua vu": "seasonal",
}


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: object) -> str:
    """A cell as text: whole numbers without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def clean_line(value: object) -> str:
    """One line of text: NFC, no control characters, spaces collapsed."""
    text = nfc(as_text(value))
    return " ".join(_CONTROLS.sub(" ", text).split())


def clean_block(value: object) -> str:
    """Multi-line text (descriptions): NFC, line ends unified, trailing spaces trimmed."""
    text = nfc(as_text(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text.replace("\t", " "))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


@lru_cache(maxsize=8192)
def match_key(text: str) -> str:
    """How producer names are compared: NFC, canonical tone marks, case-folded, spaces collapsed."""
    return " ".join(canonical_tones(nfc(text)).casefold().split())


def _folded_words(value: object) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(clean_line(value)).lower()).split())


def parse_whole_number(value: object, code: str, maximum: int) -> int:
    """Whole numbers written '120000', '120.000', '120,000', '120.000 đ' or numeric cells."""
    if isinstance(value, bool):
        raise CellProblem(code, value=value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellProblem(code, value=as_text(value))
        number = int(value)
    else:
        text = _CURRENCY.sub("", clean_line(value)).replace(" ", "").replace("\u00a0", "")
        if text.isascii() and text.isdigit():
            number = int(text)
        elif _GROUPED.fullmatch(text) and len({sep for sep in text if sep in ".,"}) == 1:
            number = int(re.sub(r"[.,]", "", text))
        else:
            raise CellProblem(code, value=clean_line(value))
    if number < 0:
        raise CellProblem(code, value=as_text(value))
    if number > maximum:
        raise CellProblem("price_out_of_range" if code == "price_invalid" else code,
                          max=f"{maximum:,}".replace(",", "."), value=as_text(value))
    return number


def parse_price(value: object) -> int:
    return parse_whole_number(value, "price_invalid", MAX_PRICE_VND)


def parse_stars(value: object) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value) in (3.0, 4.0, 5.0):
            return int(value)
        raise CellProblem("stars_invalid", value=as_text(value))
    match = _STARS.fullmatch(clean_line(value))
    if match is None:
        raise CellProblem("stars_invalid", value=clean_line(value))
    return int(match.group(1))


def parse_weight(value: object) -> int:
    """Grams: 500, '500 g', '1,5 kg', '1.5kg'."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return parse_whole_number(value, "weight_invalid", MAX_WEIGHT_G)
    text = clean_line(value)
    match = _WEIGHT.fullmatch(text)
    if match is None:
        raise CellProblem("weight_invalid", value=text)
    number, unit = match.group(1), (match.group(2) or "g").lower()
    if unit == "kg":
        grams = float(number.replace(",", ".")) * 1000
        if not grams.is_integer():
            raise CellProblem("weight_invalid", value=text)
        number = str(int(grams))
    return parse_whole_number(number, "weight_invalid", MAX_WEIGHT_G)


def weight_from_unit(unit: str) -> int | None:
    """Grams named by a selling unit ('túi 250g' -> 250, 'hộp 1,2kg' -> 1200, '500 gram' -> 500);
    None when the unit names no weight, or only a volume ('chai 500ml', '1 lít'): a volume is
    not a weight without the density, so it is never converted."""
    text = fold(nfc(unit or ""))
    if re.search(r"\d\s*[x×*]\s*\d", text):  # "2 x 250g": a pack of several, ambiguous
        return None
    found = list(_WEIGHT_IN_UNIT.finditer(text))
    if len(found) != 1:
        return None
    number, unit_word = found[0].group(1).replace(",", "."), found[0].group(2).lower()
    grams = float(number) * (1000 if unit_word.startswith("k") else 1)
    if not grams.is_integer() or not 0 < grams <= MAX_WEIGHT_G:
        return None
    return int(grams)


def infer_producer_kind(name: str) -> str:
    """The kind of an OCOP subject from its name, as official lists write it: 'HTX …' or
    'Hợp tác xã …' is a cooperative, 'Tổ hợp tác …' a cooperative group, 'Công ty …' or
    'Doanh nghiệp …' an enterprise, and 'Hộ kinh doanh …', 'Cơ sở …' or a person's name a
    household."""
    key = _folded_words(name)
    if key.startswith(("htx ", "hop tac xa ", "lien hiep htx ", "lien hiep hop tac xa ")) or key == "htx":
        return ProducerKind.COOPERATIVE
    if key.startswith(("to hop tac ", "tht ")):
        return ProducerKind.COOPERATIVE_GROUP
    if key.startswith(("cong ty ", "cty ", "ctcp ", "doanh nghiep ", "dntn ", "tap doan ")) or \
            re.search(r"\b(tnhh|co phan|jsc|co ltd)\b", key):
        return ProducerKind.ENTERPRISE
    return ProducerKind.HOUSEHOLD


def parse_date(value: object) -> date:
    """Dates as XLSX date cells, '17/05/2024' (day first, as in Vietnam) or '2024-05-17'."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_line(value)
    try:
        if match := _DATE_ISO.fullmatch(text):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if match := _DATE_DMY.fullmatch(text):
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        pass
    raise CellProblem("certificate_date_invalid", WARNING, value=text)


def parse_producer_kind(value: object) -> str:
    key = _folded_words(value)
    kind = _PRODUCER_KINDS.get(key) or _PRODUCER_KINDS.get(key.replace("_", " "))
    if kind is None:
        raise CellProblem("producer_type_unknown", value=clean_line(value))
    return kind


def parse_availability(value: object) -> tuple[str, tuple[int, ...]]:
    """'in_stock', 'còn hàng', 'hết hàng', 'seasonal:5-8', 'theo mùa: 5, 6, 7' -> (kind, months)."""
    text = clean_line(value)
    word, _, months_text = text.partition(":")
    if not months_text:
        found = re.match(r"\s*([^\d]*?)\s*(\d.*)?$", text)
        word, months_text = found.group(1), found.group(2) or ""
    kind = _AVAILABILITY.get(_folded_words(word).replace("_", " "))
    if kind is None or (kind != "seasonal" and months_text.strip()):
        raise CellProblem("availability_invalid", value=text)
    if kind != "seasonal":
        return kind, ()
    try:
        months = parse_months(months_text) if months_text.strip() else ()
    except InvalidListing:
        raise CellProblem("availability_invalid", value=text) from None
    if not months:
        raise CellProblem("availability_invalid", value=text)
    return kind, months


def parse_tax_code(value: object, kind: str) -> str:
    """A 10- or 13-digit MST as stored by the producer wizard (mst.format), or for a household
    the representative's 12-digit personal ID. Excel drops leading zeros of numeric cells, so a
    number one digit short gets its zero back."""
    raw = value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = as_text(value)
        if len(digits) in (9, 11):
            digits = "0" + digits
        value = digits
    try:
        # The producer wizard's own check (producers.rules): one definition of a valid tax code.
        tax_code = normalise_tax_code(kind, clean_line(value))
    except IdentifierError:
        tax_code = None
    if tax_code is None:
        raise CellProblem("tax_code_invalid", WARNING, value=as_text(raw))
    return tax_code


def is_printable_name(text: str) -> bool:
    """False for names made only of punctuation or symbols (a stray '-' in a cell)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
