"""Request ids and structured logs.

Every request gets an id: the incoming `X-Request-ID` when it is sane (at most 64 characters
of A-Z a-z 0-9 . _ -), otherwise a new one. It is kept on `g.request_id`, echoed in the
`X-Request-ID` response header, added to every log record made during the request, and
shown in the small print of error pages so a user can read it out to support.

With `LOG_JSON` (env `FLASK_LOG_JSON=true`, meant for production) every log line is one JSON
object, and each request adds an access line with its method, path, status and duration.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import secrets
from datetime import datetime, timezone

from flask import current_app, g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
ACCESS_LOGGER = "choque.access"
# Fields a record may carry (from the request or `extra=`) that the JSON line includes.
REQUEST_FIELDS = ("request_id", "method", "path", "status", "duration_ms")


def request_id_from(header_value: str | None) -> str:
    """The caller's id when it is safe to log and echo, else a fresh one."""
    if header_value and _SANE_REQUEST_ID.fullmatch(header_value):
        return header_value
    return secrets.token_hex(8)  # 16 characters: short enough to read out on the phone


class RequestContextFilter(logging.Filter):
    """Copy the current request's id, method and path onto every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = getattr(record, "request_id", None) or current_request_id()
            record.method = getattr(record, "method", None) or request.method
            record.path = getattr(record, "path", None) or request.path
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in REQUEST_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _JsonHandler(logging.StreamHandler):
    """Marks the handler this module installed, so a second app does not add another."""


def init_app(app):
    app.config.setdefault("LOG_JSON", False)
    app.config.setdefault("LOG_LEVEL", "INFO")
    app.before_request(_start_request)
    app.after_request(_finish_request)
    app.add_template_global(current_request_id)
    if app.config["LOG_JSON"]:
        configure_json_logging(app)


def configure_json_logging(app, stream=None) -> logging.Handler:
    """Send every logger's records (app, werkzeug, gunicorn's propagated ones) to stderr as JSON."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _JsonHandler)]:
        root.removeHandler(handler)
    handler = _JsonHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"])
    app.logger.removeHandler(default_handler)  # records reach the root handler instead
    return handler


def current_request_id() -> str | None:
    """This request's id (made on first use, so even a request stopped before the view has one)."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    return g.request_id


def _start_request():
    current_request_id()
    g.request_started = time.perf_counter()


def _finish_request(response):
    response.headers[REQUEST_ID_HEADER] = current_request_id()
    started = g.get("request_started")
    if current_app.config["LOG_JSON"] and started is not None:
        logging.getLogger(ACCESS_LOGGER).info(
            "%s %s %s", request.method, request.path, response.status_code,
            extra={"status": response.status_code,
                   "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
    return response
