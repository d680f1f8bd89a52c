"""Bitset matching and ranking: the group-splitting top-k equals a brute-force sort."""
import random

import pytest

from search.facets import Filters, FacetBits, count_and_filter, valid_stars, value_bits
from search.bitsets import BitsetCache, bits_from_ids, lowest_bits
from search.ranking import idf, priors_from_lengths, top


def brute_force(candidates, terms, priors, limit):
    scored = []
    for docnum in lowest_bits(candidates, candidates.bit_count()):
        score = sum(weight for weight, bits in terms if bits >> docnum & 1)
        score += sum(prior for prior, bits in priors.items() if bits >> docnum & 1)
        scored.append((round(score, 9), docnum))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return scored[:limit]


@pytest.mark.parametrize("seed", range(40))
def test_top_matches_brute_force(seed):
    rng = random.Random(seed)
    size = rng.randrange(1, 400)
    candidates = bits_from_ids([d for d in range(size) if rng.random() < 0.7], size)
    terms = [(rng.choice([0.15, 0.3, 1.0, 1.5, 2.5, rng.random() * 3]),
              bits_from_ids([d for d in range(size) if rng.random() < rng.random()], size))
             for _ in range(rng.randrange(0, 9))]
    lengths = {length: bits_from_ids([d for d in range(size) if d % 9 == length], size) for length in range(9)}
    priors = priors_from_lengths(lengths)
    limit = rng.choice([1, 3, 10, 24, 1000])
    ranked, timed_out = top(candidates, terms, priors, limit)
    assert not timed_out
    assert [(round(s, 9), d) for s, d in ranked] == brute_force(candidates, terms, priors, limit)


def test_top_respects_the_deadline():
    candidates = (1 << 200) - 1
    terms = [(1.0, bits_from_ids(range(0, 200, step), 200)) for step in range(1, 30)]
    ranked, timed_out = top(candidates, terms, {}, 10, deadline=0.0)
    assert timed_out and len(ranked) == 10


def test_empty_inputs():
    assert top(0, [(1.0, 7)], {}, 10) == ([], False)
    assert top(7, [], {}, 0) == ([], False)
    assert lowest_bits(0, 5) == []
    assert bits_from_ids([]) == 0


def test_bitset_helpers():
    bits = bits_from_ids([0, 3, 64, 1000])
    assert lowest_bits(bits, 10) == [0, 3, 64, 1000]
    assert lowest_bits(bits, 2) == [0, 3]
    assert idf(1, 100) > idf(50, 100) > 0


def test_shorter_names_get_the_larger_prior():
    priors = priors_from_lengths({2: 0b01, 7: 0b10, 12: 0b100})
    by_doc = {lowest_bits(bits, 3)[0]: prior for prior, bits in priors.items()}
    assert by_doc[0] > by_doc[1] and 2 not in by_doc


def facet_bits():
    # docs 0..5: groups, provinces and stars valid on day 100 (doc 4's certificate expired on day 99)
    return FacetBits(
        group=value_bits(["food", "food", "drinks", "food", "herbal", None]),
        province=value_bits([1, 2, 2, 1, 1, 3]),
        stars=value_bits(zip([4, 0, 5, 4, 3, 5], [200, 0, 200, 200, 99, 100]),
                         lambda v: valid_stars(v[0], v[1], today=100)),
    )


def test_facets_are_disjunctive():
    everything = 0b111111
    kept, counts = count_and_filter(everything, facet_bits(), Filters(province=1))
    assert lowest_bits(kept, 10) == [0, 3, 4]
    assert counts.province == {1: 3, 2: 2, 3: 1}  # its own filter is not applied
    assert counts.group == {"food": 2, "herbal": 1}
    assert counts.stars == {4: 2}


def test_expired_certificates_are_not_starred():
    _, counts = count_and_filter(0b111111, facet_bits(), Filters())
    assert counts.stars == {4: 2, 5: 2}  # doc 4's 3 stars expired, doc 5 valid through day 100
    kept, _ = count_and_filter(0b111111, facet_bits(), Filters(stars=3))
    assert kept == 0


def test_unknown_filter_values_keep_nothing():
    kept, counts = count_and_filter(0b111111, facet_bits(), Filters(group="tourism"))
    assert kept == 0 and counts.group == {"food": 3, "drinks": 1, "herbal": 1}


def test_bitset_cache_keeps_within_its_budget_and_drops_old_segments():
    cache = BitsetCache(budget=3 * (1 << 13) // 8 + 3 * 64)
    for number in range(5):
        cache.put(("segment-a", "name_f", str(number)), 1 << (1 << 13))
    assert len(cache.items) == 3 and cache.get(("segment-a", "name_f", "0")) is None
    assert cache.get(("segment-a", "name_f", "4")) is not None
    cache.put(("segment-b", "name_f", "x"), 1)
    cache.keep_segments({"segment-b"})
    assert list(cache.items) == [("segment-b", "name_f", "x")] and cache.used == 64
