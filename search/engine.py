"""Whoosh behind one module: schema, index versions, writing, reading postings.

Besides ``search.analysis`` this is the only module that imports whoosh, so the
frozen ``whoosh-reloaded`` package can be replaced here alone. No Flask.

Layout under the index root (SEARCH_INDEX_DIR)::

    current -> index-20250101120000-ab12cd   (symlink, swapped atomically)
    index-20250101120000-ab12cd/             (one complete Whoosh index)

Nothing the user types reaches a query parser: ``search.plan`` cuts the text
into words, this module looks each term up in the index and turns its posting
list into a bitset, and ``search.ranking`` matches and ranks with those. (Whoosh's
own matcher tree costs several Python calls per posting: 150 ms for one query
over 20,000 products; bitsets keep it to a few milliseconds.)

Three parts, all tied to Whoosh's internals, hence one longer module:
writing (schema, a presence-only codec, a bulk writer and pool that skip
Whoosh's per-posting pipeline, the merge policy for saves), ``IndexStore``
(versions, swap, ``apply`` under the writer lock, health, per-thread
snapshots) and ``Snapshot`` (segment readers turned into bitsets).
"""
import gc
import os
import shutil
import threading
import time
import uuid
import warnings
from array import array
from collections import OrderedDict
from itertools import accumulate, chain

from whoosh import formats
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PostingsWriter
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.writing import SegmentWriter

from search import querying
from search.analysis import exact_analyzer, folded_analyzer, folded_bigram_analyzer
from search.bitsets import BitsetCache, bits_from_ids
from search.facets import GROUP_BY_NUMBER, FacetBits, unpack, valid_stars, value_bits
from search.plan import Vocabulary
from search.ranking import TermSource, priors_from_lengths
from search.records import Health, Hit, IndexDocument, SearchRequest, SearchResult
from vntext import fold_key

POINTER = "current"
VERSION_PREFIX = "index-"
MAX_PREFIX_TERMS = 64
# Folded "fields" read through the spellings of an as-spelt field.
_DERIVED = {"ctx_f": "ctx", "cat_f": "cat"}
TERM_CACHE_BYTES = 32 * 1024 * 1024  # per thread: posting bitsets of hot terms, per segment
SNAPSHOT_TERMS = 1024  # combined bitsets kept per snapshot
_COLUMNS = ("facets", "valid_until")  # facets.pack(group, stars, name length, province)


def make_schema() -> Schema:
    """Name as exact, folded and folded-bigram terms; places folded with bigrams;
    context (producer, unit, description) and OCOP category as spelt (their folded
    forms are derived from the lexicon at query time); facet values as integer
    columns. Terms only record presence: ranking is ``search.ranking``'s.
    The analyzers are recorded for the index format; documents arrive as term
    lists made by ``search.analysis.index_terms`` (the same functions)."""
    def terms(analyzer, stored=False):
        text = TEXT(analyzer=analyzer, stored=stored, phrase=False)
        text.format, text.scorable = formats.Existence(), False
        return text

    return Schema(
        id=ID(stored=True, unique=True), producer=ID(), slug=STORED(), source=STORED(),
        name=terms(exact_analyzer(), stored=True), name_f=terms(folded_analyzer()),
        name_bi=terms(folded_bigram_analyzer()),
        place_f=terms(folded_analyzer()), place_bi=terms(folded_bigram_analyzer()),
        ctx=terms(exact_analyzer()), cat=terms(exact_analyzer()),
        **{name: COLUMN(NumericColumn("i", default=0)) for name in _COLUMNS},
    )


class PresenceCodec(W3Codec):
    """W3 postings without length statistics (part of the index format).

    Length statistics only serve Whoosh's BM25 scorer, which is not used;
    without them the writer skips a column read for every posting. Bigger
    blocks mean fewer steps when a posting list is read into a bitset. (Inline
    posting lists stay off: whoosh-reloaded 2.7.5 calls a missing
    ``W3TermInfo.set_inline`` when they are on.)
    """
    length_stats = False

    def __init__(self, blocklimit=1024, compression=0, inlinelimit=1):
        super().__init__(blocklimit, compression, inlinelimit)

    def field_writer(self, storage, segment):
        return _GroupedFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return _BlockPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                    compression=self._compression, inlinelimit=self._inlinelimit)


