"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL when
TEST_DATABASE_URI points at one (each run gets its own schema, so parallel
runs on the same server never meet)."""
import os
import re
import shutil
import socket
import subprocess
import time
import uuid

import pytest
import sqlalchemy as sa

from app import create_app
from extensions import db, limiter

PG_URI = os.environ.get("TEST_DATABASE_URI", "")
TEST_PASSWORD = "rau-sach-2025"


@pytest.fixture(scope="session")
def pg_schema():
    if not PG_URI.startswith("postgresql"):
        yield None
        return
    schema = f"test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    engine = sa.create_engine(PG_URI)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield schema
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


MACHINE_REDIS = "redis://127.0.0.1:6379"


@pytest.fixture(scope="session")
def redis_base_url(tmp_path_factory):
    """A Redis for the tests of sharing through Redis: the machine's at 127.0.0.1:6379 (running
    here and in CI; .ci/run starts it), else one this run starts from `redis-server`, keeping
    nothing on disk. Append a database number: f"{redis_base_url}/13"."""
    from tests.factories import redis_reachable

    if redis_reachable(MACHINE_REDIS):
        yield MACHINE_REDIS
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("These tests need Redis: none answers at 127.0.0.1:6379 and redis-server is not "
                    "installed (Debian: apt-get install redis-server).")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                               "--appendonly", "no", "--dir", str(folder)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while not redis_reachable(url):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def _pg_tables_created(pg_schema):
    return {"created": False}


def make_test_config(tmp_path, pg_schema, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "PUBLIC_BASE_URL": "https://choque.example",
        # Background jobs run inside the request that starts them (Huey's immediate mode);
        # tests/integration/test_jobs_worker.py runs a real worker instead.
        "JOBS_IMMEDIATE": True,
        "JOBS_QUEUE_PATH": str(tmp_path / "jobs-queue.sqlite3"),
    }
    if pg_schema:
        config["SQLALCHEMY_DATABASE_URI"] = PG_URI
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={pg_schema}"}}
    else:
        config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(tmp_path / "test.sqlite3")
    config.update(overrides)
    return config


@pytest.fixture
def app_config():
    """Override in a test module to change settings for its app."""
    return {}


def close_app(application) -> None:
    """Let the app's background threads (a search index rebuild started by a search, a feed
    refresh) finish, then close every pooled connection. A thread still holding a connection
    when the engine is disposed would hand it back to a dropped pool, where PostgreSQL's
    connection is left open until garbage collection (a ResourceWarning in a later test)."""
    from catalog import feeds
    from search import sync

    sync.wait_for_rebuilds(timeout=120)
    feeds.wait_for_refreshes(timeout=120)
    with application.app_context():
        db.session.remove()
        checked_out = getattr(db.engine.pool, "checkedout", lambda: 0)()
        db.engine.dispose()
    assert checked_out == 0, f"{checked_out} database connection(s) never given back to the pool"


@pytest.fixture
def app(tmp_path, pg_schema, _pg_tables_created, app_config):
    application = create_app(make_test_config(tmp_path, pg_schema, **app_config))
    with application.app_context():
        if pg_schema:
            if not _pg_tables_created["created"]:
                db.create_all()
                _pg_tables_created["created"] = True
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        else:
            db.create_all()
    limiter.reset()
    yield application
    close_app(application)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# Edit forms carry the version of what they show (core/conflicts.py); a browser sends it back.
VERSION_RE = re.compile(r'name="(edit_version|bank_version)" type="hidden" value="(\d+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


class Auth:
    def __init__(self, client):
        self.client = client

    def token(self, path="/dang-nhap"):
        return csrf_token_from(self.client.get(path).get_data(as_text=True))

    def login(self, phone, password=TEST_PASSWORD):
        return self.client.post("/dang-nhap", data={
            "phone": phone, "password": password, "csrf_token": self.token()})

    def post(self, path, data=None, form_page=None, **kwargs):
        """POST with a valid CSRF token taken from a page of this session, and, like a browser,
        the edit version that page's form carries."""
        payload = dict(data or {})
        html = self.client.get(form_page or "/dang-nhap").get_data(as_text=True)
        payload.setdefault("csrf_token", csrf_token_from(html))
        for name, value in VERSION_RE.findall(html):
            payload.setdefault(name, value)
        return self.client.post(path, data=payload, **kwargs)

    def logout(self):
        return self.post("/dang-xuat")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def make_user(app):
    from accounts import services
    from accounts.models import Role

    counter = {"n": 0}

    def factory(role=Role.PRODUCER, communes=(), phone=None, name=None, password=TEST_PASSWORD):
        counter["n"] += 1
        phone = phone or f"+8491{counter['n']:07d}"
        with app.app_context():
            user = services.create_user(phone, password, name or f"User {counter['n']}", role, communes)
            db.session.commit()
            return user.id, phone

    return factory
