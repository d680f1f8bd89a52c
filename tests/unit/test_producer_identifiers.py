"""Pure identifier rules: tax codes, personal IDs, decision numbers, bank fields."""
import pytest

from producers.rules import (IdentifierError, mask_personal_id, normalise_account_number,
                                   normalise_decision_number, normalise_holder_name, normalise_tax_code)


@pytest.mark.parametrize("kind, typed, stored", [
    ("cooperative", "0100233488", "0100233488"),
    ("cooperative", " 0100 233 488 ", "0100233488"),
    ("enterprise", "0100233488-001", "0100233488-001"),
    ("enterprise", "0100233488001", "0100233488-001"),
    ("household", "0100233488", "0100233488"),
    ("household", "001085012345", "001085012345"),
    ("household", "034.201.012.345", "034201012345"),
    ("cooperative", "", None),
    ("cooperative", None, None),
])
def test_valid_tax_codes(kind, typed, stored):
    assert normalise_tax_code(kind, typed) == stored


@pytest.mark.parametrize("kind, typed, code", [
    ("cooperative", "0100233480", "tax_code_checksum"),
    ("cooperative", "0100233488-000", "tax_code_invalid"),
    ("cooperative", "12345", "tax_code_format"),
    ("cooperative", "01002334881", "tax_code_format"),
    ("cooperative", "01OO233488", "tax_code_format"),
    ("cooperative", "001085012345", "personal_id_not_allowed"),
    ("household", "001985012345", "personal_id_format"),
])
def test_invalid_tax_codes(kind, typed, code):
    with pytest.raises(IdentifierError) as error:
        normalise_tax_code(kind, typed)
    assert error.value.code == code


def test_personal_ids_are_masked_but_tax_codes_are_not():
    assert mask_personal_id("001085012345") == "••••••••2345"
    assert mask_personal_id("0100233488") == "0100233488"
    assert mask_personal_id(None) is None


@pytest.mark.parametrize("typed, stored", [
    ("3981/QĐ-UBND", "3981/QĐ-UBND"),
    ("3981 / qđ-ubnd", "3981/QĐ-UBND"),
    ("3981/QD-UBND", "3981/QĐ-UBND"),
    ("12/2024/QĐ-UBND", "12/2024/QĐ-UBND"),
    ("275a/QĐ-SNN", "275A/QĐ-SNN"),
    ("1520/QĐ-UBND.KT", "1520/QĐ-UBND.KT"),
])
def test_decision_numbers(typed, stored):
    assert normalise_decision_number(typed) == stored


@pytest.mark.parametrize("typed, code", [
    ("", "decision_number_missing"),
    ("quyết định 5", "decision_number_format"),
    ("QĐ-UBND", "decision_number_format"),
    ("3981/UBND", "decision_number_format"),
    ("3981/QĐ-", "decision_number_format"),
    ("1" * 70 + "/QĐ-UBND", "decision_number_format"),
])
def test_bad_decision_numbers(typed, code):
    with pytest.raises(IdentifierError) as error:
        normalise_decision_number(typed)
    assert error.value.code == code


@pytest.mark.parametrize("typed, stored", [
    ("1903 6547 8901 23", "19036547890123"),
    ("123456", "123456"),
    ("1234.5678-90", "1234567890"),
    ("9" * 19, "9" * 19),
])
def test_account_numbers(typed, stored):
    assert normalise_account_number(typed) == stored


@pytest.mark.parametrize("typed, code", [
    ("12ab34", "account_number_digits"),
    ("1" * 30, "account_number_length"),
    ("12345", "account_number_length"),
    ("", "account_number_missing"),
    ("١٢٣٤٥٦٧", "account_number_digits"),  # Arabic-Indic digits pass str.isdigit() but not the bank
])
def test_bad_account_numbers(typed, code):
    with pytest.raises(IdentifierError) as error:
        normalise_account_number(typed)
    assert error.value.code == code


@pytest.mark.parametrize("typed, stored", [
    ("Nguyễn Thị Hoà", "NGUYEN THI HOA"),
    ("  hợp tác xã   Đồng Tâm ", "HOP TAC XA DONG TAM"),
    ("Cty TNHH Sơn & Hà (CN 2)", "CTY TNHH SON & HA (CN 2)"),
])
def test_holder_names(typed, stored):
    assert normalise_holder_name(typed) == stored


@pytest.mark.parametrize("typed, code", [
    ("", "holder_name_missing"),
    ("<script>", "holder_name_characters"),
    ("Nguyễn\nVăn", None),
    ("A" * 101, "holder_name_length"),
])
def test_bad_holder_names(typed, code):
    if code is None:
        assert normalise_holder_name(typed) == "NGUYEN VAN"
        return
    with pytest.raises(IdentifierError) as error:
        normalise_holder_name(typed)
    assert error.value.code == code
