from app import create_app
from tests.conftest import make_test_config


def test_config_mapping_overrides_defaults(tmp_path):
    app = create_app(make_test_config(tmp_path, None, PAGE_SIZE=7))
    assert app.config["PAGE_SIZE"] == 7
    assert app.testing


def test_environment_overrides_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_UPLOAD_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-env-secret")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "x.db")})
    assert app.config["UPLOAD_DIR"] == str(tmp_path / "elsewhere")
    assert app.config["SECRET_KEY"] == "from-env-secret"
    assert (tmp_path / "elsewhere").is_dir()


def test_sqlite_uses_wal_and_busy_timeout(app):
    from extensions import db

    with app.app_context(), db.engine.connect() as conn:
        if db.engine.dialect.name != "sqlite":
            assert conn.exec_driver_sql("SELECT 1").scalar() == 1
            return
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_security_headers_on_pages(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_vietnamese_is_default_and_switch_works(client, auth):
    page = client.get("/").get_data(as_text=True)
    assert 'lang="vi"' in page
    token = auth.token("/")
    response = client.post("/ngon-ngu", data={"lang": "en", "next": "/", "csrf_token": token})
    assert response.status_code == 302
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_language_switch_rejects_offsite_next(client, auth):
    token = auth.token("/")
    response = client.post("/ngon-ngu", data={"lang": "en", "next": "//evil.example", "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_unknown_page_is_friendly_404(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert "text/html" in response.content_type


def test_api_errors_are_json(client):
    response = client.get("/api/khong-co")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_oversized_body_gets_friendly_413(client):
    response = client.post("/ngon-ngu", data=b"x" * (22 * 1024 * 1024),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "20 MB" in response.get_data(as_text=True)
