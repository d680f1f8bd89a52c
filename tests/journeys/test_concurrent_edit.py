"""Issue 9, finding 3, in two real browsers: a producer (phone, 360 px) and the commune officer
(a second Playwright context) open the same product. The officer saves a new description; the
producer, still on the old page, saves a new price. The producer gets the conflict page, sees
the officer's description beside their own, keeps their price in the form, takes the officer's
description and saves again: both changes are kept, nothing was lost on the way."""
import os

import pytest

from accounts.models import Role
from catalog.models import Product
from extensions import db
from tests.browser.conftest import ARTIFACTS, PHONE_VIEWPORT
from tests.conftest import TEST_PASSWORD
from tests import factories as w

pytestmark = pytest.mark.browser
OLD_DESCRIPTION = "Mật ong nguyên chất."
NEW_DESCRIPTION = "Mật ong hoa bạc hà, thu hoạch tháng 10."


def log_in(page, base, phone_number):
    page.goto(base + "/dang-nhap")
    page.fill("#phone", phone_number)
    page.fill("#password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("button.primary")


def save(page):
    with page.expect_navigation():
        page.click("form.product-form button[type=submit]")


def test_producer_and_officer_edit_one_product(app, browser, live_server, phone, make_user):
    owner_id, owner_phone = make_user(name="Lò Thị Mai")
    _officer_id, officer_phone = make_user(role=Role.OFFICER, communes=(w.COMMUNE_A,), name="Cán bộ xã")
    producer_id = w.make_dossier(app, owner_id, w.COMMUNE_A, w.PROVINCE_A, name="HTX Mật ong Gia Phú",
                                  status="draft", with_images=False)
    with app.app_context():
        product = Product(producer_id=producer_id, ref="SP0001", name="Mật ong bạc hà", product_set_code=4,
                          description=OLD_DESCRIPTION, price_vnd=250000, unit="chai 500ml", weight_g=700)
        db.session.add(product)
        db.session.commit()
        product_path = f"/nha-san-xuat/{producer_id}/san-pham/{product.id}"
    officer_context = browser.new_context(viewport=PHONE_VIEWPORT, locale="vi-VN")
    officer = officer_context.new_page()
    try:
        log_in(phone, live_server, owner_phone)
        phone.goto(live_server + product_path)
        log_in(officer, live_server, officer_phone)
        officer.goto(live_server + product_path)

        officer.fill("#description", NEW_DESCRIPTION)
        save(officer)
        assert "Đã lưu thay đổi" in officer.inner_text("main")

        phone.fill("#price", "270.000")
        response_status = {}
        phone.on("response", lambda r: response_status.setdefault(r.url, r.status) if r.request.method == "POST"
                 else None)
        save(phone)
        assert response_status[live_server + product_path] == 409
        box = phone.inner_text("#conflict")
        assert "Có người khác đã sửa mục này" in box and "Đang được lưu" in box and "Bạn đã nhập" in box
        assert NEW_DESCRIPTION in box and OLD_DESCRIPTION in box and "270.000" in box
        assert phone.input_value("#price") == "270.000", "the producer's entry is kept"
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        for width in (360, 240, 1280):
            phone.set_viewport_size({"width": width, "height": 740})
            phone.shot(f"conflict-{width}")
        phone.set_viewport_size(PHONE_VIEWPORT)
        with app.app_context():
            saved = db.session.get(Product, product.id)
            assert (saved.price_vnd, saved.description) == (250000, NEW_DESCRIPTION), "nothing overwritten"

        phone.fill("#description", NEW_DESCRIPTION)
        save(phone)
        assert "Đã lưu thay đổi" in phone.inner_text("main")
        phone.shot("both-saved")
        with app.app_context():
            saved = db.session.get(Product, product.id)
            assert (saved.price_vnd, saved.description) == (270000, NEW_DESCRIPTION)
        officer.screenshot(path=os.path.join(ARTIFACTS, "test_producer_and_officer_edit_one_product", "00-officer-saved-first.png"), full_page=True)
    finally:
        officer_context.close()
