"""What goes into the index and what comes out of a search. Pure data.

``IndexDocument.fields()`` turns a document into the term lists the index
stores (``search.analysis.index_terms``, the analyzers' own functions), so the
index writer never runs a tokenizer per posting.
"""
import hashlib
from dataclasses import astuple, dataclass, field

from search.analysis import index_terms
from search.facets import GROUP_NUMBERS, Filters, empty_counts, pack

MAX_CONTEXT_TERMS = 120  # distinct context syllables per product: a long description adds little


@dataclass(frozen=True)
class IndexDocument:
    id: str
    name: str
    places: str = ""  # commune, province (today's and former names)
    context: str = ""  # producer, unit, description
    category: str = ""  # OCOP group and product-set names
    slug: str = ""
    producer_id: int = 0
    group: str = ""  # facets.GROUP_SLUGS value
    province: int = 0
    stars: int = 0
    valid_until: int = 0  # date ordinal of the certificate's last valid day

    def digest(self) -> str:
        """A fingerprint of the whole document: the index stores it, and
        ``flask search status`` compares it with one built from the database."""
        return hashlib.blake2b(repr(astuple(self)).encode("utf-8"), digest_size=12).hexdigest()

    def fields(self, with_source: bool = False) -> dict:
        """Index fields; ``with_source`` also stores the document itself, so a later
        merge of small segments can re-add it instead of re-reading its postings."""
        name, name_folded, name_bigrams = index_terms(self.name)
        _, place_folded, place_bigrams = index_terms(self.places)
        context = list(dict.fromkeys(index_terms(self.context)[0]))[:MAX_CONTEXT_TERMS]
        return {"id": self.id, "producer": str(self.producer_id or 0), "slug": self.slug, "digest": self.digest(),
                "name": name, "_stored_name": self.name,
                "name_f": name_folded, "name_bi": name_bigrams,
                "place_f": place_folded, "place_bi": place_bigrams,
                "ctx": context, "cat": index_terms(self.category)[0],
                "facets": pack(GROUP_NUMBERS.get(self.group, 0), self.stars or 0, len(name), self.province or 0),
                "valid_until": self.valid_until or 0,
                **({"source": astuple(self)} if with_source else {})}


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    filters: Filters = Filters()
    page: int = 1
    per_page: int = 24
    today: int = 0  # date ordinal, for certificate validity


@dataclass
class Hit:
    id: str
    name: str
    slug: str
    score: float = 0.0


@dataclass
class SearchResult:
    total: int = 0
    hits: list = field(default_factory=list)
    facets: object = field(default_factory=empty_counts)
    plan: object = None  # the search.plan.QueryPlan that found the hits
    corrected: bool = False  # hits are for plan.display, not what was typed
    did_you_mean: str = ""  # nothing matched; this query would
    timed_out: bool = False


@dataclass
class Health:
    ok: bool
    reason: str = ""
    path: str = ""
    doc_count: int = 0
