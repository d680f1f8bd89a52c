"""The officer's dashboard on a 360-px phone and a 1280-px desktop: readable charts, no sideways
scrolling, within the 40 KB page budget."""
import os

from tests.browser.conftest import ARTIFACTS
from tests.factories import build_report_world


def login(page, live_server, phone_number):
    page.goto(live_server + "/dang-nhap")
    page.fill("#phone", phone_number)
    page.fill("#password", "rau-sach-2025")
    page.click("button.primary")


def test_dashboard_reads_on_a_phone_and_a_desktop(browser, phone, live_server, app, make_user):
    world = build_report_world(app, make_user)
    login(phone, live_server, world["officer_phone"])
    response = phone.goto(live_server + "/bao-cao/")
    assert response.status == 200
    assert len(response.body()) < 40 * 1024
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    charts = phone.locator("svg.chart")
    assert charts.count() >= 3
    box = charts.first.bounding_box()
    assert 280 <= box["width"] <= 360  # scaled to the column, labels about 12 px high
    phone.shot("dashboard-360")
    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = desktop.new_page()
    try:
        login(page, live_server, world["officer_phone"])
        page.goto(live_server + "/bao-cao/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        os.makedirs(os.path.join(ARTIFACTS, "dashboard"), exist_ok=True)
        page.screenshot(path=os.path.join(ARTIFACTS, "dashboard", "dashboard-1280.png"), full_page=True)
    finally:
        desktop.close()
