"""Journey (payments × verification): a commune helper points a producer's payment link
somewhere else; the buyer's order page does not show it; a second person, a commune
officer, checks it and approves it; only then does the buyer see it."""
import os
import re
from urllib.parse import quote

import pytest

from accounts.models import Role
from tests.browser.conftest import ARTIFACTS, PHONE_VIEWPORT
from tests.conftest import TEST_PASSWORD
from tests.factories import COMMUNE_A, decode_image, make_seller

pytestmark = pytest.mark.browser
NEW_LINK = "https://pay.example.net/htx-mat-ong"


@pytest.fixture
def app_config():
    return {"ORDER_MIN_FILL_SECONDS": 0}


def other_phone(browser, request, who):
    """A second person's phone: (page, shot(name))."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="vi-VN")
    page = context.new_page()
    folder = os.path.join(ARTIFACTS, re.sub(r"[^\w.-]+", "_", request.node.name))
    os.makedirs(folder, exist_ok=True)

    def shot(name):
        page.screenshot(path=os.path.join(folder, f"{who}-{name}.png"), full_page=True)

    return context, page, shot


def log_in(page, live_server, phone_number, next_path):
    page.goto(f"{live_server}/dang-nhap?next={quote(next_path, safe='/')}")
    page.fill("#phone", phone_number)
    page.fill("#password", TEST_PASSWORD)
    page.click("form button.primary")


def test_helper_changes_the_link_buyer_sees_it_only_after_an_officer_approves(
        phone, live_server, app, make_user, browser, request):
    seller = make_seller(app, make_user)
    _helper_id, helper_phone = make_user(role=Role.HELPER, communes=(COMMUNE_A,), name="Tổ CNS Gia Phú")
    _officer_id, officer_phone = make_user(role=Role.OFFICER, communes=(COMMUNE_A,), name="Cán bộ Gia Phú")

    # The buyer orders and keeps the order page open.
    phone.goto(f"{live_server}/dat-hang/{seller.product_id}")
    phone.fill("#quantity", "1")
    phone.fill("#buyer_name", "Trần Thị Bình")
    phone.fill("#buyer_phone", "0987 654 321")
    phone.fill("#delivery_address", "Số 12 ngõ 34 phố Huế, phường Hai Bà Trưng, Hà Nội")
    phone.click("button.primary >> text=Gửi đơn hàng")
    phone.wait_for_url(re.compile(r"/don-hang/CQ[A-Z2-9]{6}"))
    code = phone.url.split("#")[0].rsplit("/", 1)[-1]

    # The helper changes the link on the producer's behalf, confirming with the helper's own password.
    context, helper, helper_shot = other_phone(browser, request, "helper")
    try:
        log_in(helper, live_server, helper_phone, f"/nha-san-xuat/lien-ket-thanh-toan?producer={seller.producer_id}")
        helper.wait_for_selector("#url")
        helper.fill("#url", NEW_LINK)
        helper.fill("#current_password", TEST_PASSWORD)
        helper.click("form button.primary")
        helper.wait_for_selector(".pd-pending")
        helper_shot("link-waiting")
        assert helper.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()

    # The buyer's page shows no payment link: nothing unchecked reaches a buyer.
    phone.reload()
    phone.shot("order-without-link")
    assert phone.locator("#lien-ket-title").count() == 0
    assert "pay.example.net" not in phone.content()

    # The commune officer (not the editor) reads the link, is told whom to call, and approves it.
    context, officer, officer_shot = other_phone(browser, request, "officer")
    try:
        log_in(officer, live_server, officer_phone, f"/can-bo/ho-so/{seller.producer_id}")
        officer.wait_for_selector("#payment-link")
        officer.locator("#payment-link").scroll_into_view_if_needed()
        officer_shot("dossier-link-to-approve")
        section = officer.locator("#payment-link").inner_text()
        assert NEW_LINK in section and "0912 000 111" in section
        officer.click("#payment-link button.primary")
        officer.wait_for_selector(".flash-success")
        officer_shot("approved")
    finally:
        context.close()

    # Now the buyer sees the link, as a second code carrying the order code.
    phone.reload()
    link_box = phone.locator("section[aria-labelledby=lien-ket-title]")
    link_box.scroll_into_view_if_needed()
    phone.shot("order-with-link")
    expected = f"{NEW_LINK}?client_reference_id={code}"
    assert link_box.locator("a").get_attribute("href") == expected
    assert decode_image(link_box.locator(".qr").screenshot()) == [expected]
