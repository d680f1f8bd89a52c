"""Search straight from the database while the index is missing or damaged.

Plain and slower than the index, but correct for simple queries: every query
word must occur, accents ignored, in the product name, producer name or
description. User text only ever travels as bound parameters, wrapped by
``contains(..., autoescape=True)`` so % and _ are literal. Accents are folded
in SQL: a Python function registered on SQLite connections, ``translate`` on
PostgreSQL (no extension needed).
"""
from collections import Counter
from datetime import date

from sqlalchemy import case, func, literal, select

from extensions import db
from search.records import Hit, SearchResult
from search.facets import GROUP_SLUGS, FacetCounts, valid_stars
from search.plan import MAX_WORDS, Vocabulary, clean_query, plan_query
from vntext import ACUTE, DOT, GRAVE, HOOK, TILDE, fold, nfc, syllables

SQLITE_FUNCTION = "choque_fold"
MAX_ROWS = 2000  # a degraded mode: enough for pages and honest facet counts


def _fold_table():
    letters = {nfc(base + mark) for base in "aăâeêioôơuưy" for mark in ("", GRAVE, ACUTE, HOOK, TILDE, DOT)}
    letters |= {"đ"} | {letter.upper() for letter in letters} | {"Đ"}
    accented = sorted(letter for letter in letters if fold(letter).lower() != letter)
    return "".join(accented), "".join(fold(letter).lower() for letter in accented)


_FROM, _TO = _fold_table()


def _sqlite_fold(value):
    return fold(nfc(value)).lower() if isinstance(value, str) else value


def _folded(column):
    if db.engine.dialect.name == "sqlite":
        return getattr(func, SQLITE_FUNCTION)(func.coalesce(column, ""))
    return func.lower(func.translate(func.coalesce(column, ""), _FROM, _TO))


def _register_sqlite_function() -> None:
    if db.engine.dialect.name != "sqlite":
        return
    connection = db.session.connection().connection.driver_connection
    connection.create_function(SQLITE_FUNCTION, 1, _sqlite_fold, deterministic=True)


def search(request, today: date) -> SearchResult:
    """The same contract as ``IndexStore.search``, answered by SQL."""
    from catalog.models import Product, ProductStatus
    from producers.models import Certificate, Producer, ProducerStatus
    from producers.ocop import certificate_valid_until, product_set

    text = clean_query(request.text)
    words = [fold(word).lower() for word in syllables(text)][:MAX_WORDS]
    plan = plan_query(text, Vocabulary(lambda folded: True))
    if not words and not request.filters:
        return SearchResult(plan=plan)
    _register_sqlite_function()
    name = _folded(Product.name)
    haystack = name + literal(" ") + _folded(Producer.legal_name) + literal(" ") + _folded(Product.description)
    in_name = case((db.and_(*[name.contains(w, autoescape=True) for w in words]), 0), else_=1) if words \
        else literal(1)
    query = (select(Product.id, Product.name, Product.slug, Product.product_set_code, Producer.province_code,
                    Certificate.stars, Certificate.decision_date)
             .join(Producer, Producer.id == Product.producer_id)
             .outerjoin(Certificate, Certificate.id == Product.certificate_id)
             .where(Product.status == ProductStatus.PUBLISHED, Producer.status == ProducerStatus.VERIFIED,
                    *[haystack.contains(word, autoescape=True) for word in words])
             .order_by(in_name, Product.name, Product.id).limit(MAX_ROWS))
    rows = db.session.execute(query).all()
    counts = FacetCounts(Counter(), Counter(), Counter())
    kept = []
    filters = request.filters
    for row in rows:
        found = product_set(row.product_set_code)
        group = GROUP_SLUGS.get(found.group_code) if found else None
        until = certificate_valid_until(row.decision_date).toordinal() if row.decision_date else 0
        stars = valid_stars(row.stars or 0, until, today.toordinal())
        ok_group = filters.group is None or group == filters.group
        ok_province = filters.province is None or row.province_code == filters.province
        ok_stars = filters.stars is None or stars == filters.stars
        if ok_province and ok_stars and group:
            counts.group[group] += 1
        if ok_group and ok_stars and row.province_code:
            counts.province[row.province_code] += 1
        if ok_group and ok_province and stars:
            counts.stars[stars] += 1
        if ok_group and ok_province and ok_stars:
            kept.append(row)
    first = (request.page - 1) * request.per_page
    hits = [Hit(str(row.id), row.name, row.slug or "") for row in kept[first:first + request.per_page]]
    return SearchResult(total=len(kept), hits=hits, facets=counts, plan=plan)
