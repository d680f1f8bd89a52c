from flask import make_response, redirect, request, session

from core import bp
from core.forms import LanguageForm
from core.urls import safe_next_url


@bp.post("/ngon-ngu")
def set_language():
    form = LanguageForm()
    target = safe_next_url(request.form.get("next"))
    if form.validate_on_submit():
        session["lang"] = form.lang.data
        response = make_response(redirect(target))
        response.set_cookie("lang", form.lang.data, max_age=365 * 24 * 3600, samesite="Lax")
        return response
    return redirect(target)


@bp.get("/healthz")
def health():
    return {"status": "ok"}
