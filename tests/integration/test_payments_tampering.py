"""Tampering (docs/SECURITY-REFERENCE.md §5): new bank details never reach a rendered code before
an officer approves them, and while they wait no code at all is shown."""
import pytest

from payments.vietqr import parse_payload
from tests.conftest import csrf_token_from
from tests.factories import (BUYER, VIETCOMBANK, approve_latest_bank_details, decode_png,
                                                  decode_svg, inline_qr_codes, make_seller, order_form_tokens,
                                                  place_order, set_payment_link_directly, submit_new_bank_details)

NEW_BANK = (VIETCOMBANK, "9988776655443", "KE GIA MAO")
PENDING_MESSAGE = "Thông tin thanh toán đang chờ xác minh lại"


@pytest.fixture
def app_config():
    return {"ORDER_MIN_FILL_SECONDS": 0}


@pytest.fixture
def seller(app, make_user):
    return make_seller(app, make_user)


def every_rendering(client, seller, code):
    """(name, response) for each place a code could appear."""
    producer = seller.producer_id
    return [
        ("order page", client.get(f"/don-hang/{code}")),
        ("order api", client.get(f"/api/orders/{code}/payment_qr")),
        ("order png", client.get(f"/api/orders/{code}/payment_qr.png")),
        ("order svg", client.get(f"/api/orders/{code}/payment_qr.svg")),
        ("order saved code", client.get(f"/don-hang/{code}/ma-qr.png?download=1")),
        ("order api by phone", client.application.test_client().get(
            f"/api/orders/{code}/payment_qr?phone=0987654321")),
        ("producer qr page", client.get(f"/ma-qr/nha-san-xuat/{producer}")),
        ("producer png", client.get(f"/ma-qr/nha-san-xuat/{producer}.png")),
        ("producer svg", client.get(f"/ma-qr/nha-san-xuat/{producer}.svg")),
        ("producer sign", client.get(f"/ma-qr/nha-san-xuat/{producer}/bien-a6.svg")),
        ("order form", client.get(f"/dat-hang/{seller.product_id}")),
        # The catalogue's pages include payments/_order_box.html and payments/_producer_qr.html.
        ("catalogue product page", client.get(f"/san-pham/{seller.product_id}", follow_redirects=True)),
        ("catalogue producer page", client.get(f"/co-so/htx-{producer}", follow_redirects=True)),
    ]


def codes_in(response):
    if response.mimetype == "image/png":
        return decode_png(response.data)
    text = response.get_data(as_text=True)
    if response.mimetype == "image/svg+xml":
        return decode_svg(text, dpi=300)
    return inline_qr_codes(text)


def test_pending_bank_details_hide_every_code_until_approved(app, client, seller):
    code = place_order(client, seller.product_id)
    before = {name: codes_in(response) for name, response in every_rendering(client, seller, code)}
    assert parse_payload(before["order png"][0]).account == seller.account  # codes were there
    assert parse_payload(before["catalogue producer page"][0]).account == seller.account
    assert 'name="started"' in client.get(f"/san-pham/{seller.product_id}", follow_redirects=True).get_data(
        as_text=True)  # the product page offered the order form

    submit_new_bank_details(app, seller.producer_id, NEW_BANK, user_id=seller.user_id)
    for name, response in every_rendering(client, seller, code):
        body = response.get_data(as_text=True) if response.mimetype != "image/png" else ""
        assert codes_in(response) == [], name
        assert "000201" not in body, name  # no payload as text either (API, attributes, scripts)
        assert NEW_BANK[1] not in body and "•••• 5443" not in body and NEW_BANK[2] not in body, name
        assert seller.account not in body and "•••• 0123" not in body and seller.holder not in body, name
        if response.mimetype.startswith("image/"):
            raise AssertionError(f"{name} still served an image")
    order_page = client.get(f"/don-hang/{code}").get_data(as_text=True)
    assert PENDING_MESSAGE in order_page
    assert PENDING_MESSAGE in client.get(f"/ma-qr/nha-san-xuat/{seller.producer_id}").get_data(as_text=True)
    api = client.get(f"/api/orders/{code}/payment_qr")
    assert api.status_code == 409 and set(api.get_json()) == {"error", "message", "status"}

    approve_latest_bank_details(app, seller.producer_id)
    after = {name: codes_in(response) for name, response in every_rendering(client, seller, code)}
    for name in ("order page", "order png", "order svg", "order saved code", "producer qr page", "producer png", "producer svg",
                 "producer sign", "catalogue producer page"):
        [payload] = after[name]
        parsed = parse_payload(payload)
        assert (parsed.bin, parsed.account) == NEW_BANK[:2], name
    assert parse_payload(client.get(f"/api/orders/{code}/payment_qr").get_json()["data"]).account == NEW_BANK[1]
    order_page = client.get(f"/don-hang/{code}").get_data(as_text=True)
    # The order page spells out the full new number for a transfer typed by hand.
    assert NEW_BANK[2] in order_page and NEW_BANK[1] in order_page and PENDING_MESSAGE not in order_page


