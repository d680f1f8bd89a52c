"""payments.messages mirrors payments.vietqr.ERROR_MESSAGES and the Vietnamese fragment."""
import inspect
import re
from pathlib import Path

from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import Babel

import payments.rules as rules
import payments.vietqr as vietqr
from payments.messages import VIETQR_ERROR_MESSAGES, vietqr_error_message

FRAGMENT = Path(__file__).resolve().parents[2] / "translations" / "fragments" / "payments-pure.po"


def test_every_code_raised_in_vietqr_has_a_message():
    # payments.rules raises invalid_order_code when it builds an order's memo.
    source = inspect.getsource(vietqr) + inspect.getsource(rules)
    raised = set(re.findall(r'VietQRError\("([a-z_]+)"', source))
    assert raised == set(vietqr.ERROR_MESSAGES)


def test_translatable_msgids_equal_the_english_messages():
    assert set(VIETQR_ERROR_MESSAGES) == set(vietqr.ERROR_MESSAGES)
    for code, english in vietqr.ERROR_MESSAGES.items():
        assert str(VIETQR_ERROR_MESSAGES[code]) == english  # untranslated outside a request


def test_message_is_formatted_with_params():
    app = Flask(__name__)
    Babel(app)
    error = vietqr.VietQRError("length_mismatch", {"field": "38.01.01"})
    with app.test_request_context():
        assert vietqr_error_message(error) == str(error) == "The length of field 38.01.01 does not match its content."


def test_vietnamese_fragment_translates_every_message_with_same_placeholders():
    with FRAGMENT.open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    for english in vietqr.ERROR_MESSAGES.values():
        message = catalog.get(english)
        assert message is not None and message.string, english
        assert sorted(re.findall(r"%\(\w+\)s", message.string)) == sorted(re.findall(r"%\(\w+\)s", english))
