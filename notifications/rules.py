"""Notification rules without Flask or the database: who is "the contact on record",
and whether a message fits one SMS."""
from vntext import fold

# GSM 03.38 basic character set: one SMS holds 160 of these. Any other character
# switches the whole message to UCS-2, 70 characters per SMS.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = frozenset("^{}\\[~]|€")  # two septets each
GSM7_SINGLE_SMS = 160
UCS2_SINGLE_SMS = 70


def sms_length(text: str) -> tuple[int, int]:
    """(units used, units one SMS holds) for `text` as a phone would encode it."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        return sum(2 if ch in GSM7_EXTENSION else 1 for ch in text), GSM7_SINGLE_SMS
    return len(text.encode("utf-16-le")) // 2, UCS2_SINGLE_SMS


def sms_body(text: str, link: str = "") -> str:
    """What the SMS carries: Vietnamese without diacritics (one 160-character GSM segment
    instead of 70 UCS-2 characters; the usual practice for Vietnamese SMS), then the link."""
    body = fold(text)
    return f"{body} {link}".strip() if link else body


def fits_one_sms(text: str, link: str = "") -> bool:
    used, room = sms_length(sms_body(text, link))
    return used <= room


def previous_contacts(phone, zalo, owner_phone):
    """[(channel, number)] to warn when payment details change: the producer's phone and
    Zalo on record (the owner's login phone when neither is given), each number once."""
    contacts = []
    for channel, number in (("sms", phone), ("zalo", zalo)):
        if number and number not in [known for _channel, known in contacts]:
            contacts.append((channel, number))
    if not contacts and owner_phone:
        contacts.append(("sms", owner_phone))
    return contacts


def last_digits(number: str, count: int = 4) -> str:
    return (number or "")[-count:]
