"""Builder input rules, memo folding and the parser's structural checks."""
import random

import pytest

from payments.rules import new_order_code, order_memo
from payments.vietqr import (
    VietQRError,
    build_payload,
    crc16_ccitt_false,
    fit_memo,
    parse_payload,
)

STATIC_ACB = "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F"
DYNAMIC_ACB = ("00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN"
               "62150811Chuyen tien630453E6")


def sealed(body: str) -> str:
    """Append field 63 with the right CRC to a body."""
    return body + "6304" + crc16_ccitt_false(body + "6304")


def reason(payload) -> str:
    with pytest.raises(VietQRError) as caught:
        parse_payload(payload)
    return caught.value.code


# --- memo --------------------------------------------------------------------

def test_memo_is_folded_and_cut_between_words():
    # The reference's risky example cuts to "... rau sach D"; whole words stop before "Da".
    memo = fit_memo("Đơn hàng #A1023 – rau sạch Đà Lạt")
    assert memo.text == "Don hang A1023 rau sach" and memo.shortened


def test_memo_keeps_only_letters_digits_single_spaces():
    assert fit_memo("  Mật ong\t rừng!!  U Minh  ").text == "Mat ong rung U Minh"
    assert fit_memo("rau-sạch").text == "rau sach"
    assert fit_memo("") == fit_memo(None) == fit_memo("–––") == fit_memo("", 25)
    assert fit_memo("").text == "" and not fit_memo(None).shortened


def test_memo_that_fits_is_not_shortened():
    memo = fit_memo("a" * 20 + " bcd")  # exactly 24 characters
    assert memo.text == "a" * 20 + " bcd" and not memo.shortened
    assert fit_memo("Chè Tân Cương").shortened is False  # folding is not shortening


def test_memo_cut_keeps_whole_words_only():
    assert fit_memo("a" * 24 + " bcd").text == "a" * 24
    assert fit_memo("a" * 20 + " bcde").text == "a" * 20 + " bcde"  # 25 exactly
    assert fit_memo("a" * 20 + " bcdef").text == "a" * 20
    assert fit_memo("x" * 30 + " y") == fit_memo("x" * 30)  # only a first word longer than 25 is cut
    assert fit_memo("x" * 30).text == "x" * 25


def test_order_memo_puts_order_code_first_and_cuts_between_words():
    assert order_memo("CQCEW3BV", "Chè Shan tuyết Giàng Pằng").text == "CQCEW3BV Che Shan tuyet"
    assert order_memo("DH1023", "Rau sạch Đà Lạt giao nhanh").text == "DH1023 Rau sach Da Lat"
    assert order_memo("DH1023") == fit_memo("DH1023")
    assert order_memo("X" * 25, "anything").text == "X" * 25


def test_order_memo_property_over_random_descriptions():
    rng = random.Random(1023)
    alphabet = "abcdeđĐàáạảãâầấậăằắờơưứ ABCXYZ0123456789#-–,.!?/\t"
    for _ in range(1000):
        code = new_order_code(rng.choice)
        description = "".join(rng.choices(alphabet, k=rng.randint(0, 60)))
        memo = order_memo(code, description)
        whole = fit_memo(f"{code} {description}", limit=10_000).text
        assert memo.text.startswith(code) and len(memo.text) <= 25 and memo.text.isascii()
        assert whole.startswith(memo.text)
        assert whole[len(memo.text):len(memo.text) + 1] in ("", " "), "cut inside a word"
        assert memo.shortened == (memo.text != whole)


@pytest.mark.parametrize("order_code", ["", "DH-1023", "DH 1023", "Đ1", "X" * 26, None])
def test_order_memo_rejects_order_codes_that_would_not_survive(order_code):
    with pytest.raises(VietQRError) as caught:
        order_memo(order_code, "rau")
    assert caught.value.code == "invalid_order_code"


# --- builder inputs ----------------------------------------------------------

def test_static_without_amount_dynamic_with_amount():
    assert build_payload("970416", "257678859") == STATIC_ACB
    assert build_payload("970416", "257678859", amount=10000, memo="Chuyen tien") == DYNAMIC_ACB


