"""Provinces and communes: look-ups and tolerant name matching. Pure, no Flask."""
import csv
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from vietnam_provinces import Province as _Province
from vietnam_provinces import Ward as _Ward

from vntext import fold, nfc

_DATA = os.path.join(os.path.dirname(__file__), "data")
_PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?|t\.p\.?)\s+")
_COMMUNE_PREFIX = re.compile(r"^(xa|phuong|dac khu|thi tran)\s+")
# Names people type that are neither today's nor a former official name.
_PROVINCE_ALIASES = {
    "hcm": "Hồ Chí Minh",
    "tphcm": "Hồ Chí Minh",
    "tp.hcm": "Hồ Chí Minh",
    "sai gon": "Hồ Chí Minh",
    "ba ria vung tau": "Hồ Chí Minh",
    "brvt": "Hồ Chí Minh",
    "hue": "Huế",
    "ha noi": "Hà Nội",
}


@dataclass(frozen=True)
class Province:
    code: int
    name: str  # official, e.g. "Thành phố Hà Nội"
    short_name: str  # without the "Thành phố" prefix, e.g. "Hà Nội"


@dataclass(frozen=True)
class Commune:
    code: int
    name: str  # official, e.g. "Xã Gia Phú"
    province_code: int
    kind: str  # "xa", "phuong" or "dac_khu"

    @property
    def short_name(self):
        return _strip_commune_prefix_text(self.name)


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[-–,]", " ", fold(nfc(text)).lower())).strip()


def _strip_province_prefix_key(key: str) -> str:
    return _PROVINCE_PREFIX.sub("", key).strip()


def _strip_commune_prefix_text(name: str) -> str:
    for prefix in ("Xã ", "Phường ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


@lru_cache(maxsize=1)
def _provinces():
    result = []
    for item in _Province.iter_all():
        short = item.name[len("Thành phố "):] if item.name.startswith("Thành phố ") else item.name
        result.append(Province(code=int(item.code.value), name=item.name, short_name=short))
    return tuple(result)


@lru_cache(maxsize=1)
def _communes_by_province():
    grouped = {}
    for item in _Ward.iter_all():
        kind = item.division_type.name.lower()
        commune = Commune(code=int(item.code.value), name=item.name,
                          province_code=int(item.province_code.value), kind=kind)
        grouped.setdefault(commune.province_code, []).append(commune)
    return {code: tuple(sorted(items, key=lambda c: _key(c.short_name))) for code, items in grouped.items()}


@lru_cache(maxsize=1)
def _communes_by_code():
    return {c.code: c for items in _communes_by_province().values() for c in items}


@lru_cache(maxsize=1)
def _province_keys():
    """Folded name -> province code, for today's names, former names and aliases."""
    by_short = {_key(p.short_name): p.code for p in _provinces()}
    keys = dict(by_short)
    with open(os.path.join(_DATA, "former_provinces.csv"), encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            keys[_key(row["former_name"])] = by_short[_key(row["today_name"])]
    for alias, today in _PROVINCE_ALIASES.items():
        keys[alias] = by_short[_key(today)]
    return keys


@lru_cache(maxsize=1)
def _former_names_by_province():
    result = {}
    with open(os.path.join(_DATA, "former_provinces.csv"), encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = _province_keys()[_key(row["today_name"])]
            if _key(row["former_name"]) != _key(row["today_name"]):
                result.setdefault(code, []).append(row["former_name"])
    return result


def provinces():
    """The 34 provinces, sorted as a reader expects (by name, accents ignored)."""
    return sorted(_provinces(), key=lambda p: _key(p.short_name))


def province(code):
    try:
        code = int(code)
    except (TypeError, ValueError):
        return None
    return next((p for p in _provinces() if p.code == code), None)


def communes(province_code):
    try:
        return _communes_by_province().get(int(province_code), ())
    except (TypeError, ValueError):
        return ()


def commune(code):
    try:
        return _communes_by_code().get(int(code))
    except (TypeError, ValueError):
        return None


def former_province_names(province_code):
    """Pre-July-2025 names now inside this province (e.g. Bắc Kạn for Thái Nguyên)."""
    return tuple(_former_names_by_province().get(province_code, ()))


def match_province(text):
    """Today's province for a typed or imported name, tolerant of prefixes
    ('Tỉnh', 'TP.'), missing diacritics and former names; None if unknown."""
    if not text or not text.strip():
        return None
    key = _key(text)
    keys = _province_keys()
    code = keys.get(key) or keys.get(_strip_province_prefix_key(key))
    if code is None and key.replace(" ", "") in keys:
        code = keys[key.replace(" ", "")]
    return province(code) if code is not None else None


def match_commune(province_code, text):
    """A commune of the province by name, with or without 'Xã'/'Phường', accents optional."""
    if not text or not text.strip():
        return None
    typed = _key(text)
    # "Phường Liệt" must not lose "Phương": try the name as typed before dropping a prefix.
    candidates = (typed, _COMMUNE_PREFIX.sub("", typed).strip())
    by_key = {_key(item.short_name): item for item in communes(province_code)}
    return next((by_key[key] for key in candidates if key in by_key), None)
