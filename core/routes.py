from flask import make_response, redirect, request, session, url_for

from core import bp
from core.forms import LanguageForm
from core.urls import absolute, safe_next_url


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


# Back-office and personal pages stay out of search engines; the public producer pages
# (/nha-san-xuat/<name>-<id>) share the producers' prefix, so their back-office paths are
# listed one by one. `$` ends a path (Google's and Bing's robots.txt rules).
CRAWLERS_KEEP_OUT = (
    "/can-bo", "/nhap-du-lieu", "/xuat-du-lieu", "/don-hang", "/dang-nhap", "/dang-ky", "/dang-xuat",
    "/ngon-ngu", "/tim-kiem", "/api/", "/nha-san-xuat$", "/nha-san-xuat/ho-so", "/nha-san-xuat/ho-tro",
    "/nha-san-xuat/don-hang", "/nha-san-xuat/san-pham", "/nha-san-xuat/lien-ket-thanh-toan",
    "/nha-san-xuat/*/san-pham",
)


@bp.get("/robots.txt")
def robots():
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in CRAWLERS_KEEP_OUT),
             f"Sitemap: {absolute(url_for('catalog.sitemap_index'))}", ""]
    response = make_response("\n".join(lines))
    response.mimetype = "text/plain"
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
