"""Synonym expansion behaviour: longest match, weights, one-way traps, file errors."""
import pytest

from search.synonyms import SynonymDataError, expand, load_synonyms, parse_rows


def texts(segments):
    return [[option.text for option in segment.options] for segment in segments]


def alternatives_of(query, folded=False):
    return {option.text for segment in expand(query, folded=folded)
            for option in segment.alternatives}


def test_user_words_first_with_full_weight():
    segments = expand(["kẹo", "đậu", "phộng"])
    assert texts(segments) == [["kẹo"], ["đậu phộng", "lạc", "đậu phụng"]]
    assert [o.weight for o in segments[1].options] == [1.0, 0.6, 0.6]


def test_longest_match_first():
    # "cá quả" beats "quả" ↔ "trái"; "quả trứng gà" beats "trứng gà" ↔ "hột gà"
    assert texts(expand("cá quả khô"))[0] == ["cá quả", "cá lóc", "cá tràu"]
    assert texts(expand("quả trứng gà"))[0][1:] == ["lê ki ma", "lêkima"]
    assert texts(expand("trứng gà"))[0] == ["trứng gà", "hột gà"]


def test_thom_expands_to_dua_but_never_back():
    assert "dứa" in alternatives_of("thơm sấy dẻo")
    assert "thơm" not in alternatives_of("dứa")
    assert "thơm" not in alternatives_of("dứa sấy dẻo")
    assert "thom" not in alternatives_of("dua say deo", folded=True)


def test_gao_thom_stays_rice():
    assert alternatives_of("gạo thơm ST25") == set()


def test_mint_and_taro_stem_never_meet():
    assert alternatives_of("dọc mùng") == set()
    assert alternatives_of("bạc hà") == set()
    assert alternatives_of("mật ong bạc hà") == set()


def test_man_expands_to_roi_only_one_way():
    assert {"roi", "quả roi"} <= alternatives_of("mận")
    assert "mận" not in alternatives_of("roi")
    assert "roi" not in alternatives_of("mận hậu Sơn La")


def test_stop_phrases_protect_their_syllables():
    assert "ngô" not in alternatives_of("bắp cải")
    assert "khoai mì" not in alternatives_of("bột sắn dây")
    assert "trà" not in alternatives_of("chè lam")
    assert "khoai mì" in alternatives_of("bột sắn")


def test_spelling_and_case_of_the_query_do_not_matter():
    assert alternatives_of("THỊT HEO") == {"lợn"}
    assert alternatives_of("cà phê") == alternatives_of("CÀ PHÊ")


def test_folded_matching_for_ascii_queries():
    assert texts(expand("ruou bap", folded=True)) == [["ruou"], ["bap", "ngo"]]
    assert texts(expand("cafe", folded=True))[0] == ["cafe", "ca phe", "coffee"]


def test_folded_collision_is_not_expanded():
    # ngô (maize) and ngò (coriander) both fold to "ngo"
    assert alternatives_of("ngo", folded=True) == set()
    assert alternatives_of("ngô") == {"bắp"}
    assert alternatives_of("ngò") == {"rau mùi", "ngò rí"}


def test_unknown_words_pass_through():
    assert texts(expand("Cá chạch sấy khô")) == [["cá"], ["chạch"], ["sấy"], ["khô"]]
    assert expand([]) == []


def test_load_from_custom_path(tmp_path):
    path = tmp_path / "syn.tsv"
    path.write_text("# c\n\ntwo-way\tchè\ttrà\n", encoding="utf-8")
    table = load_synonyms(path)
    assert texts(expand("chè", table)) == [["chè", "trà"]]


@pytest.mark.parametrize("text, code", [
    ("two-way\tchè\n", "too_few_columns"),
    ("both\tchè\ttrà\n", "unknown_kind"),
    ("two-way\tchè | \ttrà\n", "empty_phrase"),
    ("two-way\tchè\tChè\n", "same_phrase_both_sides"),
])
def test_malformed_rows_raise(text, code):
    with pytest.raises(SynonymDataError) as error:
        parse_rows(text)
    assert error.value.code == code


def test_exclusion_guards_against_a_linking_row(tmp_path):
    path = tmp_path / "syn.tsv"
    path.write_text("two-way\tdọc mùng\tbạc hà\nexclude\tdọc mùng\tbạc hà\n", encoding="utf-8")
    with pytest.raises(SynonymDataError) as error:
        load_synonyms(path)
    assert error.value.code == "excluded_pair_linked" and error.value.params["line"] == 2
