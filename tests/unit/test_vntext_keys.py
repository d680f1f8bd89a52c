"""normalize, fold_key, syllables: the exact and folded search forms."""
import unicodedata

import pytest

from vntext import fold_key, folded_syllables, has_diacritics, normalize, syllables


def test_normalize_is_nfc_canonical_lower():
    nfd = unicodedata.normalize("NFD", "Cam HOÀ Bình")
    assert normalize(nfd) == "cam hòa bình"
    assert normalize("Mắm tôm Thanh Hoá") == normalize("MẮM TÔM THANH HÓA")


@pytest.mark.parametrize("a, b", [
    ("Tỏi Lý Sơn", "tỏi lí sơn"), ("kỹ", "kĩ"), ("Mỹ Tho", "mĩ tho"),
    ("quý", "quí"), ("Đường", "duong"), ("hoà", "hòa"), ("Thuỷ", "thủy"),
])
def test_fold_key_merges_spelling_variants(a, b):
    assert fold_key(a) == fold_key(b)


@pytest.mark.parametrize("text, expected", [
    ("ý", "y"), ("thủy", "thuy"), ("huy", "huy"), ("nguy", "nguy"),
    ("yến", "yen"), ("quyết", "quyet"), ("lý", "li"), ("quý", "qui"),
    ("Đà Lạt", "da lat"), ("ST25", "st25"), ("tuy", "tuy"),
])
def test_fold_key_keeps_y_alone_and_uy(text, expected):
    assert fold_key(text) == expected


def test_syllables_keep_short_words_and_codes():
    assert syllables("Dưa hấu Long An") == ["dưa", "hấu", "long", "an"]
    assert syllables("Khô cá lóc U Minh") == ["khô", "cá", "lóc", "u", "minh"]
    assert syllables("Gạo thơm ST25 (5kg)") == ["gạo", "thơm", "st25", "5kg"]
    assert syllables("sa-pô-chê") == ["sa", "pô", "chê"]


def test_syllables_of_decomposed_text_match_composed():
    text = "Cá chạch sấy khô"
    assert syllables(unicodedata.normalize("NFD", text)) == syllables(text)


def test_folded_syllables():
    assert folded_syllables("Tỏi cô đơn Lý Sơn") == ["toi", "co", "don", "li", "son"]


def test_has_diacritics():
    assert has_diacritics("mật ong") and has_diacritics("đa")
    assert not has_diacritics("mat ong") and not has_diacritics("ST25")
