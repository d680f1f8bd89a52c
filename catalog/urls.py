"""Addresses of the public catalogue pages, one definition for pages, API, sitemaps, search
results and templates (`product_url`, `producer_url` globals in `catalog.views.present`)."""
from __future__ import annotations

from flask import url_for

from catalog.rules import product_slug


def product_page(product_id: int, slug: str = "", name: str = "") -> str:
    """A product's page from its number, stored slug and name (the slug is made from the name when
    none is stored)."""
    return url_for("catalog.product", slug=slug or product_slug(name), product_id=int(product_id))


def product_path(product) -> str:
    return product_page(product.id, product.slug, product.name)


def producer_path(producer) -> str:
    return url_for("catalog.producer", slug=producer.slug or product_slug(producer.legal_name),
                   producer_id=producer.id)
