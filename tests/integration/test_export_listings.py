"""catalog.listings: database rows as Listing records (values, URLs, scope), queries per batch
rather than per product, and rows that cannot become a listing reported instead of crashing."""
from datetime import date, timedelta

import pytest
from flask import url_for
from sqlalchemy import event

from accounts.models import Role, User
from catalog.listings import ExportScope, UrlBuilder, iter_listing_records, iter_listings, listing_id, \
    product_id_of
from catalog.models import Product
from extensions import db
from tests.factories import LONG_NFC_TITLE, build_world


@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


def by_ref(listings):
    return {listing.ref: listing for listing in listings}


def test_values_of_a_listing(app, world):
    with app.app_context():
        listings = by_ref(iter_listings(ExportScope()))
    good = listings["MO-500"]
    assert good.id == listing_id(world.products["good"]) == f"OCOP-{world.products['good']:06d}"
    assert (good.name, good.category_code) == ("Mật ong hoa nhãn", 4)
    assert good.category_name == "Mật ong và nông sản sơ chế khác"
    assert (good.stars, good.certificate_no, good.certificate_date) == (4, "3981/QĐ-UBND",
                                                                         date.today() - timedelta(days=200))
    assert (good.price_vnd, good.unit, good.weight_g) == (185_000, "hộp 200g", 700)
    assert (good.availability, good.seasonal_months) == ("seasonal", (5, 6, 7))
    assert (good.producer_name, good.producer_type) == ("HTX Nông sản Yên Hòa", "cooperative")
    assert (good.province, good.commune, good.phone) == ("Ninh Bình", "Yên Mô", "0911 000 001")
    assert good.url == f"https://choque.example/san-pham/mat-ong-hoa-nhan-{world.products['good']}"
    assert len(good.image_urls) == len(good.image_names) == 2
    assert all(name.endswith(".webp") and url.endswith("/1200.jpg")
               for name, url in zip(good.image_names, good.image_urls))
    assert listings["CC-1"].stars is None and listings["CC-1"].certificate_no == "12/QĐ-UBND"  # lapsed
    assert listings["DAI-1"].name == LONG_NFC_TITLE
    assert set(listings) == {"MO-500", "CC-1", "TB-1", "F-1", "DAI-1", "CHE-1", "GAO-5", "NM-1"}  # published


def test_urls_are_the_catalogue_routes_on_the_public_address(app, world):
    with app.app_context():
        product = db.session.get(Product, world.products["good"])
        key = product.photos[0].image_key
        urls = UrlBuilder()
        with app.test_request_context("/", base_url="http://internal:8000"):
            page = url_for("catalog.product", slug=product.slug, product_id=product.id)
            image = url_for("catalog.image_jpeg", key=key, width=1200)
            small = url_for("catalog.image_jpeg", key=key, width=480)
        assert urls.product(product.id, product.slug) == "https://choque.example" + page
        assert urls.image(key) == "https://choque.example" + image
        assert urls.image(key, 480) == "https://choque.example" + small
        assert urls.product(7, "mật ong") == "https://choque.example/san-pham/m%E1%BA%ADt%20ong-7"
        assert urls.product(5, "") == "https://choque.example/san-pham/san-pham-5"
    response = app.test_client().get(page)
    assert response.status_code == 200


def test_scopes(app, world):
    with app.app_context():
        def refs(scope):
            return {listing.ref for listing in iter_listings(scope)}

        owner = db.session.scalar(db.select(User).filter_by(phone=world.producer_phone))
        officer = db.session.scalar(db.select(User).filter_by(phone=world.officer_phone))
        assert refs(ExportScope.for_user(owner)) == {"MO-500", "CC-1", "TB-1", "F-1", "DAI-1"}
        assert refs(ExportScope.for_user(officer)) == {"MO-500", "CC-1", "TB-1", "F-1", "DAI-1", "GAO-5", "NM-1"}
        assert refs(ExportScope(commune_codes=())) == set()
        assert refs(ExportScope.public()) == {"MO-500", "CC-1", "TB-1", "F-1", "DAI-1", "CHE-1"}
        assert refs(ExportScope(producer_id=world.producers["b"])) == {"CHE-1"}
        helper = User(role=Role.HELPER)
        with pytest.raises(ValueError):
            ExportScope.for_user(helper)


def count_statements(app, **options):
    statements = []
    with app.app_context():
        def count(*_args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            listings = list(iter_listings(ExportScope(), **options))
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert len(listings) == 8
    return len(statements)


def test_queries_grow_with_batches_not_products(app, world):
    # Per batch: the products (with certificates), their photos, and producers not seen before.
    assert count_statements(app) == 3
    assert count_statements(app, batch_size=3) == 3 * 3


def test_a_row_that_cannot_be_a_listing_is_reported(app, world):
    with app.app_context():
        db.session.get(Product, world.products["other"]).season_months = ""
        db.session.get(Product, world.products["other"]).availability = "seasonal"
        db.session.commit()
        skipped = []
        refs = {record.listing.ref for record in iter_listing_records(ExportScope(), skipped)}
    assert "CHE-1" not in refs and len(refs) == 7
    (issue,) = skipped
    assert issue.listing_id == listing_id(world.products["other"])
    assert issue.problems[0].code == "seasonal_months_missing"


def test_listing_ids_read_back():
    assert product_id_of(listing_id(123)) == 123 and product_id_of(listing_id(1234567)) == 1234567
    assert product_id_of("MO-500") is None and product_id_of("OCOP-") is None
