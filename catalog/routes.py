"""Public catalogue pages: home, browse with filters, product, producer, and product images."""
from __future__ import annotations

import os
from datetime import date
from functools import lru_cache

from flask import abort, current_app, make_response, redirect, render_template, request, send_file
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from catalog import bp, images, queries
from catalog.filters import (AVAILABILITIES, SORTS, CatalogueQuery, FilterError, parse_catalogue_args,
                             query_args)
from core.http import conditional
from catalog.jsonld import product_jsonld
from core.urls import absolute
from catalog.present import contact_links, producer_path, product_path, province_name
from catalog.rules import product_slug
from core.web import error_response
from places import units
from producers.ocop import STAR_RATINGS, product_sets

FILTER_MESSAGES = {
    "unknown_group": _l("There is no product group “%(value)s”."),
    "unknown_set": _l("There is no OCOP product set “%(value)s”."),
    "unknown_province": _l("We do not know the province “%(value)s”."),
    "bad_stars": _l("Star ratings are 3, 4 or 5."),
    "bad_price": _l("Prices are whole numbers of đồng, e.g. 150000 or 150.000."),
    "price_range": _l("The highest price must not be below the lowest price."),
    "bad_availability": _l("Availability is in_stock, out_of_stock or seasonal."),
    "bad_sort": _l("Sorting is newest, price_asc, price_desc or stars."),
    "bad_page": _l("The page number must be a whole number from 1."),
    "bad_per_page": _l("per_page must be a whole number from 1 to %(maximum)s."),
    "too_deep": _l("Pages this far back are not available; please narrow the filters instead."),
}
SORT_LABELS = {
    "newest": _l("Newest"),
    "price_asc": _l("Price: low to high"),
    "price_desc": _l("Price: high to low"),
    "stars": _l("Most OCOP stars"),
}
AVAILABILITY_LABELS = {
    "in_stock": _l("In stock"),
    "out_of_stock": _l("Out of stock"),
    "seasonal": _l("Seasonal"),
}
PLACEHOLDER_DIR = "img"
HOME_LATEST = 8
HOME_TOP_RATED = 4


def filter_error_message(error: FilterError) -> str:
    value = str(error.value if error.value is not None else "")[:60]
    return str(FILTER_MESSAGES[error.code]) % {"value": value, "maximum": error.params.get("maximum", "")}


def _page_size():
    return int(current_app.config.get("PAGE_SIZE", 24))


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
        query = parse_catalogue_args(request.args, per_page=_page_size())
    except FilterError as error:
        return error_response(400, _("This filter cannot be used"), filter_error_message(error))
    result = queries.catalogue_page(query)
    if query.page > 1 and not result.items:
        abort(404)
    locale = str(get_locale())
    page = render_template(
        "catalog/browse.html", query=query, result=result, groups=_groups(locale),
        provinces=_provinces(query.province_code),
        stars_choices=STAR_RATINGS, sorts=[(key, SORT_LABELS[key]) for key in SORTS],
        availabilities=[(key, AVAILABILITY_LABELS[key]) for key in AVAILABILITIES],
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
        availability_label=AVAILABILITY_LABELS.get(product.availability, ""),
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
        return error_response(400, _("This filter cannot be used"), str(FILTER_MESSAGES["bad_page"]))
    result = queries.producer_page(producer, int(page_text), _page_size())
    if result.page > 1 and not result.items:
        abort(404)
    page = render_template("catalog/producer.html", producer=producer, result=result,
                           contact=contact_links(producer), canonical=absolute(producer_path(producer)))
    return conditional(make_response(page))


@bp.get("/anh/<key>/<int:width>.webp")
def image(key, width):
    """A product photo rendition. Only keys of product photos are served (documents and
    certificates share the upload folder but never this route); a missing file gets a
    placeholder so the page still shows something (security.md §7 F12)."""
    images.require_product_photo(key, width)
    path = images.rendition_path(key, width)
    if path is None:
        current_app.logger.warning("product image file missing: %s-%s", key, width)
        placeholder = os.path.join(current_app.static_folder, PLACEHOLDER_DIR, f"placeholder-{width}.webp")
        response = send_file(placeholder, mimetype="image/webp", max_age=300)
        response.cache_control.public = True
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
    response = send_file(path, mimetype="image/webp", conditional=True, max_age=365 * 24 * 3600)
    response.cache_control.public = True
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
