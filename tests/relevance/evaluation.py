"""Relevance measures over ``tests.relevance.data`` (docs/SEARCH.md §8). Pure.

Gain convention (fixed, as in trec_eval): linear, gain = grade (2 intended,
1 acceptable). nDCG@10 and success@3 are averaged over queries that have
judged products; "no-answer" queries have none and are checked by their
constraints only (nothing unrelated may be returned). success@3 counts a
query when an intended (grade 2) product is among the first three.
"""
import math
from dataclasses import dataclass, field

from tests.relevance.data import PRODUCTS_BY_KEY, QUERIES


def dcg(gains) -> float:
    return sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))


def ndcg_at(ranking, grades: dict, k: int = 10) -> float:
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if not ideal:
        return 0.0
    return dcg([grades.get(key, 0) for key in ranking[:k]]) / ideal


def success_at(ranking, grades: dict, k: int = 3) -> float:
    return 1.0 if any(grades.get(key, 0) == 2 for key in ranking[:k]) else 0.0


def reciprocal_rank(ranking, grades: dict) -> float:
    for rank, key in enumerate(ranking, start=1):
        if grades.get(key, 0) == 2:
            return 1.0 / rank
    return 0.0


def constraint_failures(query, ranking) -> list:
    """Which of the query's must-pass rules this ranking breaks (empty: none)."""
    failures = []
    position = {key: rank for rank, key in reversed(list(enumerate(ranking)))}
    if query.first and (not ranking or ranking[0] != query.first):
        failures.append(f"first: wanted {query.first}, got {ranking[:1]}")
    for higher, lower in query.above:
        if higher not in position or (lower in position and position[lower] < position[higher]):
            failures.append(f"above: {higher} should precede {lower}")
    if ranking and ranking[0] in query.never_first:
        failures.append(f"never_first: {ranking[0]}")
    for key in query.never:
        if key in position:
            failures.append(f"never: {key} at rank {position[key] + 1}")
    if query.only_graded:
        noise = [key for key in ranking if key not in query.grades]
        if noise:
            failures.append(f"only_graded: unjudged {noise[:3]}")
    return failures


@dataclass
class Report:
    ndcg10: float = 0.0
    success3: float = 0.0
    mrr: float = 0.0
    judged: int = 0
    failures: dict = field(default_factory=dict)  # qid -> [messages]
    rankings: dict = field(default_factory=dict)  # qid -> [keys]

    def summary(self) -> str:
        return (f"nDCG@10 {self.ndcg10:.3f}  success@3 {self.success3:.3f}  MRR {self.mrr:.3f}  "
                f"({self.judged} judged queries, {len(self.failures)} with constraint failures)")


def evaluate(run, queries=QUERIES) -> Report:
    """``run(query) -> [product keys, best first]`` for every judged query."""
    report = Report()
    totals = [0.0, 0.0, 0.0]
    for query in queries:
        ranking = [key for key in run(query) if key in PRODUCTS_BY_KEY]
        report.rankings[query.qid] = ranking
        failures = constraint_failures(query, ranking)
        if failures:
            report.failures[query.qid] = failures
        if query.grades:
            report.judged += 1
            totals[0] += ndcg_at(ranking, query.grades)
            totals[1] += success_at(ranking, query.grades)
            totals[2] += reciprocal_rank(ranking, query.grades)
    if report.judged:
        report.ndcg10, report.success3, report.mrr = (total / report.judged for total in totals)
    return report


def relevance_documents() -> list:
    """The judged products as index documents (ids are the product keys)."""
    from places.units import match_province
    from search.documents import build_document
    from tests.relevance.data import PRODUCTS

    return [build_document(id=p.key, name=p.name, description=p.description, producer=p.producer,
                           province_code=match_province(p.province).code, group=p.group)
            for p in PRODUCTS]
