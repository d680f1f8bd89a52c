"""Temporary search indexes for the engine tests (no database needed)."""
from search.engine import IndexStore
from tests.relevance.evaluation import relevance_documents
from search.records import SearchRequest

# A few products beyond the judged set, for behaviours it has no pair for.
EXTRA = [
    dict(id="me-chua", name="Me chua Tây Ninh", description="Me chua chín cây, làm mứt me.",
         producer="Cơ sở Me Tây Ninh", group="food"),
    dict(id="gao-nep", name="Gạo nếp cái hoa vàng Kinh Môn", description="Nếp cái hoa vàng dẻo thơm.",
         producer="HTX Nông nghiệp Kinh Môn", group="food"),
]


def build(root, extra=True, **changes):
    """A store over the judged products (plus EXTRA); ``changes`` override documents by id."""
    from dataclasses import replace

    from places.units import match_province
    from search.documents import build_document

    documents = relevance_documents()
    if extra:
        provinces = {"me-chua": "Tây Ninh", "gao-nep": "Hải Phòng"}
        documents += [build_document(province_code=match_province(provinces[item["id"]]).code, **item)
                      for item in EXTRA]
    documents = [replace(doc, **changes[doc.id]) if doc.id in changes else doc for doc in documents]
    store = IndexStore(root)
    store.build(documents)
    return store


def ranking(store, text, **options):
    return [hit.id for hit in store.search(SearchRequest(text, per_page=50, **options)).hits]


def suggestions(store, text):
    return [hit.id for hit in store.suggest(text)]
