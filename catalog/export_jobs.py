"""Exports as a background job (kind "catalog.export"): the worker side.

The page checks the form in the request, keeps an uploaded Shopee template under
UPLOAD_DIR/exports/<random>.xlsx, and starts a job with the format and the scope. The job
writes the file to UPLOAD_DIR/exports/<random>.<ext> (kept a day, like every download there),
and the report to the Job row; the results page reads both. The template is removed after.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import secrets
import zipfile
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func

from catalog import feeds
from catalog.exporters import EXPORTERS, ExportError
from catalog.exporters.problems import ExportReport, ListingIssue, Problem
from catalog.listings import ExportScope, problem_message, run_export
from catalog.models import Product, ProductStatus
from extensions import db
from jobs.services import JobFailed
from media.storage import remove_files_older_than
from producers.models import Producer

EXPORT_KIND = "catalog.export"
KEEP_SECONDS = 24 * 3600
SHOWN_ISSUES = 200
STORED_NAME = re.compile(r"[A-Za-z0-9_-]{22}\.[a-z]{3,4}")


def exports_dir() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    remove_files_older_than(folder, KEEP_SECONDS)
    return folder


def private_file(folder: Path, extension: str):
    name = f"{secrets.token_urlsafe(16)}.{extension}"
    descriptor = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return name, os.fdopen(descriptor, "wb")


def scope_params(scope: ExportScope) -> dict:
    return dataclasses.asdict(scope)


def _scope(params: dict) -> ExportScope:
    values = dict(params)
    if values.get("commune_codes") is not None:
        values["commune_codes"] = tuple(values["commune_codes"])
    return ExportScope(**values)


def count_in_scope(scope: ExportScope) -> int:
    """How many published products the export will read (the progress bar's length)."""
    query = db.select(func.count(Product.id)).where(Product.status == ProductStatus.PUBLISHED)
    conditions = scope.producer_conditions()
    if conditions:
        query = query.join(Producer, Producer.id == Product.producer_id).where(*conditions)
    return db.session.scalar(query) or 0


def run_export_job(job, progress):
    params = job.params
    exporter = EXPORTERS[params["format"]]
    scope = _scope(params["scope"])
    folder = exports_dir()
    template = folder / params["template"] if STORED_NAME.fullmatch(params.get("template") or "") else None
    try:
        progress.set_total(count_in_scope(scope))
        options = feeds.channel_options(exporter.name)
        if template is not None:
            if not template.is_file():
                raise JobFailed("export_template_gone")
            options["template"] = template
        stored, out = private_file(folder, exporter.file_extension)
        try:
            with out:
                report = run_export(exporter, scope, out, progress=progress, **options)
        except ExportError as error:
            (folder / stored).unlink(missing_ok=True)
            raise JobFailed("export_problem", problem=error.problem.code, values=dict(error.problem.params)) from None
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            (folder / stored).unlink(missing_ok=True)
            if template is None:
                raise
            raise JobFailed("export_template_unreadable") from None
    finally:
        if template is not None:
            template.unlink(missing_ok=True)
    report_name = write_issue_file(folder, report) if len(report.skipped) > SHOWN_ISSUES else None
    result = {"format": exporter.name, "file": stored, "report_file": report_name, **report_to_json(report)}
    return result, os.path.relpath(folder / stored, current_app.instance_path)


def write_issue_file(folder: Path, report) -> str:
    """Every left-out listing with its reasons, as a CSV that opens in Excel."""
    name, out = private_file(folder, "csv")
    with out, io.TextIOWrapper(out, encoding="utf-8-sig", newline="") as text:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([_("Listing"), _("Reasons")])
        for issue in report.skipped:
            writer.writerow([issue.listing_id, " ".join(problem_message(p) for p in issue.problems)])
    return name


def _issues_to_json(issues) -> list:
    return [[issue.listing_id, [[p.field, p.code, dict(p.params)] for p in issue.problems]] for issue in issues]


def _issues_from_json(rows) -> list[ListingIssue]:
    return [ListingIssue(label, tuple(Problem(field, code, params) for field, code, params in problems))
            for label, problems in rows]


def report_to_json(report: ExportReport) -> dict:
    data = {"report_format": report.format, "exported": report.exported,
            "skipped": _issues_to_json(report.skipped), "warnings": _issues_to_json(report.warnings),
            "notices": [[p.field, p.code, dict(p.params)] for p in report.notices]}
    return json.loads(json.dumps(data, default=str))


def report_from_json(data: dict) -> ExportReport:
    return ExportReport(format=data["report_format"], exported=data["exported"],
                        skipped=_issues_from_json(data["skipped"]), warnings=_issues_from_json(data["warnings"]),
                        notices=[Problem(field, code, params) for field, code, params in data.get("notices", [])])


def explain(code: str, params: dict) -> str | None:
    if code == "export_problem":
        return problem_message(Problem("", params["problem"], params.get("values") or {}))
    if code == "export_template_unreadable":
        return _("This file is not an Excel (.xlsx) file.")
    if code == "export_template_gone":
        return _("That download has expired. Please export again.")
    return None
