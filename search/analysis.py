"""Whoosh analyzers for Vietnamese product text (docs/SEARCH.md §4, §5).

One of the two modules allowed to import whoosh. Index and query time go
through the same ``vntext`` functions, wrapped in small Filter classes:

- ``exact_analyzer``: \\w+ syllables, NFC + canonical tones + lower case
  (``vntext.normalize``). No stop list, no minimum length: Long An keeps "an",
  U Minh keeps "u", ST25 stays one token.
- ``folded_analyzer``: the same syllables in ``vntext.fold_key`` form
  (accent-free, đ -> d, lý/lí -> li).
- ``folded_bigram_analyzer``: adjacent folded syllables joined by a space
  ("ca chach"); a one-syllable text yields that syllable alone.

Whoosh pickles analyzers into the index schema, so these class names and this
module path are part of the on-disk format: renaming them needs a reindex.
Character offsets (``chars=True``) refer to the NFC form of the input.
"""
import re
from functools import lru_cache

from whoosh.analysis import Filter, RegexTokenizer, ShingleFilter

from vntext import fold_key, nfc, normalize

WORD_PATTERN = r"\w+"
BIGRAM_SEPARATOR = " "

# Product text reuses a few thousand syllables: caching the per-token calls
# makes indexing several times faster without a second implementation.
_normalize_token = lru_cache(maxsize=200_000)(normalize)
_fold_token = lru_cache(maxsize=200_000)(fold_key)


class VietnameseTokenizer(RegexTokenizer):
    """\\w+ tokenizer that composes to NFC first.

    On NFD text \\w stops at every combining mark ("chạch" -> "cha", "ch"),
    so composition has to happen before splitting, not in a filter.
    """

    def __init__(self):
        super().__init__(WORD_PATTERN)

    def __call__(self, value, **kwargs):
        return super().__call__(nfc(value), **kwargs)


class NormalizeFilter(Filter):
    """Token text -> ``vntext.normalize`` (canonical tones, lower case)."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = _normalize_token(token.text)
            yield token


class FoldKeyFilter(Filter):
    """Token text -> ``vntext.fold_key`` (normalised, accent-free, i/y)."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = _fold_token(token.text)
            yield token


def exact_analyzer():
    return VietnameseTokenizer() | NormalizeFilter()


def folded_analyzer():
    return VietnameseTokenizer() | NormalizeFilter() | FoldKeyFilter()


def folded_bigram_analyzer():
    return folded_analyzer() | ShingleFilter(size=2, sep=BIGRAM_SEPARATOR)


def analyze(analyzer, text: str, mode: str = "index") -> list:
    """Token texts an analyzer produces for ``text`` (query building, tests)."""
    return [token.text for token in analyzer(text, mode=mode)]


_WORD_RE = re.compile(WORD_PATTERN)


def index_terms(text: str) -> tuple:
    """(exact, folded, folded bigrams) term lists for ``text``, exactly as
    ``exact_analyzer``, ``folded_analyzer`` and ``folded_bigram_analyzer`` give
    them, without building Token objects: the index writer takes the lists
    directly, which makes a full rebuild several times faster."""
    exact = [_normalize_token(word) for word in _WORD_RE.findall(nfc(text or ""))]
    folded = [_fold_token(word) for word in exact]
    bigrams = [f"{a}{BIGRAM_SEPARATOR}{b}" for a, b in zip(folded, folded[1:])] or folded[:1]
    return exact, folded, bigrams
