"""Buyers order without an account: server-side amounts, order codes, refusals,
spam traps and access by code + phone."""
import re

import pytest

from catalog.models import Availability, ProductStatus
from extensions import db
from payments import services
from payments.models import Order
from payments.constants import OrderStatus
from payments.rules import CODE_ALPHABET
from producers.models import PaymentAccount, ProducerStatus
from tests.factories import (BUYER, add_seller_product as add_product, make_seller, order_form_tokens, place_order,
                                                  post_order)

CODE_RE = re.compile(rf"CQ[{CODE_ALPHABET}]{{6}}")


@pytest.fixture
def app_config():
    return {"ORDER_MIN_FILL_SECONDS": 0}


@pytest.fixture
def seller(app, make_user):
    return make_seller(app, make_user)


def orders(app):
    with app.app_context():
        return db.session.scalars(db.select(Order).order_by(Order.id)).all()


def test_amount_is_stored_price_times_quantity_whatever_the_form_says(app, client, seller):
    code = place_order(client, seller.product_id, quantity="3", amount="1", unit_price_vnd="1",
                       amount_vnd="1", price="1", status="paid", producer_id="999")
    [order] = orders(app)
    assert order.code == code
    assert (order.unit_price_vnd, order.quantity, order.amount_vnd) == (120_000, 3, 360_000)
    assert order.status == OrderStatus.NEW
    assert order.producer_id == seller.producer_id and order.product_id == seller.product_id
    assert order.buyer_phone == "+84987654321"
    assert order.buyer_name == BUYER["buyer_name"] and order.note == BUYER["note"]
    assert order.product_name == "Mật ong rừng U Minh"


def test_price_is_read_at_the_moment_of_ordering(app, client, seller):
    tokens = order_form_tokens(client, seller.product_id)  # the buyer opens the form at 120.000 đ
    with app.app_context():
        from catalog.models import Product

        db.session.get(Product, seller.product_id).price_vnd = 150_000
        db.session.commit()
    response = client.post(f"/dat-hang/{seller.product_id}", data={**BUYER, **tokens})
    assert response.status_code == 302
    assert orders(app)[0].amount_vnd == 300_000


def test_order_code_is_short_and_unambiguous(app, client, seller):
    codes = {place_order(client, seller.product_id) for _ in range(5)}
    assert len(codes) == 5
    for code in codes:
        assert CODE_RE.fullmatch(code)
        assert not set(code[2:]) & set("01OI")


def test_code_collision_is_retried(app, client, seller, monkeypatch):
    first = place_order(client, seller.product_id)
    sequence = iter([first, first, "CQZZZZZ2"])
    monkeypatch.setattr(services, "new_order_code", lambda: next(sequence))
    assert place_order(client, seller.product_id) == "CQZZZZZ2"


@pytest.mark.parametrize("quantity", ["0", "1000", "-1", "abc", ""])
def test_quantity_outside_1_to_999_is_refused(app, client, seller, quantity):
    response = post_order(client, seller.product_id, quantity=quantity)
    assert response.status_code == 400
    assert orders(app) == []


def test_quantity_999_is_accepted(app, client, seller):
    place_order(client, seller.product_id, quantity="999")
    assert orders(app)[0].amount_vnd == 999 * 120_000


def test_total_over_one_transfer_is_refused_with_a_message(app, client, seller):
    expensive = add_product(app, seller, price_vnd=600_000)
    response = post_order(client, expensive, quantity="999")  # 599.4 million đồng
    assert response.status_code == 400
    assert "500,000,000" in response.get_data(as_text=True) or "500.000.000" in response.get_data(as_text=True)
    assert orders(app) == []


@pytest.mark.parametrize("field,value", [("buyer_phone", "12345"), ("buyer_phone", ""), ("buyer_name", ""),
                                         ("delivery_address", ""), ("delivery_address", "x" * 301),
                                         ("note", "x" * 501)])
def test_buyer_details_are_checked(app, client, seller, field, value):
    response = post_order(client, seller.product_id, **{field: value})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert orders(app) == []


@pytest.mark.parametrize("fields,status", [
    ({"availability": Availability.OUT_OF_STOCK}, 200),
    ({"availability": Availability.SEASONAL, "season_months": ""}, 200),
    ({"price_vnd": None}, 200),
    ({"status": ProductStatus.DRAFT}, 404),
    ({"status": ProductStatus.HIDDEN}, 404),
])
def test_products_that_cannot_be_ordered(app, client, seller, fields, status):
    product_id = add_product(app, seller, **fields)
    page = client.get(f"/dat-hang/{product_id}")
    assert page.status_code == status
    if status == 200:
        html = page.get_data(as_text=True)
        assert 'class="notice"' in html and 'name="started"' not in html
    data = {**BUYER, "csrf_token": order_form_tokens(client, seller.product_id)["csrf_token"], "started": "x"}
    response = client.post(f"/dat-hang/{product_id}", data=data)
    assert response.status_code in (400, 404)
    assert orders(app) == []


def test_seasonal_product_in_season_can_be_ordered(app, client, seller):
    with app.app_context():
        month = services.current_month()
    product_id = add_product(app, seller, availability=Availability.SEASONAL, season_months=f"{month}")
    place_order(client, product_id)
    assert len(orders(app)) == 1