def _codec():
    return PresenceCodec()


class _BlockPostingsWriter(W3PostingsWriter):
    """Same blocks as W3PostingsWriter, written with list operations instead of
    generators per posting (presence-only postings: every weight is 1.0)."""

    def _mini_ids(self):
        ids = self._ids
        return tuple(b - a for a, b in zip(chain((0,), ids), ids)) if not self._byteids else tuple(ids)

    def _mini_weights(self):
        return None if all(weight == 1.0 for weight in set(self._weights)) else super()._mini_weights()

    def add_documents(self, docnums) -> None:
        """A whole sorted posting list of presence-only postings, a block at a time."""
        limit = self._blocklimit
        for start in range(0, len(docnums), limit):
            if len(self._ids) >= limit:
                self._write_block()
            chunk = docnums[start:start + limit]
            self._ids.extend(chunk)
            self._weights.extend([1.0] * len(chunk))
            self._maxweight = max(self._maxweight, 1.0)


class _GroupedPostings(dict):
    """fieldname -> {term: array of ascending docnums} (terms str or bytes)."""


class _GroupedFieldWriter(W3FieldWriter):
    def add_postings(self, schema, lengths, items):
        if not isinstance(items, _GroupedPostings):
            return super().add_postings(schema, lengths, items)  # merges of older segments
        for fieldname in sorted(items):
            self.start_field(fieldname, schema[fieldname])
            encoded = sorted((term.encode("utf-8") if isinstance(term, str) else term, docnums)
                             for term, docnums in items[fieldname].items())
            for btext, docnums in encoded:
                self.start_term(btext)
                self._postwriter.add_documents(docnums)
                self.finish_term()
            self.finish_field()


class _TermListPool:
    """Build-time postings pool: documents arrive in docnum order, so every
    term's list is already sorted and only the distinct terms need sorting
    (Whoosh's pool sorts one tuple per posting and spills runs to disk)."""

    def __init__(self):
        self.fieldnames, self.lists = set(), _GroupedPostings()

    def field_terms(self, fieldname: str) -> dict:
        terms = self.lists.get(fieldname)
        if terms is None:
            self.fieldnames.add(fieldname)
            terms = self.lists[fieldname] = {}
        return terms

    def add(self, item) -> None:  # Whoosh's own path: new documents, merged segments
        if item[2] >= 0:  # docnum -1 marks spelling words, which this schema has none of
            terms = self.field_terms(item[0])
            docnums = terms.get(item[1])
            if docnums is None:
                docnums = terms[item[1]] = array("I")
            docnums.append(item[2])

    def iter_postings(self):
        return self.lists

    def save(self):
        pass

    def cleanup(self):
        self.lists = _GroupedPostings()


SMALL_SEGMENT_DOCS = 2000
SMALL_SEGMENT_BATCH = 16


def _merge_small_batches(writer, segments):
    """Merge policy for saves. Each save writes a small segment whose documents
    carry their source; once SMALL_SEGMENT_BATCH small segments exist their live
    documents are re-added into one segment (reading stored sources is far
    cheaper than Whoosh's add_reader, which re-reads every posting list). Big
    segments, such as a full build, are left alone. Whoosh's own MERGE_SMALL
    merged on most saves, adding ~100 ms to each."""
    small = [segment for segment in segments if segment.doc_count_all() < SMALL_SEGMENT_DOCS]
    if len(small) < SMALL_SEGMENT_BATCH:
        return list(segments)
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        try:
            live = [d for d in range(segment.doc_count_all()) if not segment.is_deleted(d)]
            sources = [reader.stored_fields(d).get("source") for d in live]
            if any(source is None for source in sources):
                writer.add_reader(reader)  # written without sources: Whoosh's way
                continue
            for source in sources:
                writer.add_document(**IndexDocument(*source).fields(with_source=True))
        finally:
            reader.close()
    return [segment for segment in segments if segment not in small]


