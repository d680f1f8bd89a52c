"""Known-answer tests from docs/VIETQR.md §5."""
import pytest

from payments.vietqr import (
    VietQRError,
    build_payload,
    crc16_ccitt_false,
    parse_payload,
)

# (vector number, payload, expected decoded fields)
VALID = [
    (1, "00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN63044F52",
     dict(bin="970403", account="9704031101234567", service="QRIBFTTC", amount=None, memo=None, bill_number=None,
          point_of_initiation="11")),
    (2, "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN"
        "62340107NPS68690819thanh toan don hang63042E2E",
     dict(bin="970403", account="0011012345678", service="QRIBFTTA", amount=180000, memo="thanh toan don hang",
          bill_number="NPS6869", point_of_initiation="12")),
    (3, "00020101021238600010A00000072701300006970403011697040311012345670208QRIBFTTC530370454061800005802VN"
        "62340107NPS68690819thanh toan don hang6304A203",
     dict(bin="970403", account="9704031101234567", service="QRIBFTTC", amount=180000, memo="thanh toan don hang",
          bill_number="NPS6869", point_of_initiation="12")),
    (4, "00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN6304CBB4",
     dict(bin="970423", account="0099999999", service="QRIBFTTA", amount=None, memo=None, bill_number=None,
          point_of_initiation="11")),
    (5, "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA53037045405401235802VN"
        "62200816test text string6304D9C6",
     dict(bin="970422", account="0023457923442", service="QRIBFTTA", amount=40123, memo="test text string",
          bill_number=None, point_of_initiation="12")),
    (6, "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA53037045405401235802VN"
        "62160812chuyen khoan6304722F",
     dict(bin="970422", account="0023457923442", service="QRIBFTTA", amount=40123, memo="chuyen khoan",
          bill_number=None, point_of_initiation="12")),
    (7, "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN"
        "62170813ung ho lu lut6304C15C",
     dict(bin="970415", account="0011001932418", service="QRIBFTTA", amount=120000, memo="ung ho lu lut",
          bill_number=None, point_of_initiation="12")),
    (8, "00020101021238630010A0000007270133000697042201190023457923442ASDFLJ0208QRIBFTTA53037045405401235802VN"
        "62290825chuyen khoan alsdkf laksj6304E5DB",
     dict(bin="970422", account="0023457923442ASDFLJ", service="QRIBFTTA", amount=40123,
          memo="chuyen khoan alsdkf laksj", bill_number=None, point_of_initiation="12")),
    (9, "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540410005802VN"
        "62150811Chuyen tien6304BBB8",
     dict(bin="970416", account="257678859", service="QRIBFTTA", amount=1000, memo="Chuyen tien", bill_number=None,
          point_of_initiation="12")),
    (10, "00020101021138580010A000000727012800069704070114190304136010180208QRIBFTTA53037045802VN63040283",
     dict(bin="970407", account="19030413601018", service="QRIBFTTA", amount=None, memo=None, bill_number=None,
          point_of_initiation="11")),
    (11, "00020101021138540010A00000072701240006970422011003523509170208QRIBFTTA53037045802VN630479db",
     dict(bin="970422", account="0352350917", service="QRIBFTTA", amount=None, memo=None, bill_number=None,
          point_of_initiation="11")),
    (12, "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F",
     dict(bin="970416", account="257678859", service="QRIBFTTA", amount=None, memo=None, bill_number=None,
          point_of_initiation="11")),
    (13, "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN"
         "62150811Chuyen tien630453E6",
     dict(bin="970416", account="257678859", service="QRIBFTTA", amount=10000, memo="Chuyen tien", bill_number=None,
          point_of_initiation="12")),
    (14, "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA530370454069999995802VN"
         "62140810Cam on nhe6304E786",
     dict(bin="970416", account="257678859", service="QRIBFTTA", amount=999999, memo="Cam on nhe", bill_number=None,
          point_of_initiation="12")),
    (15, "00020101021238570010A00000072701270006970405011312345678901230208QRIBFTTA530370454061500005802VN"
         "62190815Don hang DH102363048EFF",
     dict(bin="970405", account="1234567890123", service="QRIBFTTA", amount=150000, memo="Don hang DH1023",
          bill_number=None, point_of_initiation="12")),
]

