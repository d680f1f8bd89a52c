"""App-wide web behaviour: headers, error pages, static fingerprints, template helpers."""
import hashlib
import os

from flask import current_app, g, jsonify, make_response, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from core import encoding, http, logs
from core.forms import EmptyForm, LanguageForm
from core.i18n import LANGUAGE_NAMES, format_day, format_moment, format_number, format_vnd
from extensions import db

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

ERROR_TEXTS = {
    400: (_l("Something in the request was not right"), _l("Please go back, check what you entered and try again.")),
    403: (_l("You cannot do that"), _l("Your account does not have permission for this page.")),
    404: (_l("Page not found"), _l("The page does not exist or is not public.")),
    405: (_l("Not allowed"), _l("This address cannot be used this way.")),
    413: (_l("The file is too large"), _l("Please choose a smaller photo (at most 20 MB) and try again.")),
    429: (_l("Too many attempts"), _l("Please wait a minute and try again.")),
    500: (_l("Something went wrong on our side"), _l("Nothing you saved was lost. Please try again in a moment.")),
    503: (_l("The site is busy"), _l("Please try again in a moment. Nothing you saved was lost.")),
}
UNDECODABLE_TEXT = (_l("Some characters could not be read"),
                    _l("The address or the form contained characters this site cannot read. Please go back, "
                       "type the text again and resend it, or open the page from its link."))
STALE_TEXT = (_l("Someone else changed this while you were editing"),
              _l("Nothing was saved. Please reload the page to see the latest version and try again."))
CSRF_TEXT = (_l("The form expired"), _l("Please reload the page and submit the form again."))


def init_app(app):
    app.wsgi_app = encoding.RejectUndecodable(
        DrainOversizedBody(app.wsgi_app, app.config["MAX_CONTENT_LENGTH"]))
    # First of all before-request steps, so CSRF protection never reads an unreadable form.
    app.before_request_funcs.setdefault(None, []).insert(0, encoding.refuse_unreadable_request)
    app.after_request(_security_headers)
    # After-request functions run last-registered first; at the front of the list this one runs
    # after Flask-Limiter's, which would otherwise stretch a "busy, try again" answer's
    # Retry-After to the end of the route's rate-limit window (an hour for uploads).
    app.after_request_funcs.setdefault(None, []).insert(0, _keep_own_retry_after)
    logs.init_app(app)
    http.init_app(app)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(StaleDataError, _stale_write)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(Exception, _unexpected_error)
    app.context_processor(_template_helpers)
    app.jinja_env.filters["vnd"] = format_vnd
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["moment"] = format_moment
    app.jinja_env.filters["number"] = format_number
    app.add_template_global(static_url)
    app.add_template_global(get_locale)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint == "static" and request.args.get("v"):
        response.cache_control.max_age = 365 * 24 * 3600
        response.cache_control.public = True
        response.cache_control.immutable = True
    return response


def retry_after(response, seconds: int):
    """Ask the client to come back in `seconds` (503 answers): kept over any rate-limit header."""
    response.headers["Retry-After"] = str(seconds)
    g.own_retry_after = str(seconds)
    return response


def _keep_own_retry_after(response):
    own = g.get("own_retry_after")
    if own is not None and response.status_code == 503:
        response.headers["Retry-After"] = own
    return response


def _wants_json():
    if request.path.startswith("/api/") or request.path.startswith("/feeds/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def error_response(code, title=None, message=None):
    default_title, default_message = ERROR_TEXTS.get(code, ERROR_TEXTS[400] if code < 500 else ERROR_TEXTS[500])
    title, message = title or default_title, message or default_message
    if _wants_json():
        return jsonify({"error": str(title), "message": str(message), "status": code}), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def _csrf_error(error):
    db.session.rollback()
    return error_response(400, *CSRF_TEXT)


def _http_error(error):
    if error.code and error.code < 400:
        return error
    db.session.rollback()
    if error.code == 400 and error.description == "undecodable":
        return error_response(400, *UNDECODABLE_TEXT)
    response = make_response(error_response(error.code or 500))
    if error.code == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _stale_write(_error):
    """Two writes to one row raced (optimistic locking, core/conflicts.py): the later one lost.
    Forms show their own conflict page; this covers buttons and anything else."""
    db.session.rollback()
    return error_response(409, *STALE_TEXT)


# SQLite's answers when it cannot take a write now; PostgreSQL's are psycopg's OperationalError.
SQLITE_BUSY_MARKERS = ("database is locked", "database table is locked", "database or disk is full")
RETRY_AFTER_SECONDS = 5


def _database_unavailable(error):
    """The database cannot serve this request now: another process has held SQLite's writer lock
    past the busy timeout (fault F9), its disk is full (F8), or PostgreSQL is restarting (F11).
    The transaction was rolled back, so nothing was half-saved: 503 and "try again", not a 500."""
    try:
        db.session.rollback()
    except Exception:  # the connection may be gone; the pool replaces it
        db.session.remove()
    original = error.orig
    transient = error.connection_invalidated or any(
        marker in str(original).lower() for marker in SQLITE_BUSY_MARKERS) or type(
        original).__module__.startswith("psycopg")
    if not transient:
        return _unexpected_error(error)
    current_app.logger.warning("database unavailable on %s: %s", request.path, original)
    return retry_after(make_response(error_response(503)), RETRY_AFTER_SECONDS)


def _unexpected_error(error):
    db.session.rollback()
    current_app.logger.exception("Unhandled error on %s", request.path)
    return error_response(500)


def _template_helpers():
    return {
        "current_user": g.get("user"),
        "language_form": LanguageForm(formdata=None),
        "language_names": LANGUAGE_NAMES,
        "empty_form": EmptyForm(formdata=None),
    }


_fingerprints = {}


def static_url(filename):
    """URL with a content hash, so static files can be cached for a year."""
    digest = _fingerprints.get(filename)
    if digest is None or current_app.debug:
        path = os.path.join(current_app.static_folder, filename)
        with open(path, "rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()[:10]
        _fingerprints[filename] = digest
    return url_for("static", filename=filename, v=digest)


class DrainOversizedBody:
    """Read and discard an over-limit request body before Flask answers 413.

    Browsers only show a response once they have sent the body; closing early
    shows a 'connection reset' instead of our friendly page (pallets/flask#2662).
    Bodies beyond `drain_limit` are not worth reading and get a bare close.
    """

    def __init__(self, wsgi_app, max_length, drain_limit=200 * 1024 * 1024):
        self.wsgi_app = wsgi_app
        self.max_length = max_length
        self.drain_limit = drain_limit

    def __call__(self, environ, start_response):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if self.max_length and self.max_length < length <= self.drain_limit:
            stream = environ["wsgi.input"]
            remaining = length
            while remaining > 0:
                chunk = stream.read(min(remaining, 1024 * 1024))
                if not chunk:
                    break
                remaining -= len(chunk)
            environ["choque.body_drained"] = True
        return self.wsgi_app(environ, start_response)
