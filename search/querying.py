"""A search against one index snapshot: plan, fall back, rank, page. Pure.

The snapshot (``search.engine.Snapshot``) supplies term bitsets, the
vocabulary, facet and prior bitsets, stored hits and spelling corrections;
everything else is ``search.plan`` and ``search.ranking``.

Stages: the plan as typed, matched on the products' own words and, only if
that finds nothing, on their OCOP group and set names too; if nothing matches,
the last word as a prefix ("banh d"), then run-together syllables split where
the index knows both halves ("matong" -> "mật ong"), then corrections of
unknown words (confusions, edit distance 1), then confusions of every word
("chuoi xay deo"). If still nothing: no results
and, when the folded-name corrector finds a query that would match, "did you
mean". Unrelated products are never shown to fill the page.
"""
import time
from dataclasses import replace

from search.facets import count_and_filter
from search.plan import last_word_as_prefix, plan_query, with_corrections, with_splits
from search.ranking import match, top, word_bits
from search.records import SearchResult
from vntext import fold_key, has_diacritics

TIME_LIMIT_SECONDS = 1.0


def search(snapshot, request) -> SearchResult:
    deadline = time.monotonic() + TIME_LIMIT_SECONDS
    plan = plan_query(request.text, snapshot.vocabulary)
    if plan.empty:
        if not request.filters:
            return SearchResult(plan=plan)
        return _results(snapshot, snapshot.live, [], plan, request, deadline)
    ranked = _match(plan, snapshot)
    if ranked.candidates:
        return _results(snapshot, ranked.candidates, ranked.terms, plan, request, deadline)
    fallbacks = (lambda: last_word_as_prefix(plan),
                 lambda: with_splits(plan, snapshot.vocabulary),
                 lambda: with_corrections(plan, snapshot.vocabulary),
                 lambda: with_corrections(plan, snapshot.vocabulary, known_words=True))
    for make_fallback in fallbacks:
        fallback = make_fallback()
        if fallback is plan:
            continue
        ranked = _match(fallback, snapshot)
        if ranked.candidates:
            if fallback.corrected:
                fallback = _readable(snapshot, fallback, ranked.candidates)
            return _results(snapshot, ranked.candidates, ranked.terms, fallback, request, deadline,
                            corrected=fallback.corrected)
    return SearchResult(plan=plan, did_you_mean=_did_you_mean(snapshot, plan))


def _match(plan, snapshot):
    """The products' own words first; their group and set names only if that finds nothing."""
    ranked = match(plan, snapshot, categories=False)
    return ranked if ranked.candidates else match(plan, snapshot)


def _readable(snapshot, plan, candidates: int):
    """What was searched, as names spell it: "mien dog" -> "miến dong".

    Each corrected word shows the fix that the found products actually contain
    (for "dog", "dong" rather than "đỏ", both one edit away), and every
    accent-free word takes its most common spelling in product names.
    """
    def best_fix(typed, fixes):
        return max(fixes, key=lambda fix: (word_bits(snapshot, fix) & candidates).bit_count(), default=None)

    def spelt(text):
        return " ".join(part if has_diacritics(part) else snapshot.display_form(fold_key(part))
                        for part in text.split())

    chosen = {}
    for typed, fix in plan.corrections.items():
        best = best_fix(typed, plan.fix_options.get(typed, ()))
        chosen[typed] = spelt(best.text if best is not None else fix)
    for word in plan.user_words():
        if word.source == "typed" and word.text not in chosen and not word.accented:
            chosen[word.text] = spelt(word.text)
    return replace(plan, corrections=chosen)


def _results(snapshot, candidates, terms, plan, request, deadline, corrected=False):
    kept, facets = count_and_filter(candidates, snapshot.facet_bits(request.today), request.filters)
    result = SearchResult(total=kept.bit_count(), facets=facets, plan=plan, corrected=corrected)
    first = (request.page - 1) * request.per_page
    if first >= result.total:
        return result
    limit = first + request.per_page
    terms = [(weight, bits & kept) for weight, bits in terms]
    ranked, result.timed_out = top(kept, terms, snapshot.priors(), limit,
                                   deadline)
    result.hits = [snapshot.hit(docnum, score) for score, docnum in ranked[first:limit]]
    return result


def _did_you_mean(snapshot, plan) -> str:
    """A corrected query, from the folded-name corrector, that finds something."""
    words, changed = [], False
    for word in plan.user_words():
        if snapshot.knows_folded(word.folded):
            words.append(word.text)
            continue
        # Short syllables are one edit away from many others: stay close for them.
        maxdist = 1 if len(word.folded) <= 4 else 2
        options = snapshot.corrections(word.folded, maxdist)
        if not options:
            return ""
        words.append(snapshot.display_form(options[0]))
        changed = True
    if not changed:
        return ""
    suggestion = " ".join(words)
    return suggestion if match(plan_query(suggestion, snapshot.vocabulary), snapshot).candidates else ""


def suggest(snapshot, text: str, limit: int) -> list:
    plan = plan_query(text, snapshot.vocabulary, prefix_last=True)
    if plan.empty:
        return []
    ranked = match(plan, snapshot, names_only=True)
    deadline = time.monotonic() + TIME_LIMIT_SECONDS
    best, _ = top(ranked.candidates, ranked.terms, snapshot.priors(),
                  limit, deadline)
    return [snapshot.hit(docnum, score) for score, docnum in best]
