"""On a 360-px phone a buyer searches without diacritics, with and without JavaScript."""
import pytest

from tests.factories import add_world, rebuild


@pytest.fixture
def app_config():
    return {"SEARCH_REBUILD_IN_BACKGROUND": False}


@pytest.fixture
def shop(app):
    ids = add_world(app)
    rebuild(app)
    return ids


def test_typing_without_diacritics_finds_the_highlighted_product(live_server, phone, shop):
    phone.goto(live_server + "/")
    phone.fill("#q", "mat ong bac ha")
    phone.shot("typed")
    phone.press("#q", "Enter")
    phone.wait_for_url("**/tim-kiem?q=mat+ong+bac+ha")
    first = phone.locator(".results .pcard").first
    assert first.locator(".pname").inner_text() == "Mật ong bạc hà Mèo Vạc"
    assert first.locator(".pname mark").inner_text() == "Mật ong bạc hà"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.shot("results")
    first.locator("a").first.click()
    phone.wait_for_url("**/san-pham/mat-ong-bac-ha-meo-vac-*")


def test_suggestions_appear_while_typing(live_server, phone, shop):
    phone.goto(live_server + "/")
    phone.locator("#q").press_sequentially("mat o", delay=60)
    options = phone.locator("#q-suggest li")
    options.first.wait_for(state="visible", timeout=10_000)
    assert options.first.inner_text() == "Mật ong bạc hà Mèo Vạc"
    assert options.count() <= 8
    assert phone.get_attribute("#q", "aria-expanded") == "true"
    phone.shot("suggestions")
    phone.press("#q", "ArrowDown")
    phone.press("#q", "Enter")
    phone.wait_for_url("**/san-pham/mat-ong-bac-ha-meo-vac-*")


def test_search_works_without_javascript(live_server, browser, shop):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False,
                                  locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        page.fill("#q", "ca chach")
        page.click("form.search button[type=submit]")
        page.wait_for_url("**/tim-kiem?q=ca+chach")
        assert page.locator(".results .pname").first.inner_text() == "Cá chạch sấy khô"
        page.goto(live_server + "/tim-kiem?q=ch%C3%A8")
        page.locator("details.facets summary").click()
        page.locator(".facet a", has_text="Thái Nguyên").click()
        assert "province=19" in page.url
        assert page.locator(".results .pname").all_inner_texts() == ["Chè xanh Tân Cương Thái Nguyên"]
    finally:
        context.close()
