"""OCOP product set → Google product taxonomy id (also used by Meta).

Only ids listed in docs/EXPORTS.md §2 are used, and the mapping stays at
the most specific level that is true for the whole set: set 4 holds honey and
other raw produce, so it maps to Food Items rather than Honey. Coffee (1868)
is marked unverified there, so set 13 maps to Beverages. Herbal,
handicraft, ornamental and tourism sets (18–26) have no verified id: the
optional attribute is left empty for them.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

TAXONOMY_FILE = Path(__file__).resolve().parent.parent / "data" / "google_taxonomy.txt"

GOOGLE_CATEGORY_BY_OCOP_SET: dict[int, int] = {
    1: 430,    # fresh vegetables, fruit, nuts → Fruits & Vegetables
    2: 432,    # fresh meat, fish, eggs, milk → Meat, Seafood & Eggs
    3: 431,    # rice and grains → Grains, Rice & Cereal
    4: 422,    # honey and other raw produce → Food Items
    5: 5814,   # convenience food → Prepared Foods
    6: 422,    # made from rice/grains (noodles, cakes, rice paper) → Food Items
    7: 430,    # made from vegetables/fruit (dried, pickled) → Fruits & Vegetables
    8: 422,    # made from meat, eggs, milk, seafood, honey → Food Items
    9: 427,    # sauces and fish sauce → Condiments & Sauces
    10: 4608,  # other spices → Seasonings & Spices
    11: 2073,  # chè → Tea & Infusions
    12: 2073,  # herbal and other teas → Tea & Infusions
    13: 413,   # coffee and cocoa → Beverages
    14: 413,   # spirits → Beverages
    15: 413,   # other alcoholic drinks → Beverages
    16: 413,   # bottled water → Beverages
    17: 413,   # other soft drinks → Beverages
}


@lru_cache(maxsize=1)
def vendored_taxonomy() -> dict[int, str]:
    """Id → English path from the vendored taxonomy file."""
    entries = {}
    for line in TAXONOMY_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        number, path = line.split(" - ", 1)
        entries[int(number)] = path.strip()
    return entries


def google_category(category_code: int) -> str:
    """The taxonomy id as feed text, or '' when the set has no mapping."""
    mapped = GOOGLE_CATEGORY_BY_OCOP_SET.get(category_code)
    return str(mapped) if mapped else ""
