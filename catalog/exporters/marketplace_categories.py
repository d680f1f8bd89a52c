"""OCOP product set → marketplace category, read from an editable data file. Pure.

``catalog/data/marketplace_categories.csv`` names, per OCOP set, the category a seller should
choose (``duong_dan_vi``), the marketplaces' seller category ids (``shopee_vn``, ``tiktok_vn``,
``lazada_vn``: what goes into a mass-upload file), the shopee.vn category page id
(``shopee_vn_trang``: a finding aid, never written into an upload) and where those ids were read
(``nguon``). A row with any id and no source is refused: an id nobody can trace is a guess, and a
wrong category gets listings taken down. Lines starting with ``#`` are notes. Set 26 (tourism
services) has no row: marketplaces list goods only.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CATEGORY_FILE = Path(__file__).resolve().parent.parent / "data" / "marketplace_categories.csv"
MARKETPLACES = ("shopee_vn", "tiktok_vn", "lazada_vn")
MARKETPLACE_NAMES = {"shopee_vn": "Shopee", "tiktok_vn": "TikTok Shop", "lazada_vn": "Lazada"}
SHOPEE_PAGE_COLUMN = "shopee_vn_trang"
SOURCE_COLUMN = "nguon"


class CategoryFileError(ValueError):
    """The category file names an id without saying where it was read."""


@dataclass(frozen=True)
class MarketplaceCategory:
    ocop_set: int
    path_vi: str
    ids: dict  # marketplace → seller category id, only those filled
    shopee_page: str  # "11036525.11036576": shopee.vn/…-cat.11036525.11036576
    source: str


def read_categories(text: str) -> dict[int, MarketplaceCategory]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    found = {}
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        code = int(row["ocop_set"])
        ids = {name: (row.get(name) or "").strip() for name in MARKETPLACES}
        ids = {name: value for name, value in ids.items() if value}
        page = (row.get(SHOPEE_PAGE_COLUMN) or "").strip()
        source = (row.get(SOURCE_COLUMN) or "").strip()
        if (ids or page) and not source:
            raise CategoryFileError(f"OCOP set {code}: category ids without a source ({SOURCE_COLUMN})")
        found[code] = MarketplaceCategory(code, (row.get("duong_dan_vi") or "").strip(), ids, page, source)
    return found


@lru_cache(maxsize=1)
def marketplace_categories() -> dict[int, MarketplaceCategory]:
    return read_categories(CATEGORY_FILE.read_text(encoding="utf-8"))


def category_ids(marketplace: str) -> dict[int, str]:
    """OCOP set → the marketplace's seller category id, for the sets that have one."""
    return {code: entry.ids[marketplace] for code, entry in marketplace_categories().items()
            if marketplace in entry.ids}


def category_path(ocop_set: int) -> str:
    entry = marketplace_categories().get(ocop_set)
    return entry.path_vi if entry else ""


def category_hint(ocop_set: int, marketplace: str) -> str:
    """The category to choose, with the shopee.vn page that shows it when the file knows one."""
    entry = marketplace_categories().get(ocop_set)
    if entry is None:
        return ""
    if marketplace == "shopee_vn" and entry.shopee_page:
        return f"{entry.path_vi} (shopee.vn/…-cat.{entry.shopee_page})"
    return entry.path_vi
