"""VietQR payloads (NAPAS247 over EMVCo Merchant-Presented QR): build and parse.

Pure module, no Flask. Rules and test vectors: docs/VIETQR.md.
Every object is ID (2 digits) + length (2 digits, counted in characters) + value.
Errors are VietQRError(code, params); payments.messages translates the codes.
"""
import re
from dataclasses import dataclass

from vntext import fold

NAPAS_GUID = "A000000727"
SERVICE_ACCOUNT = "QRIBFTTA"  # transfer to a bank account
SERVICE_CARD = "QRIBFTTC"  # transfer to a card number
SERVICES = (SERVICE_ACCOUNT, SERVICE_CARD)
STATIC, DYNAMIC = "11", "12"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
AMOUNT_LIMIT = 500_000_000  # NAPAS247 allows strictly less per transfer (T&C 8.1.1)
TEXT_FIELD_MAX = 25  # 62/01 bill number and 62/08 purpose
MAX_PAYLOAD_LENGTH = 512

_BIN = re.compile(r"[0-9]{6}")
_ACCOUNT = re.compile(r"[0-9A-Za-z]{1,19}")
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]{1,25}")
_AMOUNT = re.compile(r"[1-9][0-9]*")
_CRC_TAIL = re.compile(r"6304([0-9A-Fa-f]{4})\Z")
_BENEFICIARY_IDS = ("00", "01")
_TEMPLATES = ("38", "38.01", "62")  # objects whose value is itself a TLV list

# English templates; payments/messages.py holds the same msgids for translation.
ERROR_MESSAGES = {
    "invalid_bin": "The bank code (BIN) must be 6 digits.",
    "invalid_account": "The account or card number must be 1 to 19 letters or digits.",
    "invalid_service": "Unknown VietQR service code %(service)s.",
    "invalid_amount": "The amount must be a whole number of dong greater than zero.",
    "amount_too_large": "The amount must be less than 500,000,000 dong.",
    "invalid_bill_number": "The bill number must be 1 to 25 printable ASCII characters.",
    "invalid_order_code": "The order code must be 1 to 25 letters or digits.",
    "empty": "The QR code is empty.",
    "too_long": "The QR code content is longer than 512 characters.",
    "format_indicator": "This is not a VietQR code: it must start with 000201.",
    "length_mismatch": "The length of field %(field)s does not match its content.",
    "length_in_bytes": "Field %(field)s counts its length in bytes instead of characters.",
    "duplicate_field": "Field %(field)s appears more than once.",
    "missing_field": "Required field %(field)s is missing.",
    "crc_missing_or_invalid": "The checksum (field 63) must be 4 hexadecimal digits.",
    "crc_not_last": "The checksum (field 63) must be the last field.",
    "trailing_data": "There is unexpected data after the checksum.",
    "crc_mismatch": "Checksum mismatch: the code says %(found)s but its content gives %(expected)s.",
    "missing_guid": "This is not a VietQR code: the NAPAS identifier A000000727 is missing.",
    "bad_nesting": "Field %(field)s is not allowed inside field %(parent)s.",
    "invalid_point_of_initiation": "Field 01 must be 11 (static) or 12 (dynamic).",
    "unsupported_currency": "Only Vietnamese dong (currency 704) is supported.",
}


class VietQRError(ValueError):
    def __init__(self, code: str, params: dict | None = None):
        super().__init__(code)
        self.code = code
        self.params = dict(params or {})

    def __str__(self) -> str:
        return ERROR_MESSAGES[self.code] % self.params


@dataclass(frozen=True)
class VietQRPayload:
    bin: str
    account: str
    service: str
    amount: int | None
    memo: str | None
    bill_number: str | None
    point_of_initiation: str
    currency: str
    country: str
    crc: str  # as found, upper-cased; parse_payload only returns payloads whose CRC matched

    @property
    def is_dynamic(self) -> bool:
        return self.point_of_initiation == DYNAMIC


