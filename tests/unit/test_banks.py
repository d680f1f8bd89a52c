"""Bank list loaded from producers/data/bank_bins.csv."""
import csv

from producers.banks import COMMON_BINS, DATA_FILE, Bank, all_banks, bank_by_bin


def test_agribank_and_coopbank_bins():
    agribank = bank_by_bin("970405")
    assert agribank.short_name == "Agribank"
    assert agribank.swift == "VBAAVNVX"
    assert agribank.official_name == "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"
    assert agribank.transfer_supported
    coopbank = bank_by_bin("970446")
    assert coopbank.official_name == "Ngân hàng Hợp Tác Xã Việt Nam"
    assert coopbank.transfer_supported


def test_every_row_with_a_bin_is_listed_once():
    with DATA_FILE.open(encoding="utf-8") as handle:
        bins = [row["bin"] for row in csv.DictReader(handle)]
    banks = all_banks()
    assert len(bins) == 67
    assert sorted(bank.bin for bank in banks) == sorted(b for b in bins if b)
    assert len(banks) == 66
    assert all(len(bank.bin) == 6 and bank.bin.isdigit() for bank in banks)


def test_common_banks_first_then_by_short_name():
    banks = all_banks()
    assert tuple(bank.bin for bank in banks[:len(COMMON_BINS)]) == COMMON_BINS
    rest = [bank.short_name.casefold() for bank in banks[len(COMMON_BINS):]]
    assert rest == sorted(rest)


def test_short_name_falls_back_to_vietnam_qr_pay_name():
    cake = bank_by_bin("546034")
    assert cake.short_name == "CAKE by VPBank"
    assert cake.official_name == ""
    assert cake.display_name == "CAKE by VPBank"
    assert bank_by_bin("971025").short_name == "MoMo"


def test_display_name_joins_short_and_official_names():
    assert bank_by_bin("970405").display_name == \
        "Agribank – Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"


def test_renamed_banks_show_their_current_name_but_not_spelling_variants():
    assert bank_by_bin("970414").other_names == ("MBV",)
    assert bank_by_bin("970406").other_names == ("Vikki Bank",)
    assert bank_by_bin("970454").other_names == ("BVBank",)
    assert bank_by_bin("970414").display_name.startswith("Oceanbank (MBV) – ")
    # 'MB Bank' vs 'MBBank', 'Co-op Bank' vs 'COOPBANK', deprecated LienVietPostBank: no extra name.
    for bin_code in ("970422", "970446", "970449", "970439"):
        assert bank_by_bin(bin_code).other_names == ()


def test_transfer_support_from_status():
    assert not bank_by_bin("970410").transfer_supported  # Standard Chartered: RECEIVE_ONLY
    assert not bank_by_bin("970460").transfer_supported  # no entry: not known to be supported
    assert bank_by_bin("970449").transfer_supported


def test_unknown_or_blank_bin():
    assert bank_by_bin("") is None
    assert bank_by_bin(None) is None
    assert bank_by_bin("123456") is None
    assert bank_by_bin(" 970405 ").bin == "970405"
    assert isinstance(all_banks()[0], Bank)
