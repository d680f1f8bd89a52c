"""Rendered codes decode to the right payload: the order's dynamic VietQR (page,
PNG, SVG, API in Stripe's display_qr_code shape) and the producer's static code."""
from urllib.parse import urlsplit

import pytest

from payments.constants import OrderStatus
from payments.vietqr import parse_payload
from producers.models import ProducerStatus
from tests.conftest import csrf_token_from
from tests.factories import (decode_png, decode_svg, inline_qr_codes, make_seller,
                                                  place_order, set_producer_status)

BASE = "https://choque.example"  # PUBLIC_BASE_URL in the test settings


@pytest.fixture
def app_config():
    return {"ORDER_MIN_FILL_SECONDS": 0}


@pytest.fixture
def seller(app, make_user):
    return make_seller(app, make_user)


def assert_order_payload(payload, seller, code, quantity=2):
    parsed = parse_payload(payload)
    assert parsed.bin == seller.bin and parsed.account == seller.account
    assert parsed.amount == seller.price * quantity
    assert parsed.is_dynamic
    assert parsed.memo.startswith(code + " ") and parsed.memo == f"{code} Mat ong rung U"  # whole words only


def test_order_page_shows_the_code_and_the_payee_as_text(client, seller):
    code = place_order(client, seller.product_id)
    html = client.get(f"/don-hang/{code}").get_data(as_text=True)
    [payload] = inline_qr_codes(html)
    assert_order_payload(payload, seller, code)
    # Everything needed to type the transfer by hand; the QR carries the account number anyway.
    assert seller.holder in html and "Agribank" in html and seller.account in html
    assert "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam" in html
    assert f"{code} Mat ong rung U<" in html  # the transfer content, spelled out


