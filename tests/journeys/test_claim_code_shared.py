"""A claim code shared and used (issue 13): a commune helper starts a farmer's profile on a
phone, sends the code by the short link (SMS/Zalo), and the farmer opens that link on their
own phone, registers with the number the code is bound to, claims and sees their business.
sms: URIs follow RFC 5724 (`sms:<number>?body=<percent-encoded text>`)."""
import os
import re
from urllib.parse import unquote

import pytest

from accounts.models import Role
from tests.browser.conftest import ARTIFACTS, PHONE_VIEWPORT
from tests.browser.test_wizard_claim import log_in
from tests.browser.test_wizard_phone import GIA_PHU, fill_profile_text, fits_the_screen

pytestmark = pytest.mark.browser


def test_a_claim_code_shared_and_used(phone, browser, live_server, app, make_user):
    from tests.conftest import TEST_PASSWORD

    app.config["PUBLIC_BASE_URL"] = live_server  # the short link points at this server
    _helper_id, helper_phone = make_user(role=Role.HELPER, communes=(GIA_PHU,), name="Cán bộ hỗ trợ")
    log_in(phone, live_server, helper_phone, TEST_PASSWORD)
    phone.goto(live_server + "/nha-san-xuat/tao-ho")
    fill_profile_text(phone)
    phone.select_option("#commune", str(GIA_PHU))
    phone.fill("#phone", "0977 111 222")
    phone.click("button.primary")
    phone.wait_for_url(re.compile(r"/buoc-3$"))
    producer_path = re.search(r"/nha-san-xuat/ho-so/\d+", phone.url).group(0)

    phone.goto(live_server + producer_path + "/ma-nhan")
    assert phone.input_value("#farmer_phone") == "0977 111 222"  # the number typed in the profile
    phone.click("button.primary")
    code = phone.inner_text(".claim-code")
    short_link = phone.inner_text("#share-link")
    assert short_link == live_server + "/n/" + code.replace("-", "")
    sms = phone.get_attribute("#share-sms", "href")
    assert sms.startswith("sms:+84977111222?body=") and unquote(sms).endswith(" " + short_link)
    assert phone.get_attribute("#share-zalo", "href") == "https://zalo.me/0977111222"
    assert phone.is_visible("button.copy[aria-label='Chép liên kết ngắn']")  # copy.js ran
    assert fits_the_screen(phone)
    phone.shot("helper-share-code")
    for width in (240, 1280):
        phone.set_viewport_size({"width": width, "height": 740})
        phone.shot(f"helper-share-code-{width}")
    phone.set_viewport_size(PHONE_VIEWPORT)

    farmer_context = browser.new_context(viewport=PHONE_VIEWPORT, device_scale_factor=2, is_mobile=True,
                                         has_touch=True, locale="vi-VN")
    try:
        farmer = farmer_context.new_page()
        farmer.goto(short_link)  # as tapped in the SMS or the Zalo chat
        farmer.wait_for_url(re.compile(r"/dang-nhap\?"))
        farmer.click("a[href^='/dang-ky?next=']")
        farmer.fill("#name", "Lò Thị Mai")
        farmer.fill("#phone", "0977111222")
        farmer.fill("#password", "ong-mat-gia-phu")
        farmer.click("button.primary")
        farmer.wait_for_url(re.compile(r"/nha-san-xuat/nhan-ho-so\?ma="))
        assert farmer.input_value("#code") == code.replace("-", "")
        folder = os.path.join(ARTIFACTS, "test_a_claim_code_shared_and_used")
        farmer.screenshot(path=os.path.join(folder, "10-farmer-code-filled-in.png"), full_page=True)
        farmer.click("button.primary")
        farmer.wait_for_url(re.compile(producer_path + r"/buoc-3$"))
        assert "giờ đã thuộc về bạn" in farmer.content()
        farmer.goto(live_server + "/nha-san-xuat")
        assert "HTX Mật ong Gia Phú" in farmer.content()
        farmer.screenshot(path=os.path.join(folder, "11-farmer-business.png"), full_page=True)
    finally:
        farmer_context.close()