class _BulkWriter(SegmentWriter):
    """Writer for a full build from ``IndexDocument.fields()`` dicts: terms go
    straight into the grouped pool, without Whoosh's per-posting pipeline."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, codec=_codec(), **kwargs)
        self.pool = _TermListPool()

    def add_document(self, **fields):
        perdoc, docnum, schema = self.perdocwriter, self.docnum, self.schema
        perdoc.start_doc(docnum)
        for fieldname in sorted(name for name in fields if not name.startswith("_")):
            value, field_type = fields[fieldname], schema[fieldname]
            if field_type.indexed:
                terms = self.pool.field_terms(fieldname)
                for term in dict.fromkeys(value if isinstance(value, list) else [value]):
                    docnums = terms.get(term)
                    if docnums is None:
                        docnums = terms[term] = array("I")
                    docnums.append(docnum)
            if field_type.stored:  # nothing is scored, so no field lengths to record
                perdoc.add_field(fieldname, field_type, fields.get(f"_stored_{fieldname}", value), 0)
            if field_type.column_type:
                perdoc.add_column_value(fieldname, field_type.column_type, field_type.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1


class IndexUnavailable(Exception):
    """The index is missing or damaged; ``reason`` says which."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason, self.detail = reason, detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class IndexBusy(Exception):
    """Another process held the writer lock through every retry."""


