"""The spreadsheet import as a background job (kind "catalog.import"): the worker side.

The page stores the upload under UPLOAD_DIR/imports/<random>.<ext> and starts a job naming
that file (never a path). The job imports it with the uploader's rights and keeps the report
in the Job row; the file is removed afterwards, except after a dry run that found something
to import (the "Import now" button imports that same file). The imports folder's janitor
(media.storage.remove_files_older_than) removes files nobody came back for.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from flask import current_app

from accounts.models import Role, User
from catalog.importer.apply import ImportOptions, run_import
from catalog.importer.messages import ImportFileError, Issue
from catalog.importer.report import ImportReport, RowChange
from catalog.importer.scope import Scope
from catalog.importer.sheet import open_sheet
from extensions import db
from jobs.services import JobFailed
from media.storage import image_store_for, remove_files_older_than

IMPORT_KIND = "catalog.import"
ABANDONED_AFTER_SECONDS = 24 * 3600
# Commits every 100 rows (the command line: 200): on SQLite the progress figure is written after
# each commit, and other writers of the site wait less (bench/bench_jobs.py).
WEB_COMMIT_EVERY = 100
STORED_NAME = re.compile(r"[A-Za-z0-9_-]{22}\.(csv|xlsx|zip)")
_COUNTS = ("rows_read", "producers_created", "producers_updated", "products_created", "products_updated",
           "products_unchanged", "rows_refused", "photos_added")


def import_dir() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def remove_abandoned_uploads() -> None:
    remove_files_older_than(import_dir(), ABANDONED_AFTER_SECONDS)


def stored_path(name) -> Path | None:
    """The stored upload called `name`, or None when the name is not one of ours or it is gone."""
    if not isinstance(name, str) or not STORED_NAME.fullmatch(name):
        return None
    path = import_dir() / name
    return path if path.is_file() else None


def run_import_job(job, progress):
    params = job.params
    path = stored_path(params.get("file"))
    if path is None:
        raise JobFailed("import_file_gone")
    keep_file = False
    try:
        user = db.session.get(User, job.owner_id)
        options = ImportOptions(actor=user, scope=Scope.for_user(user), dry_run=bool(params.get("dry_run")),
                                verify=bool(params.get("verify")) and user.role == Role.ADMIN,
                                source_name=params.get("name", ""), commit_every=WEB_COMMIT_EVERY)
        report = ImportReport(dry_run=options.dry_run, file_name=options.source_name)
        try:
            sheet = open_sheet(path)
        except ImportFileError as error:
            report.file_error = error
        else:
            with sheet:
                progress.set_total(len(sheet.rows))
                run_import(sheet, options, image_store_for(current_app.config), progress=progress,
                           report=report)
        keep_file = options.dry_run and report.file_error is None and report.changed_anything
        return report_to_json(report), None
    finally:
        if not keep_file:
            path.unlink(missing_ok=True)


def report_to_json(report: ImportReport) -> dict:
    data = {name: getattr(report, name) for name in _COUNTS}
    data.update(
        dry_run=report.dry_run, file_name=report.file_name,
        issues=[[issue.row, issue.field, issue.header, issue.code, dict(issue.params), issue.severity]
                for issue in report.issues],
        changes=[[change.row, change.action, change.ref, change.name, change.producer, list(change.fields),
                  change.producer_created] for change in report.changes],
        file_error=[report.file_error.code, report.file_error.params] if report.file_error else None)
    return json.loads(json.dumps(data, default=str))  # a value the JSON column can always store


def report_from_json(data: dict) -> ImportReport:
    report = ImportReport(dry_run=data["dry_run"], file_name=data["file_name"],
                          **{name: data[name] for name in _COUNTS})
    report.issues = [Issue(row, field, header, code, params, severity)
                     for row, field, header, code, params, severity in data["issues"]]
    report.changes = [RowChange(row, action, ref, name, producer, tuple(fields), created)
                      for row, action, ref, name, producer, fields, created in data["changes"]]
    if data.get("file_error"):
        code, params = data["file_error"]
        report.file_error = ImportFileError(code, **params)
    return report
