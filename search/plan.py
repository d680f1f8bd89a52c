"""Turn what a buyer typed into a search plan (docs/SEARCH.md §4, §6, §7).

Pure module: no Flask, no Whoosh. The engine tells it which words the index
knows (``Vocabulary``) and turns the resulting ``QueryPlan`` into Whoosh query
objects. Nothing the user types is ever parsed as query syntax: the text is
cut into ``vntext.syllables`` and every syllable becomes a plain term.

Stages:
1. clean: NFC, control characters out, at most ``MAX_QUERY_CHARS``;
2. words: syllables, at most ``MAX_WORDS``; an accent-free word the index does
   not know is decoded as a Telex or VNI leftover when the decoded word is known
   ("chachj" -> "chạch");
3. clauses: regional synonyms expanded at query time (``search.synonyms``), the
   user's words weigh 1.0, alternatives 0.6; every clause must match;
4. ``with_splits``: run-together syllables ("matong", "cheshan") split where
   the index knows both halves, the pair as a name bigram first;
5. ``with_corrections``: the typo stage, used only when the plain plan finds
   nothing; out-of-vocabulary words get common confusions (s/x, ch/tr,
   r/d/gi, l/n, n/ng, t/c) and then edit-distance-1 neighbours.
"""
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable

from search.synonyms import expand
from vntext import fold_key, has_diacritics, nfc, normalize, syllables, telex_decode, vni_decode

MAX_QUERY_CHARS = 200
MAX_WORDS = 10
# Work on a bounded slice before normalising: a 10 KB paste costs no more than 1 KB.
_RAW_SLICE = 4 * MAX_QUERY_CHARS
CORRECTION_WEIGHT = 0.8
MAX_CORRECTIONS_PER_WORD = 3
MIN_FUZZY_LENGTH = 3

_SPACES = re.compile(r"\s+")
# Onset and coda swaps that Vietnamese speakers and phones confuse (docs/SEARCH.md §7).
_ONSET_SWAPS = (("s", "x"), ("x", "s"), ("ch", "tr"), ("tr", "ch"), ("r", "d"), ("r", "gi"),
                ("d", "r"), ("d", "gi"), ("gi", "d"), ("gi", "r"), ("l", "n"), ("n", "l"))
_CODA_SWAPS = (("ng", "n"), ("n", "ng"), ("t", "c"), ("c", "t"))
_NON_ONSET_START = re.compile(r"^(ngh|ng|nh|ch|gh|kh|ph|th|tr|gi|qu)")


@dataclass(frozen=True)
class Word:
    """One query syllable: its exact (normalised) and folded forms."""
    text: str
    folded: str
    source: str = "typed"  # typed, telex, vni, synonym, correction

    @property
    def accented(self) -> bool:
        return has_diacritics(self.text)


@dataclass(frozen=True)
class Alternative:
    words: tuple
    weight: float

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


@dataclass(frozen=True)
class Clause:
    """Part of the query that must match: any one of its alternatives."""
    alternatives: tuple

    @property
    def user(self) -> Alternative:
        return self.alternatives[0]


@dataclass(frozen=True)
class QueryPlan:
    text: str  # the cleaned query, as shown back to the user
    clauses: tuple = ()
    prefix: str = ""  # folded last word matched as a prefix (search as you type)
    corrected: bool = False
    corrections: dict = field(default_factory=dict)  # typed word -> chosen replacement
    fix_options: dict = field(default_factory=dict)  # typed word -> every fix tried (Words)

    @property
    def empty(self) -> bool:
        return not self.clauses and not self.prefix

    @property
    def display(self) -> str:
        """The query with corrections applied, e.g. 'chuối sấy dẻo'."""
        words = [self.corrections.get(word, word) for word in syllables(self.text)]
        return " ".join(words)

    def words(self) -> list:
        """Every word any alternative may match (for highlighting)."""
        return [word for clause in self.clauses for alt in clause.alternatives for word in alt.words]

    def user_words(self) -> list:
        return [word for clause in self.clauses for word in clause.user.words]


@dataclass
class Vocabulary:
    """What the index knows; the engine supplies these look-ups."""
    knows_folded: Callable[[str], bool]
    knows_exact: Callable[[str], bool] = None
    neighbours: Callable[[str], Iterable[str]] = lambda folded: ()  # edit distance 1, folded
    knows_pair: Callable[[str, str], bool] = lambda left, right: False  # folded name bigram

    def knows(self, word: Word) -> bool:
        if word.accented and self.knows_exact is not None:
            return self.knows_exact(word.text)
        return self.knows_folded(word.folded)


