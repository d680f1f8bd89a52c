from tests.browser.conftest import *  # noqa
