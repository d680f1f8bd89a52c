"""Highlighting builds its own markup and escapes everything else."""
import unicodedata

from search.highlight import MatchTerms, highlight, match_terms, snippet
from search.plan import Vocabulary, plan_query

EVERYTHING = Vocabulary(knows_folded=lambda folded: True)


def terms(text, prefix_last=False):
    return match_terms(plan_query(text, EVERYTHING, prefix_last=prefix_last))


def test_accent_free_query_marks_accented_words():
    assert str(highlight("Mật ong bạc hà Mèo Vạc", terms("mat ong"))) == "<mark>Mật ong</mark> bạc hà Mèo Vạc"


def test_separate_words_get_separate_marks():
    assert str(highlight("Cá chạch sấy khô", terms("ca kho"))) == "<mark>Cá</mark> chạch sấy <mark>khô</mark>"


def test_synonyms_and_prefixes_are_marked():
    assert "<mark>Thịt lợn</mark>" in str(highlight("Thịt lợn gác bếp", terms("thịt heo")))
    assert str(highlight("Bánh đa nem", terms("banh d", prefix_last=True))) == "<mark>Bánh đa</mark> nem"


def test_user_text_and_names_are_escaped():
    product = '<script>alert("x")</script> Mật ong & "bạc hà"'
    marked = str(highlight(product, terms('<b>mat</b> ong')))
    assert "<script>" not in marked and "&lt;script&gt;" in marked
    assert "&amp;" in marked and "&#34;" in marked
    assert "<mark>Mật ong</mark>" in marked
    assert "<b>" not in str(highlight("b mat", terms("<b>")))


def test_nfd_text_is_marked():
    text = unicodedata.normalize("NFD", "Chè Shan Tuyết")
    assert str(highlight(text, terms("tuyet"))) == "Chè Shan <mark>Tuyết</mark>"


def test_no_terms_means_plain_escaped_text():
    assert str(highlight("a < b", MatchTerms())) == "a &lt; b"


def test_snippet_centres_on_the_first_match():
    text = "Giới thiệu " * 30 + "mật ong hoa bạc hà cao nguyên đá" + " thêm" * 40
    cut = str(snippet(text, terms("bac ha"), width=80))
    assert cut.startswith("… ") and cut.endswith(" …")
    assert "<mark>bạc hà</mark>" in cut
    assert len(cut) < 160
    assert str(snippet("ngắn", terms("x"))) == "ngắn"
