"""Item attributes shared by the Google Merchant Center and Meta catalog feeds.

Both are machine-read advertising feeds with the same attribute names; they
differ in limits and in how availability is spelt. Over-long titles and
descriptions are shortened at a word boundary with "…" (the feeds accept any
text up to the limit, and the shortened text still describes the product);
the shortening is noted in the report. A listing missing a required value is
left out instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .base import (
    check_goods, check_id, check_link, check_main_image, check_price, check_texts, usable_images,
)
from .fields import (
    ascii_http_url, province_slug, stars_label, truncate_words, vnd_price,
)
from .problems import Problem
from .record import Listing
from .taxonomy import google_category


@dataclass(frozen=True)
class FeedRules:
    id_limit: int
    title_limit: int
    description_limit: int
    brand_limit: int
    image_limit: int  # main image plus additional images
    image_types: frozenset[str]
    in_stock: str
    out_of_stock: str


GOOGLE_RULES = FeedRules(
    id_limit=50, title_limit=150, description_limit=5000, brand_limit=70,
    image_limit=11, image_types=frozenset({"jpg", "jpeg", "webp", "png", "gif", "bmp", "tif", "tiff"}),
    in_stock="in_stock", out_of_stock="out_of_stock",
)
META_RULES = FeedRules(
    id_limit=100, title_limit=150, description_limit=5000, brand_limit=100,
    image_limit=21, image_types=frozenset({"jpg", "jpeg", "png"}),
    in_stock="in stock", out_of_stock="out of stock",
)


def validate_feed_listing(listing: Listing, rules: FeedRules) -> list[Problem]:
    return (
        check_id(listing, rules.id_limit)
        + check_goods(listing)
        + check_texts(listing, description=True, brand=True)
        + check_price(listing)
        + check_link(listing)
        + check_main_image(listing, rules.image_types)
    )


def feed_item(listing: Listing, rules: FeedRules, today: date) -> tuple[dict[str, object], list[Problem]]:
    """Attribute → value (a list for additional_image_link) and the notes."""
    notes: list[Problem] = []
    title, cut = truncate_words(listing.name, rules.title_limit)
    if cut:
        notes.append(Problem("name", "title_truncated", {"max": rules.title_limit}))
    description, cut = truncate_words(listing.description, rules.description_limit)
    if cut:
        notes.append(Problem("description", "description_truncated", {"max": rules.description_limit}))
    brand, cut = truncate_words(listing.producer_name, rules.brand_limit, ellipsis="")
    if cut:
        notes.append(Problem("producer_name", "brand_truncated", {"max": rules.brand_limit}))
    images = usable_images(listing, rules.image_types, rules.image_limit, notes)
    item = {
        "id": listing.id,
        "title": title,
        "description": description,
        "link": ascii_http_url(listing.url),
        "image_link": images[0],
        "additional_image_link": images[1:],
        "availability": rules.in_stock if listing.in_stock_on(today) else rules.out_of_stock,
        "condition": "new",
        "price": vnd_price(listing.price_vnd),
        "brand": brand,
        "google_product_category": google_category(listing.category_code),
        "product_type": f"OCOP > {listing.category_name}" if listing.category_name else "OCOP",
        "custom_label_0": stars_label(listing),
        "custom_label_1": province_slug(listing),
        "custom_label_2": listing.producer_type,
    }
    return item, notes
