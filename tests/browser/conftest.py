"""Real browser tests: Debian's Chromium driven by Playwright against a live
server on 127.0.0.1. Screenshots go to tests/artifacts/<test>/ (git-ignored)."""
import os
import re
import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
ARTIFACTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "artifacts")
PHONE_VIEWPORT = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(pytestconfig):
    # tests/journeys/conftest.py re-exports these fixtures, which makes a second session fixture
    # (and maybe a second copy of this module): both share one Playwright through pytest's
    # config, because a second sync_playwright() in the same thread is refused.
    shared = getattr(pytestconfig, "shared_chromium", None)
    if shared is not None:
        yield shared
        return
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        pytestconfig.shared_chromium = instance
        try:
            yield instance
        finally:
            pytestconfig.shared_chromium = None
            instance.close()


@pytest.fixture
def live_server(app):
    """The test's app served on a free local port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def phone(browser, request):
    """A page in a 360-px-wide phone viewport, with a `shot(name)` helper."""
    context = browser.new_context(viewport=PHONE_VIEWPORT, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="vi-VN")
    page = context.new_page()
    folder = os.path.join(ARTIFACTS, re.sub(r"[^\w.-]+", "_", request.node.name))
    os.makedirs(folder, exist_ok=True)
    counter = {"n": 0}

    def shot(name):
        counter["n"] += 1
        page.screenshot(path=os.path.join(folder, f"{counter['n']:02d}-{name}.png"), full_page=True)

    page.shot = shot
    yield page
    context.close()