def crc16_ccitt_false(data: str | bytes) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) as 4 uppercase hex digits."""
    crc = 0xFFFF
    for byte in data.encode("utf-8") if isinstance(data, str) else data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
        crc &= 0xFFFF
    return f"{crc:04X}"


@dataclass(frozen=True)
class Memo:
    """A transfer memo that fits field 62/08, and whether words had to be left out."""
    text: str
    shortened: bool


def fit_memo(text: str | None, limit: int = TEXT_FIELD_MAX) -> Memo:
    """Fold to ASCII, keep letters/digits, single spaces, and keep whole words within `limit`.

    Banks keep 25 characters of the memo; cutting between words means a buyer never
    sees half a word ('Che Shan tuyet G'). Other characters become spaces so words stay
    apart ('rau-sach' -> 'rau sach'). Only a first word longer than the limit is cut.
    """
    words = re.sub(r"[^A-Za-z0-9]+", " ", fold(text or "")).split()
    kept, length = [], 0
    for word in words:
        length += len(word) + (1 if kept else 0)
        if length > limit:
            break
        kept.append(word)
    if words and not kept:
        kept = [words[0][:limit]]
    memo = " ".join(kept)
    return Memo(memo, shortened=memo != " ".join(words))


def _tlv(field_id: str, value: str) -> str:
    return f"{field_id}{len(value):02d}{value}"


def _check_account(bin_code: str, account: str, service: str) -> None:
    if not isinstance(bin_code, str) or not _BIN.fullmatch(bin_code):
        raise VietQRError("invalid_bin")
    if not isinstance(account, str) or not _ACCOUNT.fullmatch(account):
        raise VietQRError("invalid_account")
    if service not in SERVICES:
        raise VietQRError("invalid_service", {"service": service})


def _check_amount(amount) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise VietQRError("invalid_amount")
    if amount >= AMOUNT_LIMIT:
        raise VietQRError("amount_too_large")


def build_payload(bin: str, account: str, amount: int | None = None, memo: str | None = None,
                  service: str = SERVICE_ACCOUNT, bill_number: str | None = None) -> str:
    """Static code (01=11) without an amount, dynamic (01=12) with one."""
    _check_account(bin, account, service)
    if amount is not None:
        _check_amount(amount)
    if bill_number is not None and not _PRINTABLE_ASCII.fullmatch(bill_number):
        raise VietQRError("invalid_bill_number")
    purpose = fit_memo(memo).text

    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", _tlv("00", bin) + _tlv("01", account)) + _tlv("02", service)
    additional = (_tlv("01", bill_number) if bill_number else "") + (_tlv("08", purpose) if purpose else "")
    body = (
        _tlv("00", "01")
        + _tlv("01", STATIC if amount is None else DYNAMIC)
        + _tlv("38", merchant)
        + _tlv("53", CURRENCY_VND)
        + (_tlv("54", str(amount)) if amount is not None else "")
        + _tlv("58", COUNTRY_VN)
        + (_tlv("62", additional) if additional else "")
        + "6304"
    )
    return body + crc16_ccitt_false(body)


# --- parsing -----------------------------------------------------------------

def _child(template: str, field_id: str) -> str:
    return f"{template}.{field_id}" if template else field_id


def _read_tlvs(data, template: str = "") -> dict:
    """Split str (or bytes) data into {id: value}; it must be tiled exactly.

    A length error is blamed on the field whose declared length breaks the tiling:
    the one that overruns, or the one before unreadable leftovers.
    """
    fields = {}
    position, previous = 0, template
    while position < len(data):
        header = data[position:position + 4]
        if len(header) < 4 or not header.isascii() or not header.isdigit():
            raise VietQRError("length_mismatch", {"field": previous})
        field_id, length = header[:2], int(header[2:])
        if isinstance(field_id, bytes):
            field_id = field_id.decode("ascii")
        name = _child(template, field_id)
        value = data[position + 4:position + 4 + length]
        if length == 0 or len(value) < length:
            raise VietQRError("length_mismatch", {"field": name})
        if field_id in fields:
            raise VietQRError("duplicate_field", {"field": name})
        fields[field_id] = value
        position, previous = position + 4 + length, name
    return fields


def _field_counted_in_bytes(data: bytes, template: str = "") -> str | None:
    """Innermost field whose length matches its UTF-8 bytes rather than its characters."""
    try:
        fields = _read_tlvs(data, template)
        for field_id, value in fields.items():
            name = _child(template, field_id)
            if len(value.decode("utf-8")) != len(value):
                inner = _field_counted_in_bytes(value, name) if name in _TEMPLATES else None
                return inner or name
    except (VietQRError, UnicodeDecodeError):
        return None
    return None


def _diagnose_missing_crc_tail(text: str) -> None:
    """The text does not end with 6304 + 4 hex digits: say why."""
    position, previous = 0, "00"
    while position < len(text):
        header = text[position:position + 4]
        if len(header) < 4 or not header.isascii() or not header.isdigit():
            raise VietQRError("length_mismatch", {"field": previous})
        field_id, length = header[:2], int(header[2:])
        position += 4 + length
        if position > len(text):
            raise VietQRError("length_mismatch", {"field": field_id})
        if field_id == "63":
            rest = text[position:]
            if not rest:
                raise VietQRError("crc_missing_or_invalid")
            try:
                _read_tlvs(rest)
            except VietQRError:
                raise VietQRError("trailing_data") from None
            raise VietQRError("crc_not_last")
        previous = field_id
    raise VietQRError("missing_field", {"field": "63"})


def _require(fields: dict, field_id: str, template: str = "") -> str:
    if field_id not in fields:
        raise VietQRError("missing_field", {"field": _child(template, field_id)})
    return fields[field_id]


def parse_payload(text: str) -> VietQRPayload:
    """Strict parser: returns the fields or raises VietQRError with the reason."""
    if not isinstance(text, str) or not text:
        raise VietQRError("empty")
    if len(text) > MAX_PAYLOAD_LENGTH:
        raise VietQRError("too_long")
    if not text.startswith("000201"):
        raise VietQRError("format_indicator")
    tail = _CRC_TAIL.search(text)
    if tail is None:
        _diagnose_missing_crc_tail(text)
    found, expected = tail[1].upper(), crc16_ccitt_false(text[:-4])
    if found != expected:
        raise VietQRError("crc_mismatch", {"found": found, "expected": expected})

    body = text[:-8]
    try:
        fields = _read_tlvs(body)
    except VietQRError as error:
        byte_field = _field_counted_in_bytes(body.encode("utf-8")) if error.code == "length_mismatch" else None
        if byte_field:
            raise VietQRError("length_in_bytes", {"field": byte_field}) from None
        raise
    if "63" in fields:
        raise VietQRError("duplicate_field", {"field": "63"})

    point_of_initiation = _require(fields, "01")
    if point_of_initiation not in (STATIC, DYNAMIC):
        raise VietQRError("invalid_point_of_initiation")
    merchant = _read_tlvs(_require(fields, "38"), "38")
    if merchant.get("00") != NAPAS_GUID:
        raise VietQRError("missing_guid")
    beneficiary = _read_tlvs(_require(merchant, "01", "38"), "38.01")
    for field_id in beneficiary:
        if field_id not in _BENEFICIARY_IDS:
            raise VietQRError("bad_nesting", {"field": f"38.01.{field_id}", "parent": "38.01"})
    bin_code = _require(beneficiary, "00", "38.01")
    account = _require(beneficiary, "01", "38.01")
    service = _require(merchant, "02", "38")
    _check_account(bin_code, account, service)

    currency = _require(fields, "53")
    if currency != CURRENCY_VND:
        raise VietQRError("unsupported_currency")
    amount = fields.get("54")
    if amount is not None and not _AMOUNT.fullmatch(amount):
        raise VietQRError("invalid_amount")
    country = _require(fields, "58")
    additional = _read_tlvs(fields["62"], "62") if "62" in fields else {}

    return VietQRPayload(
        bin=bin_code,
        account=account,
        service=service,
        amount=int(amount) if amount is not None else None,
        memo=additional.get("08"),
        bill_number=additional.get("01"),
        point_of_initiation=point_of_initiation,
        currency=currency,
        country=country,
        crc=found,
    )
