"""OCOP product set → marketplace category id, read from an editable data file. Pure.

``catalog/data/marketplace_categories.csv`` names, per OCOP set, the category a seller should
choose (``duong_dan_vi``) and the marketplaces' own category ids (``shopee_vn``, ``tiktok_vn``,
``lazada_vn``). Its header says where ids come from and which are verified. Lines starting
with ``#`` are notes. Set 26 (tourism services) has no row: marketplaces list goods only.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CATEGORY_FILE = Path(__file__).resolve().parent.parent / "data" / "marketplace_categories.csv"
MARKETPLACES = ("shopee_vn", "tiktok_vn", "lazada_vn")


@dataclass(frozen=True)
class MarketplaceCategory:
    ocop_set: int
    path_vi: str
    ids: dict
    verified: bool


def read_categories(text: str) -> dict[int, MarketplaceCategory]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    found = {}
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        code = int(row["ocop_set"])
        ids = {name: (row.get(name) or "").strip() for name in MARKETPLACES}
        found[code] = MarketplaceCategory(code, (row.get("duong_dan_vi") or "").strip(),
                                          {name: value for name, value in ids.items() if value},
                                          (row.get("kiem_chung") or "").strip() == "da_kiem_chung")
    return found


@lru_cache(maxsize=1)
def marketplace_categories() -> dict[int, MarketplaceCategory]:
    return read_categories(CATEGORY_FILE.read_text(encoding="utf-8"))


def category_ids(marketplace: str) -> dict[int, str]:
    """OCOP set → the marketplace's category id, for the sets that have one."""
    return {code: entry.ids[marketplace] for code, entry in marketplace_categories().items()
            if marketplace in entry.ids}


def category_path(ocop_set: int) -> str:
    entry = marketplace_categories().get(ocop_set)
    return entry.path_vi if entry else ""