def test_static_code_may_carry_a_memo():
    payload = build_payload("970405", "1234567890123", memo="Chè Tân Cương")
    parsed = parse_payload(payload)
    assert (parsed.point_of_initiation, parsed.amount, parsed.memo) == ("11", None, "Che Tan Cuong")


def test_memo_that_folds_to_nothing_is_omitted():
    assert build_payload("970416", "257678859", memo="–––") == STATIC_ACB


@pytest.mark.parametrize("amount", [0, -5, 1.0, 150000.0, True, False, "150000", 500_000_000, 10**13])
def test_builder_rejects_bad_amounts(amount):
    with pytest.raises(VietQRError) as caught:
        build_payload("970405", "1234567890123", amount=amount)
    expected = "amount_too_large" if isinstance(amount, int) and not isinstance(amount, bool) and amount > 0 \
        else "invalid_amount"
    assert caught.value.code == expected


def test_builder_accepts_amount_just_under_the_napas_cap():
    assert parse_payload(build_payload("970405", "1234567890123", amount=499_999_999)).amount == 499_999_999


@pytest.mark.parametrize("bin_code, account, code", [
    ("97040", "123", "invalid_bin"),
    ("9704051", "123", "invalid_bin"),
    ("97040A", "123", "invalid_bin"),
    ("970405", "", "invalid_account"),
    ("970405", "1" * 20, "invalid_account"),
    ("970405", "0123 456", "invalid_account"),
    ("970405", "１２３", "invalid_account"),  # full-width digits
])
def test_builder_rejects_bad_bin_and_account(bin_code, account, code):
    with pytest.raises(VietQRError) as caught:
        build_payload(bin_code, account)
    assert caught.value.code == code


def test_builder_rejects_unknown_service_and_bad_bill_number():
    with pytest.raises(VietQRError) as caught:
        build_payload("970405", "123", service="QRPUSH")
    assert caught.value.code == "invalid_service" and caught.value.params == {"service": "QRPUSH"}
    for bill in ("", "x" * 26, "hóa đơn"):
        with pytest.raises(VietQRError) as caught:
            build_payload("970405", "123", bill_number=bill)
        assert caught.value.code == "invalid_bill_number"


# --- parser structure --------------------------------------------------------

def test_lowercase_crc_accepted():
    assert parse_payload(DYNAMIC_ACB[:-4] + DYNAMIC_ACB[-4:].lower()).amount == 10000


def test_non_ascii_memo_counted_in_characters_is_accepted():
    body = DYNAMIC_ACB[:-8].replace("62150811Chuyen tien", "62220818Thanh toán hóa đơn")
    assert parse_payload(sealed(body)).memo == "Thanh toán hóa đơn"


def test_empty_or_not_text_or_too_long():
    assert reason("") == "empty"
    assert reason(None) == "empty"
    assert reason(b"000201") == "empty"
    assert reason("000201" + "0" * 507) == "too_long"


def test_format_indicator_must_come_first():
    assert reason("hello") == "format_indicator"
    assert reason(sealed("010211000201" + STATIC_ACB[12:-8])) == "format_indicator"
    assert reason(sealed("000202" + STATIC_ACB[6:-8])) == "format_indicator"


def test_crc_must_be_last():
    assert reason(STATIC_ACB + "5802VN") == "crc_not_last"


@pytest.mark.parametrize("garbage", ["x", "\n", "12", "99"])
def test_trailing_garbage_rejected(garbage):
    assert reason(STATIC_ACB + garbage) == "trailing_data"


def test_crc_missing_or_malformed():
    assert reason(STATIC_ACB[:-8]) == "missing_field"
    assert reason(STATIC_ACB[:-8] + "6304XYZW") == "crc_missing_or_invalid"
    assert reason(STATIC_ACB[:-8] + "6305ABCDE") == "crc_missing_or_invalid"
    assert reason(STATIC_ACB[:-8] + "6304AE9") == "length_mismatch"


