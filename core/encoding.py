"""Requests whose address, headers or form fields are not valid UTF-8 get a 400 page.

Werkzeug decodes the query string strictly, so `/?\\xff` used to raise inside every view and
again inside the error page. `RejectUndecodable` looks at the raw WSGI environ before Flask
does, blanks what cannot be read (so the error page itself renders) and marks the request;
`refuse_unreadable_request` then answers 400 in the reader's language. URL-encoded form bodies are checked
here too; multipart text parts once Flask has parsed them (Werkzeug replaces bad bytes there).
"""
import io
from urllib.parse import unquote_to_bytes

from flask import abort, request

MARK = "choque.undecodable"
# Some old phones send Latin-1 in their User-Agent; nothing reads it, so it is dropped, not refused.
DROPPED_WHEN_UNREADABLE = ("HTTP_USER_AGENT",)
URLENCODED = "application/x-www-form-urlencoded"
# Typed forms are small; larger url-encoded bodies are left to the size limit.
MAX_CHECKED_FORM = 1024 * 1024


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def wsgi_bytes(value: str) -> bytes:
    """WSGI hands over raw bytes as Latin-1 text (PEP 3333)."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogateescape")


def query_is_readable(raw: bytes) -> bool:
    """Raw and percent-encoded bytes must both be UTF-8 ('%FF' is as unreadable as '\\xff')."""
    return is_utf8(raw) and is_utf8(unquote_to_bytes(raw.replace(b"+", b" ")))


class RejectUndecodable:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if not query_is_readable(wsgi_bytes(environ.get("QUERY_STRING", ""))):
            environ["QUERY_STRING"] = ""
            environ[MARK] = "query"
        for key in ("PATH_INFO", "SCRIPT_NAME"):
            if not is_utf8(wsgi_bytes(environ.get(key, ""))):
                environ[key] = "/" if key == "PATH_INFO" else ""
                environ[MARK] = "path"
        for key in [k for k in environ if k.startswith("HTTP_") or k == "CONTENT_TYPE"]:
            value = environ[key]
            if isinstance(value, str) and not is_utf8(wsgi_bytes(value)):
                del environ[key]
                if key not in DROPPED_WHEN_UNREADABLE:
                    environ[MARK] = "header"
        self._check_urlencoded_body(environ)
        return self.wsgi_app(environ, start_response)

    @staticmethod
    def _check_urlencoded_body(environ):
        """Checked here, before CSRF protection reads the form: an unreadable body parses as an
        empty form, which would be answered as an expired form instead."""
        if not environ.get("CONTENT_TYPE", "").lower().startswith(URLENCODED):
            return
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return
        if not 0 < length <= MAX_CHECKED_FORM:
            return
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        if not query_is_readable(body):
            environ["wsgi.input"] = io.BytesIO(b"")
            environ["CONTENT_LENGTH"] = "0"
            environ[MARK] = "form"


def form_is_readable() -> bool:
    if request.method not in ("POST", "PUT", "PATCH") or request.mimetype != "multipart/form-data":
        return True
    # Multipart text parts are decoded with replacement characters: find them.
    return not any("\ufffd" in value for values in request.form.listvalues() for value in values)


def refuse_unreadable_request():
    if request.environ.get(MARK) or not form_is_readable():
        abort(400, description="undecodable")
