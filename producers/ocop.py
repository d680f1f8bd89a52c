"""OCOP product sets (Decision 148/QĐ-TTg: 6 groups, 26 sets) and certificate
rules. The sets are data: a newer decision replaces the CSV, not the code."""
import calendar
import csv
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from vntext import fold

CERTIFICATE_VALIDITY_MONTHS = 36
STAR_RATINGS = (3, 4, 5)
_PATH = os.path.join(os.path.dirname(__file__), "data", "ocop_product_sets.csv")


@dataclass(frozen=True)
class ProductSet:
    code: int
    group_code: str
    group_vi: str
    group_en: str
    name_vi: str
    name_en: str
    legal_basis: str

    def name(self, locale="vi"):
        return self.name_en if str(locale).startswith("en") else self.name_vi

    def group(self, locale="vi"):
        return self.group_en if str(locale).startswith("en") else self.group_vi


@lru_cache(maxsize=1)
def product_sets():
    with open(_PATH, encoding="utf-8") as fh:
        return tuple(ProductSet(code=int(r["code"]), group_code=r["group_code"], group_vi=r["group_vi"],
                                group_en=r["group_en"], name_vi=r["name_vi"], name_en=r["name_en"],
                                legal_basis=r["legal_basis"]) for r in csv.DictReader(fh))


def product_set(code):
    try:
        code = int(code)
    except (TypeError, ValueError):
        return None
    return next((s for s in product_sets() if s.code == code), None)


def match_product_set(text):
    """A set by its number or its Vietnamese/English name, diacritics optional."""
    if text is None:
        return None
    text = str(text).strip()
    if text.isdigit():
        return product_set(int(text))
    key = fold(text).lower()
    for item in product_sets():
        if key in (fold(item.name_vi).lower(), item.name_en.lower()):
            return item
    return None


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def certificate_valid_until(decision_date: date) -> date:
    """A certificate is valid 36 months from its recognition decision."""
    return add_months(decision_date, CERTIFICATE_VALIDITY_MONTHS)


_LABELS_PATH = os.path.join(os.path.dirname(__file__), "data", "ocop_category_labels.csv")


@dataclass(frozen=True)
class CategoryMatch:
    """What a category label names: a product set, or only a group (``product_set`` None)."""

    product_set: ProductSet | None
    group_code: str | None


def _label_key(text):
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(str(text)).lower()).split())


@lru_cache(maxsize=1)
def _category_labels():
    """Folded label -> CategoryMatch: the Decision 148 groups (a group of one set names that
    set), then the labels of producers/data/ocop_category_labels.csv (1048-era groups, common
    variants). Roman group numbers ('I', 'Nhóm II') are accepted too."""
    labels = {}
    for group_code in dict.fromkeys(item.group_code for item in product_sets()):
        members = [item for item in product_sets() if item.group_code == group_code]
        match = CategoryMatch(members[0] if len(members) == 1 else None, group_code)
        for text in (members[0].group_vi, members[0].group_en, f"nhom {group_code}", f"group {group_code}"):
            labels[_label_key(text)] = match
    with open(_LABELS_PATH, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["set_code"]:
                found = product_set(row["set_code"])
                labels[_label_key(row["label"])] = CategoryMatch(found, found.group_code)
            else:
                labels[_label_key(row["label"])] = CategoryMatch(None, row["group_code"])
    return labels


def match_category(text):
    """A category label as people write it: a set (number or name, see match_product_set), a
    Decision 148 group, or a 1048-era group label, diacritics optional; None if unknown."""
    if text is None:
        return None
    found = match_product_set(text)
    if found is not None:
        return CategoryMatch(found, found.group_code)
    return _category_labels().get(_label_key(text))


def group_name(group_code, locale="vi"):
    """'I' -> 'Thực phẩm' (or 'Food')."""
    item = next((s for s in product_sets() if s.group_code == group_code), None)
    return item.group(locale) if item is not None else ""