def clean_query(text) -> str:
    """NFC text without control characters, whitespace collapsed, ≤ 200 chars."""
    if not isinstance(text, str):
        return ""
    text = nfc(text[:_RAW_SLICE])
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    return _SPACES.sub(" ", text).strip()[:MAX_QUERY_CHARS].strip()


def make_word(text: str, source: str = "typed") -> Word:
    exact = normalize(text)
    return Word(exact, fold_key(exact), source)


def _decode_leftover(word: Word, vocabulary: Vocabulary) -> Word:
    """Telex/VNI leftovers, only when the literal word is unknown (docs/SEARCH.md §7)."""
    if word.accented or vocabulary.knows_folded(word.folded):
        return word
    for source, decoder in (("telex", telex_decode), ("vni", vni_decode)):
        decoded = decoder(word.text)
        if decoded and vocabulary.knows_folded(fold_key(decoded)):
            return make_word(decoded, source)
    return word


def _segments(texts: list) -> list:
    """Synonym segments; accent-free stretches of a mixed query use folded rules."""
    if not texts:
        return []
    if not any(has_diacritics(text) for text in texts):
        return [(segment, True) for segment in expand(texts, folded=True)]
    result, run = [], []
    for segment in expand(texts, folded=False):
        plain = not segment.alternatives and not has_diacritics(segment.user.text)
        if plain and len(segment.user.syllables) == 1:
            run.append(segment.user.text)
            continue
        if run:
            result.extend((s, True) for s in expand(run, folded=True))
            run = []
        result.append((segment, False))
    if run:
        result.extend((s, True) for s in expand(run, folded=True))
    return result


def _clauses(words: list) -> tuple:
    by_text = {word.text: word for word in words}
    clauses = []
    for segment, folded in _segments([word.text for word in words]):
        alternatives = []
        for index, option in enumerate(segment.options):
            if index == 0:
                members = tuple(by_text.get(s) or make_word(s) for s in _user_syllables(option, by_text))
            else:
                members = tuple(make_word(s, "synonym") for s in option.syllables)
            alternatives.append(Alternative(members, option.weight))
        clauses.append(Clause(tuple(alternatives)))
    return tuple(clauses)


def _user_syllables(option, by_text: dict) -> tuple:
    """The user's own syllables in exact form, even when matched in folded form."""
    folded_to_exact = {fold_key(text): text for text in by_text}
    return tuple(s if s in by_text else folded_to_exact.get(s, s) for s in option.syllables)


def plan_query(text, vocabulary: Vocabulary, *, prefix_last: bool = False) -> QueryPlan:
    """Plan for a search (``prefix_last=False``) or for suggestions as you type."""
    cleaned = clean_query(text)
    words = [make_word(s) for s in syllables(cleaned)][:MAX_WORDS]
    prefix = ""
    if prefix_last and words:
        last = words.pop()
        decoded = _decode_leftover(last, vocabulary)
        prefix = decoded.folded
    words = [_decode_leftover(word, vocabulary) for word in words]
    return QueryPlan(cleaned, _clauses(words), prefix)


def last_word_as_prefix(plan: QueryPlan) -> QueryPlan:
    """Search-page fallback: 'banh d' submitted treats 'd' as the start of a word."""
    if plan.prefix or not plan.clauses or len(plan.clauses[-1].alternatives) > 1:
        return plan
    last = plan.clauses[-1].user
    if len(last.words) != 1:
        return plan
    return replace(plan, clauses=plan.clauses[:-1], prefix=last.words[0].folded)


# --- The typo stage ---------------------------------------------------------------

def _swap_onset(text: str, old: str, new: str):
    if not text.startswith(old):
        return None
    if old in ("n", "g", "t", "c", "k", "p") and _NON_ONSET_START.match(text):
        return None  # the n of "nh"/"ng", the t of "th"/"tr" is not an onset of its own
    if old == "d" and text.startswith("đ"):
        return None
    return new + text[len(old):]


def _swap_coda(text: str, old: str, new: str):
    if not text.endswith(old) or len(text) <= len(old):
        return None
    if old == "n" and text.endswith(("nh", "ng")):
        return None
    if old in ("c", "t") and text.endswith(("ch", "nh")):
        return None
    return text[: -len(old)] + new


