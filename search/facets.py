"""Facet counts and filters over bitsets of matched documents. Pure module.

The index keeps small integer columns per product: OCOP product group,
province code, stars and the last day the certificate is valid (a date
ordinal). The engine turns them into one bitset per value; stars count only
while the certificate is valid on ``today``, so a certificate that expires
overnight stops being starred without any reindexing.

Counts are "disjunctive": each facet is counted with the other facets' filters
applied but not its own, so a buyer who picked one province still sees how many
results the other provinces have.
"""
from collections import Counter
from dataclasses import dataclass

from search.bitsets import bits_from_ids

# OCOP product groups (Decision 148/QĐ-TTg) by their Roman code, with URL slugs.
GROUP_SLUGS = {"I": "food", "II": "drinks", "III": "herbal", "IV": "handicraft",
               "V": "ornamental", "VI": "tourism"}
GROUP_CODES = {slug: code for code, slug in GROUP_SLUGS.items()}
# The groups' names as producers/data/ocop_product_sets.csv has them (index text only;
# pages label facets from producers.ocop).
GROUP_NAMES_VI = {"food": "Thực phẩm", "drinks": "Đồ uống", "herbal": "Dược liệu",
                  "handicraft": "Thủ công mỹ nghệ", "ornamental": "Sinh vật cảnh", "tourism": "Du lịch"}
# Column values: 0 means unknown; numbers keep the order of the groups.
GROUP_NUMBERS = {slug: number for number, slug in enumerate(GROUP_SLUGS.values(), start=1)}
GROUP_BY_NUMBER = {number: slug for slug, number in GROUP_NUMBERS.items()}
STAR_VALUES = (3, 4, 5)
# The per-document facet values travel in one integer column: a column write
# per value is a large share of a full build.
_GROUP_BITS, _STARS_BITS, _LENGTH_BITS = 4, 3, 5
MAX_PACKED_LENGTH = (1 << _LENGTH_BITS) - 1


def pack(group: int, stars: int, name_length: int, province: int) -> int:
    length = min(name_length, MAX_PACKED_LENGTH)
    return group | stars << _GROUP_BITS | length << (_GROUP_BITS + _STARS_BITS) | \
        province << (_GROUP_BITS + _STARS_BITS + _LENGTH_BITS)


def unpack(value: int) -> tuple:
    """(group number, stars, name length in syllables, province code)."""
    return (value & ((1 << _GROUP_BITS) - 1), value >> _GROUP_BITS & ((1 << _STARS_BITS) - 1),
            value >> (_GROUP_BITS + _STARS_BITS) & MAX_PACKED_LENGTH,
            value >> (_GROUP_BITS + _STARS_BITS + _LENGTH_BITS))


@dataclass(frozen=True)
class Filters:
    group: str = None  # slug
    province: int = None  # province code
    stars: int = None  # exactly this many valid stars

    def __bool__(self):
        return any(value is not None for value in (self.group, self.province, self.stars))


@dataclass
class FacetBits:
    """Value -> bitset of documents, per facet (stars already limited to valid ones)."""
    group: dict
    province: dict
    stars: dict


@dataclass
class FacetCounts:
    group: Counter
    province: Counter
    stars: Counter


def empty_counts() -> FacetCounts:
    return FacetCounts(Counter(), Counter(), Counter())


def valid_stars(stars: int, valid_until: int, today: int) -> int:
    return stars if stars and valid_until >= today else 0


def _chosen(values: dict, wanted, everything: int) -> int:
    return everything if wanted is None else values.get(wanted, 0)


def count_and_filter(candidates: int, bits: FacetBits, filters: Filters):
    """(bitset passing every filter, disjunctive facet counts) for the candidates."""
    group = _chosen(bits.group, filters.group, candidates)
    province = _chosen(bits.province, filters.province, candidates)
    stars = _chosen(bits.stars, filters.stars, candidates)
    counts = empty_counts()
    for facet, values, others in ((counts.group, bits.group, province & stars),
                                  (counts.province, bits.province, group & stars),
                                  (counts.stars, bits.stars, group & province)):
        scope = candidates & others
        for value, members in values.items():
            count = (scope & members).bit_count()
            if count:
                facet[value] = count
    return candidates & group & province & stars, counts


def value_bits(values, keep=lambda value: value) -> dict:
    """Column values (one per docnum) -> {value: bitset}, skipping falsy keys."""
    values, positions = list(values), {}
    for docnum, value in enumerate(values):
        key = keep(value)
        if key:
            positions.setdefault(key, []).append(docnum)
    return {key: bits_from_ids(docnums, len(values)) for key, docnums in positions.items()}