def test_no_new_orders_while_bank_details_wait(app, client, seller):
    tokens = order_form_tokens(client, seller.product_id)  # the form was open before the change
    submit_new_bank_details(app, seller.producer_id, NEW_BANK)
    response = client.post(f"/dat-hang/{seller.product_id}", data={**BUYER, **tokens})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "000201" not in html and 'class="notice"' in html
    with app.app_context():
        from extensions import db
        from payments.models import Order

        assert db.session.scalar(db.select(db.func.count(Order.id))) == 0


def test_rejected_change_brings_back_the_last_approved_code(app, client, seller):
    """A rejected newest version leaves the last approved one in force (the model's rule);
    the officer's rejection through the site is in test_payment_details_review.py."""
    code = place_order(client, seller.product_id)
    submit_new_bank_details(app, seller.producer_id, NEW_BANK)
    assert inline_qr_codes(client.get(f"/don-hang/{code}").get_data(as_text=True)) == []
    with app.app_context():
        from extensions import db
        from producers.models import PaymentAccount

        latest = db.session.scalars(db.select(PaymentAccount).filter_by(producer_id=seller.producer_id)
                                    .order_by(PaymentAccount.version.desc())).first()
        latest.status = PaymentAccount.REJECTED
        db.session.commit()
    html = client.get(f"/don-hang/{code}").get_data(as_text=True)
    [payload] = inline_qr_codes(html)
    assert parse_payload(payload).account == seller.account and NEW_BANK[1] not in html
    assert client.get(f"/api/orders/{code}/payment_qr.png").status_code == 200


def test_payment_link_is_hidden_too_while_details_wait(app, client, seller):
    set_payment_link_directly(app, seller.producer_id, "https://buy.stripe.com/test_abc")
    code = place_order(client, seller.product_id)
    assert "buy.stripe.com" in client.get(f"/don-hang/{code}").get_data(as_text=True)
    submit_new_bank_details(app, seller.producer_id, NEW_BANK)
    html = client.get(f"/don-hang/{code}").get_data(as_text=True)
    assert "buy.stripe.com" not in html and inline_qr_codes(html) == []


def test_an_officer_never_sees_a_code_for_unapproved_details_either(app, client, seller, auth):
    code = place_order(client, seller.product_id)
    submit_new_bank_details(app, seller.producer_id, NEW_BANK)
    auth.login(seller.phone)
    page = auth.client.get(f"/nha-san-xuat/don-hang/{code}").get_data(as_text=True)
    assert inline_qr_codes(page) == [] and NEW_BANK[1] not in page
    assert csrf_token_from(page)  # the producer can still manage the order


def test_officer_approval_on_the_site_switches_every_code_to_the_new_account(app, seller, make_user, auth):
    """End to end with the verification pages: the owner's change waits, a commune officer approves it."""
    from tests.factories import COMMUNE_A
    from tests.factories import APPROVE_PAYMENT, seen_payment

    buyer = app.test_client()  # `client` is the officer's browser below
    code = place_order(buyer, seller.product_id)
    submit_new_bank_details(app, seller.producer_id, NEW_BANK, user_id=seller.user_id)
    assert inline_qr_codes(buyer.get(f"/don-hang/{code}").get_data(as_text=True)) == []

    _officer_id, officer_phone = make_user(role="officer", communes=(COMMUNE_A,))
    auth.login(officer_phone)
    response = auth.post(APPROVE_PAYMENT.format(seller.producer_id), seen_payment(app, seller.producer_id),
                         form_page="/can-bo")
    assert response.status_code == 302
    [payload] = inline_qr_codes(buyer.get(f"/don-hang/{code}").get_data(as_text=True))
    parsed = parse_payload(payload)
    assert (parsed.bin, parsed.account, parsed.amount) == (NEW_BANK[0], NEW_BANK[1], 2 * seller.price)
    [static] = decode_png(buyer.get(f"/ma-qr/nha-san-xuat/{seller.producer_id}.png").data)
    assert parse_payload(static).account == NEW_BANK[1]
