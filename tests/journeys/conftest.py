"""Journeys cross two capabilities; the browser ones reuse the browser fixtures."""
from tests.browser.conftest import *  # noqa: F401,F403
