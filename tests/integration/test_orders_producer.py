"""Producers (and their commune's officers and helpers) see and move their own orders only."""
import pytest

from accounts.models import Role
from extensions import db
from payments.models import Order
from payments.constants import OrderStatus
from producers.models import AuditEvent
from tests.conftest import csrf_token_from
from tests.factories import COMMUNE_B, PROVINCE_B, make_seller, place_order

ORDERS = "/nha-san-xuat/don-hang"


@pytest.fixture
def app_config():
    return {"ORDER_MIN_FILL_SECONDS": 0}


@pytest.fixture
def sellers(app, make_user):
    a = make_seller(app, make_user)
    b = make_seller(app, make_user, name="HTX Chè Yên Mô", product_name="Chè búp Yên Mô", price=80_000,
                    commune=(COMMUNE_B, PROVINCE_B), ref="CHE-01")
    return a, b


def set_status(client, code, status):
    token = csrf_token_from(client.get(f"{ORDERS}/{code}").get_data(as_text=True))
    return client.post(f"{ORDERS}/{code}/trang-thai", data={"status": status, "csrf_token": token})


def status_of(app, code):
    with app.app_context():
        return db.session.scalar(db.select(Order.status).filter_by(code=code))


def test_orders_page_needs_a_login(client):
    response = client.get(ORDERS)
    assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"]


def test_producer_lists_only_its_orders(app, sellers, auth):
    a, b = sellers
    buyer = app.test_client()
    code_a = place_order(buyer, a.product_id)
    code_b = place_order(buyer, b.product_id)
    auth.login(a.phone)
    html = auth.client.get(ORDERS).get_data(as_text=True)
    assert code_a in html and code_b not in html
    assert "Trần Thị Bình" in html and "0987 654 321" in html


def test_another_producers_order_is_404(app, sellers, auth):
    a, b = sellers
    code_b = place_order(app.test_client(), b.product_id)
    auth.login(a.phone)
    assert auth.client.get(f"{ORDERS}/{code_b}").status_code == 404
    token = csrf_token_from(auth.client.get(ORDERS).get_data(as_text=True))
    response = auth.client.post(f"{ORDERS}/{code_b}/trang-thai", data={"status": "paid", "csrf_token": token})
    assert response.status_code == 404
    assert status_of(app, code_b) == OrderStatus.NEW


def test_full_lifecycle_and_the_buyer_sees_each_status(app, sellers, auth):
    a, _b = sellers
    buyer = app.test_client()
    code = place_order(buyer, a.product_id)
    auth.login(a.phone)
    for status in (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED):
        response = set_status(auth.client, code, status)
        assert response.status_code == 303
        assert status_of(app, code) == status
        page = buyer.get(f"/don-hang/{code}").get_data(as_text=True)
        assert f'status-{status}" id="order-status"' in page
    with app.app_context():
        order = db.session.scalar(db.select(Order).filter_by(code=code))
        assert order.paid_at and order.shipped_at and order.completed_at and not order.cancelled_at
        assert order.status_changed_by_id == a.user_id
        events = db.session.scalars(db.select(AuditEvent).filter_by(action="order_status_changed")).all()
        assert [e.changes["status"]["to"] for e in events] == ["paid", "shipped", "completed"]
        assert all(e.changes["order"] == code and e.actor_id == a.user_id for e in events)


@pytest.mark.parametrize("path,target", [
    ((), OrderStatus.SHIPPED), ((), OrderStatus.COMPLETED), ((), OrderStatus.NEW), ((), "bogus"),
    ((OrderStatus.PAID,), OrderStatus.COMPLETED), ((OrderStatus.PAID, OrderStatus.SHIPPED), OrderStatus.CANCELLED),
    ((OrderStatus.CANCELLED,), OrderStatus.PAID),
])
def test_transitions_that_are_not_allowed_change_nothing(app, sellers, auth, path, target):
    a, _b = sellers
    code = place_order(app.test_client(), a.product_id)
    auth.login(a.phone)
    for status in path:
        set_status(auth.client, code, status)
    before = status_of(app, code)
    response = set_status(auth.client, code, target)
    assert response.status_code == 303
    assert status_of(app, code) == before
    follow = auth.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "flash-error" in follow


def test_status_change_needs_post_and_csrf(app, sellers, auth):
    a, _b = sellers
    code = place_order(app.test_client(), a.product_id)
    auth.login(a.phone)
    assert auth.client.get(f"{ORDERS}/{code}/trang-thai").status_code == 405
    assert auth.client.post(f"{ORDERS}/{code}/trang-thai", data={"status": "paid"}).status_code == 400
    assert status_of(app, code) == OrderStatus.NEW


def test_only_allowed_actions_are_offered(app, sellers, auth):
    a, _b = sellers
    code = place_order(app.test_client(), a.product_id)
    auth.login(a.phone)
    html = auth.client.get(f"{ORDERS}/{code}").get_data(as_text=True)
    assert 'value="paid"' in html and 'value="cancelled"' in html
    assert 'value="shipped"' not in html and 'value="completed"' not in html


def test_commune_officer_and_helper_act_on_behalf_others_get_404(app, sellers, make_user, auth):
    a, b = sellers
    code_a = place_order(app.test_client(), a.product_id)
    code_b = place_order(app.test_client(), b.product_id)
    with app.app_context():
        from producers.models import Producer

        commune_a = db.session.get(Producer, a.producer_id).commune_code
    _helper_id, helper_phone = make_user(role=Role.HELPER, communes=(commune_a,))
    _officer_b_id, officer_b_phone = make_user(role=Role.OFFICER, communes=(COMMUNE_B,))

    auth.login(helper_phone)
    html = auth.client.get(ORDERS).get_data(as_text=True)
    assert code_a in html and code_b not in html
    assert set_status(auth.client, code_a, OrderStatus.PAID).status_code == 303
    assert status_of(app, code_a) == OrderStatus.PAID
    assert auth.client.get(f"{ORDERS}/{code_b}").status_code == 404
    auth.logout()

    auth.login(officer_b_phone)
    assert auth.client.get(f"{ORDERS}/{code_a}").status_code == 404
    assert code_a not in auth.client.get(ORDERS).get_data(as_text=True)


def test_filter_by_status(app, sellers, auth):
    a, _b = sellers
    buyer = app.test_client()
    paid, new = place_order(buyer, a.product_id), place_order(buyer, a.product_id)
    auth.login(a.phone)
    set_status(auth.client, paid, OrderStatus.PAID)
    html = auth.client.get(ORDERS + "?trang-thai=paid").get_data(as_text=True)
    assert paid in html and new not in html


def test_orders_are_paginated(app, sellers, auth):
    a, _b = sellers
    app.config["PAGE_SIZE"] = 2
    buyer = app.test_client()
    codes = [place_order(buyer, a.product_id) for _ in range(3)]
    auth.login(a.phone)
    first = auth.client.get(ORDERS).get_data(as_text=True)
    second = auth.client.get(ORDERS + "?trang=2").get_data(as_text=True)
    assert codes[2] in first and codes[1] in first and codes[0] not in first
    assert codes[0] in second


def test_buyer_text_is_escaped_on_every_page(app, sellers, auth):
    a, _b = sellers
    buyer = app.test_client()
    attack = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    code = place_order(buyer, a.product_id, buyer_name=attack, note=attack,
                       delivery_address=attack + " thôn 1, xã Gia Phú")
    auth.login(a.phone)
    for page in (auth.client.get(ORDERS), auth.client.get(f"{ORDERS}/{code}"), buyer.get(f"/don-hang/{code}")):
        html = page.get_data(as_text=True)
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
