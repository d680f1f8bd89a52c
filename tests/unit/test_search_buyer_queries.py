"""What a buyer gets for three queries that went wrong on the demo catalogue:
"mat ong" (set names listing honey), "matong" (syllables typed together) and
"mien dog" (a typo, shown back with its diacritics). Through the real index."""
import pytest

from producers.ocop import product_set
from search.documents import build_document
from search.engine import IndexStore
from search.plan import Vocabulary, split_run_together
from search.records import SearchRequest


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    products = [
        dict(id="mat-ong", name="Mật ong hoa nhãn", description="Mật ong nguyên chất từ hoa nhãn.",
             producer="HTX Nông sản Yên Hòa", product_set=product_set(4)),
        dict(id="thit-trau", name="Thịt trâu gác bếp", description="Thịt trâu tẩm mắc khén, hun khói.",
             producer="Hộ kinh doanh Lý Thị Mai", product_set=product_set(8)),
        dict(id="ca-chach", name="Cá chạch sấy khô Yên Hòa", description="Cá chạch đồng sấy giòn.",
             producer="HTX Nông sản Yên Hòa", product_set=product_set(8)),
        dict(id="mien-dong", name="Miến dong Pác Nặm", description="Miến dong làm thủ công.",
             producer="Hộ kinh doanh Lý Thị Mai", product_set=product_set(6)),
        dict(id="do-do", name="Gạo đỏ Mường Khương", description="Gạo lứt đỏ.",
             producer="HTX Gạo Mường Khương", product_set=product_set(3)),
        dict(id="che-shan", name="Chè Shan tuyết Gia Phú", description="Chè cổ thụ.",
             producer="HTX Chè Gia Phú", product_set=product_set(11)),
    ]
    index = IndexStore(str(tmp_path_factory.mktemp("buyer-queries")))
    index.build([build_document(**item) for item in products])
    return index


def search(store, text):
    return store.search(SearchRequest(text, per_page=50))


def test_a_set_name_that_lists_honey_does_not_bring_jerky_or_fish(store):
    result = search(store, "mat ong")
    assert [hit.id for hit in result.hits] == ["mat-ong"]


def test_set_names_still_answer_when_no_product_says_the_words(store):
    result = search(store, "che bien tu thit")  # only set 8's name says this
    assert {hit.id for hit in result.hits} == {"thit-trau", "ca-chach"}


def test_run_together_syllables_are_split_against_the_index(store):
    result = search(store, "matong")
    assert [hit.id for hit in result.hits] == ["mat-ong"]
    assert result.corrected and result.plan.display == "mật ong"
    result = search(store, "cheshan")
    assert result.hits[0].id == "che-shan" and result.plan.display == "chè shan"


def test_a_corrected_query_shows_what_was_searched_with_its_diacritics(store):
    result = search(store, "mien dog")
    assert [hit.id for hit in result.hits] == ["mien-dong"]
    assert result.corrected and result.plan.display == "miến dong"


def test_split_prefers_a_pair_that_stands_in_a_name():
    known = {"ma", "mat", "tong", "ong", "che", "shan"}
    pairs = {("mat", "ong")}
    vocabulary = Vocabulary(known.__contains__, knows_pair=lambda a, b: (a, b) in pairs)
    assert split_run_together("matong", vocabulary) == ("mat", "ong")
    assert split_run_together("cheshan", vocabulary) == ("che", "shan")
    assert split_run_together("xyz", vocabulary) == ()
    assert split_run_together("chematong", vocabulary) == ("che", "mat", "ong")
