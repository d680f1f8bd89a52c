"""Journeys across two capabilities, in a real browser: the browser fixtures are shared."""
import pytest

from tests.browser.conftest import *  # noqa: F401,F403


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/journeys" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
