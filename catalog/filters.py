"""Catalogue filters from query parameters, shared by the pages and the JSON API. Pure, no Flask.

`parse_catalogue_args(args)` turns a mapping of query parameters into a `CatalogueQuery` or
raises `FilterError(code, param, value)`; `query_args(query)` turns it back into the shortest
set of parameters, for links (pagination, removing one filter).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from catalog.constants import Availability, CatalogueSort
from catalog.rules import InputError, parse_whole_number
from places import units
from producers.ocop import STAR_RATINGS, product_set, product_sets

DEFAULT_SORT = CatalogueSort.NEWEST
MAX_PAGE_DEPTH = 10_000  # items before a page; deeper pages are refused (filters narrow instead)
MAX_PRICE_FILTER = 1_000_000_000

FILTER_ERROR_CODES = frozenset({
    "unknown_group", "unknown_set", "unknown_province", "bad_stars", "bad_price", "price_range",
    "bad_availability", "bad_sort", "bad_page", "bad_per_page", "too_deep",
})


class FilterError(ValueError):
    def __init__(self, code: str, param: str, value=None, **params):
        if code not in FILTER_ERROR_CODES:
            raise ValueError(f"unknown filter error code {code!r}")
        self.code, self.param, self.value, self.params = code, param, value, params
        super().__init__(f"{code}: {param}={value!r}")


@dataclass(frozen=True)
class CatalogueQuery:
    group: str | None = None  # OCOP group code, "I".."VI"
    set_code: int | None = None  # one of the 26 product sets
    province_code: int | None = None
    min_stars: int | None = None
    price_min: int | None = None
    price_max: int | None = None
    availability: str | None = None
    sort: str = DEFAULT_SORT
    page: int = 1
    per_page: int = 24

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def set_codes(self) -> tuple[int, ...] | None:
        """The product sets the filter allows (None: all)."""
        if self.set_code is not None:
            return (self.set_code,)
        if self.group is not None:
            return tuple(s.code for s in product_sets() if s.group_code == self.group)
        return None

    @property
    def is_filtered(self) -> bool:
        return any(value is not None for value in (
            self.group, self.set_code, self.province_code, self.min_stars, self.price_min, self.price_max,
            self.availability))


def group_codes() -> tuple[str, ...]:
    seen = []
    for item in product_sets():
        if item.group_code not in seen:
            seen.append(item.group_code)
    return tuple(seen)


def parse_catalogue_args(args, *, per_page: int = 24, max_per_page: int = 100,
                         allow_per_page: bool = False) -> CatalogueQuery:
    """Read `group`, `set`, `province`, `stars`, `price_min`, `price_max`, `availability`, `sort`,
    `page` (and `per_page` when allowed). Empty values count as absent."""

    def get(name):
        value = args.get(name)
        return value.strip() if isinstance(value, str) and value.strip() else None

    query = CatalogueQuery(per_page=per_page)
    changes = {}
    if (group := get("group")) is not None:
        if group.upper() not in group_codes():
            raise FilterError("unknown_group", "group", group)
        changes["group"] = group.upper()
    if (set_text := get("set")) is not None:
        found = product_set(set_text) if set_text.isdigit() else None
        if found is None:
            raise FilterError("unknown_set", "set", set_text)
        changes["set_code"] = found.code
        changes["group"] = None  # a set is more precise than its group
    if (province_text := get("province")) is not None:
        changes["province_code"] = _province_code(province_text)
    if (stars := get("stars")) is not None:
        if not stars.isdigit() or int(stars) not in STAR_RATINGS:
            raise FilterError("bad_stars", "stars", stars)
        changes["min_stars"] = int(stars)
    for name in ("price_min", "price_max"):
        if (text := get(name)) is not None:
            try:
                changes[name] = parse_whole_number(text, allow_zero=True, maximum=MAX_PRICE_FILTER)
            except InputError:
                raise FilterError("bad_price", name, text) from None
    if changes.get("price_min") is not None and changes.get("price_max") is not None \
            and changes["price_min"] > changes["price_max"]:
        raise FilterError("price_range", "price_max", args.get("price_max"))
    if (availability := get("availability")) is not None:
        if availability not in tuple(Availability):
            raise FilterError("bad_availability", "availability", availability)
        changes["availability"] = availability
    if (sort := get("sort")) is not None:
        if sort not in tuple(CatalogueSort):
            raise FilterError("bad_sort", "sort", sort)
        changes["sort"] = sort
    if allow_per_page and (size := get("per_page")) is not None:
        if not size.isdigit() or not 1 <= int(size) <= max_per_page:
            raise FilterError("bad_per_page", "per_page", size, maximum=max_per_page)
        changes["per_page"] = int(size)
    if (page := get("page")) is not None:
        if not page.isdigit() or int(page) < 1 or len(page) > 7:
            raise FilterError("bad_page", "page", page)
        changes["page"] = int(page)
    query = replace(query, **changes)
    if query.offset > MAX_PAGE_DEPTH:
        raise FilterError("too_deep", "page", query.page, maximum=MAX_PAGE_DEPTH)
    return query


def _province_code(text: str) -> int:
    """A province by today's code, today's name or a former name (mapped to today's province)."""
    if text.isdigit():
        found = units.province(int(text))
    else:
        found = units.match_province(text)
    if found is None:
        raise FilterError("unknown_province", "province", text)
    return found.code


def query_args(query: CatalogueQuery, **overrides) -> dict:
    """Query parameters for a link to `query` with `overrides`, defaults left out."""
    query = replace(query, **overrides)
    args = {}
    if query.set_code is not None:
        args["set"] = query.set_code
    elif query.group is not None:
        args["group"] = query.group
    for name, key in (("province_code", "province"), ("min_stars", "stars"), ("price_min", "price_min"),
                      ("price_max", "price_max"), ("availability", "availability")):
        value = getattr(query, name)
        if value is not None:
            args[key] = value
    if query.sort != DEFAULT_SORT:
        args["sort"] = query.sort
    if query.page != 1:
        args["page"] = query.page
    return args
