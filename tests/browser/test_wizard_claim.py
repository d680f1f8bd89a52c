"""A commune helper starts a farmer's profile on a phone, prints the claim code, and the
farmer claims the profile with it."""
import re

from accounts.models import Role
from tests.browser.test_wizard_phone import GIA_PHU, fill_profile_text, fits_the_screen, register


def log_in(page, base_url, phone_number, password):
    page.goto(base_url + "/dang-nhap")
    page.fill("#phone", phone_number)
    page.fill("#password", password)
    page.click("button.primary")


def test_helper_hands_over_a_claim_code(phone, live_server, make_user):
    from tests.conftest import TEST_PASSWORD

    _helper_id, helper_phone = make_user(role=Role.HELPER, communes=(GIA_PHU,), name="Cán bộ hỗ trợ")
    log_in(phone, live_server, helper_phone, TEST_PASSWORD)
    phone.goto(live_server + "/nha-san-xuat/ho-tro")
    phone.click("a.button.primary")
    phone.wait_for_url(re.compile(r"/nha-san-xuat/tao-ho$"))
    fill_profile_text(phone)
    # A helper's list holds only their own communes, so no round trip is needed.
    phone.select_option("#commune", str(GIA_PHU))
    phone.fill("#phone", "0977 111 222")
    phone.shot("helper-step2")
    phone.click("button.primary")
    phone.wait_for_url(re.compile(r"/buoc-3$"))
    producer_path = re.search(r"/nha-san-xuat/ho-so/\d+", phone.url).group(0)

    phone.goto(live_server + producer_path + "/ma-nhan")
    phone.click("button.primary")
    code = phone.inner_text(".claim-code")
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)
    assert fits_the_screen(phone)
    phone.shot("claim-code-paper")
    phone.click("button.link")  # log out

    register(phone, live_server, phone_number="0977 111 222")  # the number the code is bound to
    phone.goto(live_server + "/nha-san-xuat/nhan-ho-so")
    phone.fill("#code", code.lower())
    phone.shot("farmer-enters-code")
    phone.click("button.primary")
    phone.wait_for_url(re.compile(producer_path + r"/buoc-3$"))
    assert "giờ đã thuộc về bạn" in phone.content()
    phone.goto(live_server + "/nha-san-xuat")
    assert "HTX Mật ong Gia Phú" in phone.content()
    phone.shot("farmer-dashboard")
