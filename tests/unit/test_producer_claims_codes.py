"""Claim codes: alphabet, normalisation, selector and hash."""
import pytest

from producers import claims

CHEAP = "scrypt:1024:8:1"


def test_new_codes_use_only_unambiguous_characters():
    codes = {claims.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == claims.CODE_LENGTH
        assert not set(code) & set("0O1IL2Z5S8B")


@pytest.mark.parametrize("typed, expected", [
    ("ACDEF-GHJKM", "ACDEFGHJKM"),
    (" acdef ghjkm ", "ACDEFGHJKM"),
    ("acdef.ghjkm", "ACDEFGHJKM"),
    ("ACDEF-GHJK", None),
    ("ACDEF-GHJKMN", None),
    ("ACDEF-GHJK0", None),
    ("", None),
    (None, None),
])
def test_normalise(typed, expected):
    assert claims.normalise(typed) == expected


def test_display_groups_by_five():
    assert claims.display("ACDEFGHJKM") == "ACDEF-GHJKM"


def test_stored_value_keeps_only_a_selector_and_a_hash():
    code = claims.new_code()
    stored = claims.stored_value(code, method=CHEAP)
    assert stored.startswith(claims.stored_prefix(code))
    assert code not in stored
    assert claims.matches(stored, code)
    other = code[:3] + ("A" if code[3] != "A" else "C") + code[4:]
    assert not claims.matches(stored, other)
    assert not claims.matches(None, code)
    assert not claims.matches("garbage", code)
    assert not claims.matches(stored, None)
