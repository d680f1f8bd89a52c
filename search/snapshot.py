"""Reading one index generation: ``Snapshot`` turns segment readers into posting bitsets for
``search.ranking`` and ``search.querying`` (Whoosh's own matcher tree costs several Python calls
per posting: 150 ms for one query over 20,000 products; bitsets keep it to a few milliseconds).

``search.engine.IndexStore.snapshot()`` makes them, one per thread and generation. No Flask.
"""
from collections import OrderedDict
from itertools import accumulate

from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import EmptyReader, MultiReader

from search.bitsets import BitsetCache, bits_from_ids
from search.facets import GROUP_BY_NUMBER, FacetBits, unpack, valid_stars, value_bits
from search.plan import Vocabulary
from search.ranking import TermSource, priors_from_lengths
from search.records import Hit
from vntext import fold_key

MAX_PREFIX_TERMS = 64
# Folded "fields" read through the spellings of an as-spelt field.
_DERIVED = {"ctx_f": "ctx", "cat_f": "cat"}
SNAPSHOT_TERMS = 1024  # combined bitsets kept per snapshot


def first_live(live: int) -> int:
    return (live & -live).bit_length() - 1


class Snapshot(TermSource):
    """One index generation: segment readers plus term and column bitsets,
    cached per segment (segments never change once written)."""

    def __init__(self, index, generation, leaves, segment_cache: OrderedDict, term_cache: BitsetCache):
        """``leaves``: [(SegmentReader, Segment from the TOC)] in TOC order."""
        self.index, self.generation, self.path = index, generation, index.storage.folder
        readers = [reader for reader, _ in leaves]
        self.reader = readers[0] if len(readers) == 1 else (
            MultiReader(readers, generation=generation) if readers else EmptyReader(index.schema))
        self.leaves, self.live, offset = [], 0, 0
        for reader, segment in leaves:
            size = segment.doc_count_all()
            self.leaves.append((reader, offset))
            deleted = bits_from_ids(segment.deleted_docs(), size) if segment.has_deletions() else 0
            self.live |= (((1 << size) - 1) & ~deleted) << offset
            offset += size
        self.doc_count = offset
        self._segments, self._term_cache = segment_cache, term_cache
        self._keys = {id(leaf): self._segment_key(leaf) for leaf, _ in self.leaves}
        keys = set(self._keys.values())
        for stale in [key for key in segment_cache if key not in keys]:
            del segment_cache[stale]
        term_cache.keep_segments(keys)
        self._terms, self._cache = {}, {}
        self.vocabulary = Vocabulary(self.knows_folded, self.knows_exact, self.neighbours, self.knows_pair)

    def documents(self, fieldname: str, text: str) -> list:
        """Live document numbers holding a term (no caching: for ids and producers)."""
        found = []
        for leaf, offset in self.leaves:
            found.extend(offset + d for d in _posting_ids(leaf, fieldname, text) if self.live >> (offset + d) & 1)
        return found

    @staticmethod
    def _segment_key(leaf):
        segment = leaf.segment()  # None for the reader of an empty index
        return segment.segment_id() if segment is not None else f"empty-{id(leaf)}"

    def _segment(self, leaf) -> dict:
        return self._segments.setdefault(self._keys[id(leaf)], {})

    # Vocabulary

    def knows_folded(self, folded: str) -> bool:
        return (("name_f", folded) in self.reader or ("place_f", folded) in self.reader
                or any(folded in self._spellings(leaf, name) for leaf, _ in self.leaves for name in _DERIVED.values()))

    def knows_pair(self, left: str, right: str) -> bool:
        """Whether two folded syllables stand side by side in some product name."""
        return bool(self.bits("name_bi", f"{left} {right}"))

    def knows_exact(self, text: str) -> bool:
        """Names, context and category keep their spelling; places only a folded form."""
        return (any((name, text) in self.reader for name in ("name", "ctx", "cat"))
                or ("place_f", fold_key(text)) in self.reader)

    def _spellings(self, leaf, fieldname: str) -> dict:
        """Folded form -> the spellings of a field's terms in one segment."""
        segment = self._segment(leaf)
        key = ("spellings", fieldname)
        if key not in segment:
            spellings = {}
            for term in leaf.lexicon(fieldname):
                term = term.decode("utf-8") if isinstance(term, bytes) else term
                spellings.setdefault(fold_key(term), []).append(term)
            segment[key] = spellings
        return segment[key]

    def neighbours(self, folded: str) -> list:
        found = set(self.reader.terms_within("name_f", folded, 1))
        found.discard(folded)
        return sorted(found, key=lambda term: (-self.reader.doc_frequency("name_f", term), term))

    # TermSource

    def bits(self, fieldname: str, text: str) -> int:
        key = (fieldname, text)
        bits = self._terms.get(key)
        if bits is None:
            bits = 0
            for leaf, offset in self.leaves:
                bits |= self._leaf_bits(leaf, fieldname, text) << offset
            bits &= self.live
            if len(self._terms) >= SNAPSHOT_TERMS:
                self._terms.clear()
            self._terms[key] = bits
        return bits

    def _leaf_bits(self, leaf, fieldname, text) -> int:
        key = (self._keys[id(leaf)], fieldname, text)
        bits = self._term_cache.get(key)
        if bits is not None:
            return bits
        if fieldname in _DERIVED:
            bits = 0
            for spelling in self._spellings(leaf, _DERIVED[fieldname]).get(text, ()):
                bits |= self._leaf_bits(leaf, _DERIVED[fieldname], spelling)
        else:
            bits = bits_from_ids(_posting_ids(leaf, fieldname, text), leaf.doc_count_all())
        self._term_cache.put(key, bits)
        return bits

    def prefix_bits(self, prefix: str, fields) -> int:
        found = []
        for name in fields:
            for term in self.reader.expand_prefix(name, prefix):
                term = term.decode("utf-8") if isinstance(term, bytes) else term
                found.append((-self.reader.doc_frequency(name, term), name, term))
        bits = 0
        for _, name, term in sorted(found)[:MAX_PREFIX_TERMS]:
            bits |= self.bits(name, term)
        return bits

    def _column_bits(self, key, build) -> dict:
        """{value: bitset} for the whole snapshot, built per segment from its columns
        (unpacked once: [(group, stars, name length, province)], [valid until])."""
        if key not in self._cache:
            combined = {}
            for leaf, offset in self.leaves:
                segment = self._segment(leaf)
                if "columns" not in segment:
                    segment["columns"] = ([unpack(v) for v in leaf.column_reader("facets", translate=False)],
                                          list(leaf.column_reader("valid_until", translate=False)))
                if key not in segment:
                    segment[key] = build(*segment["columns"])
                for value, bits in segment[key].items():
                    combined[value] = combined.get(value, 0) | ((bits << offset) & self.live)
            self._cache[key] = combined
        return self._cache[key]

    def length_bits(self) -> dict:
        return self._column_bits("length", lambda facets, _: value_bits(f[2] for f in facets))

    def priors(self) -> dict:
        if "priors" not in self._cache:
            self._cache["priors"] = priors_from_lengths(self.length_bits())
        return self._cache["priors"]

    def facet_bits(self, today: int) -> FacetBits:
        groups = self._column_bits("group", lambda facets, _: value_bits(f[0] for f in facets))
        return FacetBits(
            group={GROUP_BY_NUMBER.get(number, ""): bits for number, bits in groups.items()},
            province=self._column_bits("province", lambda facets, _: value_bits(f[3] for f in facets)),
            stars=self._column_bits(("stars", today), lambda facets, until: value_bits(
                (valid_stars(f[1], day, today) for f, day in zip(facets, until)))))

    def corrections(self, folded: str, maxdist: int) -> list:
        """Folded name words within ``maxdist`` edits, best first (Whoosh's corrector)."""
        return self.reader.corrector("name_f").suggest(folded, limit=1, maxdist=maxdist)

    def hit(self, docnum: int, score: float) -> Hit:
        stored = self.reader.stored_fields(docnum)
        return Hit(stored["id"], stored.get("name", ""), stored.get("slug", ""), score)

    def display_form(self, folded: str) -> str:
        """The most common accented spelling of a folded name word."""
        if "display_forms" not in self._cache:
            forms, best = {}, {}
            for term, info in self.reader.iter_field("name"):
                term = term.decode("utf-8") if isinstance(term, bytes) else term
                key = fold_key(term)
                if info.doc_frequency() > best.get(key, -1):
                    forms[key], best[key] = term, info.doc_frequency()
            self._cache["display_forms"] = forms
        return self._cache["display_forms"].get(folded, folded)


def _posting_ids(leaf, fieldname: str, text: str):
    """Local document numbers of one term in one segment, deletions included.

    Reads W3LeafMatcher blocks directly (frozen whoosh-reloaded 2.7.5 internals):
    one Python step per block instead of several per posting.
    """
    if (fieldname, text) not in leaf:
        return []
    matcher = leaf.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if not hasattr(matcher, "_read_ids"):
        return list(matcher.all_ids())  # short lists are stored inline
    ids = []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        # ids are delta-encoded (W3 _mini_ids); accumulate decodes them in C
        ids.extend(accumulate(matcher._data[0]) if not matcher._byteids else matcher._data[0])
        matcher._next_block()
    return ids
