"""When the database cannot take a request (docs/SECURITY-REFERENCE.md §7, faults F9 and F11) a person gets
"The site is busy, try again" (503 with Retry-After), nothing half-saved, never a 500 page.

Each test builds its own app on the database it breaks, so it runs the same in `make test`
and `make test-pg`. bench/bench_faults.py does the same against gunicorn."""
import sqlite3
import threading
import time

from app import create_app
from core.web import RETRY_AFTER_SECONDS
from extensions import db
from tests.conftest import csrf_token_from


def own_app(tmp_path, database):
    return create_app({
        "TESTING": True, "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "SQLALCHEMY_DATABASE_URI": database, "UPLOAD_DIR": str(tmp_path / "uploads"),
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"), "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "JOBS_QUEUE_PATH": str(tmp_path / "jobs.sqlite3"), "BABEL_DEFAULT_LOCALE": "en",
    })


def test_a_write_behind_a_held_sqlite_lock_gets_503_after_the_busy_timeout_and_writes_nothing(tmp_path):
    path = tmp_path / "locked.sqlite3"
    app = own_app(tmp_path, "sqlite:///" + str(path))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    client = app.test_client()
    token = csrf_token_from(client.get("/dang-nhap").get_data(as_text=True))
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")  # another process writing for 8 s (F9)
    release = threading.Timer(8, holder.rollback)
    release.start()
    try:
        started = time.monotonic()
        response = client.post("/dang-nhap", data={"csrf_token": token, "phone": "0911000009",
                                                   "password": "wrong-password-here"})
        waited = time.monotonic() - started
    finally:
        release.join()
        holder.close()
    assert response.status_code == 503 and 4.5 <= waited < 8
    # The busy page's own "come back in a few seconds", not the login limit's window that
    # Flask-Limiter writes on every answer of a limited route.
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "The site is busy" in response.get_data(as_text=True)
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("SELECT COUNT(*) FROM login_throttles").fetchone()[0] == 0


def test_an_unreachable_postgresql_is_a_busy_page_not_an_error_page(tmp_path):
    app = own_app(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2")
    response = app.test_client().get("/san-pham")
    assert response.status_code == 503
    assert "The site is busy" in response.get_data(as_text=True)
