"""Query planning: cleaning, Telex/VNI decoding, synonyms, prefixes, the typo stage."""
import unicodedata

import pytest

from search.plan import (
    MAX_QUERY_CHARS, MAX_WORDS, Vocabulary, clean_query, confusion_variants, last_word_as_prefix,
    make_word, plan_query, with_corrections,
)
from vntext import fold_key

INDEX_WORDS = ["cá chạch sấy khô", "mật ong bạc hà", "nước mắm", "chuối tây sấy dẻo", "bưởi da xanh",
               "nem chua thanh hóa", "rượu ngô", "cà phê", "tỏi lý sơn", "xay sẵn"]
EXACT = {word for text in INDEX_WORDS for word in text.split()}
FOLDED = {fold_key(word) for word in EXACT}


def vocabulary(neighbours=()):
    return Vocabulary(knows_folded=FOLDED.__contains__, knows_exact=EXACT.__contains__,
                      neighbours=lambda folded: list(neighbours))


def alternatives(plan):
    return [[alt.text for alt in clause.alternatives] for clause in plan.clauses]


@pytest.mark.parametrize("raw, cleaned", [
    ("  mật   ong ", "mật ong"),
    ("mật\x00ong\x1b[0m", "mật ong [0m"),
    ("title:(mật ong)", "title:(mật ong)"),
    (unicodedata.normalize("NFD", "chè"), "chè"),
    ("🍯 mật ong 🐝", "🍯 mật ong 🐝"),
    (None, ""),
    (42, ""),
])
def test_clean_query(raw, cleaned):
    assert clean_query(raw) == cleaned


def test_clean_query_caps_long_input_cheaply():
    assert len(clean_query("mật ong " * 2000)) <= MAX_QUERY_CHARS
    assert len(clean_query("(" * 1000)) == MAX_QUERY_CHARS


def test_syntax_is_only_text():
    plan = plan_query('title:(mat ong) AND NOT "x" OR *', vocabulary())
    words = [w.text for w in plan.user_words()]
    assert words == ["title", "mat", "ong", "and", "not", "x", "or"]


def test_word_count_is_capped():
    plan = plan_query(" ".join(["ong"] * 50), vocabulary())
    assert len(plan.user_words()) == MAX_WORDS


def test_telex_decoded_only_when_the_literal_word_is_unknown():
    plan = plan_query("cas chachj", vocabulary())
    assert [w.text for w in plan.user_words()] == ["cá", "chạch"]
    assert {w.source for w in plan.user_words()} == {"telex"}
    # "ca" is a known word: never decoded even though "ca" + nothing is valid Telex
    assert [w.text for w in plan_query("ca chach", vocabulary()).user_words()] == ["ca", "chach"]


def test_telex_not_decoded_into_unknown_words():
    assert [w.text for w in plan_query("khoong", vocabulary()).user_words()] == ["khoong"]
    assert [w.text for w in plan_query("mawts", vocabulary()).user_words()] == ["mắt"]  # folds to known "mat"


def test_vni_leftovers():
    plan = plan_query("ca1 cha5ch", vocabulary())
    assert [w.text for w in plan.user_words()] == ["cá", "chạch"]


def test_synonyms_expand_with_weights_and_one_way_traps():
    plan = plan_query("rượu bắp", vocabulary())
    assert alternatives(plan) == [["rượu"], ["bắp", "ngô"]]
    assert [alt.weight for alt in plan.clauses[1].alternatives] == [1.0, 0.6]
    assert alternatives(plan_query("gạo thơm", vocabulary())) == [["gạo thơm"]]  # excluded pair
    assert alternatives(plan_query("thơm", vocabulary())) == [["thơm", "dứa", "khóm"]]
    assert ["dứa", "khóm"] == alternatives(plan_query("dứa", vocabulary()))[0]  # never back to thơm


def test_accent_free_queries_use_folded_synonyms():
    plan = plan_query("thit heo", vocabulary())
    assert alternatives(plan) == [["thit"], ["heo", "lon"]]


def test_mixed_query_expands_its_accent_free_words_too():
    plan = plan_query("coffee buôn ma thuột", vocabulary())
    assert "cà phê" in alternatives(plan)[0]
    plan = plan_query("ca phe buôn ma thuột", vocabulary())
    assert alternatives(plan)[0] == ["ca phe", "cafe", "coffee"]


def test_prefix_for_search_as_you_type():
    plan = plan_query("mat o", vocabulary(), prefix_last=True)
    assert [w.text for w in plan.user_words()] == ["mat"]
    assert plan.prefix == "o"
    assert plan_query("Mật Ô", vocabulary(), prefix_last=True).prefix == "o"


def test_last_word_as_prefix_fallback():
    plan = last_word_as_prefix(plan_query("banh d", vocabulary()))
    assert plan.prefix == "d" and [w.text for w in plan.user_words()] == ["banh"]
    synonym_last = plan_query("rượu bắp", vocabulary())
    assert last_word_as_prefix(synonym_last) is synonym_last


@pytest.mark.parametrize("word, expected", [
    ("xấy", "sấy"), ("sanh", "xanh"), ("trua", "chua"), ("chanh", "tranh"), ("ruou", "duou"),
    ("lam", "nam"), ("cam", "cam"), ("bat", "bac"),
])
def test_confusion_variants(word, expected):
    variants = [v.text for v in confusion_variants(make_word(word))]
    assert (expected in variants) == (expected != word)


def test_confusions_keep_digraph_onsets_whole():
    variants = [v.text for v in confusion_variants(make_word("nhanh"))]
    assert "lhanh" not in variants and "nhanhg" not in variants


def test_corrections_only_for_unknown_words():
    plan = with_corrections(plan_query("chuối xấy dẻo", vocabulary()), vocabulary())
    assert plan.corrected and plan.corrections == {"xấy": "sấy"}
    assert plan.display == "chuối sấy dẻo"
    assert alternatives(plan)[1] == ["xấy", "sấy"]
    known = plan_query("nem chua", vocabulary())
    assert with_corrections(known, vocabulary()) is known


def test_fuzzy_neighbours_only_when_no_confusion_fits():
    plan = with_corrections(plan_query("mqt ong", vocabulary()), vocabulary(neighbours=["mat"]))
    assert plan.corrections == {"mqt": "mat"}
    short = with_corrections(plan_query("zz", vocabulary()), vocabulary(neighbours=["za"]))
    assert not short.corrected  # too short for edit-distance guesses


def test_known_words_stage_uses_confusions_never_fuzzy():
    plan = plan_query("chuoi xay deo", vocabulary())
    assert with_corrections(plan, vocabulary()) is plan  # every word is known
    fixed = with_corrections(plan, vocabulary(neighbours=["xyz"]), known_words=True)
    assert fixed.corrections["xay"] == "say"
    assert "xyz" not in str(alternatives(fixed))


def test_synonym_covered_clause_is_not_corrected():
    plan = plan_query("mướp đắng", vocabulary())
    assert alternatives(plan) == [["mướp đắng", "khổ qua"]]
    assert with_corrections(plan, vocabulary()) is plan or "khổ qua" in alternatives(plan)[0]


def test_empty_and_symbol_only_queries():
    assert plan_query("", vocabulary()).empty
    assert plan_query("*** ((( ))) 🍯", vocabulary()).empty
    assert plan_query("\x00\x00", vocabulary()).empty
