"""Whole-page cache for anonymous buyers (issue 14).

The catalogue, product, producer, search and home pages look the same for every anonymous
buyer, so the first rendering of each is kept (Flask-Caching: one in-process SimpleCache per
worker by default, Redis shared by every worker and server when `REDIS_URL` is set) and the
next anonymous buyers get it without a template or a catalogue query.

What makes a request cacheable (`_cacheable_request`): a GET to one of `CACHEABLE_ENDPOINTS`,
no logged-in account in the session (not even a stale one), no flash message waiting, a short
query string. Everything else, and every logged-in view, goes through untouched.

The key (`page_key`): endpoint, path, the query arguments sorted, the language, the calendar
days the pages read (stars expire and seasons turn at midnight) and the catalogue version
(`catalogue_version`): the newest number of the `search_changes` log, which database triggers
advance in the transaction of every change a buyer could see of a product: the product, its
photos, producer, certificate and the producer's payment details (the QR codes and the order
form on product and producer pages: search/changes.py). A change commits, the next
request reads a new version and misses the cache: a change shows at once, with no
invalidation to forget. Old entries simply expire (`PAGE_CACHE_SECONDS`).

PostgreSQL commits out of order: a transaction that took change number 9 may commit after one
that took 10, and MAX stays 10. The version therefore also counts the log rows among the
newest `LATE_COMMIT_WINDOW` numbers there, which grows when number 9 lands. (SQLite has one
writer, so its numbers become visible in order and MAX alone is exact.)

What is stored is a response without cookies: only a 200 from the view, with no Set-Cookie of
its own, that left the session as it found it (apart from a CSRF secret). The session cookie
the page needs is made per request, as without the cache. Pages carry per-visitor values in
hidden form fields: the CSRF token of the language and order forms, and the signed moment the
order form was shown (`payments.views.forms`). They are replaced on every hit with values made for
this visitor and this moment (`FRESH_FIELDS`), so a cached page never hands one buyer's token
to another.

Rate limits still count a hit: a search served from the cache uses up the same allowance
(`core.ratelimits.check_view_limits`).
"""
from __future__ import annotations

import hashlib
import logging
import re
from datetime import date, timedelta
from urllib.parse import urlencode

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_caching import Cache
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, select

from core.clock import utcnow
from extensions import db

log = logging.getLogger(__name__)

page_cache = Cache()

# Endpoint names (they survive a view module's move) of the pages every anonymous buyer sees alike.
CACHEABLE_ENDPOINTS = frozenset({
    "catalog.index", "catalog.browse", "catalog.product", "catalog.producer", "search.results",
})
DEFAULTS = {
    "PAGE_CACHE": True,
    "PAGE_CACHE_SECONDS": 600,  # an entry's life; a change of the catalogue makes a new key anyway
    "PAGE_CACHE_ENTRIES": 500,  # per worker, in-process cache only: at most ~25 MB of pages
    "PAGE_CACHE_DIR": None,  # set it to use a FileSystemCache there (shared by a server's workers)
}
MAX_QUERY_STRING = 512  # longer addresses are served, just not kept
LATE_COMMIT_WINDOW = 1000
VIETNAM_OFFSET = timedelta(hours=7)  # no daylight saving
CACHE_HEADER = "X-Page-Cache"  # "hit" or "miss": for operators and the tests
KEPT_HEADERS = ("Content-Type", "Cache-Control", "Vary", "Content-Language", "Link")
_HIDDEN_FIELD = re.compile(r'(<input id="[^"]*" name="(csrf_token|started)" type="hidden" value=")([^"]*)(")')


def _fresh_csrf(_old: str) -> str:
    return generate_csrf()


def _fresh_order_start(old: str) -> str:
    from payments.views.forms import restamp_started

    return restamp_started(old)


# Hidden field name -> a function of the cached value giving this visitor's value now.
FRESH_FIELDS = {"csrf_token": _fresh_csrf, "started": _fresh_order_start}


def init_app(app):
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    page_cache.init_app(app, config=cache_config(app))
    app.before_request(serve_cached_page)
    app.after_request(keep_page)


