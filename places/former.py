"""Addresses written before the July 2025 reform ("xã Sơn Hải, huyện Bảo Thắng, tỉnh Lào Cai")
mapped to today's province and commune. Pure, no Flask.

The table places/data/former_communes.csv (built by tools/build_former_communes.py from the
administrative data of the vietnam-provinces package) gives, for each commune of before the
reform, its province, district and the commune(s) of today it became. A commune split between
several of today's communes lists them all; the first is the one holding its seat.
"""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from places import units
from vntext import fold, nfc

_PATH = os.path.join(os.path.dirname(__file__), "data", "former_communes.csv")
_DISTRICT_PREFIX = re.compile(r"^(huyen|quan|thi xa|thanh pho|tp)\s+")
_COMMUNE_PREFIX = re.compile(r"^(xa|phuong|thi tran|dac khu|tt)\s+")
_PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp)\s+")
# Words that mark each part of an address (folded), most specific first.
_PROVINCE_WORDS = ("tinh ", "thanh pho truc thuoc trung uong ")
_DISTRICT_WORDS = ("huyen ", "quan ", "thi xa ", "thanh pho ", "tp ")
_COMMUNE_WORDS = ("xa ", "phuong ", "thi tran ", "dac khu ", "tt ")

SAME = "same"  # the commune exists today under the same name
MERGED = "merged"  # it became part of (or was renamed to) another commune
SPLIT = "split"  # it was divided between several communes; the first was taken


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(nfc(text)).lower()).split())


def _bare(key: str, prefix: re.Pattern) -> str:
    return prefix.sub("", key).strip()


@dataclass(frozen=True)
class AddressParts:
    """The parts of an address as written (None when the address does not name it)."""

    commune: str | None = None
    district: str | None = None
    province: str | None = None
    rest: str | None = None  # village, street… before the commune


def split_address(text: str) -> AddressParts:
    """'thôn 3, xã Sơn Hải, huyện Bảo Thắng, tỉnh Lào Cai' -> its commune, district and
    province parts, recognised by their leading words ('xã', 'huyện', 'tỉnh'…)."""
    commune = district = province = None
    rest = []
    parts = [piece.strip() for piece in re.split(r"[,;\n]", nfc(text or "")) if piece.strip()]
    if len(parts) > 1 and not (_key(parts[-1]) + " ").startswith(
            _PROVINCE_WORDS + _DISTRICT_WORDS + _COMMUNE_WORDS) and units.match_province(parts[-1]):
        province = parts.pop()  # "…, Lào Cai": a bare province name closes the address
    for part in parts:
        key = _key(part) + " "
        if key.startswith(_PROVINCE_WORDS) and province is None:
            province = part
        elif key.startswith(_DISTRICT_WORDS) and district is None and commune is not None:
            district = part
        elif key.startswith(_COMMUNE_WORDS) and commune is None:
            commune = part
        elif key.startswith(_DISTRICT_WORDS) and district is None:
            district = part
        elif commune is None:
            rest.append(part)
    return AddressParts(commune, district, province, ", ".join(rest) or None)


@dataclass(frozen=True)
class CommuneMatch:
    commune: units.Commune
    change: str  # SAME, MERGED or SPLIT
    former_name: str | None = None  # as the former table spells it ("Xã Sơn Hải")
    former_district: str | None = None
    others: tuple[str, ...] = ()  # for SPLIT: the other communes of today that took part of it


