"""Request ids (header, error pages' small print) and JSON log lines (FLASK_LOG_JSON)."""
import io
import json
import logging

import pytest

from core import logs


@pytest.mark.parametrize("value, kept", [
    ("abc-123_X.y", True), ("a" * 64, True), ("a" * 65, False), ("bad id", False),
    ("x\r\nSet-Cookie: a=b", False), ("", False), (None, False), ("đơn-hàng", False),
])
def test_only_sane_request_ids_are_kept(value, kept):
    chosen = logs.request_id_from(value)
    assert (chosen == value) is kept
    assert 1 <= len(chosen) <= 64 and logs._SANE_REQUEST_ID.fullmatch(chosen)


def test_request_id_is_echoed_or_generated(client):
    assert client.get("/healthz", headers={"X-Request-ID": "lb-42.a_b"}).headers["X-Request-ID"] == "lb-42.a_b"
    first = client.get("/healthz", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert first != "<script>" and len(first) == 16 and first != second


def test_error_pages_show_the_request_id(client):
    page = client.get("/khong-co-trang-nay", headers={"X-Request-ID": "hotro-2025"})
    assert page.status_code == 404
    assert "Nếu cần gọi hỗ trợ, hãy đọc mã này: hotro-2025" in page.get_data(as_text=True)
    api = client.get("/api/khong-co", headers={"X-Request-ID": "hotro-2026"})
    assert api.status_code == 404 and api.headers["X-Request-ID"] == "hotro-2026"


@pytest.fixture
def json_lines(app):
    """FLASK_LOG_JSON=true for this app, with the lines written to a string."""
    app.config["LOG_JSON"] = True
    # Alembic's fileConfig (the migration tests) disables loggers that existed before it ran.
    app.logger.disabled = False
    stream = io.StringIO()
    handler = logs.configure_json_logging(app, stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.getLogger().removeHandler(handler)


def test_every_log_line_is_json_with_the_request_id(app, client, json_lines):
    @app.get("/boom-for-test")
    def boom():
        app.logger.warning("about to fail for %s", "test")
        raise RuntimeError("kaboom")

    response = client.get("/boom-for-test", headers={"X-Request-ID": "req-7"})
    assert response.status_code == 500
    assert "req-7" in response.get_data(as_text=True)
    lines = json_lines()
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    mine = [line for line in lines if line.get("request_id") == "req-7"]
    warning, error, access = mine
    assert warning["message"] == "about to fail for test" and warning["level"] == "WARNING"
    assert error["level"] == "ERROR" and "RuntimeError: kaboom" in error["exception"]
    assert access["logger"] == "choque.access" and access["method"] == "GET"
    assert access["path"] == "/boom-for-test" and access["status"] == 500
    assert isinstance(access["duration_ms"], float) and access["duration_ms"] >= 0
