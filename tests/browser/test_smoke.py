def test_home_page_renders_on_a_phone(phone, live_server):
    phone.goto(live_server + "/")
    phone.shot("home")
    assert phone.locator("html").get_attribute("lang") == "vi"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the page must not scroll sideways on a 360-px phone"


def test_login_with_wrong_password_shows_vietnamese_message(phone, live_server, make_user):
    _user_id, number = make_user()
    phone.goto(live_server + "/dang-nhap")
    phone.fill("#phone", number)
    phone.fill("#password", "sai-mat-khau-roi")
    phone.click("button.primary")
    phone.shot("wrong-password")
    assert "Số điện thoại hoặc mật khẩu không đúng" in phone.content()
