"""The judged relevance set is internally consistent (docs/SEARCH.md §8)."""
import unicodedata
from collections import Counter

from tests.relevance.data import GROUPS, PRODUCTS, PRODUCTS_BY_KEY, QUERIES, QUERY_KINDS


def test_products_are_unique_and_complete():
    assert len(PRODUCTS_BY_KEY) == len(PRODUCTS) >= 40
    for product in PRODUCTS:
        assert product.group in GROUPS
        assert all((product.name, product.description, product.producer, product.province))
        assert unicodedata.is_normalized("NFC", product.name + product.description)


def test_every_behaviour_class_has_at_least_three_queries():
    counts = Counter(query.kind for query in QUERIES)
    assert set(counts) == set(QUERY_KINDS)
    assert min(counts.values()) >= 3
    assert len(QUERIES) >= 60


def test_query_ids_unique_and_keys_exist():
    assert len({query.qid for query in QUERIES}) == len(QUERIES)
    for query in QUERIES:
        keys = set(query.grades) | set(query.never) | set(query.never_first)
        keys |= {key for pair in query.above for key in pair}
        assert keys <= set(PRODUCTS_BY_KEY), query.qid
        assert set(query.grades.values()) <= {1, 2}
        assert query.mode in ("search", "autocomplete")


def test_constraints_agree_with_grades():
    for query in QUERIES:
        if query.first:
            assert query.grades[query.first] == 2, query.qid
            assert query.first not in query.never_first
        assert not set(query.never) & set(query.grades), query.qid
        if query.kind == "no-answer":
            assert not query.grades and not query.first


def test_nfd_query_really_is_decomposed():
    nfd_queries = [q.text for q in QUERIES if not unicodedata.is_normalized("NFC", q.text)]
    assert nfd_queries
