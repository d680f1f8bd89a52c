"""Ways a helper sends a claim code to the farmer's phone without a printer (pure, no Flask):
an `sms:` link with the text filled in, a Zalo chat with the farmer, and the short link.

- `sms:` URI: RFC 5724 (`sms:<number>?body=<percent-encoded text>`), as Android and iOS
  messaging apps read it.
- Zalo: `https://zalo.me/<number>` opens a chat with the owner of that number; Zalo takes no
  message text in the URL, so the text is copied and pasted.
The SMS carries the Vietnamese text folded to ASCII (`notifications.rules.sms_body`) so it fits
one 160-character GSM-7 message; Zalo carries the text with its diacritics.
"""
from dataclasses import dataclass
from urllib.parse import quote

from notifications.rules import fits_one_sms, sms_body


@dataclass(frozen=True)
class ClaimShare:
    code: str  # as displayed, 'ACDEF-GHJKM'
    short_link: str
    sms_text: str
    sms_href: str
    zalo_text: str
    zalo_href: str
    fits_one_sms: bool


def national_digits(e164):
    """'+84912345678' -> '0912345678': the form Vietnamese users type and zalo.me links use."""
    return "0" + e164[3:] if e164 and e164.startswith("+84") else (e164 or "")


def sms_href(e164, text):
    return f"sms:{e164}?body={quote(text, safe='')}"


def zalo_href(e164):
    return "https://zalo.me/" + national_digits(e164)


def share_links(e164, code, short_link, texts):
    """Everything the share block shows; `texts` is {'vi': ..., 'en': ...} (the farmer gets Vietnamese)."""
    sms_text = sms_body(texts["vi"], short_link)
    return ClaimShare(code=code, short_link=short_link, sms_text=sms_text, sms_href=sms_href(e164, sms_text),
                      zalo_text=f"{texts['vi']} {short_link}", zalo_href=zalo_href(e164),
                      fits_one_sms=fits_one_sms(texts["vi"], short_link))
