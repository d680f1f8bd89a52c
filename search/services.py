"""Search for the web layer: index first, database fallback, products to show.

``search_products`` never raises for index trouble: a missing or damaged index
answers from SQL (``search.fallback``) and starts a rebuild; otherwise
the index first catches up with the database's change log (``search.sync``).
"""
import logging
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy.orm import selectinload

from extensions import db
from search import fallback, sync
from search.engine import IndexUnavailable
from search.records import SearchRequest
from search.highlight import match_terms

log = logging.getLogger(__name__)
SUGGESTIONS = 8


@dataclass
class Outcome:
    result: object  # search.engine.SearchResult
    degraded: bool = False  # answered by the database fallback

    @property
    def terms(self):
        return match_terms(self.result.plan) if self.result.plan else None


def search_products(text: str, filters, *, page: int, per_page: int, today: date = None) -> Outcome:
    """One page of results; `per_page` comes from the caller (the `PAGE_SIZE` setting or the API's
    `per_page`)."""
    today = today or date.today()
    request = SearchRequest(text=text, filters=filters, page=page, per_page=per_page, today=today.toordinal())
    sync.catch_up_before_search()
    try:
        return Outcome(sync.store().search(request))
    except IndexUnavailable as error:
        log.warning("search index unavailable (%s); answering from the database", error)
        outcome = Outcome(fallback.search(request, today), degraded=True)
        sync.recover(current_app._get_current_object())
        return outcome


def suggestions(text: str, limit: int = SUGGESTIONS) -> list:
    """Hits for search-as-you-type (the last word is a prefix)."""
    sync.catch_up_before_search()
    try:
        return sync.store().suggest(text, limit)
    except IndexUnavailable:
        request = SearchRequest(text=text, per_page=limit, today=date.today().toordinal())
        return fallback.search(request, date.today()).hits


def load_products(hits) -> list:
    """Public products for the hits, in hit order (rows gone since indexing are skipped)."""
    from catalog.models import Product

    ids = [int(hit.id) for hit in hits if str(hit.id).isdigit()]
    if not ids:
        return []
    query = (Product.public().where(Product.id.in_(ids))
             .options(selectinload(Product.producer), selectinload(Product.certificate),
                      selectinload(Product.photos)))
    found = {product.id: product for product in db.session.scalars(query)}
    return [found[i] for i in ids if i in found]

