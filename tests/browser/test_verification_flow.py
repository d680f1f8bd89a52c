"""A commune officer verifies a producer on a 360-px phone: queue, dossier, request
changes, the producer resubmits on the real review page, the officer approves and
the producer goes public."""
from accounts.models import Role
from tests.conftest import TEST_PASSWORD
from tests import factories as w


def click_and_wait(page, selector):
    """Click something that submits or navigates, and wait for the next page (not the current one)."""
    with page.expect_navigation():
        page.click(selector)


def log_in(page, base, phone):
    page.goto(base + "/dang-nhap")
    page.fill("#phone", phone)
    page.fill("#password", TEST_PASSWORD)
    click_and_wait(page, "button.primary")


def log_out(page):
    click_and_wait(page, 'form[action="/dang-xuat"] button')


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_officer_verifies_a_producer_on_a_phone(app, live_server, phone, make_user):
    officer_id, officer_phone = make_user(role=Role.OFFICER, communes=(w.COMMUNE_A,), name="Cán bộ xã Gia Phú")
    owner_id, owner_phone = make_user(name="Lò Thị Mai")
    producer_id = w.make_dossier(app, owner_id, w.COMMUNE_A, w.PROVINCE_A, name="HTX Mật ong Gia Phú")
    w.add_published_product(app, producer_id, "Mật ong bạc hà Gia Phú")

    log_in(phone, live_server, officer_phone)
    assert phone.url.endswith("/can-bo")
    assert "HTX Mật ong Gia Phú" in phone.inner_text("main")
    assert fits_the_phone(phone)
    phone.shot("queue")

    click_and_wait(phone, "text=HTX Mật ong Gia Phú")
    assert phone.url.endswith(f"/can-bo/ho-so/{producer_id}")
    assert phone.inner_text(".vf-account") == "3100 2051 2345 6"
    photos = phone.locator(".vf-photo img").all()
    assert len(photos) == 2, "the registration and the certificate photo"
    for photo in photos:  # lazy images load once scrolled to
        photo.scroll_into_view_if_needed()
        phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    assert fits_the_phone(phone)
    phone.shot("dossier")

    phone.fill("#reason-request_changes", "Ảnh giấy đăng ký kinh doanh bị mờ, xin chụp lại rõ hơn.")
    click_and_wait(phone, 'form[action$="/yeu-cau-bo-sung"] button[type=submit]')
    assert w.producer_status(app, producer_id) == "changes_requested"
    assert "Ảnh giấy đăng ký kinh doanh bị mờ" in phone.inner_text("main")
    phone.shot("changes-requested")

    log_out(phone)
    log_in(phone, live_server, owner_phone)
    phone.goto(f"{live_server}/nha-san-xuat/ho-so/{producer_id}/buoc-5")
    assert "Ảnh giấy đăng ký kinh doanh bị mờ" in phone.inner_text("main"), "the producer sees the reason"
    phone.shot("producer-sees-reason")
    click_and_wait(phone, f'form[action="/nha-san-xuat/ho-so/{producer_id}/gui"] button[type=submit]')
    assert w.producer_status(app, producer_id) == "submitted"
    log_out(phone)

    log_in(phone, live_server, officer_phone)
    phone.goto(f"{live_server}/can-bo/ho-so/{producer_id}")
    click_and_wait(phone, 'form[action$="/duyet"] button[type=submit]')
    assert w.producer_status(app, producer_id) == "verified"
    assert w.payment_versions(app, producer_id) == [(1, "approved")]
    phone.shot("approved")

    phone.goto(live_server + "/")
    assert "Mật ong bạc hà Gia Phú" in phone.inner_text("main")
    phone.shot("public-home")
    assert w.public_producer_status(app.test_client(), producer_id) == 200
