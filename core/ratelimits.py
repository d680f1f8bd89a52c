"""Per-address ceilings over the per-visitor limits, and where the counters live.

Each limited view keeps its own per-visitor limit where it is declared (`@limiter.limit(...)`,
counted per account or browser session: core/ratekeys.py). This module adds, by endpoint name,
a ceiling per address, about ten to twenty times the visitor's limit: high enough for a commune
behind one carrier-grade NAT address (50 people searching 20 times a minute each pass), low
enough that one machine throwing its cookies away cannot flood the site. docs/SECURITY.md
lists every limit; tests/integration/test_rate_limits.py checks the list against this table.

Counters live in Redis when `REDIS_URL` is set (shared by every worker and server; without it
each gunicorn worker counts on its own, so n workers allow n times the limit). If Redis stops
answering, the limiter counts in memory until it is back rather than failing requests.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_limiter.util import get_qualified_name

from core.ratekeys import address_key
from extensions import limiter


@dataclass(frozen=True)
class Ceiling:
    setting: str  # the config key (env FLASK_<setting>)
    default: str
    endpoints: tuple
    methods: tuple | None = None  # None: every method
    shared_scope: str | None = None  # one counter for all the endpoints (else one each)
    deduct_when: object = None  # count only responses for which this is true
    key_func: object = address_key  # whom it counts: the address, unless said otherwise

    def value(self) -> str:
        return current_app.config.get(self.setting, self.default)


def _failed_lookup(response) -> bool:
    return response.status_code == 404


UPLOAD_METHODS = ("POST",)
CEILINGS = (
    Ceiling("REGISTER_ADDRESS_RATE_LIMIT", "200 per hour", ("accounts.register",), ("POST",)),
    Ceiling("SEARCH_ADDRESS_RATE_LIMIT", "1200 per minute", ("search.results", "search_api.api_search")),
    Ceiling("SUGGEST_ADDRESS_RATE_LIMIT", "4800 per minute", ("search_api.api_suggest",)),
    Ceiling("ORDER_ADDRESS_RATE_LIMIT", "100 per hour", ("order_form.place_order",), ("POST",)),
    Ceiling("ORDER_LOOKUP_ADDRESS_RATE_LIMIT", "300 per hour",
            ("order_lookup.order_lookup", "orders.order_saved_code", "payments_api.order_qr_api",
             "payments_api.order_qr_png", "payments_api.order_qr_svg"),
            shared_scope="order-lookup-address", deduct_when=_failed_lookup),
    Ceiling("UPLOAD_ADDRESS_RATE_LIMIT", "2000 per hour",
            ("catalog_manage.product_new", "catalog_manage.product_edit", "catalog_manage.photo_upload",
             "producers.upload_registration", "producers.add_certificate", "producers.edit_certificate"),
            UPLOAD_METHODS),
    Ceiling("IMPORT_ADDRESS_RATE_LIMIT", "300 per hour",
            ("catalog_imports.import_upload", "catalog_imports.import_apply", "catalog_exports.export_page",
             "reconcile.statement_upload"), UPLOAD_METHODS),
    Ceiling("CLAIM_ADDRESS_RATE_LIMIT", "100 per 15 minutes", ("producers.claim",), ("POST",)),
    Ceiling("PAYMENT_CHANGE_ADDRESS_RATE_LIMIT", "200 per hour",
            ("producers.step_bank", "payments.payment_link_page"), ("POST",)),
)


def configure(config) -> None:
    """Before the limiter is bound (app._configure): counters in Redis when there is one."""
    if config.get("REDIS_URL") and config.get("RATELIMIT_STORAGE_URI", "memory://") == "memory://":
        config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"]
        config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    config.setdefault("RATELIMIT_KEY_PREFIX", f"{config.get('JOBS_QUEUE_NAME') or 'choque'}:limits")


def init_app(app) -> None:
    """Add each ceiling to its views (after every blueprint is registered: see app.py)."""
    for ceiling in CEILINGS:
        for endpoint in ceiling.endpoints:
            view = app.view_functions.get(endpoint)
            if view is None:
                continue
            if ceiling.shared_scope:
                decorator = limiter.shared_limit(ceiling.value, scope=ceiling.shared_scope, key_func=ceiling.key_func,
                                                 methods=ceiling.methods, deduct_when=ceiling.deduct_when)
            else:
                decorator = limiter.limit(ceiling.value, key_func=ceiling.key_func, methods=ceiling.methods,
                                          deduct_when=ceiling.deduct_when)
            wrapped = decorator(view)
            if not _already_limited(view):
                app.view_functions[endpoint] = wrapped


def _already_limited(view) -> bool:
    """A view with a `@limiter.limit` of its own checks every limit registered under its name,
    this ceiling included; any other view needs the ceiling's wrapper installed."""
    return getattr(view, "__wrapper-limiter-instance", None) == limiter  # a weak proxy of it


def check_view_limits(endpoint: str) -> None:
    """Count this request against the view's limits without calling the view (a page served from
    the page cache); raises RateLimitExceeded (a 429 page) when one is used up."""
    view = current_app.view_functions.get(endpoint)
    if view is None or not _already_limited(view):
        return
    # Flask-Limiter 4.1 checks a decorated view's limits inside its wrapper, when the view is
    # called; this is that same check, made from the page cache's hook instead.
    limiter._check_request_limit(callable_name=get_qualified_name(view), in_middleware=False)
