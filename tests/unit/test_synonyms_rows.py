"""One test per row of search/data/synonyms.tsv (docs/SEARCH.md §6)."""
import pytest

from search.synonyms import ALTERNATIVE_WEIGHT, USER_WEIGHT, default_table, expand
from vntext import fold_key

TABLE = default_table()


def _side(phrases):
    return "|".join(fold_key(" ".join(p)) for p in phrases)


def _id(row):
    # ASCII ids: pytest would escape Vietnamese letters into \uXXXX
    return f"L{row.line}-{row.kind}-{_side(row.left)}>{_side(row.right)}"


def _only_segment(phrase, folded=False):
    segments = expand(list(phrase), TABLE, folded=folded)
    assert len(segments) == 1, f"{phrase} should match as one phrase"
    return segments[0]


def _alternatives(phrase, folded=False):
    segment = _only_segment(phrase, folded)
    assert segment.user.weight == USER_WEIGHT
    assert all(option.weight == ALTERNATIVE_WEIGHT for option in segment.alternatives)
    return [option.syllables for option in segment.alternatives]


def _folded(phrase):
    return tuple(fold_key(s) for s in phrase)


@pytest.mark.parametrize("row", TABLE.rows, ids=_id)
def test_row(row):
    if row.kind == "two-way":
        group = row.left + row.right
        for phrase in group:
            assert set(_alternatives(phrase)) >= set(group) - {phrase}
            if _folded(phrase) not in TABLE.ambiguous_folded:
                expected = {_folded(p) for p in group} - {_folded(phrase)}
                assert set(_alternatives(_folded(phrase), folded=True)) >= expected
    elif row.kind == "one-way":
        for source in row.left:
            assert set(_alternatives(source)) >= set(row.right)
            assert set(_alternatives(_folded(source), folded=True)) >= {
                _folded(p) for p in row.right}
        for target in row.right:
            assert not set(_alternatives(target)) & set(row.left)
            assert not set(_alternatives(_folded(target), folded=True)) & {
                _folded(p) for p in row.left}
    else:
        for a in row.left:
            for b in row.right:
                assert b not in _alternatives(a) and a not in _alternatives(b)
                assert _folded(b) not in _alternatives(_folded(a), folded=True)
                assert _folded(a) not in _alternatives(_folded(b), folded=True)
