"""Matching and ranking with document bitsets. Pure: no Flask, no Whoosh.

Sets of documents are Python integers used as bitsets (bit n = document n), so
AND/OR/popcount run in C over the whole collection at once. ``search.engine``
reads each term's posting list from Whoosh once into such a bitset.

Matching: every clause of the plan must match; a clause matches through any
of its alternatives (the typed words, a synonym, a correction); an
alternative's words must all be present; a word is present when its folded
form is in the name or places, or (``word_fields``) it is in the context or
category: folded for accent-free words, as spelt for accented ones.

Score = sum of the weights of the terms a document contains + a small prior
for short names. A term's weight is field weight x alternative weight x the
word's idf, with the exact-diacritic name field at 1.5 x the folded name
(docs/SEARCH.md §4). Because the score only depends on which terms a document
has, documents are ranked by splitting the candidate set into groups with the
same terms, heaviest term first, and dropping groups that can no longer reach
the top ``limit`` (a threshold on the group scores). Ties go to the lower
document number, as Whoosh does.
"""
import math
import time
from dataclasses import dataclass
from typing import Protocol

from search.bitsets import lowest_bits

FOLDED_FIELDS = ("name_f", "place_f", "ctx_f", "cat_f")
CATEGORY_FIELDS = ("cat_f", "cat")
# A word typed with diacritics matches names and places in folded form too
# ("dứa" also finds "dừa", ranked lower), but descriptions and categories only in
# its own spelling: "chè" must not match every "chế biến" in a description.
ACCENTED_FIELDS = ("name_f", "place_f", "ctx", "cat")
NAME_FIELDS = ("name_f",)
PREFIX_FIELDS = ("name_f", "place_f")
FIELD_WEIGHTS = {"name": 1.0, "name_f": 1.0, "place_f": 0.5, "ctx_f": 0.3, "ctx": 0.3,
                 "cat_f": 0.15, "cat": 0.15, "name_bi": 1.0, "place_bi": 0.5}
EXACT_BOOST = 1.5
# Short names win ties: "Mật ong" over "Mật ong hoa nhãn Cửa Ông loại 1".
PRIOR_STEP, PRIOR_MAX_LENGTH = 0.04, 10


class TermSource(Protocol):
    """What ranking needs from an index snapshot (implemented by the engine)."""
    doc_count: int = 0
    live: int = 0  # bitset of documents not deleted

    def bits(self, fieldname: str, text: str) -> int: ...

    def prefix_bits(self, prefix: str, fields) -> int: ...

    def priors(self) -> dict:
        """Prior score -> bitset (``priors_from_lengths`` of the name lengths)."""


@dataclass
class Ranked:
    candidates: int  # bitset of every match (before facet filters)
    terms: list  # [(weight, bitset)] for scoring


def idf(doc_frequency: int, doc_count: int) -> float:
    return math.log(1.0 + (doc_count + 1) / (doc_frequency + 1))


def word_fields(word, names_only: bool = False) -> list:
    """(field, term) pairs where ``word`` may be found."""
    if names_only:
        return [("name_f", word.folded)]
    if word.accented:
        return [(name, word.folded if name.endswith("_f") else word.text) for name in ACCENTED_FIELDS]
    return [(name, word.folded) for name in FOLDED_FIELDS]


def word_bits(source: TermSource, word, names_only: bool = False, categories: bool = True) -> int:
    bits = 0
    for name, term in word_fields(word, names_only):
        if categories or name not in CATEGORY_FIELDS:
            bits |= source.bits(name, term)
    return bits


def match(plan, source: TermSource, names_only: bool = False, categories: bool = True) -> Ranked:
    """Candidates and scoring terms for a ``search.plan.QueryPlan``.

    ``categories=False`` matches on the product's own words only (name, places,
    description); the OCOP group and set names still add to the score. A set's
    name lists what its products may be made of ("Chế biến từ thịt, trứng,
    sữa, thủy sản, mật ong"), so buffalo jerky must not answer "mật ong" while
    honey itself is there; ``search.querying`` matches categories only when
    the product's own words find nothing.
    """
    candidates, terms = source.live, []
    for clause in plan.clauses:
        clause_bits = 0
        for alternative in clause.alternatives:
            weight = alternative.weight
            if alternative is not clause.user:
                weight /= len(alternative.words)  # a 2-word synonym must not outweigh 1 typed word
                terms.extend(_bigram_terms(source, alternative.words, weight, names_only))
            alternative_bits = candidates
            for word in alternative.words:
                present = word_bits(source, word, names_only, categories)
                alternative_bits &= present
                terms.extend(_word_terms(source, word, weight, present, names_only))
            clause_bits |= alternative_bits
        candidates &= clause_bits
        if not candidates:
            return Ranked(0, [])
    if plan.prefix:
        fields = NAME_FIELDS if names_only else PREFIX_FIELDS
        by_field = [(name, source.prefix_bits(plan.prefix, (name,))) for name in fields]
        prefix = 0
        for name, bits in by_field:
            prefix |= bits
            terms.append((FIELD_WEIGHTS[name], bits))
        candidates &= prefix
    terms.extend(_bigram_terms(source, plan.user_words(), 1.0, names_only))
    terms.extend(_boundary_bigrams(source, plan.clauses, names_only))
    return Ranked(candidates, [(w, b & candidates) for w, b in terms if w > 0 and b & candidates])


