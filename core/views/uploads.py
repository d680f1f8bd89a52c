"""Resumable uploads over HTTP, shaped like tus 1.0: POST /tai-len announces a file, PATCH
/tai-len/<id> adds a piece, HEAD /tai-len/<id> says how much arrived (core.uploads explains)."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from core.uploads import owner_id, store
from media.partial import PartialUploadError

bp = Blueprint("core", __name__, url_prefix="/tai-len")
TUS_HEADERS = {"Tus-Resumable": "1.0.0"}


def _answer(upload, status=200):
    response = jsonify({"id": upload.id, "offset": upload.offset, "size": upload.size})
    response.status_code = status
    response.headers.update({"Upload-Offset": str(upload.offset), "Upload-Length": str(upload.size),
                             "Cache-Control": "no-store", **TUS_HEADERS})
    return response


def _refused(error: PartialUploadError):
    status = {"unknown": 404, "too_large": 413, "bad_offset": 409, "incomplete": 409}[error.code]
    response = jsonify({"error": error.code, "offset": error.offset})
    response.status_code = status
    response.headers.update({"Upload-Offset": str(error.offset), **TUS_HEADERS})
    return response


@bp.post("")
def upload_start():
    owner = owner_id()
    if owner is None:
        return jsonify({"error": "login"}), 401
    data = request.get_json(silent=True) or {}
    size = data.get("size")
    parts = store()
    parts.remove_stale()  # abandoned parts go when the next upload starts
    try:
        upload = parts.start(owner, str(data.get("name") or "photo"), str(data.get("type") or ""),
                               size if isinstance(size, int) else -1)
    except PartialUploadError as error:
        return _refused(error)
    return _answer(upload, 201)


@bp.route("/<upload_id>", methods=["HEAD", "GET"])
def upload_status(upload_id):
    owner = owner_id()
    if owner is None:
        return jsonify({"error": "login"}), 401
    try:
        return _answer(store().get(owner, upload_id))
    except PartialUploadError as error:
        return _refused(error)


@bp.route("/<upload_id>", methods=["PATCH"])
def upload_piece(upload_id):
    owner = owner_id()
    if owner is None:
        return jsonify({"error": "login"}), 401
    offset = request.headers.get("Upload-Offset", "")
    if not offset.isdigit():
        return jsonify({"error": "bad_offset"}), 400
    try:
        return _answer(store().append(owner, upload_id, int(offset), request.get_data(cache=False)))
    except PartialUploadError as error:
        return _refused(error)
