"""The spreadsheet import page, /nhap-du-lieu, for officers (their communes), admins (all) and
producers (their own business).

Upload -> the file is kept under UPLOAD_DIR/imports/<random>.<ext> -> a background job
(catalog.import_jobs) runs a dry run (the default) or the import, while the job's page shows
its progress -> the same page then shows the report -> after a dry run, "Import now" posts a
signed token naming that file (never a path), which starts the import of the same file without
uploading it again. Tokens name the user who uploaded and expire; files are removed after the
import, and abandoned ones after a day.

Producers: a row must name the producer's own business (name and province, matched as
everywhere); rows naming another producer are refused one by one, and the producer columns
(type, commune, phone, tax code) never change the profile, which the producer edits itself.
"""
from __future__ import annotations

import os
import secrets
import zipfile
from io import BytesIO

from flask import Blueprint, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import BooleanField, HiddenField
from wtforms.validators import DataRequired

from accounts.auth import roles_required
from accounts.models import Role

from catalog.import_jobs import IMPORT_KIND, import_dir, remove_abandoned_uploads, report_from_json, \
    run_import_job, stored_path
from catalog.importer.scope import IMPORTING_ROLES
from catalog.importer.sheet import ZIP_MAGIC
from catalog.importer.texts import ACTION_LABELS, SEVERITY_LABELS, SUMMARY_LABELS, file_error_message, \
    issue_message
from extensions import db, limiter
from jobs.queue import JobKind, register_kind
from jobs.services import enqueue, start_job

bp = Blueprint("catalog_imports", __name__, url_prefix="/nhap-du-lieu")

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
TOKEN_MAX_AGE_SECONDS = 8 * 3600
UPLOAD_LIMIT = "30 per hour"


class ImportForm(FlaskForm):
    file = FileField(_l("Spreadsheet: CSV, Excel (.xlsx), or a ZIP holding it and its photos"),
                     validators=[FileRequired(_l("Please choose a file."))])
    dry_run = BooleanField(_l("Dry run: show me the report first and change nothing"), default=True)
    verify = BooleanField(_l("Mark new producers as verified (this is an official OCOP list)"))


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="catalog-import")


def _store_upload(upload) -> str | None:
    """Copy the upload to the imports folder; its stored name, or None when it is too large."""
    folder = import_dir()
    remove_abandoned_uploads()
    data = upload.stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return None
    name = f"{secrets.token_urlsafe(16)}.{_extension(data)}"
    descriptor = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as fh:
        fh.write(data)
    return name


def _extension(data: bytes) -> str:
    """A name for the content (the reader decides by content again; this is for people)."""
    if not data.startswith(ZIP_MAGIC):
        return "csv"
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return "xlsx" if "xl/workbook.xml" in archive.namelist() else "zip"
    except zipfile.BadZipFile:
        return "zip"


def _token_for(stored_name: str, original_name: str, verify: bool) -> str:
    return _serializer().dumps({"file": stored_name, "user": g.user.id, "name": original_name[:120],
                                "verify": bool(verify)})


def _file_for(token: str) -> dict | None:
    try:
        data = _serializer().loads(token, max_age=TOKEN_MAX_AGE_SECONDS)
    except BadSignature:
        return None
    if data.get("user") != g.user.id or stored_path(data.get("file")) is None:
        return None
    return data


def _start_import(stored: str, original_name: str, dry_run: bool, verify: bool):
    """The job row in this request's transaction, queued after the commit; its page."""
    job = start_job(IMPORT_KIND, g.user, label=original_name,
                    params={"file": stored, "name": original_name, "dry_run": dry_run, "verify": verify})
    db.session.commit()
    if not enqueue(job):
        db.session.commit()
        (import_dir() / stored).unlink(missing_ok=True)
    return redirect(url_for("jobs.job_page", job_id=job.id))


def _report_page(report, token=None, verify=False):
    return render_template("catalog/import_report.html", report=report, token=token, verify=verify,
                           confirm_form=ConfirmForm(token=token) if token else None,
                           summary_labels=SUMMARY_LABELS, severity_labels=SEVERITY_LABELS,
                           action_labels=ACTION_LABELS, issue_message=issue_message,
                           file_error=file_error_message(report.file_error) if report.file_error else None)


def render_import_result(job):
    """A finished import job's page: its report, and after a dry run the "Import now" button
    while the file is still kept."""
    report = report_from_json(job.result)
    params = job.params
    if report.dry_run and stored_path(params.get("file")) is not None:
        verify = bool(params.get("verify"))
        return _report_page(report, token=_token_for(params["file"], params.get("name", ""), verify), verify=verify)
    return _report_page(report)


def _explain(code, params):
    if code == "import_file_gone":
        return _("That import has expired or was already done. Please upload the file again.")
    return None


register_kind(JobKind(IMPORT_KIND, _l("Import products from a spreadsheet"), "catalog_imports.import_upload",
                      run=run_import_job, render=render_import_result, explain=_explain))


@bp.route("", methods=["GET", "POST"])
@roles_required(*IMPORTING_ROLES)
@limiter.limit(UPLOAD_LIMIT, methods=["POST"])
def import_upload():
    form = ImportForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("catalog/import.html", form=form, is_admin=g.user.role == Role.ADMIN), status
    upload = form.file.data
    original_name = os.path.basename((upload.filename or "").replace("\\", "/")) or "import"
    stored = _store_upload(upload)
    if stored is None:
        form.file.errors.append(_("The file is larger than %(max_mb)s MB.", max_mb=MAX_UPLOAD_BYTES // (1024 * 1024)))
        return render_template("catalog/import.html", form=form, is_admin=g.user.role == Role.ADMIN), 400
    verify = bool(form.verify.data and g.user.role == Role.ADMIN)
    return _start_import(stored, original_name, dry_run=bool(form.dry_run.data), verify=verify)


@bp.post("/nhap")
@roles_required(*IMPORTING_ROLES)
@limiter.limit(UPLOAD_LIMIT)
def import_apply():
    form = ConfirmForm()
    stored = _file_for(form.token.data) if form.validate_on_submit() else None
    if stored is None:
        flash(_("That import has expired or was already done. Please upload the file again."), "error")
        return redirect(url_for("catalog_imports.import_upload"))
    return _start_import(stored["file"], stored["name"], dry_run=False, verify=bool(stored.get("verify")))
