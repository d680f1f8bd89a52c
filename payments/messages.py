"""Translatable messages for VietQRError codes (the Flask side of payments.vietqr).

The msgids equal payments.vietqr.ERROR_MESSAGES (a unit test keeps them in step);
they are written out here as literals so Babel extraction finds them.
"""
from flask_babel import lazy_gettext as _l

from payments.vietqr import VietQRError

VIETQR_ERROR_MESSAGES = {
    "invalid_bin": _l("The bank code (BIN) must be 6 digits."),
    "invalid_account": _l("The account or card number must be 1 to 19 letters or digits."),
    "invalid_service": _l("Unknown VietQR service code %(service)s."),
    "invalid_amount": _l("The amount must be a whole number of dong greater than zero."),
    "amount_too_large": _l("The amount must be less than 500,000,000 dong."),
    "invalid_bill_number": _l("The bill number must be 1 to 25 printable ASCII characters."),
    "invalid_order_code": _l("The order code must be 1 to 25 letters or digits."),
    "empty": _l("The QR code is empty."),
    "too_long": _l("The QR code content is longer than 512 characters."),
    "format_indicator": _l("This is not a VietQR code: it must start with 000201."),
    "length_mismatch": _l("The length of field %(field)s does not match its content."),
    "length_in_bytes": _l("Field %(field)s counts its length in bytes instead of characters."),
    "duplicate_field": _l("Field %(field)s appears more than once."),
    "missing_field": _l("Required field %(field)s is missing."),
    "crc_missing_or_invalid": _l("The checksum (field 63) must be 4 hexadecimal digits."),
    "crc_not_last": _l("The checksum (field 63) must be the last field."),
    "trailing_data": _l("There is unexpected data after the checksum."),
    "crc_mismatch": _l("Checksum mismatch: the code says %(found)s but its content gives %(expected)s."),
    "missing_guid": _l("This is not a VietQR code: the NAPAS identifier A000000727 is missing."),
    "bad_nesting": _l("Field %(field)s is not allowed inside field %(parent)s."),
    "invalid_point_of_initiation": _l("Field 01 must be 11 (static) or 12 (dynamic)."),
    "unsupported_currency": _l("Only Vietnamese dong (currency 704) is supported."),
}


def vietqr_error_message(error: VietQRError) -> str:
    """The error in the current request's language (call inside an app/request context)."""
    return str(VIETQR_ERROR_MESSAGES[error.code]) % error.params
