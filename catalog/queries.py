"""Public catalogue queries: what buyers may see, filtered, sorted and paginated.

Pages are fetched as `LIMIT per_page + 1` (one extra row says whether a next page exists), so
no COUNT over the whole table runs on every page. The ids of a page come from one lean query
that walks an index in sort order (see the indexes on catalog.models.Product); the page's
products are then loaded with their producer, certificate and photos in two more queries.

Sorting by stars cannot follow an index, because stars count only while the certificate is
valid on the day of the request. The page is built from star tiers (5, 4, 3, then no valid
stars), asked one after the other for the rows still missing, each walking a newest-first index
and stopping early; when a province and a product set together leave only a few hundred
candidates, one query sorts them by a CASE expression instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import time

from flask import current_app
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from catalog.filters import CatalogueQuery
from catalog.models import Product, ProductStatus
from catalog.certificates import earliest_valid_decision_date
from extensions import db
from producers.models import Certificate, Producer, ProducerStatus


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    has_more: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _public_ids_base(columns):
    return (select(*columns)
            .select_from(Product)
            .join(Producer, Producer.id == Product.producer_id)
            .outerjoin(Certificate, Certificate.id == Product.certificate_id)
            .where(Product.status == ProductStatus.PUBLISHED, Producer.status == ProducerStatus.VERIFIED))


def _valid_stars(bound):
    return and_(Certificate.id.is_not(None), Certificate.decision_date >= bound)


def _filtered(statement, query: CatalogueQuery, bound, *, sorting_by_price: bool):
    codes = query.set_codes
    if codes is not None:
        if len(codes) == 1:
            statement = statement.where(Product.product_set_code == codes[0])
        else:
            # A whole group is most of the catalogue: walk the sort index and filter, rather than
            # gather the group and sort it (`+ 0` keeps SQLite off the set index).
            statement = statement.where((Product.product_set_code + 0).in_(codes))
    if query.province_code is not None:
        statement = statement.where(Product.province_code == query.province_code)
    if query.min_stars is not None:
        statement = statement.where(_valid_stars(bound), Certificate.stars >= query.min_stars)
    price = Product.price_vnd if sorting_by_price else Product.price_vnd + 0
    if query.price_min is not None:
        statement = statement.where(price >= query.price_min)
    if query.price_max is not None:
        statement = statement.where(price <= query.price_max)
    if query.price_min is not None or query.price_max is not None:
        statement = statement.where(Product.price_vnd.is_not(None))
    if query.availability is not None:
        statement = statement.where(Product.availability == query.availability)
    return statement


NEWEST = (Product.published_at.desc(), Product.id.desc())


def _page_ids(query: CatalogueQuery, today: date) -> list[int]:
    bound = earliest_valid_decision_date(today)
    limit = query.per_page + 1
    if query.sort == "stars":
        return _ids_by_stars(query, bound, limit)
    order = {
        "newest": NEWEST,
        "price_asc": (Product.price_vnd.asc(), Product.id.asc()),
        "price_desc": (Product.price_vnd.desc(), Product.id.desc()),
    }[query.sort]
    statement = _filtered(_public_ids_base([Product.id]), query, bound, sorting_by_price=query.sort != "newest")
    if query.sort != "newest":
        statement = statement.where(Product.price_vnd.is_not(None))
    statement = statement.order_by(*order).offset(query.offset).limit(limit)
    return list(db.session.scalars(statement))


def _ids_by_stars(query: CatalogueQuery, bound, limit) -> list[int]:
    valid = _valid_stars(bound)
    if query.province_code is not None and query.set_code is not None:
        tier = case((valid, Certificate.stars), else_=0)
        statement = _filtered(_public_ids_base([Product.id]), query, bound, sorting_by_price=False)
        statement = statement.order_by(tier.desc(), *NEWEST).offset(query.offset).limit(limit)
        return list(db.session.scalars(statement))
    # Tiers in order, each asked only for the rows still missing: the first page usually comes
    # from the 5-star tier alone, walking a few hundred index entries.
    wanted = query.offset + limit
    collected: list[int] = []
    tiers = [stars for stars in (5, 4, 3) if query.min_stars is None or stars >= query.min_stars]
    for stars in tiers + ([0] if query.min_stars is None else []):
        statement = _filtered(_public_ids_base([Product.id]), query, bound, sorting_by_price=False)
        if stars:
            statement = statement.where(valid, Certificate.stars == stars)
        else:
            statement = statement.where(or_(Certificate.id.is_(None), Certificate.decision_date < bound))
        collected.extend(db.session.scalars(statement.order_by(*NEWEST).limit(wanted - len(collected))))
        if len(collected) >= wanted:
            break
    return collected[query.offset:query.offset + limit]


def load_products(ids) -> list:
    """Products by id, in the given order, with producer, certificate and photos loaded."""
    if not ids:
        return []
    statement = (select(Product)
                 .join(Product.producer)
                 .outerjoin(Product.certificate)
                 .options(contains_eager(Product.producer), contains_eager(Product.certificate),
                          selectinload(Product.photos))
                 .where(Product.id.in_(ids)))
    by_id = {product.id: product for product in db.session.scalars(statement).unique()}
    return [by_id[i] for i in ids if i in by_id]


def catalogue_page(query: CatalogueQuery, today: date | None = None) -> Page:
    ids = _page_ids(query, today or date.today())
    has_more = len(ids) > query.per_page
    return Page(load_products(ids[:query.per_page]), query.page, query.per_page, has_more)


MAX_ID = 2**31 - 1  # ids beyond a 32-bit integer cannot exist (and PostgreSQL would refuse them)


def public_product(product_id: int):
    """A product buyers may see, with everything its page shows; None otherwise."""
    if not 0 < product_id <= MAX_ID:
        return None
    statement = (select(Product)
                 .join(Product.producer)
                 .outerjoin(Product.certificate)
                 .options(contains_eager(Product.producer), contains_eager(Product.certificate),
                          selectinload(Product.photos))
                 .where(Product.id == product_id, Product.status == ProductStatus.PUBLISHED,
                        Producer.status == ProducerStatus.VERIFIED))
    return db.session.scalars(statement).unique().first()


def public_producer(producer_id: int):
    if not 0 < producer_id <= MAX_ID:
        return None
    return db.session.scalar(Producer.public().where(Producer.id == producer_id))


def producer_page(producer, page: int, per_page: int) -> Page:
    statement = (select(Product.id)
                 .where(Product.producer_id == producer.id, Product.status == ProductStatus.PUBLISHED)
                 .order_by(*NEWEST).offset((page - 1) * per_page).limit(per_page + 1))
    ids = list(db.session.scalars(statement))
    return Page(load_products(ids[:per_page]), page, per_page, len(ids) > per_page)


def latest_products(limit: int) -> list:
    return catalogue_page(CatalogueQuery(per_page=limit)).items


def more_from_producer(product, limit: int = 4) -> list:
    statement = (select(Product.id)
                 .where(Product.producer_id == product.producer_id, Product.status == ProductStatus.PUBLISHED,
                        Product.id != product.id)
                 .order_by(*NEWEST).limit(limit))
    return load_products(list(db.session.scalars(statement)))


def page_size() -> int:
    """Products per catalogue page, for the pages and the API alike (`PAGE_SIZE`, config.py)."""
    return int(current_app.config["PAGE_SIZE"])


PROVINCE_COUNTS_SECONDS = 60  # a new province shows on the home page within a minute


def public_counts_by_province() -> dict:
    """{province code: number of public products}, for browsing only where there is something.

    A GROUP BY over the whole catalogue is too dear for every home page, so the
    figure is kept for a minute by each app.
    """
    kept = current_app.extensions.setdefault("catalog.province_counts", {"at": float("-inf")})
    now = time.monotonic()
    if now - kept["at"] < PROVINCE_COUNTS_SECONDS:
        return kept["counts"]
    statement = (select(Producer.province_code, func.count(Product.id))
                 .select_from(Product).join(Producer, Producer.id == Product.producer_id)
                 .where(Product.status == ProductStatus.PUBLISHED, Producer.status == ProducerStatus.VERIFIED)
                 .group_by(Producer.province_code))
    counts = {code: count for code, count in db.session.execute(statement) if code is not None}
    kept.update(at=now, counts=counts)
    return counts
