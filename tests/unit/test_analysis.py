"""Whoosh analyzers share vntext's functions at index and query time."""
import pickle
import unicodedata

import pytest

from search.analysis import (
    analyze, exact_analyzer, folded_analyzer, folded_bigram_analyzer,
)
from vntext import fold_key, syllables

EXACT, FOLDED, BIGRAM = exact_analyzer(), folded_analyzer(), folded_bigram_analyzer()


@pytest.mark.parametrize("name, exact, folded", [
    ("Cá chạch sấy khô", ["cá", "chạch", "sấy", "khô"], ["ca", "chach", "say", "kho"]),
    ("Bánh đa nem Làng Chều", ["bánh", "đa", "nem", "làng", "chều"],
     ["banh", "da", "nem", "lang", "cheu"]),
    ("Cam Cao Phong Hoà Bình", ["cam", "cao", "phong", "hòa", "bình"],
     ["cam", "cao", "phong", "hoa", "binh"]),
    ("Gạo thơm ST25 Sóc Trăng", ["gạo", "thơm", "st25", "sóc", "trăng"],
     ["gao", "thom", "st25", "soc", "trang"]),
    ("Tỏi cô đơn Lý Sơn", ["tỏi", "cô", "đơn", "lý", "sơn"], ["toi", "co", "don", "li", "son"]),
    ("Nước mắm cá cơm Phú Quốc (500ml)", ["nước", "mắm", "cá", "cơm", "phú", "quốc", "500ml"],
     ["nuoc", "mam", "ca", "com", "phu", "quoc", "500ml"]),
])
def test_product_names(name, exact, folded):
    assert analyze(EXACT, name) == exact
    assert analyze(FOLDED, name) == folded


def test_no_stop_words_no_minimum_length():
    assert analyze(EXACT, "Dưa hấu Long An") == ["dưa", "hấu", "long", "an"]
    assert analyze(EXACT, "Khô cá lóc U Minh") == ["khô", "cá", "lóc", "u", "minh"]
    assert analyze(FOLDED, "ý ổ a in on at") == ["y", "o", "a", "in", "on", "at"]


@pytest.mark.parametrize("analyzer", [EXACT, FOLDED, BIGRAM])
def test_nfd_input_tokenises_like_nfc(analyzer):
    text = "Chè Shan Tuyết Suối Giàng, cá chạch"
    assert analyze(analyzer, unicodedata.normalize("NFD", text)) == analyze(analyzer, text)


def test_tone_styles_and_case_meet():
    assert analyze(EXACT, "MẮM TÔM THANH HÓA") == analyze(EXACT, "mắm tôm thanh hoá")
    assert analyze(FOLDED, "tỏi lí sơn") == analyze(FOLDED, "Tỏi Lý Sơn")


def test_index_and_query_use_the_same_vntext_functions():
    text = "Thịt lợn gác bếp Sơn La, khoẻ"
    assert analyze(EXACT, text, mode="query") == syllables(text)
    assert analyze(FOLDED, text, mode="query") == [fold_key(s) for s in syllables(text)]


def test_bigrams_are_adjacent_folded_syllables():
    assert analyze(BIGRAM, "Chè xanh Tân Cương") == ["che xanh", "xanh tan", "tan cuong"]
    assert analyze(BIGRAM, "dứa") == ["dua"]
    assert analyze(BIGRAM, "") == []


def test_positions_and_chars_refer_to_nfc_text():
    text = unicodedata.normalize("NFD", "Mật ong")
    tokens = [(t.text, t.pos, t.startchar, t.endchar)
              for t in EXACT(text, positions=True, chars=True)]
    assert tokens == [("mật", 0, 0, 3), ("ong", 1, 4, 7)]


@pytest.mark.parametrize("factory", [exact_analyzer, folded_analyzer, folded_bigram_analyzer])
def test_analyzers_survive_pickling_into_a_schema(factory):
    restored = pickle.loads(pickle.dumps(factory()))
    assert restored == factory()
    assert analyze(restored, "Hoà Bình") == analyze(factory(), "Hòa Bình")