def test_duplicated_ids_rejected_at_each_level():
    assert reason(sealed(STATIC_ACB[:-8] + "5802VN")) == "duplicate_field"
    assert reason(sealed(STATIC_ACB[:-8] + "6304AE9F")) == "duplicate_field"
    body = DYNAMIC_ACB[:-8].replace("62150811Chuyen tien", "62200803abc0803def0802gh")
    with pytest.raises(VietQRError) as caught:
        parse_payload(sealed(body))
    assert (caught.value.code, caught.value.params) == ("duplicate_field", {"field": "62.08"})


@pytest.mark.parametrize("removed, field", [
    ("010211", "01"), ("5303704", "53"), ("5802VN", "58"),
    ("38530010A0000007270123000697041601092576788590208QRIBFTTA", "38"),
])
def test_missing_mandatory_top_level_field(removed, field):
    with pytest.raises(VietQRError) as caught:
        parse_payload(sealed(STATIC_ACB[:-8].replace(removed, "")))
    assert (caught.value.code, caught.value.params) == ("missing_field", {"field": field})


def test_missing_fields_inside_the_napas_template():
    no_service = STATIC_ACB[:-8].replace("38530010A0000007270123000697041601092576788590208QRIBFTTA",
                                         "38410010A000000727012300069704160109257678859")
    with pytest.raises(VietQRError) as caught:
        parse_payload(sealed(no_service))
    assert (caught.value.code, caught.value.params) == ("missing_field", {"field": "38.02"})
    no_account = STATIC_ACB[:-8].replace("38530010A00000072701230006970416010925767885902",
                                         "38400010A0000007270110000697041602")
    with pytest.raises(VietQRError) as caught:
        parse_payload(sealed(no_account))
    assert (caught.value.code, caught.value.params) == ("missing_field", {"field": "38.01.01"})


def test_missing_guid_rejected():
    other_guid = STATIC_ACB[:-8].replace("A000000727", "A000000728")
    assert reason(sealed(other_guid)) == "missing_guid"


@pytest.mark.parametrize("old, new, code", [
    ("010212", "010213", "invalid_point_of_initiation"),
    ("5303704", "5303840", "unsupported_currency"),
    ("540510000", "540510.00", "invalid_amount"),
    ("540510000", "540500000", "invalid_amount"),
    ("540510000", "540550 00", "invalid_amount"),
])
def test_field_values_checked(old, new, code):
    assert reason(sealed(DYNAMIC_ACB[:-8].replace(old, new))) == code


def test_error_str_is_an_english_sentence_with_params():
    error = VietQRError("crc_mismatch", {"found": "BBB5", "expected": "BBB8"})
    assert str(error) == "Checksum mismatch: the code says BBB5 but its content gives BBB8."
    assert isinstance(error, ValueError)


# --- property: build -> parse round trip --------------------------------------

def test_round_trip_over_random_inputs():
    rng = random.Random(20240311)
    alphabet = "abcdeđĐàáạảãâầấậăằắờơưứĂÂÊÔƠƯ ABCXYZ0123456789#-–,.!?/\t"
    for _ in range(2000):
        bin_code = "".join(rng.choices("0123456789", k=6))
        account = "".join(rng.choices("0123456789" + "ABCDEFabcdef" * (rng.random() < 0.2), k=rng.randint(1, 19)))
        amount = rng.choice([None, rng.randint(1, 499_999_999), rng.randint(1, 999)])
        memo = rng.choice([None, "".join(rng.choices(alphabet, k=rng.randint(0, 60)))])
        service = rng.choice(["QRIBFTTA", "QRIBFTTC"])
        bill = rng.choice([None, "".join(rng.choices("ABC123 -*", k=rng.randint(1, 25)))])
        payload = build_payload(bin_code, account, amount=amount, memo=memo, service=service, bill_number=bill)

        parsed = parse_payload(payload)
        assert (parsed.bin, parsed.account, parsed.service, parsed.amount) == (bin_code, account, service, amount)
        assert parsed.memo == (fit_memo(memo).text or None)
        assert parsed.bill_number == bill
        assert parsed.point_of_initiation == ("11" if amount is None else "12")
        assert payload.isascii() and len(payload) <= 512
        rebuilt = build_payload(parsed.bin, parsed.account, amount=parsed.amount, memo=parsed.memo,
                                service=parsed.service, bill_number=parsed.bill_number)
        assert rebuilt == payload
