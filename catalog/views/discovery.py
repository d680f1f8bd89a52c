"""How buyers and crawlers find the catalogue from outside: share cards for links pasted into
Zalo and Facebook groups, and the sitemap.

Sitemap chunks cover fixed id ranges (`/sitemap-san-pham-<n>.xml` holds product ids from
n × CHUNK), so a chunk's address never moves when products come and go, and each stays far
below the protocol's 50,000 URLs. `lastmod` is the later of the product's and its producer's
last change.
"""
from __future__ import annotations

from flask import Response, abort, current_app, render_template
from sqlalchemy import func, select

from catalog import images
from catalog.models import Product, ProductStatus
from catalog.urls import producer_path, product_path
from catalog.views import bp
from core.http import send_stored
from core.urls import absolute
from extensions import db
from media.cards import share_card
from producers.models import Producer, ProducerStatus

SITEMAP_CHUNK = 10_000
SHARE_SUFFIX = "x630.jpg"
SITEMAP_KINDS = {"san-pham": "products", "nha-san-xuat": "producers"}


@bp.get("/anh/<key>/chia-se.jpg")
def share_image(key):
    """The share card of a product photo, cut on first use and kept beside its renditions."""
    images.require_product_photo(key, 1200)
    card = images.store().derived(key, 1200, SHARE_SUFFIX, share_card)
    if card is None:
        current_app.logger.warning("product image file missing: %s-1200", key)
        abort(404)
    response = send_stored(card, "image/jpeg", f"{key}-1200{SHARE_SUFFIX}", max_age=365 * 24 * 3600)
    response.cache_control.public = True
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _public_products():
    changed = func.max(Product.updated_at, Producer.updated_at) if db.engine.dialect.name == "sqlite" \
        else func.greatest(Product.updated_at, Producer.updated_at)
    statement = (select(Product.id, changed.label("changed"))
                 .join(Producer, Producer.id == Product.producer_id)
                 .where(Product.status == ProductStatus.PUBLISHED, Producer.status == ProducerStatus.VERIFIED))
    return statement, Product.id


def _public_producers():
    statement = (select(Producer.id, Producer.updated_at.label("changed"))
                 .where(Producer.status == ProducerStatus.VERIFIED))
    return statement, Producer.id


_SOURCES = {"products": _public_products, "producers": _public_producers}


@bp.get("/sitemap.xml")
def sitemap_index():
    chunks = []
    for slug, kind in SITEMAP_KINDS.items():
        inner = _SOURCES[kind]()[0].subquery()
        number = inner.c.id // SITEMAP_CHUNK
        grouped = select(number.label("n"), func.max(inner.c.changed)).group_by("n").order_by("n")
        for chunk, changed in db.session.execute(grouped):
            chunks.append((absolute(f"/sitemap-{slug}-{int(chunk)}.xml"), changed))
    return _xml(render_template("catalog/sitemap_index.xml", chunks=chunks))


@bp.get("/sitemap-<any('san-pham', 'nha-san-xuat'):slug>-<int:chunk>.xml")
def sitemap_chunk(slug, chunk):
    kind = SITEMAP_KINDS[slug]
    statement, id_column = _SOURCES[kind]()
    first = chunk * SITEMAP_CHUNK
    rows = db.session.execute(statement.where(id_column >= first, id_column < first + SITEMAP_CHUNK)
                              .order_by(id_column)).all()
    if not rows:
        abort(404)
    if kind == "products":
        products = {p.id: p for p in db.session.scalars(
            select(Product).where(Product.id.in_([row.id for row in rows])))}
        entries = [(absolute(product_path(products[row.id])), row.changed) for row in rows]
    else:
        producers = {p.id: p for p in db.session.scalars(
            select(Producer).where(Producer.id.in_([row.id for row in rows])))}
        entries = [(absolute(producer_path(producers[row.id])), row.changed) for row in rows]
    if chunk == 0 and kind == "products":
        entries.insert(0, (absolute("/"), None))
    return _xml(render_template("catalog/sitemap.xml", entries=entries))


def _xml(body: str) -> Response:
    response = Response(body, mimetype="application/xml")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
