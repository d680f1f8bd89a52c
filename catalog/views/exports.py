"""Listings out: the export page /xuat-du-lieu, its downloads, the public feeds and JPEG photos.

The page: choose a format (officers and admins may narrow to a province or one producer; a
Shopee template may be uploaded) -> a background job (catalog.export_jobs) writes the export to
UPLOAD_DIR/exports/<random> while the job's page shows its progress -> the same page then is
the results page, which says how many listings went out and which were left out and why, with the
download button and, when many were left out, the whole list as a CSV file. Downloads go
through a signed token naming the user who exported (never a path) and expire after a day.

Who exports what is decided in the query (catalog.listings.ExportScope): a producer its own
published listings, an officer those of its communes, an admin everything.
"""
from __future__ import annotations

import io
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import DataRequired

from accounts.auth import roles_required
from accounts.models import Role
from catalog import feeds, images
from catalog.export_jobs import EXPORT_KIND, KEEP_SECONDS, SHOWN_ISSUES, STORED_NAME, explain, exports_dir, \
    private_file, report_from_json, run_export_job, scope_params
from catalog.exporters import EXPORTERS
from catalog.importer.sheet import ZIP_MAGIC
from catalog.listings import EXPORTING_ROLES, PAGE_LINK_FORMATS, ExportScope, find_producers, problem_message, \
    product_id_of
from catalog.models import Product
from catalog.views import bp  # the feeds and JPEG copies are public catalogue doors
from core.http import send_stored
from core.urls import absolute
from extensions import db, limiter
from jobs.queue import JobKind, register_kind
from jobs.services import enqueue, start_job
from places import units
from producers.models import Producer

# The back office's export pages (officers, helpers, producers).
exports_bp = Blueprint("catalog_exports", __name__, url_prefix="/xuat-du-lieu")

EXPORT_LIMIT = "30 per hour"
TEMPLATE_MAX_BYTES = 5 * 1024 * 1024
PRODUCER_SUGGESTIONS = 300
# What to do with each file, said plainly (shown on the results page).
NEXT_STEPS = {
    "google-xml": _l("Upload this file in Google Merchant Center under Products → Feeds."),
    "google-tsv": _l("Upload this file in Google Merchant Center under Products → Feeds."),
    "meta-csv": _l("Upload this file in Meta Commerce Manager under Catalogue → Data sources."),
    "shopee-xlsx": _l("Upload this sheet in Shopee Seller Centre under Mass upload. Shopee does not fetch "
                      "photos from other sites: upload the photos there too."),
    "tiktok-xlsx": _l("Use this sheet for TikTok Shop. TikTok does not fetch photos from other sites: "
                      "upload the photos there too."),
    "lazada-xlsx": _l("Use this sheet for Lazada Seller Center. Lazada does not fetch photos from other "
                      "sites: upload the photos there too."),
    "csv": _l("This file opens in Excel and can be imported back on the “Import products from a spreadsheet” page."),
    "json": _l("This file is for programs that read our product data. It can be imported back too."),
    "zip": _l("This ZIP holds the spreadsheet and its photos. Import it as it is on the “Import products from a "
              "spreadsheet” page of another Chợ Quê site to move the products with their photos."),
}


class ExportForm(FlaskForm):
    format = RadioField(_l("Format"), validators=[DataRequired(_l("Please choose a format."))])
    province = SelectField(_l("Province"), default="")
    producer = StringField(_l("Producer (name or number)"))
    template = FileField(_l("Marketplace template (.xlsx, optional)"))


def _form_for(user) -> ExportForm:
    form = ExportForm()
    form.format.choices = [(name, _(exporter.label)) for name, exporter in EXPORTERS.items()]
    provinces = units.provinces()
    if user.role == Role.OFFICER:
        mine = {found.province_code for found in map(units.commune, user.commune_codes) if found}
        provinces = [province for province in provinces if province.code in mine]
    form.province.choices = [("", _("All"))] + [(str(p.code), p.short_name) for p in provinces]
    return form


def _producer_suggestions(user) -> list[str]:
    if user.role == Role.PRODUCER:
        return []
    query = ExportScope.for_user(user).producers().order_by(Producer.legal_name, Producer.id)
    return [producer.legal_name for producer in db.session.scalars(query.limit(PRODUCER_SUGGESTIONS + 1))]


