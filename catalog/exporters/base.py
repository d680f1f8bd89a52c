"""What all exporters share: the interface, the skip-and-report loop, common rules."""
from __future__ import annotations

import io
import re
from abc import ABC, abstractmethod
from contextlib import contextmanager
from typing import BinaryIO, Iterable, Iterator

from catalog.rules import weight_from_unit

from .fields import ascii_http_url, url_extension
from .problems import ExportReport, ListingIssue, Problem
from .record import SERVICE_PRODUCT_SETS, Listing

_PRINTABLE_ASCII_ID = re.compile(r"[!-~]+")
IMAGE_URL_LIMIT = 2000  # Google's image_link maximum; no other channel asks for longer


class Exporter(ABC):
    """One output format.

    ``validate`` lists the format's requirements a listing misses (empty list:
    exportable). ``write`` streams the accepted listings to a binary file
    object, leaves the others out and returns an ExportReport. It never closes
    ``out``.
    """

    name: str
    label: str
    media_type: str
    file_extension: str
    accepts_template = False  # write(template=…) fills a copy of the seller's own template

    @abstractmethod
    def validate(self, listing: Listing) -> list[Problem]:
        """The format's requirements this listing misses; empty when exportable."""

    @abstractmethod
    def write(self, listings: Iterable[Listing], out: BinaryIO, **options) -> ExportReport:
        """Stream the valid listings into ``out`` (a buffered binary file object)."""

    def accepted(self, listings: Iterable[Listing], report: ExportReport) -> Iterator[Listing]:
        """Yield the valid listings, recording every other one as skipped."""
        for listing in listings:
            problems = self.validate(listing)
            if problems:
                report.skipped.append(ListingIssue(listing.label, tuple(problems)))
            else:
                yield listing

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


def record_notes(report: ExportReport, listing: Listing, notes: list[Problem]) -> None:
    report.exported += 1
    if notes:
        report.warnings.append(ListingIssue(listing.label, tuple(notes)))


@contextmanager
def text_stream(out: BinaryIO, *, bom: bool = False) -> Iterator[io.TextIOWrapper]:
    """A buffered UTF-8 text view of ``out`` that is detached, not closed, at the end."""
    wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        if bom:
            wrapper.write("\ufeff")
        yield wrapper
    finally:
        wrapper.flush()
        wrapper.detach()


# Rules several formats share; each returns a list of Problems.

def check_id(listing: Listing, max_length: int) -> list[Problem]:
    if len(listing.id) > max_length or not _PRINTABLE_ASCII_ID.fullmatch(listing.id):
        return [Problem("id", "id_invalid", {"max": max_length})]
    return []


def check_goods(listing: Listing) -> list[Problem]:
    if listing.category_code in SERVICE_PRODUCT_SETS:
        return [Problem("category_code", "service_not_product")]
    return []


def check_texts(listing: Listing, *, description: bool = True, brand: bool = False) -> list[Problem]:
    problems = []
    if not listing.name:
        problems.append(Problem("name", "title_missing"))
    if description and not listing.description:
        problems.append(Problem("description", "description_missing"))
    if brand and not listing.producer_name:
        problems.append(Problem("producer_name", "brand_missing"))
    return problems


def check_price(listing: Listing, minimum: int = 1, maximum: int | None = None) -> list[Problem]:
    price = listing.price_vnd
    if not price:
        return [Problem("price_vnd", "price_missing")]
    if price < minimum or (maximum is not None and price > maximum):
        return [Problem("price_vnd", "price_out_of_range", {"min": minimum, "max": maximum})]
    return []


def check_link(listing: Listing) -> list[Problem]:
    if ascii_http_url(listing.url) is None:
        return [Problem("url", "link_invalid")]
    return []


def shipping_weight(listing: Listing, notes: list[Problem] | None = None) -> int | None:
    """Grams: the product's weight, else the mass its unit names ("túi 250g"), noted."""
    if listing.weight_g:
        return listing.weight_g
    grams = weight_from_unit(listing.unit)
    if grams and notes is not None:
        notes.append(Problem("weight_g", "weight_from_unit", {"grams": grams, "unit": listing.unit}))
    return grams


def check_weight(listing: Listing) -> list[Problem]:
    if not shipping_weight(listing):
        return [Problem("weight_g", "weight_missing")]
    return []


def check_main_image(listing: Listing, allowed_types: frozenset[str] | None) -> list[Problem]:
    if not listing.image_urls:
        return [Problem("image_urls", "image_missing")]
    return [p for p in [image_problem(listing.image_urls[0], allowed_types)] if p]


def image_problem(url: str, allowed_types: frozenset[str] | None) -> Problem | None:
    """Why ``url`` cannot serve as an image link, or None.

    ``allowed_types`` (file extensions) matters only where the channel fetches
    the image itself; None skips the type check.
    """
    encoded = ascii_http_url(url)
    if encoded is None or len(encoded) > IMAGE_URL_LIMIT:
        return Problem("image_urls", "image_url_invalid", {"url": url})
    extension = url_extension(encoded)
    if allowed_types is not None and extension and extension not in allowed_types:
        allowed = ", ".join(sorted(allowed_types))
        return Problem("image_urls", "image_type_unsupported", {"url": url, "allowed": allowed})
    return None


def usable_images(
    listing: Listing, allowed_types: frozenset[str] | None, limit: int, notes: list[Problem]
) -> list[str]:
    """Encoded image URLs, main image first, at most ``limit``.

    Validation already vouched for the main image; unusable extra images are
    dropped and noted rather than costing the whole listing.
    """
    urls = [ascii_http_url(listing.image_urls[0])] if listing.image_urls else []
    for url in listing.image_urls[1:]:
        if image_problem(url, allowed_types):
            notes.append(Problem("image_urls", "image_dropped", {"url": url}))
        else:
            urls.append(ascii_http_url(url))
    if len(urls) > limit:
        notes.append(Problem("image_urls", "images_limited", {"max": limit}))
        urls = urls[:limit]
    return urls
