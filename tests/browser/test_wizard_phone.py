"""The onboarding wizard in Chromium on a 360-px phone: with JavaScript, without it,
and across a dropped connection. Screenshots go to tests/artifacts/<test>/."""
import os
import re
from datetime import date, timedelta

import pytest
from PIL import Image
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import ARTIFACTS, PHONE_VIEWPORT

LAO_CAI, GIA_PHU = "15", "2923"
THAI_NGUYEN, BANG_THANH = "19", "1864"


@pytest.fixture
def jpeg(tmp_path):
    path = tmp_path / "giay-to.jpg"
    image = Image.new("RGB", (1600, 1200), (236, 228, 200))
    for x in range(200, 1400, 40):  # some structure, like lines of text on paper
        image.paste((40, 40, 40), (x, 300, x + 25, 320))
    image.save(path, "JPEG", quality=85)
    return str(path)


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]


def register(page, base_url, phone_number="0987 654 321"):
    page.goto(base_url + "/dang-ky")
    page.fill("#name", "Lò Thị Mai")
    page.fill("#phone", phone_number)
    page.fill("#password", "ong-mat-gia-phu")
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/nha-san-xuat/ho-so$"))


def fill_profile_text(page):
    page.check("input[name=kind][value=cooperative]")
    page.fill("#legal_name", "HTX Mật ong Gia Phú")
    page.fill("#tax_code", "0100233488")
    page.fill("#representative", "Lò Thị Mai")
    page.fill("#address", "Thôn Đông, số 12")


def test_walk_the_whole_wizard_with_javascript(phone, live_server, jpeg):
    register(phone, live_server)
    assert "Bước 2/5" in phone.content()
    fill_profile_text(phone)
    assert phone.is_hidden("[data-choose-province]"), "the script replaces the round trip"
    phone.select_option("#province", LAO_CAI)
    phone.wait_for_selector(f"#commune option[value='{GIA_PHU}']", state="attached")
    phone.select_option("#commune", GIA_PHU)
    assert fits_the_screen(phone)
    phone.shot("step2-profile")
    phone.click("button.primary")

    phone.wait_for_url(re.compile(r"/buoc-3$"))
    assert "Bước 3/5" in phone.content()
    phone.set_input_files("#registration_photo", jpeg)
    phone.click("form[action$='/dang-ky-kinh-doanh'] button")
    phone.wait_for_url(re.compile(r"/buoc-3#registration$"))
    assert phone.locator("ul.docs img").count() == 1
    phone.fill("#product_name", "Mật ong bạc hà")
    phone.select_option("#product_set", "4")
    phone.check("input[name=stars][value='4']")
    phone.fill("#decision_no", "3981/QĐ-UBND")
    phone.fill("#issuing_body", "UBND tỉnh Lào Cai")
    decision = date.today() - timedelta(days=200)
    phone.fill("#decision_date", decision.isoformat())
    assert "Còn hiệu lực đến" in phone.inner_text("[data-expiry-output]")
    phone.set_input_files("#certificate_photo", jpeg)
    phone.shot("step3-certificate-form")
    phone.click("form[action$='/chung-nhan'] button")
    phone.wait_for_url(re.compile(r"/buoc-3#certificates$"))
    assert "Mật ong bạc hà" in phone.content() and "★★★★" in phone.content()
    assert fits_the_screen(phone)
    phone.shot("step3-documents")
    phone.click("form[action$='/tiep-tuc'] button")

    phone.wait_for_url(re.compile(r"/buoc-4$"))
    assert "Bước 4/5" in phone.content()
    phone.select_option("#bank_bin", "970405")
    phone.fill("#account_number", "1903 6547 8901")
    phone.fill("#holder_name", "Lò Thị Mai")
    assert phone.inner_text("[data-holder-preview] strong") == "LO THI MAI"
    phone.shot("step4-bank")
    phone.click("button.primary")

    phone.wait_for_url(re.compile(r"/buoc-5$"))
    content = phone.content()
    assert "Bước 5/5" in content and "1903 6547 8901" in content and "LO THI MAI" in content
    assert "Xã Gia Phú, Lào Cai" in content
    assert fits_the_screen(phone)
    phone.shot("step5-review")
    phone.click("form[action$='/gui'] button")

    phone.wait_for_url(re.compile(r"/nha-san-xuat$"))
    assert "Đang chờ cán bộ xã duyệt" in phone.content()
    phone.shot("dashboard-submitted")


def test_province_then_commune_without_javascript(browser, live_server, request):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE_VIEWPORT, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, locale="vi-VN")
    page = context.new_page()
    folder = os.path.join(ARTIFACTS, re.sub(r"[^\w.-]+", "_", request.node.name))
    os.makedirs(folder, exist_ok=True)
    try:
        register(page, live_server)
        fill_profile_text(page)
        assert page.is_visible("[data-choose-province]")
        assert page.locator("#commune option").count() == 1  # only "choose the province first"
        page.select_option("#province", THAI_NGUYEN)
        page.screenshot(path=os.path.join(folder, "01-province-chosen.png"), full_page=True)
        page.click("[data-choose-province]")
        page.wait_for_selector(f"#commune option[value='{BANG_THANH}']", state="attached")
        assert page.input_value("#legal_name") == "HTX Mật ong Gia Phú"
        assert page.input_value("#representative") == "Lò Thị Mai"
        assert page.is_checked("input[name=kind][value=cooperative]")
        page.select_option("#commune", BANG_THANH)
        page.screenshot(path=os.path.join(folder, "02-commune-list.png"), full_page=True)
        page.click("button.primary")
        page.wait_for_url(re.compile(r"/buoc-3$"))
        assert "Bước 3/5" in page.content()
        page.goto(page.url.replace("/buoc-3", "/buoc-5"))  # not reached yet: sent back
        page.wait_for_url(re.compile(r"/buoc-3$"))
        page.goto(page.url.replace("/buoc-3", "/buoc-2"))
        assert page.locator("#commune option:checked").inner_text() == "Xã Bằng Thành"
        page.screenshot(path=os.path.join(folder, "03-saved.png"), full_page=True)
    finally:
        context.close()


def test_resume_after_a_lost_connection(phone, live_server):
    register(phone, live_server)
    fill_profile_text(phone)
    phone.select_option("#province", LAO_CAI)
    phone.wait_for_selector(f"#commune option[value='{GIA_PHU}']", state="attached")
    phone.select_option("#commune", GIA_PHU)
    phone.click("button.primary")
    phone.wait_for_url(re.compile(r"/buoc-3$"))
    step3 = phone.url
    phone.shot("saved-before-offline")

    phone.context.set_offline(True)
    with pytest.raises(PlaywrightError):
        phone.goto(live_server + "/nha-san-xuat")
    phone.context.set_offline(False)

    phone.goto(live_server + "/nha-san-xuat/ho-so")
    assert phone.url == step3, "the wizard resumes at the first step not yet saved"
    phone.shot("resumed")
    phone.goto(step3.replace("/buoc-3", "/buoc-2"))
    assert phone.input_value("#legal_name") == "HTX Mật ong Gia Phú"
    assert phone.input_value("#tax_code") == "0100233488"
    assert phone.locator("#commune option:checked").inner_text() == "Xã Gia Phú"
    phone.shot("saved-data")
