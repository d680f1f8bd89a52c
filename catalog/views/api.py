"""JSON API over the public catalogue: `GET /api/products` (the browse filters, paginated) and
`GET /api/products/<id>`. Only public products; errors are JSON with a message, never a 500."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _

from catalog import images, queries
from catalog.texts import filter_error_message
from catalog.filters import FilterError, parse_catalogue_args, query_args
from core.http import conditional
from core.urls import absolute
from catalog.urls import producer_path, product_path
from catalog.views.present import commune_name, province_name

bp = Blueprint("catalog_api", __name__, url_prefix="/api/products")

MAX_PER_PAGE = 100


def _bad_request(message, param=None):
    response = jsonify({"error": _("Bad request"), "message": message, "param": param, "status": 400})
    response.status_code = 400
    return response


def _image_urls(photo) -> dict:
    return {str(width): absolute(images.image_url(photo.image_key, width)) for width in images.WIDTHS}


def product_summary(product, today: date) -> dict:
    producer = product.producer
    return {
        "id": product.id,
        "ref": product.ref,
        "name": product.name,
        "url": absolute(product_path(product)),
        "price_vnd": product.price_vnd,
        "currency": "VND",
        "unit": product.unit,
        "stars": product.stars(today),
        "product_set": product.product_set_code,
        "availability": product.availability,
        "province": {"code": producer.province_code, "name": province_name(producer.province_code)},
        "producer": {"id": producer.id, "name": producer.legal_name, "url": absolute(producer_path(producer))},
        "image": _image_urls(product.cover) if product.cover else None,
    }


def product_detail(product, today: date) -> dict:
    data = product_summary(product, today)
    certificate = product.certificate
    data.update({
        "description": product.description,
        "weight_g": product.weight_g,
        "season_months": product.months,
        "harvest_season": product.harvest_season,
        "commune": {"code": product.producer.commune_code, "name": commune_name(product.producer.commune_code)},
        "certificate": None if certificate is None else {
            "number": certificate.decision_no,
            "issued_by": certificate.issuing_body,
            "decision_date": certificate.decision_date.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
            "expired": not certificate.is_valid(today),
            "stars": certificate.stars,
        },
        "images": [_image_urls(photo) for photo in product.photos],
    })
    return data


@bp.get("")
def api_products():
    try:
        query = parse_catalogue_args(request.args, per_page=queries.page_size(),
                                     max_per_page=MAX_PER_PAGE, allow_per_page=True)
    except FilterError as error:
        return _bad_request(filter_error_message(error), error.param)
    today = date.today()
    page = queries.catalogue_page(query, today)
    next_url = None
    if page.has_more:
        next_url = absolute(url_for("catalog_api.api_products", **query_args(query, page=query.page + 1),
                                    per_page=query.per_page))
    return conditional(jsonify({
        "items": [product_summary(product, today) for product in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "has_more": page.has_more,
        "next": next_url,
    }))


@bp.get("/<int:product_id>")
def api_product(product_id):
    product = queries.public_product(product_id)
    if product is None:
        response = jsonify({"error": _("Not found"), "message": _("There is no public product with this number."),
                            "status": 404})
        response.status_code = 404
        return response
    return conditional(jsonify(product_detail(product, date.today())))
