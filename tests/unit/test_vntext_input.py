"""Telex/VNI leftovers and legacy-encoding detection."""
import pytest

from vntext import legacy_encoding_score, looks_like_legacy_encoding, telex_decode, vni_decode


@pytest.mark.parametrize("token, expected", [
    ("chachj", "chạch"), ("cas", "cá"), ("dduwowngf", "đường"), ("nuwowcs", "nước"),
    ("mawms", "mắm"), ("maatj", "mật"), ("xoaif", "xoài"), ("ruwowuj", "rượu"),
    ("tieengs", "tiếng"), ("gias", "giá"), ("quas", "quá"), ("hoaf", "hòa"),
    ("nguoiwf", "người"), ("duongw", "dương"), ("tw", "tư"), ("CAS", "cá"),
    ("caz", "ca"), ("ddoongf", "đồng"),
])
def test_telex_decodes(token, expected):
    assert telex_decode(token) == expected


@pytest.mark.parametrize("token", [
    "ca", "chach", "an", "u", "st25", "", "mật", "kas",  # no keys / not ASCII / k+a
    "cafs",      # stop final c only takes sắc or nặng
    "casf",      # two tone keys
    "xyzs",      # not a syllable
    "ngest",
])
def test_telex_rejects_implausible_tokens(token):
    assert telex_decode(token) is None


@pytest.mark.parametrize("token, expected", [
    ("ca1", "cá"), ("d9u7o72ng", "đường"), ("nu7o71c", "nước"), ("ma8m1", "mắm"),
    ("ma6t5", "mật"), ("nguoi72", "người"), ("tieng61", "tiếng"), ("cha5ch", "chạch"),
    ("d9a", "đa"),
])
def test_vni_decodes(token, expected):
    assert vni_decode(token) == expected


@pytest.mark.parametrize("token", ["ca", "st25", "2024", "c7a", "ca12", "cha2ch", "b9a"])
def test_vni_rejects_implausible_tokens(token):
    assert vni_decode(token) is None


@pytest.mark.parametrize("text", [
    "C¸ ch¹ch sÊy kh«",       # TCVN3 (ABC)
    "®µ L¹t",                  # TCVN3 đà
    "Caù chaïch saáy khoâ",   # VNI-Windows
    "ñöôøng",                  # VNI đường
    "Caù",
])
def test_legacy_text_is_flagged(text):
    assert looks_like_legacy_encoding(text)


@pytest.mark.parametrize("text", [
    "Cá chạch sấy khô", "Hoà Bình", "Thanh Hoá, thuỷ sản", "Đà Lạt",
    "Bảo quản dưới 25°C", "Dasani® 500ml", "© 2024 Chợ Quê", "½ kg · 250g",
    "Müller", "crème brûlée", "", "ST25",
])
def test_proper_unicode_is_not_flagged(text):
    assert not looks_like_legacy_encoding(text)


def test_score_grows_with_signs():
    assert legacy_encoding_score("C¸ ch¹ch") > legacy_encoding_score("C¸") > 0