def cache_config(app) -> dict:
    config = app.config
    common = {"CACHE_DEFAULT_TIMEOUT": int(config["PAGE_CACHE_SECONDS"]),
              "CACHE_KEY_PREFIX": f"{config.get('JOBS_QUEUE_NAME') or 'choque'}:page:"}
    if not config["PAGE_CACHE"]:
        return {"CACHE_TYPE": "NullCache", **common}
    if config.get("REDIS_URL"):
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": config["REDIS_URL"], **common}
    if config.get("PAGE_CACHE_DIR"):
        return {"CACHE_TYPE": "FileSystemCache", "CACHE_DIR": config["PAGE_CACHE_DIR"],
                "CACHE_THRESHOLD": int(config["PAGE_CACHE_ENTRIES"]), **common}
    return {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": int(config["PAGE_CACHE_ENTRIES"]), **common}


def catalogue_version(connection=None) -> str:
    """Changes whenever anything a buyer sees of the catalogue changes (see the module doc):
    one statement (an index lookup; on PostgreSQL a short index range too), compiled once per
    database kind."""
    connection = connection or db.session.connection()
    sql = _version_sql(connection.dialect)
    return ".".join(str(value) for value in connection.exec_driver_sql(sql).one())


_version_sql_by_dialect: dict = {}


def _version_sql(dialect) -> str:
    sql = _version_sql_by_dialect.get(dialect.name)
    if sql is None:
        from search.changes import SearchChange

        newest = select(func.coalesce(func.max(SearchChange.seq), 0)).scalar_subquery()
        parts = [newest]
        if dialect.name == "postgresql":
            parts.append(select(func.count()).where(SearchChange.seq > newest - LATE_COMMIT_WINDOW)
                         .scalar_subquery())
        sql = str(select(*parts).compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        _version_sql_by_dialect[dialect.name] = sql
    return sql


def _days() -> str:
    """The dates pages depend on: the server's (stars: `date.today()` in the views) and Vietnam's
    (the month of seasonal products: payments.services.current_month)."""
    return f"{date.today().isoformat()}/{(utcnow() + VIETNAM_OFFSET).date().isoformat()}"


def page_key() -> str:
    args = urlencode(sorted(request.args.items(multi=True)))
    text = "|".join((request.endpoint, str(get_locale()), _days(), catalogue_version(), request.path, args))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _cacheable_request() -> bool:
    return (request.method == "GET" and request.endpoint in CACHEABLE_ENDPOINTS
            and current_app.config["PAGE_CACHE"] and "user_id" not in session and "_flashes" not in session
            and len(request.query_string) <= MAX_QUERY_STRING)


def _session_snapshot() -> dict:
    return {key: value for key, value in session.items() if key != "csrf_token"}


def serve_cached_page():
    if not _cacheable_request():
        return None
    try:
        key = page_key()
        stored = page_cache.get(key)
    except Exception:  # the cache (Redis) being away must never take the pages with it
        log.warning("page cache unavailable", exc_info=True)
        db.session.rollback()  # a failed version query must not poison the view's transaction
        return None
    g.page_cache_key = key
    g.page_cache_session = _session_snapshot()
    if stored is None:
        return None
    from core.ratelimits import check_view_limits

    check_view_limits(request.endpoint)
    return _response_from(stored)


def _response_from(stored: dict):
    from core.http import conditional

    body = _HIDDEN_FIELD.sub(lambda m: m.group(1) + FRESH_FIELDS[m.group(2)](m.group(3)) + m.group(4),
                             stored["body"])
    response = current_app.response_class(body, status=200)
    for name, value in stored["headers"]:
        response.headers[name] = value
    response.headers[CACHE_HEADER] = "hit"
    g.page_cache_key = None  # nothing to keep again
    return conditional(response) if stored["etag"] else response


def keep_page(response):
    key = g.get("page_cache_key")
    if not key:
        return response
    g.page_cache_key = None
    if (response.status_code != 200 or response.is_streamed or response.direct_passthrough
            or "Set-Cookie" in response.headers or "Content-Encoding" in response.headers
            or response.cache_control.private or response.cache_control.no_store
            or _session_snapshot() != g.get("page_cache_session") or "user_id" in session):
        return response
    stored = {"body": response.get_data(as_text=True), "etag": "ETag" in response.headers,
              "headers": [(name, response.headers[name]) for name in KEPT_HEADERS if name in response.headers]}
    try:
        page_cache.set(key, stored)
    except Exception:
        log.warning("page cache unavailable", exc_info=True)
        return response
    response.headers[CACHE_HEADER] = "miss"
    return response
