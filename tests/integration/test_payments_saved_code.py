"""The order page for a buyer whose bank app is on the same phone: "Save the QR code"
gives a PNG for the gallery with the transfer details under the code, and the full
account number, amount and memo are there as text to type or copy by hand."""
import re

import pytest

from payments.constants import OrderStatus
from payments.vietqr import parse_payload
from tests.conftest import TEST_PASSWORD, csrf_token_from
from tests.factories import make_seller, place_order
from tests.qr_readers import read_qr


@pytest.fixture
def app_config():
    return {"ORDER_MIN_FILL_SECONDS": 0}


@pytest.fixture
def seller(app, make_user):
    return make_seller(app, make_user, product_name="Chè Shan tuyết Giàng Pằng cổ thụ")


def test_order_page_offers_the_saved_code_and_the_details_as_text_without_javascript(client, seller):
    code = place_order(client, seller.product_id)
    html = client.get(f"/don-hang/{code}").get_data(as_text=True)
    save = re.search(r'<a class="button primary save-code" href="([^"]+)" download="([^"]+)">Lưu mã QR</a>', html)
    assert save and save.group(1) == f"/don-hang/{code}/ma-qr.png?download=1"
    assert save.group(2) == f"choque-{code}-240000d.png"
    # Selectable text: full account number, amount, memo cut between words; the bank by both names.
    assert f'<span class="copy-value" id="pay-account">{seller.account}</span>' in html
    assert '<span class="copy-value" id="pay-amount">240.000\xa0₫</span>' in html
    assert f'<code class="copy-value" id="pay-memo">{code} Che Shan tuyet</code>' in html
    assert "Agribank" in html and "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam" in html
    # Copy buttons wait hidden for static/js/copy.js; the amount copies as digits.
    buttons = re.findall(r'<button type="button" class="copy" data-copy="([^"]*)"[^>]*hidden>Chép</button>', html)
    assert buttons == [seller.account, "240000", f"{code} Che Shan tuyet"]
    assert "/static/js/copy.js" in html


def test_saved_code_is_a_named_png_that_two_decoders_read(client, seller):
    code = place_order(client, seller.product_id)
    response = client.get(f"/don-hang/{code}/ma-qr.png?download=1")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Content-Disposition"] == f'attachment; filename="choque-{code}-240000d.png"'
    assert response.headers["Cache-Control"] == "no-store"
    payload = parse_payload(read_qr(response.data))
    assert (payload.bin, payload.account, payload.amount) == (seller.bin, seller.account, 240_000)
    assert payload.memo == f"{code} Che Shan tuyet"
    inline = client.get(f"/don-hang/{code}/ma-qr.png")  # "open the picture" on an iPhone
    assert inline.headers["Content-Disposition"].startswith("inline;") and inline.data == response.data


def test_saved_code_follows_the_order_page_rules(app, client, seller):
    code = place_order(client, seller.product_id)
    stranger = app.test_client()
    assert stranger.get(f"/don-hang/{code}/ma-qr.png").status_code == 404
    assert stranger.get(f"/don-hang/{code}/ma-qr.png?phone=0987654321").status_code == 200  # code + phone
    assert client.get("/don-hang/CQAAAAAA/ma-qr.png").status_code == 404

    producer = app.test_client()
    producer.post("/dang-nhap", data={"phone": seller.phone, "password": TEST_PASSWORD,
                                      "csrf_token": csrf_token_from(producer.get("/dang-nhap").get_data(True))})
    page = producer.get(f"/nha-san-xuat/don-hang/{code}").get_data(as_text=True)
    producer.post(f"/nha-san-xuat/don-hang/{code}/trang-thai",
                  data={"status": OrderStatus.PAID, "csrf_token": csrf_token_from(page)})
    paid = client.get(f"/don-hang/{code}/ma-qr.png")
    assert paid.status_code == 409 and b"000201" not in paid.data
