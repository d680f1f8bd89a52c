"""Journeys across capabilities (import then search, edit then crash then search).
Browser journeys reuse the browser fixtures."""
from tests.browser.conftest import *  # noqa: F401,F403
