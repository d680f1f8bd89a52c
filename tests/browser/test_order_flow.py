"""A buyer orders on a 360-px phone, pays by the VietQR code, the producer marks
the order paid and the buyer sees it."""
import os
import re

import pytest

from payments.vietqr import parse_payload
from tests.browser.conftest import ARTIFACTS, PHONE_VIEWPORT
from tests.conftest import TEST_PASSWORD
from tests.factories import make_seller
from tests.qr_readers import read_qr


@pytest.fixture
def app_config():
    return {"ORDER_MIN_FILL_SECONDS": 1}


def test_buyer_orders_pays_by_qr_and_sees_the_producer_confirm(phone, live_server, app, make_user, browser, request):
    seller = make_seller(app, make_user)

    # The buyer opens the product page; the catalogue includes payments/_order_box.html.
    phone.goto(f"{live_server}/san-pham/{seller.product_id}")
    phone.shot("product-page")
    phone.locator("#dat-hang").scroll_into_view_if_needed()
    phone.shot("order-form")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.fill("#quantity", "2")
    phone.fill("#buyer_name", "Trần Thị Bình")
    phone.fill("#buyer_phone", "0987 654 321")
    phone.fill("#delivery_address", "Số 12 ngõ 34 phố Huế, phường Hai Bà Trưng, Hà Nội")
    phone.shot("order-form-filled")
    phone.wait_for_timeout(1100)  # a person takes longer than the minimum fill time
    phone.click("button.primary >> text=Gửi đơn hàng")

    phone.wait_for_url(re.compile(r"/don-hang/CQ[A-Z2-9]{6}#don-hang$"))
    code = phone.url.split("#")[0].rsplit("/", 1)[-1]
    phone.shot("order-page-with-qr")
    assert phone.locator(".order-code").first.inner_text() == code
    assert phone.locator(".vietqr .qr svg").count() == 1
    assert phone.locator(".vietqr .qr svg").first.is_visible()
    assert "HTX MAT ONG U MINH" in phone.locator(".payee").first.inner_text()
    assert phone.locator("#order-status").inner_text() == "Chờ thanh toán"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # The code as the screen shows it decodes to the right payload (zxing-cpp and OpenCV).
    payload = parse_payload(read_qr(phone.locator(".vietqr .qr svg").screenshot()))
    assert payload.amount == 2 * seller.price == 240_000
    assert (payload.bin, payload.account) == (seller.bin, seller.account)
    assert payload.memo.startswith(code + " ")

    # The producer logs in on another phone and marks the order paid.
    producer_context = browser.new_context(viewport=PHONE_VIEWPORT, device_scale_factor=2, is_mobile=True,
                                           has_touch=True, locale="vi-VN")
    try:
        producer = producer_context.new_page()
        folder = os.path.join(ARTIFACTS, re.sub(r"[^\w.-]+", "_", request.node.name))
        producer.goto(f"{live_server}/dang-nhap?next=/nha-san-xuat/don-hang")
        producer.fill("#phone", seller.phone)
        producer.fill("#password", TEST_PASSWORD)
        producer.click("button.primary")
        producer.wait_for_url(re.compile(r"/nha-san-xuat/don-hang$"))
        producer.screenshot(path=os.path.join(folder, "producer-01-orders.png"), full_page=True)
        producer.click(f"text={code}")
        producer.wait_for_url(re.compile(rf"/nha-san-xuat/don-hang/{code}$"))
        producer.screenshot(path=os.path.join(folder, "producer-02-order.png"), full_page=True)
        producer.click("button >> text=Đánh dấu đã nhận tiền")
        producer.wait_for_selector("#order-status >> text=Đã thanh toán")
        producer.screenshot(path=os.path.join(folder, "producer-03-marked-paid.png"), full_page=True)
    finally:
        producer_context.close()

    # The buyer reloads and sees the payment confirmed; no code is offered any more.
    phone.reload()
    assert phone.locator("#order-status").inner_text() == "Đã thanh toán"
    assert phone.locator(".vietqr .qr svg").count() == 0
    phone.shot("buyer-sees-paid")