def _word_terms(source, word, weight, present, names_only):
    word_idf = idf(present.bit_count(), source.doc_count)
    terms = [(FIELD_WEIGHTS[name] * weight * word_idf, source.bits(name, term))
             for name, term in word_fields(word, names_only)]
    if word.accented:
        exact = FIELD_WEIGHTS["name"] * EXACT_BOOST * weight * word_idf
        terms.append((exact, source.bits("name", word.text)))
    return terms


def _bigram_terms(source, words, weight, names_only):
    terms = []
    for left, right in zip(words, words[1:]):
        pair = f"{left.folded} {right.folded}"
        for name in ("name_bi",) if names_only else ("name_bi", "place_bi"):
            bits = source.bits(name, pair)
            if bits:
                terms.append((FIELD_WEIGHTS[name] * weight * idf(bits.bit_count(), source.doc_count), bits))
    return terms


def _boundary_bigrams(source, clauses, names_only):
    """Bigrams across clause boundaries that involve a synonym: "rượu bắp" also
    scores the adjacent "rượu ngô" (the typed pair is already covered)."""
    terms = []
    for left, right in zip(clauses, clauses[1:]):
        for a in left.alternatives:
            for b in right.alternatives:
                if a is left.user and b is right.user:
                    continue
                weight = min(a.weight, b.weight)
                terms.extend(_bigram_terms(source, (a.words[-1], b.words[0]), weight, names_only))
    return terms


def _prune(groups: list, remaining: float, limit: int) -> list:
    """Drop groups whose best possible score cannot reach the top ``limit``."""
    groups.sort(key=lambda group: -group[0])
    seen = 0
    for score, bits in groups:
        seen += bits.bit_count()
        if seen >= limit:
            return [group for group in groups if group[0] + remaining >= score]
    return groups


def top(candidates: int, terms: list, priors: dict, limit: int, deadline: float = None):
    """([(score, docnum)] best first, timed_out) for the best ``limit`` candidates."""
    if not candidates or limit <= 0:
        return [], False
    terms = sorted(terms, key=lambda term: -term[0])
    max_prior = max(priors, default=0.0)
    remaining = sum(weight for weight, _ in terms) + max_prior
    groups, timed_out = [(0.0, candidates)], False
    for weight, bits in terms:
        remaining -= weight
        split = []
        for score, members in groups:
            inside = members & bits
            if inside:
                split.append((score + weight, inside))
                members &= ~bits
            if members:
                split.append((score, members))
        groups = _prune(split, remaining, limit)
        if deadline is not None and time.monotonic() > deadline:
            timed_out = True
            break
    return _finish(groups, priors, limit), timed_out


def _finish(groups: list, priors: dict, limit: int) -> list:
    by_score = {}

    def add(score, members):
        key = round(score, 9)  # equal scores merge, so ties go to the lower docnum
        by_score[key] = by_score.get(key, 0) | members

    for score, members in groups:
        for prior, bits in priors.items():
            inside = members & bits
            if inside:
                add(score + prior, inside)
                members &= ~bits
        if members:
            add(score, members)
    ranked = []
    for score in sorted(by_score, reverse=True):
        for docnum in lowest_bits(by_score[score], limit - len(ranked)):
            ranked.append((score, docnum))
        if len(ranked) >= limit:
            break
    return ranked


def priors_from_lengths(length_bits: dict) -> dict:
    """Prior score -> bitset, from name length (syllables) -> bitset."""
    priors = {}
    for length, bits in length_bits.items():
        prior = PRIOR_STEP * max(0, PRIOR_MAX_LENGTH - max(length, 1))
        if prior > 0:
            priors[prior] = priors.get(prior, 0) | bits
    return priors
