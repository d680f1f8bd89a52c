"""Lighter responses for weak connections: gzip for text, ETag/304 for public pages.

`init_app` registers the gzip step for every text response of the site (HTML, JSON, CSS, JS,
SVG, XML, CSV). `conditional(response)` gives a public page a validator: the body's hash with
CSRF tokens left out (they are re-signed with a timestamp on every render) but the session's
own token folded in, so a cached page never carries another session's token.
"""
from __future__ import annotations

import gzip
import hashlib
import re

from flask import Response, request, send_file, session

COMPRESSIBLE_TYPES = ("text/", "application/json", "application/javascript", "application/ld+json",
                      "application/xml", "application/rss+xml", "image/svg+xml")
MIN_COMPRESS_BYTES = 512
GZIP_LEVEL = 6
_CSRF_VALUE = re.compile(rb'(name="csrf_token" type="hidden" value=")[^"]*(")')
_static_cache: dict = {}


def init_app(app):
    app.after_request(compress_response)


def _is_compressible(response) -> bool:
    if response.status_code < 200 or response.status_code in (204, 206, 304):
        return False
    if "Content-Encoding" in response.headers or response.is_streamed and not response.direct_passthrough:
        return False
    return (response.mimetype or "").startswith(COMPRESSIBLE_TYPES)


def compress_response(response):
    """gzip a text response when the client accepts it; the ETag becomes weak (same entity)."""
    if not _is_compressible(response):
        return response
    response.vary.add("Accept-Encoding")
    if "gzip" not in request.accept_encodings or request.accept_encodings["gzip"] <= 0:
        return response
    static_key = None
    if response.direct_passthrough:
        # A static file: read it once per version and keep the compressed bytes.
        static_key = (request.path, response.headers.get("ETag"))
        cached = _static_cache.get(static_key)
        if cached is None:
            response.direct_passthrough = False
            body = response.get_data()
            if len(body) < MIN_COMPRESS_BYTES:
                response.set_data(body)
                return response
            cached = gzip.compress(body, GZIP_LEVEL, mtime=0)
            _static_cache[static_key] = cached
        else:
            close = getattr(response.response, "close", None)
            if close is not None:
                close()  # the file is not read: the compressed copy is already known
        compressed = cached
    else:
        body = response.get_data()
        if len(body) < MIN_COMPRESS_BYTES:
            return response
        compressed = gzip.compress(body, GZIP_LEVEL, mtime=0)
    response.direct_passthrough = False
    response.set_data(compressed)
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)
    return response


def conditional(response):
    """Add an ETag to a public page or JSON answer and answer 304 when the client has it."""
    if response.status_code != 200:
        return response
    body = _CSRF_VALUE.sub(rb"\1\2", response.get_data())
    digest = hashlib.sha256(body)
    digest.update(str(session.get("csrf_token", "")).encode())
    response.set_etag(digest.hexdigest()[:32])
    response.cache_control.no_cache = True
    response.vary.add("Cookie")
    return response.make_conditional(request)


def send_stored(found, mimetype: str, etag: str, max_age: int):
    """A stored file as a conditional response (304 on a matching If-None-Match): `found` is a
    local path (sent as a file) or the bytes read from an object store. Stored objects never
    change under one name, so the name is a sound ETag wherever they live."""
    if isinstance(found, (bytes, bytearray)):
        response = Response(bytes(found), mimetype=mimetype)
        response.set_etag(etag)
        response.cache_control.max_age = max_age
        return response.make_conditional(request)
    return send_file(found, mimetype=mimetype, conditional=True, max_age=max_age)
