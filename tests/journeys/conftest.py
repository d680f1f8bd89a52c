"""Journeys across two capabilities reuse the browser fixtures (browser, live_server, phone)."""
from tests.browser.conftest import *  # noqa: F401,F403
