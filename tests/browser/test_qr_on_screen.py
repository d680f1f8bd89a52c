"""Every QR code the site shows decodes from the pixels Chromium paints, at phone and
desktop widths and at device scales 1 and 2: the order's VietQR, the payment link's
code, the producer's static code and the printed A6 sign.

The pictures are screenshots of the page (element screenshots), read by zxing-cpp and
OpenCV, never the image files of the API. Each code must also scale to its box
(at least 2 CSS px per module, nothing cut off) and keep a 4-module quiet zone.
One context per width and scale; each page is loaded once in it.
"""
import os

import pytest

from payments.rules import order_memo, with_client_reference
from payments.vietqr import parse_payload
from tests.browser.conftest import ARTIFACTS
from tests.factories import make_seller, place_order, set_payment_link_directly
from tests.qr_readers import dark_margins, read_qr

WIDTHS = (240, 360, 412, 1280)
SCALES = (1, 2)
STRIPE_LINK = "https://buy.stripe.com/test_6oE4hS8nG0aa3Kg288"

# Size of each code on screen, in CSS px, from the layout itself.
GEOMETRY_JS = """element => {
  const svg = element.tagName.toLowerCase() === 'svg' ? element : element.querySelector('svg');
  const box = svg.getBoundingClientRect();
  const clip = svg.parentElement.getBoundingClientRect();
  return {modules: svg.viewBox.baseVal.width, width: box.width, height: box.height,
          left: box.left, right: box.right, clipLeft: clip.left, clipRight: clip.right,
          viewport: window.innerWidth, zoom: window.visualViewport.scale};
}"""


@pytest.fixture
def app_config():
    return {"ORDER_MIN_FILL_SECONDS": 0}


def check_box(geometry):
    """Scaled to its box: square, whole, at least 2 px per module as shown (a phone zooms a page
    without a viewport tag, such as the sign, out to fit), inside the window."""
    assert abs(geometry["width"] - geometry["height"]) < 0.5, geometry
    assert geometry["width"] * geometry["zoom"] / geometry["modules"] >= 2, geometry
    assert 0 <= geometry["left"] and geometry["right"] <= geometry["viewport"], geometry
    assert geometry["clipLeft"] - 0.5 <= geometry["left"] and geometry["right"] <= geometry["clipRight"] + 0.5, \
        geometry


def check_quiet_zone(png, geometry, scale):
    """At least 4 light modules between the code and each edge of its picture (1 device px for rounding)."""
    module_px = geometry["width"] / geometry["modules"] * scale
    assert min(dark_margins(png)) >= 4 * module_px - 1, (dark_margins(png), module_px)


def screen_code(page, selector, folder, name, scale):
    """Screenshot one code as the screen shows it, check its box and quiet zone, return its text."""
    element = page.locator(selector)
    geometry = element.evaluate(GEOMETRY_JS)
    check_box(geometry)
    png = element.screenshot(path=os.path.join(folder, f"{name}.png"))
    check_quiet_zone(png, geometry, scale)
    return read_qr(png)


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_code_decodes_from_the_screen(browser, live_server, app, client, make_user, width, scale):
    seller = make_seller(app, make_user, product_name="Chè Shan tuyết Giàng Pằng cổ thụ")
    set_payment_link_directly(app, seller.producer_id, STRIPE_LINK)
    code = place_order(client, seller.product_id)  # the buyer's session carries access to the order
    folder = os.path.join(ARTIFACTS, "qr-on-screen", f"{width}px-x{scale}")
    os.makedirs(folder, exist_ok=True)

    context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=scale,
                                  is_mobile=width < 800, has_touch=width < 800, locale="vi-VN")
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server}])
    page = context.new_page()
    try:
        # The order page: the order's dynamic code and the payment link's code.
        page.goto(f"{live_server}/don-hang/{code}")
        page.screenshot(path=os.path.join(folder, "order-page.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        payload = parse_payload(screen_code(page, ".pay .qr svg", folder, "order-vietqr", scale))
        assert (payload.bin, payload.account) == (seller.bin, seller.account)
        assert payload.amount == 2 * seller.price and payload.is_dynamic
        assert payload.memo == order_memo(code, "Chè Shan tuyết Giàng Pằng cổ thụ").text == f"{code} Che Shan tuyet"
        assert screen_code(page, ".qr-link svg", folder, "order-payment-link", scale) == \
            with_client_reference(STRIPE_LINK, code)

        # The producer's public page: the static code, without an amount.
        page.goto(f"{live_server}/co-so/htx-{seller.producer_id}")
        page.screenshot(path=os.path.join(folder, "producer-page.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        static = parse_payload(screen_code(page, ".vietqr .qr svg", folder, "producer-vietqr", scale))
        assert (static.bin, static.account, static.amount) == (seller.bin, seller.account, None)

        # The printed A6 sign, opened in the browser before printing: the whole sign fits the window.
        page.goto(f"{live_server}/ma-qr/nha-san-xuat/{seller.producer_id}/bien-a6.svg")
        assert parse_payload(screen_code(page, "svg svg", folder, "sign-vietqr", scale)) == static
        on_screen = page.screenshot(path=os.path.join(folder, "sign.png"))  # what the window shows
        assert parse_payload(read_qr(on_screen)) == static
        paper = page.locator("svg > rect").first.bounding_box()
        window = page.evaluate("({width: innerWidth, height: innerHeight})")
        assert paper["x"] >= 0 and paper["x"] + paper["width"] <= window["width"] + 0.5, (paper, window)
        assert paper["y"] >= 0 and paper["y"] + paper["height"] <= window["height"] + 0.5, (paper, window)
    finally:
        context.close()
