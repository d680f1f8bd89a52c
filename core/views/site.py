"""Site-wide pages: the language switch (/ngon-ngu), and the two addresses fixed by outside
conventions, /healthz (load balancers, monitoring) and /robots.txt (RFC 9309), which sit on the
app itself rather than under a blueprint's prefix."""
from flask import Blueprint, make_response, redirect, request, session, url_for

from core.forms import LanguageForm
from core.urls import absolute, safe_next_url

language_bp = Blueprint("language", __name__, url_prefix="/ngon-ngu")


@language_bp.post("")
def set_language():
    form = LanguageForm()
    target = safe_next_url(request.form.get("next"))
    if form.validate_on_submit():
        session["lang"] = form.lang.data
        response = make_response(redirect(target))
        response.set_cookie("lang", form.lang.data, max_age=365 * 24 * 3600, samesite="Lax")
        return response
    return redirect(target)


# Back-office and personal pages stay out of search engines; the public producer pages
# (/nha-san-xuat/<name>-<id>) share the producers' prefix, so their back-office paths are
# listed one by one. `$` ends a path (Google's and Bing's robots.txt rules).
CRAWLERS_KEEP_OUT = (
    "/can-bo", "/nhap-du-lieu", "/xuat-du-lieu", "/don-hang", "/dang-nhap", "/dang-ky", "/dang-xuat",
    "/ngon-ngu", "/tim-kiem", "/api/", "/nha-san-xuat$", "/nha-san-xuat/ho-so", "/nha-san-xuat/ho-tro",
    "/nha-san-xuat/don-hang", "/nha-san-xuat/san-pham", "/nha-san-xuat/lien-ket-thanh-toan",
    "/nha-san-xuat/*/san-pham",
)


def robots():
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in CRAWLERS_KEEP_OUT),
             f"Sitemap: {absolute(url_for('catalog.sitemap_index'))}", ""]
    response = make_response("\n".join(lines))
    response.mimetype = "text/plain"
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
