"""A buyer orders on the phone that holds the bank app, then pays: the code on the screen
decodes to the order, and "Lưu mã QR" saves a picture that a bank app's "scan from image"
reads (zxing-cpp and OpenCV stand in for the bank app). The typed-by-hand details and the
copy buttons carry the same account, amount and memo as the code."""
import os
import re

from pathlib import Path

import pytest
from playwright.sync_api import expect

from payments.rules import order_memo
from payments.vietqr import parse_payload
from tests.browser.conftest import ARTIFACTS
from tests.factories import make_seller
from tests.qr_readers import read_qr

pytestmark = pytest.mark.browser
PRODUCT = "Chè Shan tuyết Giàng Pằng cổ thụ"


@pytest.fixture
def app_config():
    return {"ORDER_MIN_FILL_SECONDS": 1}


def test_order_then_pay_from_the_screen_and_from_the_saved_picture(phone, live_server, app, make_user):
    seller = make_seller(app, make_user, product_name=PRODUCT)
    folder = os.path.join(ARTIFACTS, "journey-pay-from-the-same-phone")
    os.makedirs(folder, exist_ok=True)

    # Order through the product page's form, as a buyer does.
    phone.goto(f"{live_server}/san-pham/{seller.product_id}")
    phone.fill("#quantity", "2")
    phone.fill("#buyer_name", "Trần Thị Bình")
    phone.fill("#buyer_phone", "0987 654 321")
    phone.fill("#delivery_address", "Số 12 ngõ 34 phố Huế, Hà Nội")
    phone.wait_for_timeout(1100)  # a person takes longer than the minimum fill time
    phone.click("button.primary >> text=Gửi đơn hàng")
    phone.wait_for_url(re.compile(r"/don-hang/CQ[A-Z2-9]{6}#don-hang$"))
    code = phone.url.split("#")[0].rsplit("/", 1)[-1]
    amount, memo = 2 * seller.price, order_memo(code, PRODUCT).text
    assert memo == f"{code} Che Shan tuyet"

    # The code on the screen, as another phone's camera would see it.
    phone.locator("#thanh-toan").scroll_into_view_if_needed()
    phone.screenshot(path=os.path.join(folder, "01-order-page.png"), full_page=True)
    on_screen = phone.locator(".pay .qr svg").screenshot(path=os.path.join(folder, "02-code-on-screen.png"))
    payload = parse_payload(read_qr(on_screen))
    assert (payload.bin, payload.account, payload.amount, payload.memo) == (seller.bin, seller.account, amount, memo)

    # "Lưu mã QR": the picture lands in the phone's downloads under a readable name...
    with phone.expect_download() as saving:
        phone.click("text=Lưu mã QR")
    saved = saving.value
    assert saved.suggested_filename == f"choque-{code}-{amount}d.png"
    picture = Path(saved.path()).read_bytes()
    Path(folder, "03-saved-picture.png").write_bytes(picture)
    # ...and the bank app's "scan from image" reads the same payment from it.
    assert parse_payload(read_qr(picture)) == payload

    # Paying by hand: the text shown and the copy buttons (JavaScript runs here) match the code.
    assert phone.locator("#pay-account").inner_text() == payload.account
    assert phone.locator("#pay-memo").inner_text() == payload.memo
    assert phone.locator("#pay-amount").inner_text().replace("\xa0", " ") == "240.000 ₫"
    assert "Agribank" in phone.locator(".transfer").inner_text()
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    for value_id, expected in (("pay-account", payload.account), ("pay-amount", str(payload.amount)),
                               ("pay-memo", payload.memo)):
        button = phone.locator(f"#{value_id} + button.copy")
        assert button.is_visible()
        button.click()
        expect(button).to_have_text("Đã chép")
        assert phone.evaluate("navigator.clipboard.readText()") == expected
    phone.screenshot(path=os.path.join(folder, "04-details-copied.png"), full_page=True)