class IndexStore:
    """An index root with versioned directories and per-thread cached snapshots."""

    def __init__(self, root: str, cache_bytes: int = TERM_CACHE_BYTES):
        self.root = os.path.abspath(root)
        self.cache_bytes = cache_bytes
        self._local = threading.local()
        self._threads, self._threads_lock = [], threading.Lock()  # each thread's state, for close()

    # --- Versions and writing ---------------------------------------------------------

    def current_path(self):
        try:
            target = os.readlink(os.path.join(self.root, POINTER))
        except OSError:
            return None
        path = os.path.join(self.root, target)
        return path if os.path.isdir(path) else None

    def open(self):
        path = self.current_path()
        if path is None:
            raise IndexUnavailable("missing", self.root)
        try:
            return whoosh_index.open_dir(path)
        except Exception as error:  # EmptyIndexError, unpickling, truncated TOC...
            raise _damaged(error) from None

    def build(self, documents, progress=None) -> str:
        """Write every document into a new version, then point ``current`` at it."""
        os.makedirs(self.root, exist_ok=True)
        name = f"{VERSION_PREFIX}{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
        path = os.path.join(self.root, name)
        os.makedirs(path)
        try:
            writer = _BulkWriter(whoosh_index.create_in(path, make_schema()))
            try:
                for document in documents:
                    writer.add_document(**document.fields())
                    if progress:
                        progress(1)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        self._swap(name)
        return path

    def _swap(self, name: str) -> None:
        staging = os.path.join(self.root, f".{POINTER}-{uuid.uuid4().hex[:6]}")
        os.symlink(name, staging)
        os.replace(staging, os.path.join(self.root, POINTER))
        for entry in os.listdir(self.root):
            if entry.startswith(VERSION_PREFIX) and entry != name:
                shutil.rmtree(os.path.join(self.root, entry), ignore_errors=True)

    def apply(self, upserts=(), deletes=(), *, delete_producers=(), timeout: float = 0.5,
              retries: int = 3, backoff: float = 0.2) -> None:
        """Delete documents (by id, or every one of some producers), then add or
        replace ``upserts``, under Whoosh's writer lock.

        ``writer(timeout=…)`` waits for another process's writer; when every
        retry fails, IndexBusy tells the caller to keep the work as pending.
        """
        ix = self.open()
        for attempt in range(retries + 1):
            try:
                writer = ix.writer(timeout=timeout, codec=_codec())
                writer.pool = _TermListPool()
                break
            except LockError:
                if attempt == retries:
                    raise IndexBusy(self.root) from None
                time.sleep(backoff * (2 ** attempt))
        try:
            # Whoosh's update_document/delete_by_term would open a reader on every
            # segment for each save; this thread's snapshot of the very TOC the
            # writer holds (open readers reused) finds the documents instead.
            snapshot = self._snapshot_for(ix, writer.segments, writer.generation - 1)
            replaced = [("producer", str(p)) for p in delete_producers] + [("id", str(d)) for d in deletes]
            replaced += [("id", document.id) for document in upserts]
            for docnum in sorted({d for name, value in replaced for d in snapshot.documents(name, value)}):
                writer.delete_document(docnum)
            for document in upserts:
                writer.add_document(**document.fields(with_source=True))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=_merge_small_batches)

    def health(self) -> Health:
        """Open the current version and read a little of everything."""
        path = self.current_path() or ""
        try:
            snapshot = self.snapshot()
            count = snapshot.live.bit_count()
            for name in ("name", "name_f", "place_f", "ctx", "cat"):
                next(iter(snapshot.reader.lexicon(name)), None)
            snapshot.facet_bits(0)
            if count:
                snapshot.reader.stored_fields(_first_live(snapshot.live))
        except IndexUnavailable as error:
            return Health(False, error.reason, path)
        except Exception as error:
            self.forget()
            return Health(False, _damaged(error).reason, path)
        return Health(True, "", path, count)

    # --- Reading ----------------------------------------------------------------------

    def snapshot(self) -> "Snapshot":
        """This thread's view of the index, rebuilt only when the index changed."""
        local = self._local
        path = self.current_path()
        if path is None:
            self.forget()
            raise IndexUnavailable("missing", self.root)
        try:
            current = getattr(local, "snapshot", None)
            if current is None or current.path != path:
                self.forget()
                local.path = path
            elif current.generation == current.index.latest_generation():
                return current
            ix = self.open()
            toc = ix._read_toc()
            local.snapshot = self._snapshot_for(ix, toc.segments, toc.generation)
        except IndexUnavailable:
            self.forget()
            raise
        except Exception as error:
            self.forget()
            raise _damaged(error) from None
        return local.snapshot

    def _snapshot_for(self, ix, segments, generation) -> "Snapshot":
        """A snapshot of these segments, reusing this thread's open segment readers.

        Deletions are taken from the segment list (the TOC), never from a reused
        reader: Whoosh's own ``Searcher.refresh()`` reuses readers with their old
        deletions (in whoosh-reloaded 2.7.5 an updated document came back twice).
        """
        local = self._local
        if "registered" not in local.__dict__:
            with self._threads_lock:
                local.registered = True
                self._threads.append(local.__dict__)
        if getattr(local, "path", None) != ix.storage.folder:
            self.forget()
            local.path = ix.storage.folder
        previous, readers = getattr(local, "readers", {}), {}
        for segment in segments:
            segment_id = segment.segment_id()
            readers[segment_id] = previous.pop(segment_id, None) or SegmentReader(
                ix.storage, ix.schema, segment, generation=generation)
        for stale in previous.values():
            stale.close()
        local.readers = readers
        if not hasattr(local, "terms"):
            local.segments, local.terms = OrderedDict(), BitsetCache(self.cache_bytes)
        local.snapshot = Snapshot(ix, generation, [(readers[s.segment_id()], s) for s in segments],
                                  local.segments, local.terms)
        return local.snapshot

    def forget(self) -> None:
        """Close this thread's readers (the index moved, or reading failed)."""
        _close_state(self._local.__dict__)

    def close(self) -> None:
        """Close every thread's readers (when this store is no longer used)."""
        with self._threads_lock:
            states, self._threads = self._threads, []
        for state in states:
            _close_state(state)
            state.pop("registered", None)

    def _guarded(self, method, *args):
        try:
            return method(self.snapshot(), *args)
        except IndexUnavailable:
            raise
        except Exception as error:  # a damaged segment surfaces while reading
            self.forget()
            raise _damaged(error) from None

    def search(self, request: SearchRequest) -> SearchResult:
        return self._guarded(querying.search, request)

    def suggest(self, text: str, limit: int = 8) -> list:
        return self._guarded(querying.suggest, text, limit)


def _close_state(state: dict) -> None:
    for reader in state.get("readers", {}).values():
        try:
            reader.close()
        except Exception:
            pass
    for name in ("snapshot", "readers", "path", "segments", "terms"):
        state.pop(name, None)


def _damaged(error: Exception) -> IndexUnavailable:
    """IndexUnavailable for a damaged index, releasing what the failed read held.

    Whoosh leaves the file it was reading open when a truncated segment makes it
    fail; dropping the traceback (and collecting now, warnings muted) closes it
    here instead of as a ResourceWarning at some random later moment.
    """
    detail = repr(error)[:300]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        chained = error
        while chained is not None:
            chained.__traceback__ = None
            chained = chained.__context__ or chained.__cause__
        gc.collect()
    return IndexUnavailable("damaged", detail)


def _first_live(live: int) -> int:
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
