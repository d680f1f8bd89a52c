"""The judged products (tests.relevance.data) as real producers and products in the
database, plus helpers to build the index and read the JSON API."""
from __future__ import annotations

from datetime import date

from catalog.models import Product, ProductStatus
from extensions import db
from places import units
from producers.models import Certificate, Producer, ProducerStatus
from search import sync
from tests.relevance.data import PRODUCTS
from vntext import slugify

# One OCOP product set per relevance group.
SET_FOR_GROUP = {"food": 7, "drinks": 14, "herbal": 20, "handicraft": 21, "ornamental": 23, "tourism": 26}


def add_world(app, *, owner_id=None, stars=None) -> dict:
    """Every judged product, published by its own verified producer; returns key -> product id.

    ``stars`` maps keys to (stars, decision_date) for certificates.
    """
    stars = stars or {}
    with app.app_context():
        ids = {}
        for number, item in enumerate(PRODUCTS, start=1):
            province = units.match_province(item.province)
            commune = units.communes(province.code)[0]
            producer = Producer(owner_id=owner_id, legal_name=item.producer, slug=slugify(item.producer),
                                province_code=province.code, commune_code=commune.code,
                                phone=f"+849{number:08d}", zalo=f"+849{number:08d}", tax_code=f"{4100000000 + number}",
                                status=ProducerStatus.VERIFIED, wizard_step=5, address="Thôn Một")
            db.session.add(producer)
            db.session.flush()
            certificate = None
            if item.key in stars:
                count, decided = stars[item.key]
                certificate = Certificate(producer_id=producer.id, decision_no=f"{number}/QĐ-UBND",
                                          issuing_body="UBND tỉnh", decision_date=decided, stars=count,
                                          product_set_code=SET_FOR_GROUP[item.group], product_name=item.name)
                db.session.add(certificate)
                db.session.flush()
            product = Product(producer_id=producer.id, ref=f"RV{number:03d}", name=item.name, slug=slugify(item.name),
                              product_set_code=SET_FOR_GROUP[item.group], description=item.description,
                              price_vnd=100_000 + number * 1000, unit="hộp", status=ProductStatus.PUBLISHED,
                              certificate=certificate)
            db.session.add(product)
            db.session.flush()
            ids[item.key] = product.id
        db.session.commit()
        return ids


def rebuild(app) -> int:
    with app.app_context():
        return sync.rebuild()


def api(client, **params) -> dict:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def names(client, text, **params) -> list:
    return [item["name"] for item in api(client, q=text, **params)["items"]]


def decided_for_expiry(days_from_today: int) -> date:
    """A decision date whose 36-month certificate ends ``days_from_today`` from today
    (negative: already expired)."""
    from producers.ocop import CERTIFICATE_VALIDITY_MONTHS, add_months, certificate_valid_until

    last_day = date.fromordinal(date.today().toordinal() + days_from_today)
    decided = add_months(last_day, -CERTIFICATE_VALIDITY_MONTHS)
    assert certificate_valid_until(decided) == last_day
    return decided
