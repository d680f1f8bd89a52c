"""How the search index is written: the schema, a presence-only codec, a bulk writer and term
pool that skip Whoosh's per-posting pipeline, and the merge policy for saves.

Tied to Whoosh's internals (with ``search.engine`` and ``search.snapshot`` the only modules that
import whoosh besides ``search.analysis``). No Flask. ``search.engine`` uses these to build and
update index versions.
"""
from array import array
from itertools import chain

from whoosh import formats
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PostingsWriter
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from search.analysis import exact_analyzer, folded_analyzer, folded_bigram_analyzer
from search.records import IndexDocument

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
        id=ID(stored=True, unique=True), producer=ID(), slug=STORED(), source=STORED(), digest=STORED(),
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


def presence_codec():
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


class TermListPool:
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


def merge_small_batches(writer, segments):
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


class BulkWriter(SegmentWriter):
    """Writer for a full build from ``IndexDocument.fields()`` dicts: terms go
    straight into the grouped pool, without Whoosh's per-posting pipeline."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, codec=presence_codec(), **kwargs)
        self.pool = TermListPool()

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
