"""Search pages and APIs: /tim-kiem, /api/search, /api/suggest.

Thin views: the form validates, ``search.services`` searches, these functions
shape the answer. The results page works without JavaScript; filters live in
the URL so every state can be bookmarked and shared.
"""
import json
from datetime import date

from flask import current_app, jsonify, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from core.urls import absolute
from core.web import error_response
from extensions import limiter
from places.units import province as find_province
from producers.ocop import product_sets
from catalog import images
from catalog.queries import page_size
from catalog.urls import product_page
from search.facets import GROUP_CODES
from search.views import api_bp, bp
from search.views.forms import SearchForm
from search.highlight import highlight, snippet
from search.services import load_products, search_products, suggestions

SUGGEST_MAX_BYTES = 2048
SUGGEST_NAME_CHARS = 80


def _search_limit():
    return current_app.config["SEARCH_RATE_LIMIT"]


def _suggest_limit():
    return current_app.config["SUGGEST_RATE_LIMIT"]


def _group_labels(locale) -> dict:
    """OCOP group code (I…VI) -> name in the reader's language."""
    labels = {}
    for item in product_sets():
        labels.setdefault(item.group_code, item.group(locale))
    return labels


def _province_label(code) -> str:
    found = find_province(code)
    return found.short_name if found else str(code)


def facet_lists(counts, locale) -> dict:
    """{"group": [...], "province": [...], "stars": [...]}: value, label, count; biggest first."""
    groups = _group_labels(locale)

    def ordered(counter, label):
        return [{"value": value, "label": label(value), "count": count}
                for value, count in sorted(counter.items(), key=lambda item: (-item[1], str(label(item[0]))))]

    group_counts = {GROUP_CODES[slug]: count for slug, count in counts.group.items()}
    return {"group": ordered(group_counts, lambda code: groups.get(code, code)),
            "province": ordered(counts.province, _province_label),
            "stars": sorted(({"value": value, "label": "★" * value, "count": count}
                             for value, count in counts.stars.items()), key=lambda item: -item["value"])}


def _card(product, terms, today) -> dict:
    card = {"product": product, "url": product_page(product.id, product.slug, product.name),
            "name": highlight(product.name, terms), "snippet": snippet(product.description, terms),
            "stars": product.stars(today), "province": _province_label(product.producer.province_code),
            "producer": product.producer.legal_name, "image": None}
    cover = product.cover
    if cover is not None:
        card["image"] = {"src": images.image_url(cover.image_key, 160),
                         "srcset": images.srcset(cover.image_key, images.THUMBNAIL_WIDTHS),
                         "sizes": images.CARD_SIZES, "width": cover.width or 480, "height": cover.height or 480}
    return card


@bp.get("")
@limiter.limit(_search_limit)
def results():
    form = SearchForm(request.args)
    if not form.validate():
        return error_response(400, _("This search cannot be used"), form.first_error()[1])
    today = date.today()
    outcome = search_products(form.q.data, form.filters, page=form.page.data or 1,
                              per_page=page_size(), today=today)
    result = outcome.result
    cards = [_card(product, outcome.terms, today) for product in load_products(result.hits)]
    page = form.page.data or 1
    pages = {"previous": url_for(".results", **form.args(page=page - 1)) if page > 1 else None,
             "next": url_for(".results", **form.args(page=page + 1))
             if page * page_size() < result.total and page < 100 else None}
    browse = "catalog.browse" in current_app.view_functions
    return render_template("search/results.html", form=form, outcome=outcome, result=result, cards=cards,
                           facets=_facet_links(facet_lists(result.facets, str(get_locale())), form),
                           pages=pages, page=page, browse_url=url_for("catalog.browse") if browse else "/")


def _facet_links(facets: dict, form) -> dict:
    """Each facet value links to the same search with that value chosen (or, if it
    already is, removed); other filters and the text are kept."""
    current = form.args()
    for name, items in facets.items():
        for item in items:
            item["chosen"] = str(current.get(name, "")) == str(item["value"])
            change = {name: None if item["chosen"] else item["value"], "page": None}
            item["url"] = url_for(".results", **form.args(**change))
    return facets


def _bad_request(form):
    param, message = form.first_error()
    response = jsonify({"error": _("Bad request"), "message": message, "param": param, "status": 400})
    response.status_code = 400
    return response


@api_bp.get("/search")
@limiter.limit(_search_limit)
def api_search():
    form = SearchForm(request.args)
    if not form.validate():
        return _bad_request(form)
    today = date.today()
    page, per_page = form.page.data or 1, form.per_page.data or page_size()
    outcome = search_products(form.q.data, form.filters, page=page, per_page=per_page, today=today)
    result = outcome.result
    items = [{"id": p.id, "ref": p.ref, "name": p.name, "url": absolute(product_page(p.id, p.slug, p.name)),
              "price_vnd": p.price_vnd, "stars": p.stars(today),
              "province": _province_label(p.producer.province_code), "producer": p.producer.legal_name}
             for p in load_products(result.hits)]
    return jsonify({
        "query": form.q.data, "total": result.total, "page": page, "per_page": per_page, "items": items,
        "facets": facet_lists(result.facets, str(get_locale())),
        "corrected_query": result.plan.display if result.corrected else None,
        "did_you_mean": result.did_you_mean or None, "degraded": outcome.degraded,
    })


@api_bp.get("/suggest")
@limiter.limit(_suggest_limit)
def api_suggest():
    text = SearchForm(request.args).q.data or ""
    items = []
    for hit in suggestions(text) if text else []:
        name = hit.name if len(hit.name) <= SUGGEST_NAME_CHARS else hit.name[:SUGGEST_NAME_CHARS - 1] + "…"
        items.append({"name": name, "url": product_page(hit.id, hit.slug, hit.name)})
    while True:  # ≤ 2 KB on the wire, whatever the names
        body = json.dumps({"query": text, "items": items}, ensure_ascii=False, separators=(",", ":"))
        if len(body.encode("utf-8")) <= SUGGEST_MAX_BYTES or not items:
            break
        items.pop()
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Cache-Control"] = "public, max-age=60"
    return response
