"""The catalogue's terms: product status, availability and the browse sorts, with the words
people see for them. One source for models, forms, filters, exporters and templates.

No Flask here (the exporters import it): labels are marked with `N_` for extraction and
translated where they are shown (`catalog.texts.label`, or `_l(label)` in a form)."""
from __future__ import annotations

from enum import StrEnum


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


class ProductStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    HIDDEN = "hidden"


class Availability(StrEnum):
    IN_STOCK = "in_stock"
    OUT_OF_STOCK = "out_of_stock"
    SEASONAL = "seasonal"  # with the months of its season


class CatalogueSort(StrEnum):
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    STARS = "stars"


# A product's status beside it in the producer's list and on its edit page.
STATUS_LABELS = {
    ProductStatus.DRAFT: N_("Draft"),
    ProductStatus.PUBLISHED: N_("Published"),
    ProductStatus.HIDDEN: N_("Hidden"),
}
# The choices of the product form: what each status means for the producer.
STATUS_CHOICE_LABELS = {
    ProductStatus.DRAFT: N_("Draft (only you can see it)"),
    ProductStatus.PUBLISHED: N_("Published (buyers can see it)"),
    ProductStatus.HIDDEN: N_("Hidden (kept, not shown)"),
}
AVAILABILITY_LABELS = {
    Availability.IN_STOCK: N_("In stock"),
    Availability.OUT_OF_STOCK: N_("Out of stock"),
    Availability.SEASONAL: N_("Seasonal"),
}
SORT_LABELS = {
    CatalogueSort.NEWEST: N_("Newest"),
    CatalogueSort.PRICE_ASC: N_("Price: low to high"),
    CatalogueSort.PRICE_DESC: N_("Price: high to low"),
    CatalogueSort.STARS: N_("Most OCOP stars"),
}
# Why a catalogue filter (page or API) was refused, by `catalog.filters.FilterError.code`.
FILTER_MESSAGES = {
    "unknown_group": N_("There is no product group “%(value)s”."),
    "unknown_set": N_("There is no OCOP product set “%(value)s”."),
    "unknown_province": N_("We do not know the province “%(value)s”."),
    "bad_stars": N_("Star ratings are 3, 4 or 5."),
    "bad_price": N_("Prices are whole numbers of đồng, e.g. 150000 or 150.000."),
    "price_range": N_("The highest price must not be below the lowest price."),
    "bad_availability": N_("Availability is in_stock, out_of_stock or seasonal."),
    "bad_sort": N_("Sorting is newest, price_asc, price_desc or stars."),
    "bad_page": N_("The page number must be a whole number from 1."),
    "bad_per_page": N_("per_page must be a whole number from 1 to %(maximum)s."),
    "too_deep": N_("Pages this far back are not available; please narrow the filters instead."),
}

MAX_PHOTOS = 8  # per product

# Set in a session's `info` while an import writes the catalogue in many commits: whoever follows
# the catalogue after each commit (the search index, search/sync.py) waits for the commit that
# clears it, and then takes in the whole import at once.
BULK_WRITE_SESSION_FLAG = "catalog_bulk_write"
