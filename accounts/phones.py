"""Vietnamese phone numbers, parsed by `phonenumbers` (no hand-made regex)."""
import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType


def normalise_mobile(text: str):
    """'0912 345 678', '+84912345678', '84912345678' -> '+84912345678'; None if not a VN mobile."""
    if not text:
        return None
    cleaned = text.strip()
    if cleaned.startswith("84") and not cleaned.startswith("+"):
        cleaned = "+" + cleaned
    try:
        number = phonenumbers.parse(cleaned, "VN")
    except NumberParseException:
        return None
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def normalise_phone(text: str):
    """Any valid Vietnamese number (mobile or landline), E.164; None otherwise."""
    if not text:
        return None
    try:
        number = phonenumbers.parse(text.strip(), "VN")
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """'+84912345678' -> '0912 345 678' for Vietnamese readers."""
    if not e164:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, "VN"), PhoneNumberFormat.NATIONAL)
    except NumberParseException:
        return e164
