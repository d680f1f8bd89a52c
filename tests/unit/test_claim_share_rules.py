"""Pure rules of claim codes that travel: binding to a phone, expiry, and the share links.
sms: URIs follow RFC 5724 (`sms:<number>?body=<percent-encoded text>`)."""
from datetime import datetime, timedelta
from urllib.parse import unquote

from notifications.rules import sms_length
from producers import claims, claims_share
from producers.claims import ClaimRefusal

ISSUED = datetime(2027, 1, 2, 8, 0)
FARMER = "+84977111222"
# The longest message the app writes: both placeholders at full width, a long public address.
LONG_VI = ("Chợ Quê: mã nhận hồ sơ của bạn là ACDEF-GHJKM. Mở liên kết và đăng ký bằng số 0977 111 222. "
           "Dùng được đến 31/12/2027.")


def test_codes_expire_after_the_set_days():
    expires = claims.expires_at(ISSUED, 30)
    assert expires == ISSUED + timedelta(days=30)
    assert claims.refusal(expires - timedelta(seconds=1), expires, FARMER, FARMER) is None
    assert claims.refusal(expires, expires, FARMER, FARMER) == ClaimRefusal.EXPIRED


def test_only_the_bound_number_may_claim():
    expires = claims.expires_at(ISSUED, 30)
    assert claims.refusal(ISSUED, expires, FARMER, "+84966222333") == ClaimRefusal.OTHER_PHONE
    assert claims.refusal(ISSUED, expires, FARMER, FARMER) is None
    # Expiry is said first: a new code is needed whoever asks.
    assert claims.refusal(expires, expires, FARMER, "+84966222333") == ClaimRefusal.EXPIRED


def test_short_path_carries_the_plain_code():
    assert claims.short_path("ACDEFGHJKM") == "/n/ACDEFGHJKM"


def test_share_links_reach_the_farmer():
    link = "https://choque.example.vn/n/ACDEFGHJKM"
    share = claims_share.share_links(FARMER, "ACDEF-GHJKM", link, {"vi": LONG_VI, "en": "unused"})
    number, _, query = share.sms_href.partition("?body=")
    assert number == "sms:" + FARMER
    body = unquote(query)
    assert body == share.sms_text and body.endswith(" " + link) and "ACDEF-GHJKM" in body
    assert body.isascii() and "Cho Que: ma nhan ho so" in body  # folded: one GSM-7 segment
    used, room = sms_length(body)
    assert (used, room) == (len(body), 160) and used <= room and share.fits_one_sms
    assert share.zalo_href == "https://zalo.me/0977111222"
    assert share.zalo_text == LONG_VI + " " + link  # Zalo keeps the diacritics


def test_national_digits():
    assert claims_share.national_digits("+84912345678") == "0912345678"
