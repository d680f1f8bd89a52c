"""Regional synonym expansion at query time (docs/SEARCH.md §6).

The table lives in ``search/data/synonyms.tsv`` so editors can change it
without touching code. Phrases are stored as tuples of ``vntext.syllables``;
``expand`` walks the query with longest match first and returns one
``Segment`` per matched phrase: the user's own words (weight 1.0) followed by
the alternatives (weight 0.6). Pure module: no Flask, no Whoosh.
"""
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from vntext import fold_key, normalize, syllables

USER_WEIGHT = 1.0
ALTERNATIVE_WEIGHT = 0.6
DEFAULT_PATH = Path(__file__).with_name("data") / "synonyms.tsv"
KINDS = ("two-way", "one-way", "exclude")


class SynonymDataError(ValueError):
    """The synonym file is malformed; ``code`` and ``params`` describe why."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(f"{code}: {params}")


@dataclass(frozen=True)
class SynonymRow:
    line: int
    kind: str
    left: tuple  # tuple of phrases, each a tuple of syllables
    right: tuple
    note: str = ""


@dataclass(frozen=True)
class Option:
    syllables: tuple
    weight: float

    @property
    def text(self) -> str:
        return " ".join(self.syllables)


@dataclass(frozen=True)
class Segment:
    """One stretch of the query; ``options[0]`` is what the user typed."""
    options: tuple

    @property
    def user(self) -> Option:
        return self.options[0]

    @property
    def alternatives(self) -> tuple:
        return self.options[1:]


def _phrases(cell: str, line: int) -> tuple:
    phrases = tuple(tuple(syllables(part)) for part in cell.split("|"))
    if not phrases or any(not phrase for phrase in phrases):
        raise SynonymDataError("empty_phrase", line=line, cell=cell)
    return phrases


def parse_rows(text: str) -> list:
    rows = []
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in raw.split("\t")]
        if len(cells) < 3:
            raise SynonymDataError("too_few_columns", line=line, text=raw)
        kind = cells[0]
        if kind not in KINDS:
            raise SynonymDataError("unknown_kind", line=line, kind=kind)
        left, right = _phrases(cells[1], line), _phrases(cells[2], line)
        if set(left) & set(right):
            raise SynonymDataError("same_phrase_both_sides", line=line, text=raw)
        rows.append(SynonymRow(line, kind, left, right, cells[3] if len(cells) > 3 else ""))
    return rows


def _add(alternatives: dict, phrase: tuple, targets) -> None:
    current = alternatives.setdefault(phrase, [])
    current.extend(t for t in targets if t != phrase and t not in current)


class SynonymTable:
    """Parsed rules: exact and folded lookups plus the rows they came from."""

    def __init__(self, rows: list):
        self.rows = rows
        alternatives, stops, excluded = {}, set(), []
        for row in rows:
            if row.kind == "two-way":
                group = row.left + row.right
                for phrase in group:
                    _add(alternatives, phrase, group)
            elif row.kind == "one-way":
                for phrase in row.left:
                    _add(alternatives, phrase, row.right)
            else:
                stops.update(row.left + row.right)
                excluded.extend((row, a, b) for a in row.left for b in row.right)
        for row, a, b in excluded:
            if b in alternatives.get(a, ()) or a in alternatives.get(b, ()):
                raise SynonymDataError("excluded_pair_linked", line=row.line,
                                       left=" ".join(a), right=" ".join(b))
        for phrase in stops:
            alternatives.setdefault(phrase, [])
        self._exact = {p: tuple(alts) for p, alts in alternatives.items()}
        self._folded, self.ambiguous_folded = self._fold(self._exact)
        self.max_length = max((len(p) for p in self._exact), default=1)

    @staticmethod
    def _fold(exact: dict):
        by_key = {}
        for phrase in exact:
            by_key.setdefault(tuple(fold_key(s) for s in phrase), []).append(phrase)
        folded, ambiguous = {}, set()
        for key, phrases in by_key.items():
            related = all(b in exact[a] or a == b for a in phrases for b in phrases)
            if not related:
                ambiguous.add(key)  # ngô/ngò: an accent-free query can't tell them apart
                folded[key] = ()
                continue
            alts = []
            for phrase in phrases:
                for alt in exact[phrase]:
                    alt_key = tuple(fold_key(s) for s in alt)
                    if alt_key != key and alt_key not in alts:
                        alts.append(alt_key)
            folded[key] = tuple(alts)
        return folded, ambiguous

    def mapping(self, folded: bool = False) -> dict:
        """Known phrase -> alternatives, in exact or fold_key form."""
        return self._folded if folded else self._exact

    def alternatives(self, phrase, folded: bool = False) -> tuple:
        """Alternatives of one phrase (sequence of syllables), in table order."""
        return self.mapping(folded).get(_key(phrase, folded), ())

    def knows(self, phrase, folded: bool = False) -> bool:
        return _key(phrase, folded) in self.mapping(folded)


def _key(words, folded: bool) -> tuple:
    forms = (fold_key(w) if folded else normalize(w) for w in words)
    return tuple(form for form in forms if form)


def load_synonyms(path=None) -> SynonymTable:
    """Parse the synonym file (default: search/data/synonyms.tsv)."""
    source = Path(path) if path else DEFAULT_PATH
    return SynonymTable(parse_rows(source.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def default_table() -> SynonymTable:
    return load_synonyms()


def expand(query_syllables, table: SynonymTable = None, *, folded: bool = False) -> list:
    """Split the query into segments, longest known phrase first.

    ``query_syllables`` come from ``vntext.syllables`` (they are normalised
    again, so raw words work too; a plain string is split with ``syllables``). With ``folded=True`` (for accent-free
    queries) matching and output use ``fold_key`` forms, and phrases whose
    folded form is ambiguous in the table (ngô/ngò -> ngo) are not expanded.
    """
    table = table or default_table()
    lookup = table.mapping(folded)
    if isinstance(query_syllables, str):
        query_syllables = syllables(query_syllables)
    words = list(_key(query_syllables, folded))
    segments, i = [], 0
    while i < len(words):
        length = 1
        for size in range(min(table.max_length, len(words) - i), 0, -1):
            if tuple(words[i:i + size]) in lookup:
                length = size
                break
        phrase = tuple(words[i:i + length])
        options = [Option(phrase, USER_WEIGHT)]
        options += [Option(alt, ALTERNATIVE_WEIGHT) for alt in lookup.get(phrase, ())]
        segments.append(Segment(tuple(options)))
        i += length
    return segments