def _render_form(form, status=200):
    suggestions = _producer_suggestions(g.user)
    return render_template(
        "catalog/export.html", form=form, may_filter=g.user.role != Role.PRODUCER,
        suggestions=suggestions if len(suggestions) <= PRODUCER_SUGGESTIONS else [],
        feeds=[absolute(url_for("catalog.feed", name=name)) for name in feeds.FEED_FORMATS]
        if g.user.role == Role.ADMIN else []), status


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="catalog-export")


def _template_upload(form) -> tuple[io.BytesIO | None, str | None]:
    """The marketplace template as bytes, or an error message for the template field."""
    upload = form.template.data
    if upload is None or not (upload.filename or "").strip():
        return None, None
    if not upload.filename.lower().endswith(".xlsx"):
        return None, _("The template must be an Excel file ending in .xlsx, as the marketplace gives it.")
    data = upload.stream.read(TEMPLATE_MAX_BYTES + 1)
    if len(data) > TEMPLATE_MAX_BYTES:
        return None, _("The file is larger than %(max_mb)s MB.", max_mb=TEMPLATE_MAX_BYTES // (1024 * 1024))
    if not data.startswith(ZIP_MAGIC):
        return None, _("This file is not an Excel (.xlsx) file.")
    return io.BytesIO(data), None


def _scope_from(form) -> ExportScope | None:
    """The scope the form asks for; None after adding an error to the form."""
    if g.user.role == Role.PRODUCER:
        return ExportScope.for_user(g.user)
    province_code = int(form.province.data) if form.province.data else None
    scope = ExportScope.for_user(g.user, province_code=province_code)
    text = (form.producer.data or "").strip()
    if not text:
        return scope
    found = find_producers(scope, text)
    if not found:
        form.producer.errors.append(_("No producer you may export is called “%(name)s”.", name=text[:80]))
        return None
    if len(found) > 1:
        form.producer.errors.append(_("Several producers are called “%(name)s”: please choose a province, "
                                      "or enter the producer's number: %(numbers)s.", name=text[:80],
                                      numbers=", ".join(str(producer.id) for producer in found)))
        return None
    return ExportScope.for_user(g.user, province_code=province_code, producer_id=found[0].id)


@exports_bp.route("", methods=["GET", "POST"])
@roles_required(*EXPORTING_ROLES)
@limiter.limit(EXPORT_LIMIT, methods=["POST"])
def export_page():
    form = _form_for(g.user)
    if not form.validate_on_submit():
        return _render_form(form, 400 if form.is_submitted() else 200)
    exporter = EXPORTERS[form.format.data]
    template, template_error = _template_upload(form) if exporter.accepts_template else (None, None)
    scope = _scope_from(form)
    if template_error:
        form.template.errors.append(template_error)
    if template_error or scope is None:
        return _render_form(form, 400)
    params = {"format": exporter.name, "scope": scope_params(scope), "template": None}
    if template is not None:
        name, out = private_file(exports_dir(), "xlsx")
        with out:
            out.write(template.getvalue())
        params["template"] = name
    job = start_job(EXPORT_KIND, g.user, params=params, label=str(_(exporter.label)))
    db.session.commit()
    if not enqueue(job):
        db.session.commit()
        if params["template"]:
            (exports_dir() / params["template"]).unlink(missing_ok=True)
    return redirect(url_for("jobs.job_page", job_id=job.id))


def render_export_result(job):
    """A finished export job's page: what went into the file, what was left out and why."""
    result = job.result
    report = report_from_json(result)
    exporter = EXPORTERS[result["format"]]
    token = _serializer().dumps({"user": g.user.id, "file": result["file"], "report": result["report_file"],
                                 "format": exporter.name, "day": job.created_at.date().isoformat()})
    return render_template(
        "catalog/export_result.html", exporter=exporter, report=report, token=token,
        skipped=_described(report.skipped[:SHOWN_ISSUES]), warnings=_described(report.warnings[:SHOWN_ISSUES]),
        shown=SHOWN_ISSUES, next_step=NEXT_STEPS.get(exporter.name, ""),
        notices=[problem_message(notice) for notice in report.notices],
        needs_page=exporter.name in PAGE_LINK_FORMATS)


register_kind(JobKind(EXPORT_KIND, _l("Export products"), "catalog_exports.export_page", run=run_export_job,
                      render=render_export_result, explain=explain))


def _described(issues) -> list[dict]:
    """Each issue with the product's name, reference and edit page, and the reasons in words."""
    ids = [product_id for product_id in map(product_id_of, (issue.listing_id for issue in issues)) if product_id]
    products = {}
    if ids:
        products = {row.id: row for row in db.session.execute(
            db.select(Product.id, Product.name, Product.ref, Product.producer_id).where(Product.id.in_(ids)))}
    described = []
    for issue in issues:
        product = products.get(product_id_of(issue.listing_id))
        described.append({
            "id": issue.listing_id,
            "name": product.name if product else "",
            "ref": product.ref if product else "",
            "edit_url": url_for("catalog_manage.product_edit", producer_id=product.producer_id, product_id=product.id)
            if product else None,
            "reasons": [problem_message(problem) for problem in issue.problems],
        })
    return described


def _download_data(token: str) -> dict:
    try:
        data = _serializer().loads(token, max_age=KEEP_SECONDS)
    except BadSignature:
        abort(404)
    if data.get("user") != g.user.id or data.get("format") not in EXPORTERS:
        abort(404)
    return data


@exports_bp.get("/tai/<token>")
@roles_required(*EXPORTING_ROLES)
def export_download(token):
    data = _download_data(token)
    path = _stored_path(data.get("file"))
    exporter = EXPORTERS[data["format"]]
    day = data.get("day", "").replace("-", "")
    response = send_file(path, mimetype=exporter.media_type, as_attachment=True, max_age=0,
                         download_name=f"choque-{exporter.name}-{day}.{exporter.file_extension}")
    response.cache_control.private = True
    return response


@exports_bp.get("/tai/<token>/bao-cao.csv")
@roles_required(*EXPORTING_ROLES)
def export_issues(token):
    data = _download_data(token)
    path = _stored_path(data.get("report"))
    day = data.get("day", "").replace("-", "")
    response = send_file(path, mimetype="text/csv; charset=utf-8", as_attachment=True, max_age=0,
                         download_name=f"choque-{data['format']}-{day}-bao-cao.csv")
    response.cache_control.private = True
    return response


def _stored_path(name) -> Path:
    if not isinstance(name, str) or not STORED_NAME.fullmatch(name):
        abort(404)
    path = Path(current_app.config["UPLOAD_DIR"]) / "exports" / name
    if not path.is_file():
        flash(_("That download has expired. Please export again."), "error")
        abort(redirect(url_for("catalog_exports.export_page")))
    return path


# --- public feeds and JPEG photos ----------------------------------------------------------------

@bp.get("/feeds/<any('google.xml', 'meta.csv'):name>")
def feed(name):
    zipped = request.accept_encodings["gzip"] > 0
    exporter = EXPORTERS[feeds.FEED_FORMATS[name]]
    mimetype = exporter.media_type if "charset" in exporter.media_type else exporter.media_type + "; charset=utf-8"
    cached = feeds.cached_feed(name)
    try:
        response = _feed_file(cached, zipped, mimetype)
    except FileNotFoundError:  # replaced by a newer version between the look-up and the opening
        cached = feeds.cached_feed(name, wait=True)
        response = _feed_file(cached, zipped, mimetype)
    if zipped:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    response.set_etag(cached.etag, weak=zipped)
    response.cache_control.public = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


def _feed_file(cached, zipped: bool, mimetype: str):
    return send_file(cached.gzip_path if zipped else cached.path, mimetype=mimetype, conditional=False,
                     etag=False, last_modified=cached.last_modified, max_age=feeds.FEED_MAX_AGE_SECONDS)


@bp.get("/anh/<key>/<int:width>.jpg")
def image_jpeg(key, width):
    """A JPEG copy of a product photo rendition, for channels that do not take WebP (Meta).
    Same rules as the WebP route: only product photo keys, only our widths."""
    images.require_product_photo(key, width)
    jpeg = feeds.jpeg_for(key, width)
    if jpeg is None:
        current_app.logger.warning("product image file missing: %s-%s", key, width)
        abort(404)
    response = send_stored(jpeg, "image/jpeg", f"{key}-{width}.jpg", max_age=365 * 24 * 3600)
    response.cache_control.public = True
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
