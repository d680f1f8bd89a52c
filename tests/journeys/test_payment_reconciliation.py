"""Money arrives and the order knows it, through the real doors: Chromium for people, real HTTP
for SePay (docs/RECONCILIATION.md gives SePay's published payload and HMAC-SHA256 signature).

1. The producer connects SePay on its payment settings page and reads the webhook address.
2. A buyer orders on a 360-px phone; SePay posts the signed transaction to the live server;
   the buyer's order page says "Đã nhận tiền".
3. The producer uploads a statement laid out like Vietcombank's export; the second order is
   paid, and the buyer sees it too.
"""
import json
import os
import re
import time
import urllib.request

import pytest

from reconcile.notifications import sepay_hmac_signature
from tests.browser.conftest import ARTIFACTS, PHONE_VIEWPORT
from tests.conftest import TEST_PASSWORD
from tests.factories import make_seller
from tests.factories import sepay_payload
from tests.integration.statement_sheets import vietcombank_xlsx

pytestmark = pytest.mark.browser
SECRET = "journey-sepay-secret-7f3a9c1d"


@pytest.fixture
def app_config():
    return {"ORDER_MIN_FILL_SECONDS": 0}


def order_on_phone(phone, live_server, product_id) -> str:
    phone.goto(f"{live_server}/dat-hang/{product_id}")
    phone.fill("#quantity", "1")
    phone.fill("#buyer_name", "Trần Thị Bình")
    phone.fill("#buyer_phone", "0987 654 321")
    phone.fill("#delivery_address", "Số 12 ngõ 34 phố Huế, phường Hai Bà Trưng, Hà Nội")
    phone.click("button.primary >> text=Gửi đơn hàng")
    phone.wait_for_url(re.compile(r"/don-hang/CQ[A-Z2-9]{6}#don-hang$"))
    return phone.url.split("#")[0].rsplit("/", 1)[-1]


def post_signed(url, payload):
    body = json.dumps(payload).encode("utf-8")
    timestamp = str(int(time.time()))
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "X-SePay-Timestamp": timestamp,
        "X-SePay-Signature": sepay_hmac_signature(SECRET, timestamp, body)})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def shots_at_widths(page, folder, name):
    """The page at 240, 360 and 1280 px wide, for a person to look at."""
    for width in (240, 360, 1280):
        page.set_viewport_size({"width": width, "height": 740})
        page.screenshot(path=os.path.join(folder, f"producer-{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
    page.set_viewport_size(PHONE_VIEWPORT)


def test_sepay_and_a_statement_tell_the_buyer_the_money_arrived(phone, live_server, app, make_user, browser,
                                                                  tmp_path, request):
    seller = make_seller(app, make_user)
    folder = os.path.join(ARTIFACTS, re.sub(r"[^\w.-]+", "_", request.node.name))
    producer_context = browser.new_context(viewport=PHONE_VIEWPORT, device_scale_factor=2, is_mobile=True,
                                           has_touch=True, locale="vi-VN")
    producer = producer_context.new_page()
    try:
        producer.goto(f"{live_server}/dang-nhap?next=/nha-san-xuat/thanh-toan/ket-noi")
        producer.fill("#phone", seller.phone)
        producer.fill("#password", TEST_PASSWORD)
        producer.click("button.primary")
        producer.wait_for_url(re.compile(r"/nha-san-xuat/thanh-toan/ket-noi$"))
        sepay_box = producer.locator("#ket-noi-sepay")
        sepay_box.locator("input[name=secret]").fill(SECRET)
        sepay_box.locator("button.primary").click()
        producer.wait_for_selector("#ket-noi-sepay .webhook-url")
        shots_at_widths(producer, folder, "feeds")
        assert SECRET not in producer.content()
        webhook_path = "/" + producer.locator("#ket-noi-sepay .webhook-url").inner_text().split("/", 3)[3]
        assert webhook_path.startswith("/api/webhooks/sepay/")

        # The buyer orders; SePay reports the transfer as the bank rewrote its content.
        first = order_on_phone(phone, live_server, seller.product_id)
        memo = f"MBVCB.4525077405.029552.{first[:2]} {first[2:]}.CT tu 0351000646393 TRAN THI BINH"
        status, answer = post_signed(live_server + webhook_path, sepay_payload(92704, 120_000, memo))
        assert (status, answer["state"], answer["order"]) == (200, "matched", first)
        phone.reload()
        assert phone.locator("#da-nhan-tien h2").inner_text() == "Đã nhận tiền"
        assert phone.locator("#order-status").inner_text() == "Đã thanh toán"
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        phone.shot("buyer-sees-money-arrived")

        # A second order is paid by a transfer the producer finds on its Vietcombank statement.
        second = order_on_phone(phone, live_server, seller.product_id)
        statement = vietcombank_xlsx(tmp_path / "SaoKeTaiKhoan.xlsx", [
            ("03/12/2026", "5243.65937", "", "120,000", f"MBVCB.4525077411.{second.lower()} mat ong.CT tu 0351000646"),
            ("03/12/2026", "5243.65938", "", "50,000", "NGUYEN VAN A chuyen tien")])
        producer.goto(f"{live_server}/nha-san-xuat/thanh-toan/sao-ke")
        producer.set_input_files("#file", str(statement))
        producer.click("button.primary >> text=Đọc sao kê")
        producer.wait_for_selector("#statement-result")
        result = producer.locator("#statement-result").inner_text()
        assert second in result and "Đã trả đủ" in result
        shots_at_widths(producer, folder, "statement")
        producer.goto(f"{live_server}/nha-san-xuat/thanh-toan?tinh-trang=da-thanh-toan")
        listed = producer.locator(".order-list").inner_text()
        assert first in listed and second in listed
        shots_at_widths(producer, folder, "paid-orders")
        phone.reload()
        assert phone.locator("#da-nhan-tien h2").inner_text() == "Đã nhận tiền"
        phone.shot("buyer-sees-statement-payment")
        # The unmatched 50,000 waits for the producer.
        producer.goto(f"{live_server}/nha-san-xuat/thanh-toan/giao-dich")
        assert "NGUYEN VAN A chuyen tien" in producer.locator(".transfer-list").inner_text()
        shots_at_widths(producer, folder, "transfers")
    finally:
        producer_context.close()
