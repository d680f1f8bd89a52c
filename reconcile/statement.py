"""Bank statements as internet banking exports them (XLSX or CSV): find the table under the
title lines by its header names, and read each credit as an ``Incoming`` transaction.
Pure module (no Flask, no database); the file itself is read by catalog.importer.sheet.

Layouts seen (docs/RECONCILIATION.md): Vietcombank puts ~10 title lines above
"STT | Ngày giao dịch | Số tham chiếu | Số tiền ghi nợ | Số tiền ghi có | Số dư | Mô tả";
Techcombank puts ~30 above "Ngày giao dịch | Đối tác | … | Diễn giải | Số bút toán | Nợ TKTT |
Có TKTT | Số dư", often bilingual ("Ngày giao dịch / Transaction Date") and in merged cells.
"""
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from catalog.importer.columns import header_key
from reconcile.notifications import MAX_TEXT, Incoming
from reconcile.constants import Source

HEADER_SEARCH_ROWS = 60

ALIASES = {
    "date": ("ngay giao dich", "ngay gd", "ngay", "ngay hach toan", "ngay hieu luc", "thoi gian",
             "thoi gian giao dich", "ngay gio giao dich", "transaction date", "date", "posting date",
             "effective date", "value date", "txn date", "requesting date"),
    "credit": ("so tien ghi co", "ghi co", "co", "co tktt", "phat sinh co", "so tien co", "tien vao",
               "so tien vao", "credit", "credit amount", "credits"),
    "debit": ("so tien ghi no", "ghi no", "no", "no tktt", "phat sinh no", "so tien no", "tien ra",
              "so tien ra", "debit", "debit amount", "debits"),
    "amount": ("so tien", "so tien giao dich", "so tien gd", "amount", "transaction amount"),
    "description": ("noi dung", "mo ta", "noi dung giao dich", "noi dung chi tiet", "dien giai", "chi tiet",
                    "chi tiet giao dich", "noi dung chuyen tien", "description", "details",
                    "transaction details", "remark", "remarks", "narrative"),
    "reference": ("so tham chieu", "ma giao dich", "ma gd", "so but toan", "so giao dich", "so ct",
                  "so chung tu", "ma tham chieu", "reference", "reference no", "ref no", "transaction no",
                  "transaction id", "trans no"),
}
_LOOKUP = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


class StatementError(ValueError):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class RowProblem:
    row: int
    code: str  # "amount_unreadable"
    value: str


@dataclass
class StatementReading:
    header_row: int
    columns: dict[str, str]  # our column -> the header as written in the file
    credits: list[Incoming] = field(default_factory=list)
    money_out: int = 0  # debit rows, which are not payments to the producer
    problems: list[RowProblem] = field(default_factory=list)


def column_for(label) -> str | None:
    """'Số tiền ghi có\\nCredit' or 'Có TKTT / Credit' -> 'credit'."""
    text = str(label or "")
    for part in [text, *re.split(r"[\n/|]+", text)]:
        name = _LOOKUP.get(header_key(part))
        if name:
            return name
    return None


def _header_map(row) -> dict[str, tuple[int, str]]:
    found = {}
    for position, cell in enumerate(row):
        name = column_for(cell) if isinstance(cell, str) else None
        if name and name not in found:
            found[name] = (position, " ".join(str(cell).split()))
    return found


def find_header(rows) -> tuple[int, dict[str, tuple[int, str]]]:
    """(index of the header row, {column: (position, label)}) among the first rows."""
    for index, (_number, row) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = _header_map(row)
        if "date" in found and "description" in found and ("credit" in found or "amount" in found):
            return index, found
    raise StatementError("header_not_found", rows=HEADER_SEARCH_ROWS)


_DATE_PATTERNS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S",
                  "%Y-%m-%d", "%d/%m/%y")


