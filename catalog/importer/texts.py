"""Import messages in the reader's language (Flask side: needs an application context).

The web page uses the visitor's locale; the command line wraps calls in
flask_babel.force_locale(lang).
"""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from media.images import REJECTION_CODES, ImageRejected
from media.messages import rejection_message

from .messages import MESSAGES, ImportFileError, Issue

SUMMARY_LABELS = {
    "rows_read": _l("Rows read"),
    "producers_created": _l("Producers added"),
    "producers_updated": _l("Producers updated"),
    "products_created": _l("Products added"),
    "products_updated": _l("Products updated"),
    "products_unchanged": _l("Products unchanged"),
    "rows_refused": _l("Rows refused"),
    "photos_added": _l("Photos added"),
    "warnings": _l("Warnings"),
}
SEVERITY_LABELS = {"error": _l("refused"), "warning": _l("warning")}
ACTION_LABELS = {"created": _l("new"), "updated": _l("changed")}


def issue_message(issue: Issue) -> str:
    return _message(issue.code, issue.params)


def file_error_message(error: ImportFileError) -> str:
    return _message(error.code, error.params)


def _message(code: str, params) -> str:
    values = dict(params)
    if code == "photo_rejected" and values.get("image_code") in REJECTION_CODES:
        values["reason"] = rejection_message(ImageRejected(values["image_code"], **values.get("image_params", {})))
    return gettext(MESSAGES[code], **values)


def where(issue: Issue) -> str:
    """'Row 12 · Giá bán' — the row as numbered in the spreadsheet and the file's column name."""
    if not issue.header:
        return gettext("Row %(row)s", row=issue.row)
    return gettext("Row %(row)s · %(column)s", row=issue.row, column=issue.header)
