"""Product rules without Flask: prices and numbers as people type them, references, seasons,
slugs, contact links. Only the standard library and `vntext`: the exporters import it.

Errors for people raise `InputError(code, **params)`; the web layer translates the code.
"""
from __future__ import annotations

import csv
import os
import re
from functools import lru_cache

from vntext import fold_key, nfc, slugify

MAX_PRICE_VND = 1_000_000_000
MAX_WEIGHT_G = 1_000_000
REF_MAX_LENGTH = 50
DEFAULT_SLUG = "san-pham"

INPUT_ERROR_CODES = frozenset({
    "empty", "not_a_number", "decimal", "negative", "zero", "too_large",
    "ref_characters", "ref_too_long",
})


class InputError(ValueError):
    """A value someone typed cannot be used. `code` is one of INPUT_ERROR_CODES."""

    def __init__(self, code: str, **params):
        if code not in INPUT_ERROR_CODES:
            raise ValueError(f"unknown input error code {code!r}")
        self.code = code
        self.params = params
        super().__init__(code)


_CURRENCY_SUFFIX = re.compile(r"\s*(₫|đồng|dong|vnđ|vnd|đ|d)\.?$", re.IGNORECASE)
_THOUSANDS_SUFFIX = re.compile(r"\s*(k|nghìn|nghin|ngàn|ngan)$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_GROUPED = re.compile(r"\d{1,3}([.,])\d{3}(\1\d{3})*")


def parse_whole_number(text, *, allow_zero=False, maximum=MAX_PRICE_VND) -> int | None:
    """'120.000', '120000', '120 000', '120,000', '120k', '120.000 ₫' -> 120000.

    Dots, commas and spaces are thousands separators only when they split groups of three
    digits; anything else with a separator is a decimal and refused (đồng has no cents, grams
    are whole). Empty input gives None. Raises InputError for the rest.
    """
    raw = nfc(str(text if text is not None else "")).strip()
    if not raw:
        return None
    value = _SPACES.sub(" ", raw)
    value = _CURRENCY_SUFFIX.sub("", value).strip()
    multiplier = 1
    thousands = _THOUSANDS_SUFFIX.search(value)
    if thousands:
        multiplier = 1000
        value = value[:thousands.start()].strip()
    if value.startswith(("-", "−")):
        raise InputError("negative")
    value = value.lstrip("+").strip()
    digits = _digits_of(value.replace(" ", "") if _spaced_groups(value) else value)
    number = int(digits) * multiplier
    if number == 0 and not allow_zero:
        raise InputError("zero")
    if number > maximum:
        raise InputError("too_large", maximum=maximum)
    return number


def _spaced_groups(value: str) -> bool:
    parts = value.split(" ")
    return len(parts) > 1 and all(p.isdigit() for p in parts) and len(parts[0]) <= 3 and all(
        len(p) == 3 for p in parts[1:])


def _digits_of(value: str) -> str:
    if not value:
        raise InputError("not_a_number")
    if value.isdigit():
        return value
    if _GROUPED.fullmatch(value):
        return re.sub(r"[.,]", "", value)
    if re.fullmatch(r"\d*[.,]\d+", value) or re.fullmatch(r"[\d.,]+", value):
        raise InputError("decimal")
    raise InputError("not_a_number")


def parse_price_vnd(text) -> int | None:
    """A selling price in whole đồng (at least 1 đồng), or None when left empty."""
    return parse_whole_number(text, maximum=MAX_PRICE_VND)


def parse_weight_g(text) -> int | None:
    return parse_whole_number(text, maximum=MAX_WEIGHT_G)


# "túi 250g", "hộp 1,2kg", "500 gram", "gói 0.5 kg": a number and a mass unit, as a whole word.
_UNIT_WEIGHT = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s*(kg|kilogam|kilogram|g|gr|gam|gram|grams)(?!\w)",
                          re.IGNORECASE)
_MULTIPLIED = re.compile(r"\d\s*[x×*]\s*\d|\b[x×*]\s*\d", re.IGNORECASE)