def confusion_variants(word: Word) -> list:
    """Exact forms one common confusion away ('xấy' -> 'sấy', 'sanh' -> 'xanh')."""
    variants = []
    for old, new in _ONSET_SWAPS:
        swapped = _swap_onset(word.text, old, new)
        if swapped and swapped not in variants:
            variants.append(swapped)
    for old, new in _CODA_SWAPS:
        swapped = _swap_coda(word.text, old, new)
        if swapped and swapped not in variants:
            variants.append(swapped)
    return [make_word(text, "correction") for text in variants]


def _corrections(word: Word, vocabulary: Vocabulary, fuzzy: bool) -> list:
    known = [v for v in confusion_variants(word) if vocabulary.knows(v)]
    if not known:
        known = [v for v in confusion_variants(word) if vocabulary.knows_folded(v.folded)]
    if not known and fuzzy and len(word.folded) >= MIN_FUZZY_LENGTH:
        known = [make_word(text, "correction") for text in vocabulary.neighbours(word.folded)
                 if text != word.folded]
    return known[:MAX_CORRECTIONS_PER_WORD]


def _needs_fixing(clause: Clause, vocabulary: Vocabulary, known_words: bool) -> list:
    if any(all(vocabulary.knows(w) for w in alt.words) for alt in clause.alternatives[1:]):
        return []  # a synonym already covers this part of the query
    words = clause.user.words
    return list(words) if known_words else [w for w in words if not vocabulary.knows(w)]


def with_corrections(plan: QueryPlan, vocabulary: Vocabulary, known_words: bool = False) -> QueryPlan:
    """The same plan where user words may also match their likely fixes.

    By default only unknown words are fixed (confusions, then edit distance 1).
    ``known_words=True`` is the last resort for a query of real words that finds
    nothing together ("chuoi xay deo": xay is a word, say was meant): every word
    gets its common confusions, never fuzzy matches. Returns ``plan`` itself
    when nothing can be fixed.
    """
    clauses, corrections, options = [], {}, {}
    for clause in plan.clauses:
        user, extra = clause.user, []
        for word in _needs_fixing(clause, vocabulary, known_words):
            fixes = _corrections(word, vocabulary, fuzzy=not known_words)
            if not fixes:
                continue
            corrections[word.text] = fixes[0].text
            for fix in fixes:
                words = tuple(fix if w == word else w for w in user.words)
                extra.append(Alternative(words, CORRECTION_WEIGHT * user.weight))
            options[word.text] = tuple(fixes)
        clauses.append(Clause(clause.alternatives + tuple(extra)))
    if not corrections:
        return plan
    return replace(plan, clauses=tuple(clauses), corrected=True, corrections=corrections,
                   fix_options=options)


# --- Run-together syllables ---------------------------------------------------------

MAX_SPLIT_LENGTH = 24
_VOWELS = set("aeiouy")


def _syllable_like(folded: str) -> bool:
    return any(ch in _VOWELS for ch in folded)


def split_run_together(folded: str, vocabulary: Vocabulary) -> tuple:
    """Known syllables that ``folded`` is made of ("matong" -> ("mat", "ong")), or ().

    Every cut where both sides are words the index knows is a candidate; a cut
    whose pair the index holds as a name bigram wins, then the most even cut
    ("mat ong" over "ma tong" only when "mat ong" is a real pair). Three
    syllables ("banhdacua") split once more on the right.
    """
    if len(folded) > MAX_SPLIT_LENGTH or not folded.isalpha():
        return ()
    best, best_key = (), None
    for cut in range(1, len(folded)):
        left, right = folded[:cut], folded[cut:]
        if not (_syllable_like(left) and vocabulary.knows_folded(left)):
            continue
        if _syllable_like(right) and vocabulary.knows_folded(right):
            parts = (left, right)
        else:
            rest = split_run_together(right, vocabulary) if len(right) > 2 else ()
            if not rest:
                continue
            parts = (left, *rest)
        pairs = sum(vocabulary.knows_pair(a, b) for a, b in zip(parts, parts[1:]))
        key = (pairs, -len(parts), min(len(part) for part in parts))
        if best_key is None or key > best_key:
            best, best_key = parts, key
    return best


def with_splits(plan: QueryPlan, vocabulary: Vocabulary) -> QueryPlan:
    """The plan with unknown run-together words split into known syllables."""
    words, corrections = [], {}
    for word in plan.user_words():
        parts = () if vocabulary.knows(word) else split_run_together(word.folded, vocabulary)
        if parts:
            corrections[word.text] = " ".join(parts)
            words.extend(make_word(part, "split") for part in parts)
        else:
            words.append(word)
    if not corrections:
        return plan
    return replace(plan, clauses=_clauses(words[:MAX_WORDS]), corrected=True, corrections=corrections)
