"""Bank-transaction notifications from SePay and Casso: checking who sent them and reading
their payloads. Pure module (no Flask); docs/RECONCILIATION.md gives the published forms.

A notification becomes an ``Incoming`` transaction, or ``NotificationRefused`` with a code
the web layer turns into the status code that makes the service retry (or not).
"""
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import datetime

from reconcile.constants import Source

SEPAY_SIGNATURE_HEADER = "X-SePay-Signature"
SEPAY_TIMESTAMP_HEADER = "X-SePay-Timestamp"
CASSO_SIGNATURE_HEADER = "X-Casso-Signature"
# SePay asks receivers to refuse a signed timestamp more than 5 minutes from now (replays).
SEPAY_MAX_CLOCK_DRIFT = 5 * 60
MAX_TEXT = 500


@dataclass(frozen=True)
class Incoming:
    """One bank transaction as a service or a statement reports it."""
    source: Source
    external_id: str  # the service's transaction id (deduplication key)
    amount_vnd: int  # positive: money in; negative: money out
    description: str
    bank_reference: str = ""
    account_number: str = ""
    occurred_at: datetime | None = None

    @property
    def is_money_in(self) -> bool:
        return self.amount_vnd > 0


class NotificationRefused(ValueError):
    """``bad_signature`` (401), ``bad_payload`` (400)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- authentication -------------------------------------------------------------------------

def sepay_hmac_signature(secret: str, timestamp: str, body: bytes) -> str:
    message = timestamp.encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def check_sepay_hmac(secret: str, headers, body: bytes, now: float | None = None) -> None:
    signature = (headers.get(SEPAY_SIGNATURE_HEADER) or "").strip()
    timestamp = (headers.get(SEPAY_TIMESTAMP_HEADER) or "").strip()
    if not signature or not timestamp.isdigit():
        raise NotificationRefused("bad_signature")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > SEPAY_MAX_CLOCK_DRIFT:
        raise NotificationRefused("bad_signature")
    if not signature.startswith("sha256="):
        signature = "sha256=" + signature
    if not hmac.compare_digest(signature.lower(), sepay_hmac_signature(secret, timestamp, body)):
        raise NotificationRefused("bad_signature")


def api_key_digest(key: str) -> str:
    """How an API key is kept: only this digest is stored, never the key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def check_sepay_api_key(key_digest: str, headers) -> None:
    scheme, _, key = (headers.get("Authorization") or "").strip().partition(" ")
    if scheme.lower() != "apikey" or not key.strip():
        raise NotificationRefused("bad_signature")
    if not hmac.compare_digest(api_key_digest(key.strip()), key_digest):
        raise NotificationRefused("bad_signature")


def _sorted(value):
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    return value


def casso_signed_message(timestamp: str, payload: dict, ascii_only: bool = False) -> bytes:
    """Casso v2 signs "<t>." + the payload as compact JSON with keys sorted A→Z."""
    text = json.dumps(_sorted(payload), separators=(",", ":"), ensure_ascii=ascii_only)
    return f"{timestamp}.{text}".encode("utf-8")


def casso_signature(secret: str, timestamp: str, payload: dict) -> str:
    digest = hmac.new(secret.encode("utf-8"), casso_signed_message(timestamp, payload), hashlib.sha512)
    return f"t={timestamp},v1={digest.hexdigest()}"


def check_casso_signature(secret: str, headers, payload: dict) -> None:
    parts = dict(item.strip().partition("=")[::2] for item in (headers.get(CASSO_SIGNATURE_HEADER) or "").split(","))
    timestamp, signature = parts.get("t", ""), parts.get("v1", "").lower()
    if not timestamp.isdigit() or not signature:
        raise NotificationRefused("bad_signature")
    # Casso's samples differ on escaping non-ASCII text (JavaScript keeps it, Python escapes it): accept both.
    for ascii_only in (False, True):
        message = casso_signed_message(timestamp, payload, ascii_only)
        expected = hmac.new(secret.encode("utf-8"), message, hashlib.sha512).hexdigest()
        if hmac.compare_digest(signature, expected):
            return
    raise NotificationRefused("bad_signature")


# --- payloads ---------------------------------------------------------------------------------

def parse_json(body: bytes) -> dict:
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise NotificationRefused("bad_payload") from None
    if not isinstance(payload, dict):
        raise NotificationRefused("bad_payload")
    return payload


def _whole_amount(value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise NotificationRefused("bad_payload")
    try:
        number = float(value) if isinstance(value, str) else value
    except ValueError:
        raise NotificationRefused("bad_payload") from None
    if number != number or int(number) != number:  # NaN or fractions of a dong
        raise NotificationRefused("bad_payload")
    return int(number)


def _text(value, limit=MAX_TEXT) -> str:
    return " ".join(str(value).split())[:limit] if value is not None else ""


def _moment(value) -> datetime | None:
    """'2023-03-25 14:02:37' (the bank's local time, as both services send it)."""
    if not isinstance(value, str):
        return None
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip()[:19], pattern)
        except ValueError:
            continue
    return None


def _identifier(value) -> str:
    text = _text(value, 64)
    if not text or isinstance(value, bool):
        raise NotificationRefused("bad_payload")
    return text


def parse_sepay(payload: dict) -> Incoming:
    """SePay's flat payload: id, gateway, transactionDate, accountNumber, code, content,
    transferType ("in"/"out"), transferAmount, accumulated, subAccount, referenceCode."""
    amount = _whole_amount(payload.get("transferAmount"))
    direction = payload.get("transferType")
    if direction not in ("in", "out") or amount < 0:
        raise NotificationRefused("bad_payload")
    # SePay may already have cut the payment code out of the content ("code"); look at both.
    description = " ".join(part for part in (_text(payload.get("content")), _text(payload.get("code"))) if part)
    return Incoming(Source.SEPAY, _identifier(payload.get("id")), amount if direction == "in" else -amount,
                    description, _text(payload.get("referenceCode"), 64), _text(payload.get("accountNumber"), 32),
                    _moment(payload.get("transactionDate")))


def parse_casso(payload: dict) -> Incoming:
    """Casso v2: {"error": 0, "data": {id, reference, description, amount (negative: money out),
    runningBalance, transactionDateTime, accountNumber, bankName, …}}."""
    data = payload.get("data")
    if payload.get("error", 0) != 0 or not isinstance(data, dict):
        raise NotificationRefused("bad_payload")
    return Incoming(Source.CASSO, _identifier(data.get("id")), _whole_amount(data.get("amount")),
                    _text(data.get("description")), _text(data.get("reference"), 64),
                    _text(data.get("accountNumber"), 32), _moment(data.get("transactionDateTime")))
