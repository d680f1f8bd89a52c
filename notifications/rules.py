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


# --- delivery ---------------------------------------------------------------------------------

FIRST_RETRY_SECONDS = 60
LONGEST_WAIT_SECONDS = 6 * 3600


def backoff_seconds(attempts: int) -> int:
    """Wait after the `attempts`-th failure: 1, 2, 4, 8 … minutes, at most 6 hours."""
    return min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_WAIT_SECONDS)


def choose_route(preference, *, email=None, phone=None, zalo=None, configured=frozenset()):
    """(channel, address) for a producer: the channel it picked when it has that address;
    otherwise Zalo where a Zalo number is known and Zalo ZNS is configured, then e-mail, then
    SMS (configured channels first). None when no address is known at all."""
    addresses = {"email": email, "sms": phone, "zalo": zalo}
    if preference in addresses and addresses[preference]:
        return preference, addresses[preference]
    for must_be_configured in (True, False):
        for channel in ("zalo", "email", "sms"):
            if addresses[channel] and (channel in configured or not must_be_configured):
                return channel, addresses[channel]
    return None


def international_digits(e164: str) -> str:
    """'+84912345678' -> '84912345678' (Zalo ZNS and SMS gateways take the number so)."""
    return (e164 or "").lstrip("+")


def reminder_threshold(days_left: int, thresholds=(90, 30, 0)):
    """The reminder due for a certificate `days_left` days before its re-evaluation date: the
    smallest threshold not yet passed (90 → 30 → 0; 0 also once expired); None when further
    away than the largest one. One message per threshold, even if the daily run missed days."""
    due = [threshold for threshold in thresholds if days_left <= threshold]
    return min(due) if due else None


ELLIPSIS = "..."


def shorten_to_fit(render, params: dict, name_keys, link: str = "", room=None) -> str:
    """`render(params)` with the values of `name_keys` (long names) cut, longest first, until
    the text with its link fits one SMS (`room` characters when given)."""
    params = dict(params)

    def fits(text):
        if room is not None:
            return len(text) <= room
        return fits_one_sms(text, link)

    text = render(params)
    while not fits(text):
        key = max(name_keys, key=lambda name: len(str(params[name])), default=None)
        value = str(params[key]) if key else ""
        if len(value) <= 8:
            break
        params[key] = value[:max(len(value) - max(len(value) // 5, 4), 5)].rstrip() + ELLIPSIS
        text = render(params)
    return text
