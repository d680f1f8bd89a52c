"""Resumable uploads on the web (the store is media.partial).

With JavaScript, a form marked `data-resumable` sends each chosen file in pieces before the
form itself: POST /tai-len announces it, PATCH /tai-len/<id> adds a piece at `Upload-Offset`,
HEAD /tai-len/<id> says how much arrived after a dropped connection. The form then carries
`<field>__resumed=<id>` instead of the file, and the view reads both kinds through
`chosen_uploads(field)`. Without JavaScript the file travels in the form as before.
Only a logged-in user's own parts can be added to or used (`g.user` is set by accounts).
The HTTP doors are core.views.uploads; this module holds what other domains' views use.
"""
from __future__ import annotations

import os

from flask import current_app, g, request
from werkzeug.datastructures import CombinedMultiDict, FileStorage, MultiDict

from media.partial import PartialStore, PartialUploadError

RESUMED_SUFFIX = "__resumed"
MAX_RESUMED_PER_FIELD = 8


def store() -> PartialStore:
    root = current_app.config.get("PARTIAL_UPLOAD_DIR") or os.path.join(current_app.config["UPLOAD_DIR"], ".partial")
    return PartialStore(root, current_app.config["MAX_CONTENT_LENGTH"])


def owner_id():
    user = g.get("user")
    return user.id if user is not None else None


def chosen_uploads(field: str) -> list:
    """The files of a form field: sent in the form itself, or resumed beforehand (their parts
    are removed when the request ends, whatever the view did with them)."""
    return formdata_with_uploads(field).getlist(field)


def formdata_with_uploads(*fields) -> CombinedMultiDict:
    """The request's form data with resumed files in place of the file fields, for a WTForms
    form (`SomeForm(formdata=formdata_with_uploads("photo"))`)."""
    files = MultiDict(request.files)
    for field in fields:
        # Two controls may fill one field (camera or gallery): keep only parts that hold a file.
        chosen = [item for item in request.files.getlist(field) if item is not None and (item.filename or "").strip()]
        files.setlist(field, chosen + _resumed(field))
    return CombinedMultiDict([files, request.form])


def _resumed(field: str) -> list:
    files = []
    owner = owner_id()
    if owner is None:
        return files
    parts = store()
    for upload_id in request.form.getlist(field + RESUMED_SUFFIX)[:MAX_RESUMED_PER_FIELD]:
        try:
            upload = parts.finished(owner, upload_id)
        except PartialUploadError:
            continue
        stream = open(upload.path, "rb")
        g.setdefault("resumed_uploads", []).append((stream, owner, upload_id))
        files.append(FileStorage(stream=stream, filename=upload.name, content_type=upload.content_type))
    return files


def discard_used_parts(_error=None):
    used = g.pop("resumed_uploads", [])
    if not used:
        return
    parts = store()
    for stream, owner, upload_id in used:
        stream.close()
        parts.discard(owner, upload_id)
