"""Journey tests reuse the browser fixtures (Chromium via Playwright, live server, phone page)."""
from tests.browser.conftest import *  # noqa: F401,F403
