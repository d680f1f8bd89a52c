"""Vietnamese bank list (NAPAS BINs): the banks of producers' accounts, read by the VietQR codes.
It sits with the producers, below payments, so both may use it.

Pure module, no Flask. Data: producers/data/bank_bins.csv, a copy of the researched
list (State Bank of Vietnam BINs plus short names and SWIFT codes; see
docs/VIETQR.md §6). BINs come only from that file because
public code carries wrong ones.
"""
import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "bank_bins.csv"

# Shown first in a <select>: the banks most rural producers already use.
COMMON_BINS = (
    "970405",  # Agribank
    "970436",  # Vietcombank
    "970415",  # VietinBank
    "970418",  # BIDV
    "970446",  # Co-opBank (cooperative bank, common in the countryside)
    "970422",  # MB
    "970407",  # Techcombank
    "970416",  # ACB
    "970403",  # Sacombank
    "970432",  # VPBank
    "970423",  # TPBank
)


@dataclass(frozen=True)
class Bank:
    bin: str
    short_name: str
    official_name: str
    swift: str
    transfer_supported: bool
    # Current or alternative names (renames such as Oceanbank -> MBV), so a
    # producer finds the bank under the name printed on the card.
    other_names: tuple[str, ...] = ()

    @property
    def display_name(self) -> str:
        name = self.short_name
        if self.other_names:
            name = f"{name} ({', '.join(self.other_names)})"
        if self.official_name:
            name = f"{name} – {self.official_name}"
        return name


def all_banks() -> tuple[Bank, ...]:
    """Banks with a BIN, common ones first, then by short name."""
    return _load()[0]


def bank_by_bin(bin_code: str) -> Bank | None:
    return _load()[1].get((bin_code or "").strip())


def _name_key(name: str) -> str:
    """'MB Bank', 'MBBank' and 'mb' compare equal; so do 'Public Bank Vietnam' and 'PublicBank'."""
    return re.sub(r"bank|vietnam|[^a-z0-9]", "", name.lower())


def _parse_qr_pay_entries(field: str) -> list[tuple[str, str, str]]:
    """'KEY:name:STATUS | KEY:name:STATUS' -> [(key, name, status), ...]."""
    entries = []
    for chunk in filter(None, (part.strip() for part in field.split("|"))):
        key, name, status = chunk.split(":")
        entries.append((key, name, status))
    return entries


def _bank_from_row(row: dict[str, str]) -> Bank:
    entries = [e for e in _parse_qr_pay_entries(row["vietnam_qr_pay_entries"]) if "(deprecated)" not in e[0]]
    short_name = row["subiz_short_name"] or (entries[0][1] if entries else row["bin"])
    seen = {_name_key(short_name)}
    other_names = []
    for _key, name, _status in entries:
        if _name_key(name) not in seen:
            seen.add(_name_key(name))
            other_names.append(name)
    return Bank(
        bin=row["bin"],
        short_name=short_name,
        official_name=row["sbv_official_name_2023"],
        swift=row["swift"],
        transfer_supported=any(status == "TRANSFER_SUPPORTED" for _k, _n, status in entries),
        other_names=tuple(other_names),
    )


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[Bank, ...], dict[str, Bank]]:
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        banks = [_bank_from_row(row) for row in csv.DictReader(handle) if row["bin"]]
    rank = {bin_code: position for position, bin_code in enumerate(COMMON_BINS)}
    banks.sort(key=lambda bank: (rank.get(bank.bin, len(rank)), bank.short_name.casefold()))
    return tuple(banks), {bank.bin: bank for bank in banks}
