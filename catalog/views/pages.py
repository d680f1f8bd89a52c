"""Public catalogue pages: home, browse with filters, product, a producer's public page (under
"/co-so", apart from the back office's "/nha-san-xuat"), and product images."""
from __future__ import annotations

import os
from datetime import date
from functools import lru_cache

from flask import abort, current_app, make_response, redirect, render_template, request, send_file
from flask_babel import get_locale
from flask_babel import gettext as _

from catalog import images, queries
from catalog.constants import AVAILABILITY_LABELS, SORT_LABELS, Availability, CatalogueSort
from catalog.filters import CatalogueQuery, FilterError, parse_catalogue_args, query_args
from core.http import conditional, send_stored
from catalog.jsonld import product_jsonld
from core.urls import absolute
from catalog.urls import producer_path, product_path
from catalog.views.present import contact_links, province_name
from catalog.rules import product_slug
from catalog.texts import filter_error_message, label
from catalog.views import bp
from core.web import error_response
from places import units
from producers.ocop import STAR_RATINGS, product_sets

PLACEHOLDER_DIR = "img"
HOME_LATEST = 8
HOME_TOP_RATED = 4


@lru_cache(maxsize=8)
def _groups(locale):
    grouped = {}
    for item in product_sets():
        entry = grouped.setdefault(item.group_code, {"code": item.group_code, "name": item.group(locale), "sets": []})
        entry["sets"].append({"code": item.code, "name": item.name(locale)})
    return tuple(grouped.values())


@lru_cache(maxsize=1)
def _all_provinces():
    return tuple(units.provinces())


def _provinces(selected=None):
    """Provinces that have public products, with their counts (and the one being browsed)."""
    counts = queries.public_counts_by_province()
    return [(province, counts.get(province.code, 0)) for province in _all_provinces()
            if counts.get(province.code) or province.code == selected]


@bp.get("/")
def index():
    locale = str(get_locale())
    top_rated = queries.catalogue_page(CatalogueQuery(sort="stars", min_stars=4, per_page=HOME_TOP_RATED)).items
    latest = queries.latest_products(HOME_LATEST)
    page = render_template("catalog/index.html", latest=latest, top_rated=top_rated, groups=_groups(locale),
                           provinces=_provinces())
    return conditional(make_response(page))


@bp.get("/san-pham")
def browse():
    try:
        query = parse_catalogue_args(request.args, per_page=queries.page_size())
    except FilterError as error:
        return error_response(400, _("This filter cannot be used"), filter_error_message(error))
    result = queries.catalogue_page(query)
    if query.page > 1 and not result.items:
        abort(404)
    locale = str(get_locale())
    page = render_template(
        "catalog/browse.html", query=query, result=result, groups=_groups(locale),
        provinces=_provinces(query.province_code),
        stars_choices=STAR_RATINGS, sorts=[(key, label(SORT_LABELS, key)) for key in CatalogueSort],
        availabilities=[(key, label(AVAILABILITY_LABELS, key)) for key in Availability],
        query_args=query_args, heading=_browse_heading(query, locale),
        active_filters=len([key for key in query_args(query, page=1) if key != "sort"]))
    return conditional(make_response(page))


def _browse_heading(query, locale):
    parts = []
    if query.set_code is not None:
        parts.append(next(s.name(locale) for s in product_sets() if s.code == query.set_code))
    elif query.group is not None:
        parts.append(next(s.group(locale) for s in product_sets() if s.group_code == query.group))
    if query.province_code is not None:
        parts.append(province_name(query.province_code))
    return " · ".join(parts) if parts else _("All OCOP products")


@bp.get("/san-pham/<int:product_id>")
def product_by_id(product_id):
    product = queries.public_product(product_id)
    if product is None:
        abort(404)
    return redirect(product_path(product), 301)


@bp.get("/san-pham/<slug>-<int:product_id>")
def product(slug, product_id):
    product = queries.public_product(product_id)
    if product is None:
        abort(404)
    if slug != (product.slug or product_slug(product.name)):
        return redirect(product_path(product), 301)
    today = date.today()
    stars = product.stars(today)
    locale = str(get_locale())
    page = render_template(
        "catalog/product.html", product=product, producer=product.producer, stars=stars,
        certificate=product.certificate, certificate_expired=product.certificate is not None and stars is None,
        contact=contact_links(product.producer), jsonld=_jsonld(product, stars),
        product_set=product.product_set, set_name=product.product_set.name(locale) if product.product_set else "",
        availability_label=label(AVAILABILITY_LABELS, product.availability),
        more=queries.more_from_producer(product), canonical=absolute(product_path(product)))
    return conditional(make_response(page))


def _jsonld(product, stars):
    producer = product.producer
    certificate = product.certificate
    return product_jsonld(
        name=product.name, url=absolute(product_path(product)), description=product.description,
        images=[absolute(images.image_url(photo.image_key, 1200)) for photo in product.photos],
        sku=product.ref, brand=producer.legal_name, price_vnd=product.price_vnd,
        availability=product.availability, stars=stars,
        certificate_year=certificate.decision_date.year if stars and certificate else None,
        category=product.product_set.name_vi if product.product_set else None, weight_g=product.weight_g,
        province=province_name(producer.province_code), seller_url=absolute(producer_path(producer)))


# Its former address, under the back office's /nha-san-xuat, answers 301 (producers/views/moved.py).
@bp.get("/co-so/<slug>-<int:producer_id>")
def producer(slug, producer_id):
    producer = queries.public_producer(producer_id)
    if producer is None:
        abort(404)
    if slug != (producer.slug or product_slug(producer.legal_name)):
        return redirect(producer_path(producer), 301)
    page_text = request.args.get("page", "1")
    if not page_text.isdigit() or not 1 <= int(page_text) <= 1000:
        return error_response(400, _("This filter cannot be used"), filter_error_message(FilterError("bad_page", "page", page_text)))
    result = queries.producer_page(producer, int(page_text), queries.page_size())
    if result.page > 1 and not result.items:
        abort(404)
    page = render_template("catalog/producer.html", producer=producer, result=result,
                           contact=contact_links(producer), canonical=absolute(producer_path(producer)))
    return conditional(make_response(page))


@bp.get("/anh/<key>/<int:width>.webp")
def image(key, width):
    """A product photo rendition. Only keys of product photos are served (documents and
    certificates share the upload folder but never this route); a missing file gets a
    placeholder so the page still shows something (docs/PHOTOS.md, Faults)."""
    images.require_product_photo(key, width)
    found = images.rendition(key, width)
    if found is None:
        current_app.logger.warning("product image file missing or damaged: %s-%s", key, width)
        placeholder = os.path.join(current_app.static_folder, PLACEHOLDER_DIR, f"placeholder-{width}.webp")
        response = send_file(placeholder, mimetype="image/webp", max_age=300)
        response.cache_control.public = True
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
    response = send_stored(found, "image/webp", f"{key}-{width}", max_age=365 * 24 * 3600)
    response.cache_control.public = True
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
