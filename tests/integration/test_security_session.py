"""Sessions, CSRF and headers (docs/SECURITY-REFERENCE.md §6 S1–S6, H1). Each test asserts the status
and, for state changes, that the database did not change."""
import hashlib
import time

import pytest
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner

from accounts.models import User
from extensions import db
from tests.conftest import TEST_PASSWORD, csrf_token_from
from tests import factories as w


@pytest.fixture
def world(app, make_user):
    return w.build(app, make_user, with_images=True)


def approve_data(app, producer_id):
    version_id, fingerprint = w.pending_fields(app, producer_id)
    return {"payment_version_id": version_id, "payment_fingerprint": fingerprint}


def logged_in_user_id(client):
    with client.session_transaction() as session:
        return session.get("user_id")


def test_s1_state_change_without_token_is_400(app, client, auth, world):
    auth.login(world.oa[1])
    before = w.snapshot(app, world.pa)
    response = client.post(f"/can-bo/ho-so/{world.pa}/duyet", data=approve_data(app, world.pa))
    assert response.status_code == 400
    assert w.snapshot(app, world.pa) == before
    assert client.post("/dang-xuat").status_code == 400
    assert logged_in_user_id(client) == world.oa[0], "logout without a token did nothing"


def test_s2_token_from_another_session_is_400(app, auth, world):
    other_client = app.test_client()
    other = type(auth)(other_client)
    other.login(world.oa2[1])
    foreign_token = other.token("/can-bo")
    auth.login(world.oa[1])
    before = w.snapshot(app, world.pa)
    response = auth.client.post(f"/can-bo/ho-so/{world.pa}/duyet",
                                data={"csrf_token": foreign_token, **approve_data(app, world.pa)})
    assert response.status_code == 400
    assert w.snapshot(app, world.pa) == before


@pytest.mark.parametrize("path", ["/can-bo/ho-so/{pa}/duyet", "/can-bo/ho-so/{pa}/tu-choi",
                                  "/can-bo/ho-so/{pa}/tam-dung", "/can-bo/ho-so/{pa}/tai-khoan/duyet",
                                  "/dang-xuat"])
def test_s3_get_on_a_post_only_action_is_405(app, client, auth, world, path):
    auth.login(world.oa[1])
    before = w.snapshot(app, world.pa)
    response = client.get(path.format(pa=world.pa))
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert "text/html" in response.content_type
    assert w.snapshot(app, world.pa) == before


@pytest.mark.parametrize("app_config", [{"SESSION_COOKIE_SECURE": True}])
def test_s4_production_cookie_is_host_prefixed_secure_httponly_lax(app, client, world):
    page = client.get("/dang-nhap", base_url="https://localhost").get_data(as_text=True)
    # Over HTTPS Flask-WTF also checks the Referer, as a browser would send it.
    response = client.post("/dang-nhap", base_url="https://localhost",
                           headers={"Referer": "https://localhost/dang-nhap"},
                           data={"phone": world.oa[1], "password": TEST_PASSWORD, "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    cookies = [value for key, value in response.headers.items() if key == "Set-Cookie"]
    session_cookie = next(c for c in cookies if c.startswith("__Host-session="))
    attributes = {part.strip().split("=")[0].lower() for part in session_cookie.split(";")[1:]}
    assert {"secure", "httponly", "path"} <= attributes
    assert "samesite=lax" in session_cookie.lower()
    assert "path=/" in session_cookie.lower().replace(" ", "")
    assert "domain" not in attributes
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert client.get("/can-bo", base_url="https://localhost").status_code == 200


def _session_cookie(client, app):
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    return cookie.value


def _set_session_cookie(client, app, value):
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], value)


def test_s5_tampered_cookie_logs_out(app, client, auth, world):
    auth.login(world.oa[1])
    value = _session_cookie(client, app)
    flipped = value[:-3] + ("A" if value[-3] != "A" else "B") + value[-2:]
    _set_session_cookie(client, app, flipped)
    response = client.get("/can-bo")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/dang-nhap")


def test_s5_cookie_signed_with_another_key_logs_out(app, client, auth, world):
    auth.login(world.oa[1])
    forged = URLSafeTimedSerializer("not-our-secret", salt="cookie-session",
                                    signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1}
                                    ).dumps({"user_id": world.admin[0], "_permanent": True})
    _set_session_cookie(client, app, forged)
    response = client.get("/can-bo")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/dang-nhap")


def test_s5_forged_user_id_needs_the_key(app, client, auth, world):
    """With the real key a forged session would work: the key is the only protection,
    so check the one the app signs with is the configured secret, not a default."""
    assert app.secret_key == app.config["SECRET_KEY"] and len(app.secret_key) >= 32


def test_s6_session_past_its_lifetime_logs_out(app, client, auth, world, monkeypatch):
    auth.login(world.oa[1])
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    assert lifetime <= 8 * 3600, "officer sessions last at most 8 hours"
    real_now = int(time.time())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real_now + lifetime - 60)
    assert client.get("/can-bo").status_code == 200
    auth.login(world.oa[1])  # a fresh cookie, signed at the shifted "now"
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real_now + 2 * lifetime + 60)
    response = client.get("/can-bo")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/dang-nhap")


def test_s6_deactivated_user_is_logged_out(app, client, auth, world):
    auth.login(world.oa[1])
    with app.app_context():
        db.session.get(User, world.oa[0]).is_active = False
        db.session.commit()
    assert client.get("/can-bo").status_code == 302


EXPECTED_HEADERS = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def _assert_security_headers(response):
    for name, expected in EXPECTED_HEADERS.items():
        assert expected in response.headers.get(name, ""), name
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "object-src 'none'" in response.headers["Content-Security-Policy"]


def test_h1_headers_on_page_error_and_image(app, client, auth, world):
    from producers.models import ProducerDocument

    with app.app_context():
        document_id = db.session.scalars(db.select(ProducerDocument.id).filter_by(producer_id=world.pa)).one()
    auth.login(world.oa[1])
    page = client.get(f"/can-bo/ho-so/{world.pa}")
    error = client.get(f"/can-bo/ho-so/{world.pb}")
    image = client.get(f"/can-bo/tai-lieu/{document_id}/1200")
    assert (page.status_code, error.status_code, image.status_code) == (200, 404, 200)
    for response in (page, error, image):
        _assert_security_headers(response)
    assert image.headers["Content-Type"] == "image/webp"
    assert "text/html" not in image.headers["Content-Type"]
    image.close()


@pytest.mark.parametrize("app_config", [{"SESSION_COOKIE_SECURE": True}])
def test_h1_hsts_in_production(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