def read_date(value) -> datetime | None:
    """A date cell: a real date, or text such as '31/10/2023', '31/10/2023 14:02:37' or
    Vietcombank's '31/10/2023\\n5243.65937' (the reference under the date)."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    text = value.strip().split("\n")[0].strip()
    for pattern in _DATE_PATTERNS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


_MONEY_NOISE = re.compile(r"(?i)\s|vnd|vnđ|đ|₫|d$")


def read_money(value) -> int | None:
    """Whole đồng from a cell: 1500000, '1,500,000', '1.500.000', '1,500,000.00', '(150,000)', '-75.000'.
    None when empty; ValueError when it is not an amount in whole đồng."""
    if value is None or isinstance(value, bool):
        return None if value is None else _not_money()
    if isinstance(value, (int, float)):
        if value != value or int(value) != value:
            _not_money()
        return int(value)
    text = _MONEY_NOISE.sub("", str(value))
    if text in ("", "-", "0", "—"):
        return None if text != "0" else 0
    negative = text.startswith("(") and text.endswith(")") or text.startswith("-")
    text = text.strip("()+-")
    if not re.fullmatch(r"[\d.,]+", text):
        _not_money()
    whole, fraction = _split_decimal(text)
    if fraction.strip("0"):
        _not_money()
    amount = int(whole or "0")
    return -amount if negative else amount


def _split_decimal(text: str) -> tuple[str, str]:
    marks = [mark for mark in (",", ".") if mark in text]
    if len(marks) == 2:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
    elif marks:
        mark = marks[0]
        tail = text.rsplit(mark, 1)[1]
        decimal_mark = None if text.count(mark) > 1 or len(tail) == 3 else mark
    else:
        decimal_mark = None
    if decimal_mark is None:
        return re.sub(r"[.,]", "", text), ""
    whole, fraction = text.rsplit(decimal_mark, 1)
    return re.sub(r"[.,]", "", whole), fraction


def _not_money():
    raise ValueError("not an amount in whole dong")


def _cell(row, position):
    return row[position] if position < len(row) else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def read_statement(rows) -> StatementReading:
    """Credits of a statement's filled rows ((row number, cells), as catalog.importer.sheet.read_table
    gives them). Rows without a date (title lines, opening balance, totals) are not transactions."""
    header_index, found = find_header(rows)
    reading = StatementReading(rows[header_index][0], {name: label for name, (_p, label) in found.items()})
    seen = {}
    for number, row in rows[header_index + 1:]:
        moment = read_date(_cell(row, found["date"][0]))
        if moment is None:
            continue
        try:
            amount = _row_amount(row, found)
        except ValueError:
            column = "credit" if "credit" in found else "amount"
            reading.problems.append(RowProblem(number, "amount_unreadable", _text(_cell(row, found[column][0]))))
            continue
        if amount is None:
            continue
        if amount <= 0:
            reading.money_out += 1
            continue
        description = _text(_cell(row, found["description"][0]))[:MAX_TEXT]
        reference = _text(_cell(row, found["reference"][0]))[:64] if "reference" in found else ""
        reading.credits.append(Incoming(Source.STATEMENT, _row_id(reference, moment, amount, description, seen),
                                        amount, description, reference, "", moment))
    return reading


def _row_amount(row, found) -> int | None:
    if "credit" in found:
        credit = read_money(_cell(row, found["credit"][0]))
        if credit:
            return abs(credit)
        debit = read_money(_cell(row, found["debit"][0])) if "debit" in found else None
        return -abs(debit) if debit else None
    return read_money(_cell(row, found["amount"][0]))


def _row_id(reference, moment, amount, description, seen) -> str:
    """The bank's reference when it gives one; otherwise a digest of the row, numbered among
    identical rows, so uploading the same statement twice adds nothing."""
    if reference:
        return "ref:" + reference
    key = f"{moment.isoformat()}|{amount}|{description}"
    seen[key] = seen.get(key, 0) + 1
    return "row:" + hashlib.sha256(f"{key}|{seen[key]}".encode("utf-8")).hexdigest()[:40]
