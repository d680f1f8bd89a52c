"""canonical_tones: both tone-placement styles normalise to one spelling."""
import unicodedata

import pytest

from vntext import canonical_tones, place_tone, split_syllable, tone_index

# (new style, traditional style): the project keeps the traditional one.
STYLE_PAIRS = [
    ("hoà", "hòa"), ("khoẻ", "khỏe"), ("thuỷ", "thủy"), ("loà", "lòa"),
    ("thoà", "thòa"), ("soà", "sòa"), ("roá", "róa"), ("nhoá", "nhóa"),
    ("toẽ", "tõe"), ("hoá", "hóa"), ("tuỳ", "tùy"), ("xoè", "xòe"),
    ("hoạ", "họa"), ("thuý", "thúy"),
]


@pytest.mark.parametrize("new_style, traditional", STYLE_PAIRS)
def test_both_styles_give_the_traditional_spelling(new_style, traditional):
    assert canonical_tones(new_style) == traditional
    assert canonical_tones(traditional) == traditional


# Words with only one correct placement must come back unchanged, and a tone
# typed on the wrong vowel must move to the right one.
FIXED_PLACEMENT = [
    ("quả", "qủa"),      # u of qu belongs to the onset
    ("quý", "qúy"),
    ("giữ", "gĩư"),      # i of gi belongs to the onset
    ("già", "gìa"),
    ("được", "đựơc"),    # ươ takes the tone on ơ
    ("người", "ngừơi"),
    ("hoàng", "hòang"),  # a final consonant puts it on the last vowel
    ("huỳnh", "hùynh"),
    ("toán", "tóan"),
    ("mía", "miá"),      # open syllable: second-to-last vowel
    ("xoài", "xoaì"),
    ("múa", "muá"),
    ("khuỷu", "khủyu"),
    ("tiếng", "tíêng"),
]


@pytest.mark.parametrize("correct, misplaced", FIXED_PLACEMENT)
def test_single_placement_words(correct, misplaced):
    assert canonical_tones(correct) == correct
    assert canonical_tones(misplaced) == correct


@pytest.mark.parametrize("word", ["gì", "gìn", "ý", "ổ", "thuở", "huệ", "xoắn", "tuần"])
def test_words_without_alternatives_are_stable(word):
    assert canonical_tones(word) == word


def test_keeps_case_and_punctuation():
    assert canonical_tones("Cam Hoà Bình, THUỶ SẢN!") == "Cam Hòa Bình, THỦY SẢN!"


def test_decomposed_input_is_composed_and_moved():
    assert canonical_tones(unicodedata.normalize("NFD", "Hoà Bình")) == "Hòa Bình"


@pytest.mark.parametrize("text", ["café", "ST25", "Huế", "Pokémon", "100%", ""])
def test_non_syllables_are_left_alone(text):
    assert canonical_tones(text) == unicodedata.normalize("NFC", text)


def test_idempotent_on_a_sentence():
    text = "Mắm tôm Hậu Lộc Thanh Hoá, khoẻ và thuỷ chung"
    once = canonical_tones(text)
    assert canonical_tones(once) == once == "Mắm tôm Hậu Lộc Thanh Hóa, khỏe và thủy chung"


def test_split_syllable_handles_qu_gi_and_rejects_foreign_shapes():
    assert split_syllable("qua") == ("qu", "a", "")
    assert split_syllable("giưa") == ("gi", "ưa", "")
    assert split_syllable("gin") == ("g", "i", "n")
    assert split_syllable("nghiêng") == ("ngh", "iê", "ng")
    assert split_syllable("cafe") is None
    assert split_syllable("st") is None


def test_tone_index_rules():
    assert tone_index("ươ", "c") == 1
    assert tone_index("oa", "") == 0
    assert tone_index("oa", "ng") == 1
    assert tone_index("oai", "") == 1


def test_place_tone():
    assert place_tone("đương", "\u0300") == "đường"
    assert place_tone("xyz", "\u0301") is None
