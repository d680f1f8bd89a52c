"""Small public addresses outside the back office: the commune look-up of the profile form's
JavaScript filter, and the short claim link sent to a farmer."""
from flask import abort, jsonify, redirect, request, url_for

from places.former import find_communes
from places.units import communes, province
from producers.views import claim_links, places_api
from producers.views.forms import commune_choice_label

COMMUNES_CACHE_SECONDS = 7 * 24 * 3600


@places_api.get("/communes")
def communes_of_province():
    """Communes of a province for the JavaScript filter, narrowed by `q` (former names too);
    public data, cached by browsers."""
    chosen = province(request.args.get("province", ""))
    if chosen is None:
        abort(404)
    typed = request.args.get("q", "")[:80].strip()
    if typed:
        items = [{"code": c.commune.code, "name": commune_choice_label(c)} for c in find_communes(chosen.code, typed)]
    else:
        items = [{"code": c.code, "name": c.name} for c in communes(chosen.code)]
    response = jsonify({"province": chosen.code, "communes": items})
    response.cache_control.public = True
    response.cache_control.max_age = COMMUNES_CACHE_SECONDS
    return response


@claim_links.get("/<code>")
def short_link(code):
    """The short link sent to the farmer: the claim page with the code filled in."""
    return redirect(url_for("producers.claim", ma=code))