def test_order_png_and_svg_decode_to_the_order_payload(client, seller):
    code = place_order(client, seller.product_id)
    png = client.get(f"/api/orders/{code}/payment_qr.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.headers["Cache-Control"] == "no-store"
    [from_png] = decode_png(png.data)
    assert_order_payload(from_png, seller, code)

    svg = client.get(f"/api/orders/{code}/payment_qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert svg.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert svg.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script" not in svg.get_data(as_text=True)
    assert decode_svg(svg.get_data(as_text=True)) == [from_png]

    download = client.get(f"/api/orders/{code}/payment_qr.png?download=1")
    assert download.headers["Content-Disposition"] == f'attachment; filename="vietqr-{code}.png"'


def test_api_has_the_shape_of_stripe_display_qr_code(app, client, seller):
    code = place_order(client, seller.product_id)
    response = client.get(f"/api/orders/{code}/payment_qr")
    assert response.status_code == 200 and response.is_json
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert set(body) == {"data", "image_url_png", "image_url_svg", "hosted_instructions_url", "amount", "currency"}
    assert_order_payload(body["data"], seller, code)
    assert body["amount"] == 240_000 and isinstance(body["amount"], int) and body["currency"] == "vnd"
    assert body["hosted_instructions_url"] == f"{BASE}/don-hang/{code}"
    for key, suffix in (("image_url_png", ".png"), ("image_url_svg", ".svg")):
        url = urlsplit(body[key])
        assert f"{url.scheme}://{url.netloc}" == BASE and url.path == f"/api/orders/{code}/payment_qr{suffix}"
    # The image URLs work for a client without the buyer's session (they carry a signed token).
    stranger = app.test_client()
    png_url = urlsplit(body["image_url_png"])
    png = stranger.get(f"{png_url.path}?{png_url.query}")
    assert png.status_code == 200 and decode_png(png.data) == [body["data"]]
    svg_url = urlsplit(body["image_url_svg"])
    svg = stranger.get(f"{svg_url.path}?{svg_url.query}")
    assert decode_svg(svg.get_data(as_text=True)) == [body["data"]]


def test_api_with_the_buyers_phone_from_another_client(app, client, seller):
    code = place_order(client, seller.product_id)
    stranger = app.test_client()
    assert stranger.get(f"/api/orders/{code}/payment_qr?phone=0987654321").status_code == 200
    assert stranger.get(f"/api/orders/{code}/payment_qr?phone=%2B84987654321").status_code == 200


@pytest.mark.parametrize("query", ["", "?phone=0912000999", "?phone=abc", "?t=forged", "?t="])
def test_api_and_images_are_404_json_when_not_allowed(app, client, seller, query):
    code = place_order(client, seller.product_id)
    stranger = app.test_client()
    for suffix in ("", ".png", ".svg"):
        response = stranger.get(f"/api/orders/{code}/payment_qr{suffix}{query}")
        assert response.status_code == 404 and response.is_json
        assert "data" not in response.get_json() and "000201" not in response.get_data(as_text=True)
    assert stranger.get("/api/orders/CQZZZZZZ/payment_qr?phone=0987654321").status_code == 404
    assert stranger.get("/api/orders/nonsense/payment_qr").status_code == 404


def test_token_of_one_order_does_not_open_another(app, client, seller):
    first, second = place_order(client, seller.product_id), place_order(client, seller.product_id)
    png_url = urlsplit(client.get(f"/api/orders/{first}/payment_qr").get_json()["image_url_png"])
    token = png_url.query
    assert app.test_client().get(f"/api/orders/{second}/payment_qr.png?{token}").status_code == 404


def test_paid_order_shows_no_code_any_more(app, client, seller, auth):
    code = place_order(client, seller.product_id)
    producer = app.test_client()
    producer.post("/dang-nhap", data={"phone": seller.phone, "password": "rau-sach-2025",
                                      "csrf_token": csrf_token_from(producer.get("/dang-nhap").get_data(as_text=True))})
    page = producer.get(f"/nha-san-xuat/don-hang/{code}").get_data(as_text=True)
    producer.post(f"/nha-san-xuat/don-hang/{code}/trang-thai",
                  data={"status": OrderStatus.PAID, "csrf_token": csrf_token_from(page)})
    html = client.get(f"/don-hang/{code}").get_data(as_text=True)
    assert inline_qr_codes(html) == [] and "000201" not in html
    api = client.get(f"/api/orders/{code}/payment_qr")
    assert api.status_code == 409 and "data" not in api.get_json()
    assert client.get(f"/api/orders/{code}/payment_qr.png").status_code == 409


def test_producer_static_code_page_png_svg_and_sign(client, seller):
    static = None
    page = client.get(f"/ma-qr/nha-san-xuat/{seller.producer_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    [static] = inline_qr_codes(html)
    parsed = parse_payload(static)
    assert (parsed.bin, parsed.account, parsed.amount, parsed.memo, parsed.is_dynamic) == \
        (seller.bin, seller.account, None, None, False)
    assert seller.holder in html and "Agribank" in html and "•••• 0123" in html and seller.account not in html
    assert f"/ma-qr/nha-san-xuat/{seller.producer_id}.png" in html
    assert f"/ma-qr/nha-san-xuat/{seller.producer_id}/bien-a6.svg" in html

    png = client.get(f"/ma-qr/nha-san-xuat/{seller.producer_id}.png")
    assert png.mimetype == "image/png" and png.headers["Cache-Control"] == "no-store"
    assert decode_png(png.data) == [static]
    svg = client.get(f"/ma-qr/nha-san-xuat/{seller.producer_id}.svg")
    assert svg.mimetype == "image/svg+xml" and decode_svg(svg.get_data(as_text=True)) == [static]

    sign = client.get(f"/ma-qr/nha-san-xuat/{seller.producer_id}/bien-a6.svg")
    assert sign.mimetype == "image/svg+xml" and "default-src 'none'" in sign.headers["Content-Security-Policy"]
    text = sign.get_data(as_text=True)
    assert 'width="105mm" height="148mm"' in text
    assert "HTX Mật ong U Minh" in text and seller.holder in text and "•••• 0123" in text
    assert seller.account not in text
    assert decode_svg(text, dpi=300) == [static]


@pytest.mark.parametrize("status", [ProducerStatus.SUBMITTED, ProducerStatus.SUSPENDED, ProducerStatus.REJECTED])
def test_no_static_code_for_producers_that_are_not_verified(app, client, seller, status):
    set_producer_status(app, seller.producer_id, status)
    for path in ("", ".png", ".svg", "/bien-a6.svg"):
        response = client.get(f"/ma-qr/nha-san-xuat/{seller.producer_id}{path}")
        assert response.status_code == 404
        assert "000201" not in response.get_data(as_text=True)


def test_suspending_the_producer_hides_the_order_code(app, client, seller):
    code = place_order(client, seller.product_id)
    set_producer_status(app, seller.producer_id, ProducerStatus.SUSPENDED)
    html = client.get(f"/don-hang/{code}").get_data(as_text=True)
    assert inline_qr_codes(html) == [] and seller.holder not in html
    assert client.get(f"/api/orders/{code}/payment_qr").status_code == 409
    assert client.get(f"/api/orders/{code}/payment_qr.svg").status_code == 409
