"""The spreadsheet import page, /nhap-du-lieu, for officers (their communes), admins (all) and
producers (their own business).

Upload -> the file is kept under UPLOAD_DIR/imports/<random>.<ext> -> a dry run shows the
report (the default) -> "Import now" posts a signed token naming that file (never a path), so
the same file is imported without uploading it again. Tokens name the user who uploaded and
expire; files are removed after the import, and abandoned ones after a day.

Producers: a row must name the producer's own business (name and province, matched as
everywhere); rows naming another producer are refused one by one, and the producer columns
(type, commune, phone, tax code) never change the profile, which the producer edits itself.
"""
from __future__ import annotations

import os
import re
import secrets
import zipfile
from io import BytesIO
from pathlib import Path

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import BooleanField, HiddenField
from wtforms.validators import DataRequired

from accounts.auth import roles_required
from accounts.models import Role
from catalog import bp
from catalog.importer.apply import ImportOptions, import_file
from catalog.importer.scope import IMPORTING_ROLES, Scope
from catalog.importer.sheet import ZIP_MAGIC
from catalog.importer.texts import ACTION_LABELS, SEVERITY_LABELS, SUMMARY_LABELS, file_error_message, \
    issue_message
from extensions import limiter
from media.storage import ImageStore, remove_files_older_than

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
TOKEN_MAX_AGE_SECONDS = 8 * 3600
ABANDONED_AFTER_SECONDS = 24 * 3600
UPLOAD_LIMIT = "30 per hour"
_STORED_NAME = re.compile(r"[A-Za-z0-9_-]{22}\.(csv|xlsx|zip)")


class ImportForm(FlaskForm):
    file = FileField(_l("Spreadsheet: CSV, Excel (.xlsx), or a ZIP holding it and its photos"),
                     validators=[FileRequired(_l("Please choose a file."))])
    dry_run = BooleanField(_l("Dry run: show me the report first and change nothing"), default=True)
    verify = BooleanField(_l("Mark new producers as verified (this is an official OCOP list)"))


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="catalog-import")


def _import_dir() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _remove_abandoned(folder: Path) -> None:
    remove_files_older_than(folder, ABANDONED_AFTER_SECONDS)


def _store_upload(upload) -> str | None:
    """Copy the upload to the imports folder; its stored name, or None when it is too large."""
    folder = _import_dir()
    _remove_abandoned(folder)
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
    if data.get("user") != g.user.id or not _STORED_NAME.fullmatch(str(data.get("file", ""))):
        return None
    path = _import_dir() / data["file"]
    return dict(data, path=path) if path.is_file() else None


def _run(path: Path, original_name: str, dry_run: bool, verify: bool):
    options = ImportOptions(actor=g.user, scope=Scope.for_user(g.user), dry_run=dry_run,
                            verify=verify and g.user.role == Role.ADMIN, source_name=original_name)
    return import_file(path, options, ImageStore(current_app.config["UPLOAD_DIR"]))


def _report_page(report, token=None, verify=False):
    return render_template("catalog/import_report.html", report=report, token=token, verify=verify,
                           confirm_form=ConfirmForm(token=token) if token else None,
                           summary_labels=SUMMARY_LABELS, severity_labels=SEVERITY_LABELS,
                           action_labels=ACTION_LABELS, issue_message=issue_message,
                           file_error=file_error_message(report.file_error) if report.file_error else None)


@bp.route("/nhap-du-lieu", methods=["GET", "POST"])
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
    path = _import_dir() / stored
    verify = form.verify.data and g.user.role == Role.ADMIN
    if not form.dry_run.data:
        try:
            return _report_page(_run(path, original_name, dry_run=False, verify=verify))
        finally:
            path.unlink(missing_ok=True)
    report = _run(path, original_name, dry_run=True, verify=verify)
    if report.file_error is not None or not report.changed_anything:
        path.unlink(missing_ok=True)
        return _report_page(report)
    return _report_page(report, token=_token_for(stored, original_name, verify), verify=verify)


@bp.post("/nhap-du-lieu/nhap")
@roles_required(*IMPORTING_ROLES)
@limiter.limit(UPLOAD_LIMIT)
def import_apply():
    form = ConfirmForm()
    stored = _file_for(form.token.data) if form.validate_on_submit() else None
    if stored is None:
        flash(_("That import has expired or was already done. Please upload the file again."), "error")
        return redirect(url_for("catalog.import_upload"))
    try:
        report = _run(stored["path"], stored["name"], dry_run=False, verify=stored.get("verify", False))
    finally:
        stored["path"].unlink(missing_ok=True)
    return _report_page(report)