def test_refusal_is_explained_even_if_the_form_was_open(app, client, seller):
    tokens = order_form_tokens(client, seller.product_id)
    with app.app_context():
        from catalog.models import Product

        db.session.get(Product, seller.product_id).availability = Availability.OUT_OF_STOCK
        db.session.commit()
    response = client.post(f"/dat-hang/{seller.product_id}", data={**BUYER, **tokens})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="notice"' in html and 'name="started"' not in html
    assert orders(app) == []


@pytest.mark.parametrize("producer_status,account_status", [
    (ProducerStatus.SUBMITTED, PaymentAccount.APPROVED),
    (ProducerStatus.VERIFIED, PaymentAccount.PENDING),
    (ProducerStatus.VERIFIED, None),
])
def test_no_orders_without_a_verified_producer_and_approved_account(app, client, make_user, producer_status,
                                                                   account_status):
    kwargs = {"producer_status": producer_status}
    if account_status is None:
        kwargs["bank"] = None
    else:
        kwargs["account_status"] = account_status
    seller = make_seller(app, make_user, **kwargs)
    page = client.get(f"/dat-hang/{seller.product_id}")
    if producer_status != ProducerStatus.VERIFIED:
        assert page.status_code == 404
    else:
        assert page.status_code == 200 and 'name="started"' not in page.get_data(as_text=True)
    assert orders(app) == []


def test_honeypot_filled_is_refused(app, client, seller):
    response = post_order(client, seller.product_id, website="http://spam.example")
    assert response.status_code == 400
    assert 'role="alert"' in response.get_data(as_text=True)
    assert orders(app) == []


def test_too_fast_submission_is_refused_then_accepted(app, client, seller):
    app.config["ORDER_MIN_FILL_SECONDS"] = 3600
    response = post_order(client, seller.product_id)
    assert response.status_code == 400
    assert orders(app) == []
    app.config["ORDER_MIN_FILL_SECONDS"] = 0
    place_order(client, seller.product_id)
    assert len(orders(app)) == 1


@pytest.mark.parametrize("started", ["", "tampered", "eyJhIjoxfQ.abc.def"])
def test_missing_or_forged_start_time_is_refused(app, client, seller, started):
    response = post_order(client, seller.product_id, started=started)
    assert response.status_code == 400
    assert orders(app) == []


def test_start_time_of_another_product_is_refused(app, client, seller):
    other = add_product(app, seller)
    other_tokens = order_form_tokens(client, other)
    response = post_order(client, seller.product_id, started=other_tokens["started"])
    assert response.status_code == 400
    assert orders(app) == []


def test_order_without_csrf_token_is_refused(app, client, seller):
    data = {**BUYER, "started": order_form_tokens(client, seller.product_id)["started"]}
    assert client.post(f"/dat-hang/{seller.product_id}", data=data).status_code == 400
    assert orders(app) == []


def test_order_form_is_rate_limited_per_address(app, client, seller):
    app.config["ORDER_RATE_LIMIT"] = "2 per hour"
    place_order(client, seller.product_id)
    place_order(client, seller.product_id)
    response = post_order(client, seller.product_id)
    assert response.status_code == 429
    assert len(orders(app)) == 2
    assert client.get(f"/dat-hang/{seller.product_id}").status_code == 200  # reading is not limited


def test_creating_browser_sees_its_order_others_must_look_it_up(app, client, seller):
    code = place_order(client, seller.product_id)
    page = client.get(f"/don-hang/{code}")
    assert page.status_code == 200
    assert code in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"

    stranger = app.test_client()
    response = stranger.get(f"/don-hang/{code}")
    assert response.status_code == 302 and "/tra-cuu-don-hang" in response.headers["Location"]
    # An unknown code gets exactly the same answer.
    unknown = stranger.get("/don-hang/CQZZZZZZ")
    assert unknown.status_code == 302 and "/tra-cuu-don-hang" in unknown.headers["Location"]


def _lookup(client, code, phone):
    from tests.conftest import csrf_token_from

    token = csrf_token_from(client.get("/tra-cuu-don-hang").get_data(as_text=True))
    return client.post("/tra-cuu-don-hang", data={"code": code, "phone": phone, "csrf_token": token})


def test_lookup_needs_code_and_phone_and_says_the_same_for_either_mistake(app, client, seller):
    code = place_order(client, seller.product_id)
    stranger = app.test_client()
    wrong_phone = _lookup(stranger, code, "0912 000 999")
    wrong_code = _lookup(stranger, "CQZZZZZZ", BUYER["buyer_phone"])
    assert wrong_phone.status_code == wrong_code.status_code == 404

    def message(response):
        return re.search(r'<p class="error-summary" role="alert">(.*?)</p>', response.get_data(as_text=True)).group(1)

    assert message(wrong_phone) == message(wrong_code)
    assert stranger.get(f"/don-hang/{code}").status_code == 302

    found = _lookup(stranger, code.lower()[:4] + " " + code.lower()[4:], "+84987654321")
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/don-hang/{code}")
    assert stranger.get(f"/don-hang/{code}").status_code == 200


def test_lookup_failures_are_rate_limited(app, client, seller):
    app.config["ORDER_LOOKUP_RATE_LIMIT"] = "3 per hour"
    code = place_order(client, seller.product_id)
    stranger = app.test_client()
    for _ in range(3):
        assert _lookup(stranger, code, "0912 000 999").status_code == 404
    assert _lookup(stranger, code, BUYER["buyer_phone"]).status_code == 429