# The reference requires the builder to reproduce these exactly.
BUILDER_VECTORS = (1, 2, 3, 6, 7, 12, 13, 15)

N3 = ("0002010102113838000697042201120023457923440208QRIBFTTA530370454061800005802VN"
      "62160814ung ho bao lut6304E69F")
REJECTED = [
    ("N1", "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540410005802VN"
           "62150811Chuyen tien6304BBB5", "crc_mismatch", {"found": "BBB5", "expected": "BBB8"}),
    ("N2", "00020101021138570010A00000072701270006970403011200110123456780208QRIBFTTA53037045802VN6304F4E5",
     "length_mismatch", {"field": "38.01.01"}),
    ("N3", N3, "crc_mismatch", {"found": "E69F", "expected": "13BC"}),
    ("N4", "00020101021238570010A00000072701390006970422011301234567890200208QRIBFTTA53037045405500005802VN"
           "62160812Test Payment630495B6", "bad_nesting", {"field": "38.01.02", "parent": "38.01"}),
    ("N5", "00020101021238570010A00000072701390006970422011301234567890200208QRIBFTTA53037045405100005802VN"
           "62260822Thanh toán hóa đơn630432F8", "length_in_bytes", {"field": "62.08"}),
]


def with_fresh_crc(payload: str) -> str:
    """Replace the last 4 characters with the CRC the content gives."""
    return payload[:-4] + crc16_ccitt_false(payload[:-4])


def test_crc_check_value():
    assert crc16_ccitt_false("123456789") == "29B1"
    assert crc16_ccitt_false(b"123456789") == "29B1"


@pytest.mark.parametrize("number, payload, expected", VALID, ids=[f"V{v[0]}" for v in VALID])
def test_valid_vector_parses_to_documented_fields(number, payload, expected):
    parsed = parse_payload(payload)
    for name, value in expected.items():
        assert getattr(parsed, name) == value, name
    assert (parsed.currency, parsed.country) == ("704", "VN")
    assert parsed.crc == payload[-4:].upper()
    assert parsed.is_dynamic == (expected["amount"] is not None)


@pytest.mark.parametrize("number, payload, expected", VALID, ids=[f"V{v[0]}" for v in VALID])
def test_builder_reproduces_vector_from_its_fields(number, payload, expected):
    built = build_payload(expected["bin"], expected["account"], amount=expected["amount"], memo=expected["memo"],
                          service=expected["service"], bill_number=expected["bill_number"])
    # Vector 11 carries a lowercase CRC; the builder always writes uppercase.
    assert built == payload[:-4] + payload[-4:].upper()


def test_required_builder_vectors_are_covered():
    assert set(BUILDER_VECTORS) <= {number for number, _p, _e in VALID}
    assert build_payload("970405", "1234567890123", amount=150000, memo="Đơn hàng DH1023") == VALID[14][1]


@pytest.mark.parametrize("name, payload, code, params", REJECTED, ids=[r[0] for r in REJECTED])
def test_negative_vector_rejected_with_reason(name, payload, code, params):
    with pytest.raises(VietQRError) as caught:
        parse_payload(payload)
    assert caught.value.code == code
    assert caught.value.params == params


def test_n3_faults_behind_the_crc_are_found_too():
    # With its CRC fixed, N3's miscounted 62 length shows...
    with pytest.raises(VietQRError) as caught:
        parse_payload(with_fresh_crc(N3))
    assert (caught.value.code, caught.value.params) == ("length_mismatch", {"field": "62"})
    # ...and with that length fixed too, the missing NAPAS GUID.
    with pytest.raises(VietQRError) as caught:
        parse_payload(with_fresh_crc(N3.replace("6216", "6218")))
    assert caught.value.code == "missing_guid"


def test_n5_with_character_lengths_still_fails_on_its_nesting():
    # N5 also nests the service code inside 38.01, like N4.
    fixed = with_fresh_crc(REJECTED[4][1].replace("62260822", "62220818"))
    with pytest.raises(VietQRError) as caught:
        parse_payload(fixed)
    assert caught.value.code == "bad_nesting"