@lru_cache(maxsize=1)
def _former_table():
    """(today province code, district key, commune key) -> rows; also with district key ''."""
    table: dict[tuple, list[dict]] = {}
    provinces: dict[str, units.Province | None] = {}
    with open(_PATH, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = row["today_province"]
            found = provinces[name] if name in provinces else provinces.setdefault(name, units.match_province(name))
            if found is None:
                continue
            district = _bare(_key(row["former_district"]), _DISTRICT_PREFIX)
            commune = _bare(_key(row["former_commune"]), _COMMUNE_PREFIX)
            for key in ((found.code, district, commune), (found.code, "", commune)):
                table.setdefault(key, []).append(row)
    return table


def _today(province_code: int, name: str):
    return units.match_commune(province_code, name)


def match_former_commune(province_code: int, commune_text: str, district_text: str | None = None):
    """Today's commune for a commune of before the reform, written with or without its former
    district, in a province of today; None when it is unknown or ambiguous."""
    commune_key = _bare(_key(commune_text), _COMMUNE_PREFIX)
    district_key = _bare(_key(district_text), _DISTRICT_PREFIX) if district_text else ""
    rows = _former_table().get((province_code, district_key, commune_key), [])
    if not rows and district_key:
        rows = _former_table().get((province_code, "", commune_key), [])
    targets = {row["today_communes"] for row in rows}
    if len(targets) != 1:
        return None
    row = rows[0]
    names = row["today_communes"].split("|")
    today = _today(province_code, names[0])
    if today is None:
        return None
    if len(names) > 1 or row["partly"] == "1":
        change = SPLIT
    elif _bare(_key(today.name), _COMMUNE_PREFIX) == commune_key:
        change = SAME
    else:
        change = MERGED
    return CommuneMatch(today, change, row["former_commune"], row["former_district"], tuple(names[1:]))


def resolve_commune(province_code: int, commune_text: str, district_text: str | None = None):
    """Today's commune named by an address: with a former district named, the former table
    decides (a commune of that name may exist today elsewhere); otherwise today's communes
    first, then the former ones."""
    if district_text:
        found = match_former_commune(province_code, commune_text, district_text)
        if found is not None:
            return found
    today = _today(province_code, commune_text)
    if today is not None:
        return CommuneMatch(today, SAME)
    return match_former_commune(province_code, commune_text)


# --- Finding a commune as a farmer names it ---------------------------------------------------

@dataclass(frozen=True)
class CommuneChoice:
    """A commune of today offered for what someone typed, and why: its own name, or a former
    commune or district that is now (part of) it."""

    commune: units.Commune
    former_commune: str | None = None  # "Xã Yên Hòa"
    former_district: str | None = None  # "Huyện Yên Mô"


@lru_cache(maxsize=64)
def _former_rows(province_code: int) -> tuple:
    """(commune key, district key, row) of the former communes now in a province."""
    rows = []
    for (code, district, commune), found in _former_table().items():
        if code == province_code and district:
            rows.extend((commune, district, row) for row in found)
    return tuple(rows)


def find_communes(province_code: int, text: str, limit: int = 12) -> list:
    """Today's communes for what a farmer typed, without diacritics or with: today's names
    first, then former communes ("Yên Hòa" → Xã Yên Mô), then former districts (every commune
    of today that took part of one). A word typed anywhere in the name counts."""
    key = _bare(_bare(_key(text or ""), _COMMUNE_PREFIX), _DISTRICT_PREFIX)
    if not key:
        return []
    choices, seen = [], set()

    def offer(commune, former=None, district=None):
        if commune is not None and (commune.code, former) not in seen and len(choices) < limit:
            seen.add((commune.code, former))
            choices.append(CommuneChoice(commune, former, district))

    for commune in units.communes(province_code):
        if key in _bare(_key(commune.name), _COMMUNE_PREFIX):
            offer(commune)
    by_district = []
    for commune_key, district_key, row in _former_rows(province_code):
        today = next(iter(row["today_communes"].split("|")), "")
        if key in commune_key:
            found = _today(province_code, today)
            if found is not None and _bare(_key(found.name), _COMMUNE_PREFIX) != commune_key:
                offer(found, row["former_commune"], row["former_district"])
        elif key in district_key:
            by_district.append((today, row["former_district"]))
    for today, district in by_district:
        offer(_today(province_code, today), None, district)
    return choices
