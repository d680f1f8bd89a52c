"""Order rules without Flask: order codes, status changes, what may be ordered
and payment links. Errors carry a code (and params) that payments.texts words."""
import re
import secrets
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from payments.constants import OrderStatus
from payments.vietqr import AMOUNT_LIMIT, TEXT_FIELD_MAX, Memo, VietQRError, fit_memo

# --- order codes -------------------------------------------------------------
# No 0/O and no 1/I: a code read aloud over the phone or copied from a
# handwritten note cannot be mistaken. 32**6 ≈ 1.07 billion codes.
CODE_PREFIX = "CQ"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
_ORDER_CODE = re.compile(rf"{CODE_PREFIX}[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
_CODE_NOISE = re.compile(r"[\s\-_.#]+")


def new_order_code(choice=secrets.choice) -> str:
    return CODE_PREFIX + "".join(choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_order_code(text) -> str | None:
    """'cq-abc 234' -> 'CQABC234'; None when it cannot be one of our codes."""
    if not isinstance(text, str):
        return None
    code = _CODE_NOISE.sub("", text).upper()
    return code if _ORDER_CODE.fullmatch(code) else None


# --- the transfer memo ----------------------------------------------------------
_MEMO_ORDER_CODE = re.compile(rf"[0-9A-Za-z]{{1,{TEXT_FIELD_MAX}}}")


def order_memo(order_code: str, description: str = "") -> Memo:
    """The memo for an order's transfer: its code first ('CQABC234 Che Shan tuyet'), so
    matching finds it whatever the bank keeps, then as many whole words of the
    description as fit."""
    if not isinstance(order_code, str) or not _MEMO_ORDER_CODE.fullmatch(order_code):
        raise VietQRError("invalid_order_code")
    return fit_memo(f"{order_code} {description or ''}")


def saved_code_filename(order_code: str, amount_vnd: int) -> str:
    """The name a phone's gallery shows for the saved code: 'choque-CQCEW3BV-120000d.png'."""
    return f"choque-{order_code}-{amount_vnd}d.png"


# --- order status ------------------------------------------------------------

def next_statuses(current: str) -> tuple[str, ...]:
    return OrderStatus.TRANSITIONS.get(current, ())


def can_change_status(current: str, target: str) -> bool:
    return target in next_statuses(current)


# --- what may be ordered -----------------------------------------------------
MIN_QUANTITY, MAX_QUANTITY = 1, 999


class OrderRefused(Exception):
    def __init__(self, code: str, params: dict | None = None):
        super().__init__(code)
        self.code = code
        self.params = dict(params or {})


def order_refusal(*, is_public: bool, availability: str, season_months: list[int], month: int,
                  price_vnd: int | None, payment_state: str) -> str | None:
    """Why this product cannot be ordered right now (a code), or None.

    payment_state is 'ready', 'pending' (new bank details await re-approval)
    or 'unavailable' (no approved bank account).
    """
    if not is_public:
        return "not_public"
    if availability == "out_of_stock":
        return "out_of_stock"
    if availability == "seasonal" and month not in season_months:
        return "out_of_season"
    if availability not in ("in_stock", "seasonal"):
        return "out_of_stock"
    if not price_vnd or price_vnd <= 0:
        return "no_price"
    if payment_state == "pending":
        return "payment_pending"
    if payment_state != "ready":
        return "no_payment_account"
    return None


def order_amount(price_vnd: int, quantity: int) -> int:
    """Price × quantity in whole đồng, within one NAPAS247 transfer."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not MIN_QUANTITY <= quantity <= MAX_QUANTITY:
        raise OrderRefused("bad_quantity", {"min": MIN_QUANTITY, "max": MAX_QUANTITY})
    amount = int(price_vnd) * quantity
    if amount >= AMOUNT_LIMIT:
        raise OrderRefused("amount_too_large")
    return amount


# --- payment links (e.g. a Stripe Payment Link) ------------------------------
MAX_LINK_LENGTH = 500
CLIENT_REFERENCE_PARAM = "client_reference_id"
_HOSTNAME = re.compile(r"(?=.{1,253}\Z)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x20\x7f\\<>\"'`]")


class PaymentLinkError(ValueError):
    def __init__(self, code: str, params: dict | None = None):
        super().__init__(code)
        self.code = code
        self.params = dict(params or {})


def check_payment_link(text) -> str:
    """The link as it will be stored, or PaymentLinkError.

    Only https to a named host: no other scheme (javascript:, data:, http:),
    no user:password@ part (https://buy.stripe.com@evil.example looks like
    Stripe but goes elsewhere), no spaces, quotes or backslashes.
    """
    url = (text or "").strip() if isinstance(text, str) else ""
    if not url:
        raise PaymentLinkError("empty")
    if len(url) > MAX_LINK_LENGTH:
        raise PaymentLinkError("too_long", {"max": MAX_LINK_LENGTH})
    if _UNSAFE_CHARACTERS.search(url):
        raise PaymentLinkError("not_a_url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise PaymentLinkError("not_a_url") from None
    if parts.scheme.lower() != "https":
        raise PaymentLinkError("not_https" if parts.scheme else "not_a_url")
    if "@" in parts.netloc or not parts.hostname or not _HOSTNAME.fullmatch(parts.hostname):
        raise PaymentLinkError("not_a_url")
    if port is not None and port != 443:
        raise PaymentLinkError("not_a_url")
    return url


def link_host(url: str) -> str:
    """The host buyers should recognise before paying ('buy.stripe.com')."""
    return urlsplit(url).hostname or ""


def with_client_reference(url: str, order_code: str) -> str:
    """The link with ?client_reference_id=<order code>, keeping its other parameters."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
             if key != CLIENT_REFERENCE_PARAM]
    query.append((CLIENT_REFERENCE_PARAM, order_code))
    return urlunsplit(parts._replace(query=urlencode(query)))