def weight_from_unit(unit) -> int | None:
    """Grams named by a selling unit ("túi 250g" -> 250, "hộp 1,2kg" -> 1200), or None.

    Only masses count: volumes ("chai 500 ml") are not converted, since the weight of a litre
    depends on what is in it. A unit naming several masses or a count of packs ("2 x 250g") is ambiguous: None.
    """
    text = nfc(str(unit or ""))
    found = _UNIT_WEIGHT.findall(text)
    if len(found) != 1 or _MULTIPLIED.search(text):
        return None
    number, name = found[0]
    grams = float(number.replace(",", ".")) * (1000 if name.lower().startswith("k") else 1)
    if not grams.is_integer() or not 0 < grams <= MAX_WEIGHT_G:
        return None
    return int(grams)


_REF_ALLOWED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


def clean_ref(text) -> str:
    """The producer's own reference: ASCII letters, digits and . _ / - (it ends up in feeds and
    spreadsheets, which want plain ASCII ids). Empty stays empty (a reference is then made)."""
    value = nfc(str(text or "")).strip()
    if not value:
        return ""
    if len(value) > REF_MAX_LENGTH:
        raise InputError("ref_too_long", maximum=REF_MAX_LENGTH)
    if not _REF_ALLOWED.fullmatch(value):
        raise InputError("ref_characters")
    return value


def next_ref(taken) -> str:
    """'SP0001', 'SP0002', ...: the first numbered reference not yet used by the producer."""
    taken = {ref.upper() for ref in taken}
    number = len(taken) + 1
    for candidate in range(1, number + 1):
        if f"SP{candidate:04d}" not in taken:
            return f"SP{candidate:04d}"
    return f"SP{number:04d}"


def ref_with_suffix(ref: str, taken) -> str:
    """A free reference for a copy: 'MO-500' -> 'MO-500-2', then '-3'...; never over 50 characters.
    A copy of a copy counts on from the original ('MO-500-2' -> 'MO-500-3') when the original exists."""
    taken = {item.upper() for item in taken}
    stripped = re.sub(r"-\d+$", "", ref)
    base = stripped if stripped and stripped != ref and stripped.upper() in taken else ref
    for number in range(2, len(taken) + 3):
        suffix = f"-{number}"
        candidate = base[:REF_MAX_LENGTH - len(suffix)] + suffix
        if candidate.upper() not in taken:
            return candidate
    raise AssertionError("unreachable: there is always a free suffix")


def clean_months(values) -> list[int]:
    """Months 1..12 from form values, sorted and without repeats; others are ignored."""
    months = set()
    for value in values or ():
        try:
            month = int(value)
        except (TypeError, ValueError):
            continue
        if 1 <= month <= 12:
            months.add(month)
    return sorted(months)


def months_text(months) -> str:
    return ",".join(str(month) for month in clean_months(months))


def out_of_season(availability: str, months, month: int) -> bool:
    """A seasonal product whose months do not include ``month`` (buyers see "Ngoài mùa")."""
    return availability == "seasonal" and month not in set(months or ())


def product_slug(name: str) -> str:
    return slugify(name or "") or DEFAULT_SLUG


def national_number(e164: str) -> str:
    """'+84912345678' -> '0912345678' (what Zalo and Vietnamese readers use)."""
    if not e164:
        return ""
    digits = re.sub(r"\D", "", e164)
    if e164.startswith("+84"):
        return "0" + digits[2:]
    return digits


def tel_url(e164: str) -> str:
    return f"tel:{e164}" if e164 else ""


def zalo_url(e164: str) -> str:
    number = national_number(e164)
    return f"https://zalo.me/{number}" if number else ""


# --- Suggesting a product set from the name --------------------------------------------------

_SET_KEYWORDS_PATH = os.path.join(os.path.dirname(__file__), "data", "product_set_keywords.csv")


@lru_cache(maxsize=1)
def _set_keywords() -> tuple:
    with open(_SET_KEYWORDS_PATH, encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return tuple((int(row["set_code"]), tuple(word.strip() for word in row["words"].split(";") if word.strip()))
                     for row in rows)


def suggest_product_set(name: str) -> int | None:
    """The OCOP product set a product's name suggests ("Mật ong hoa nhãn" -> 4), or None.
    Whole words of the accent-free name are compared with catalog/data/product_set_keywords.csv."""
    folded = " " + " ".join(fold_key(name or "").split()) + " "
    for code, words in _set_keywords():
        if any(f" {word} " in folded for word in words):
            return code
    return None
