"""Log-in, passwords, rate limits and redirects (docs/SECURITY-REFERENCE.md §6 P1–P6, R1)."""
import re
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from werkzeug.security import generate_password_hash

from accounts import services
from accounts.models import LoginThrottle, Role, User
from extensions import db
from tests.conftest import TEST_PASSWORD, csrf_token_from

WRONG = "sai-mat-khau-roi"


def login_from(client, phone, password, ip="203.0.113.7", next_url=None):
    token = csrf_token_from(client.get("/dang-nhap").get_data(as_text=True))
    data = {"phone": phone, "password": password, "csrf_token": token}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/dang-nhap", data=data, environ_base={"REMOTE_ADDR": ip})


def user_row(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        return user.password_hash, user.last_login_at


def logged_in_user_id(client):
    with client.session_transaction() as session:
        return session.get("user_id")


# --- P1: the per-address limit ---------------------------------------------------------------

def test_p1_eleventh_login_in_a_minute_is_429_even_with_the_right_password(app, client, make_user):
    user_id, phone = make_user()
    for attempt in range(10):
        assert login_from(client, f"+8490{attempt:07d}", WRONG).status_code in (400, 429)
    before = user_row(app, user_id)
    response = login_from(client, phone, TEST_PASSWORD)
    assert response.status_code == 429
    assert logged_in_user_id(client) is None
    assert user_row(app, user_id) == before


def test_p1_the_limit_counts_requests_not_only_failures(app, client, make_user):
    """Ten successful log-ins leave no back-off behind, so the 11th is refused by the limiter alone."""
    user_id, phone = make_user()
    for _attempt in range(10):
        assert login_from(client, phone, TEST_PASSWORD).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(LoginThrottle.key))) == 0
    response = login_from(client, phone, TEST_PASSWORD)
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    page = response.get_data(as_text=True)
    assert "Too many attempts" in page or "Quá nhiều lần thử" in page
    other_address = login_from(client, phone, TEST_PASSWORD, ip="198.51.100.9")
    assert other_address.status_code == 302, "the limit is per address"


# --- P2: back-off per account, no permanent lock-out ----------------------------------------------

class Clock:
    def __init__(self):
        self.now = datetime(2026, 3, 1, 8, 0, 0)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


WAIT_RE = re.compile(r"(\d+) (?:seconds|giây)")


@pytest.mark.parametrize("app_config", [{"LOGIN_RATE_LIMIT": "1000 per minute"}])
def test_p2_twenty_bad_logins_over_five_addresses_back_off_then_recover(app, client, make_user, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(services, "utcnow", clock)
    user_id, phone = make_user()
    addresses = [f"192.0.2.{n}" for n in range(1, 6)]
    waits = []
    for attempt in range(20):
        address = addresses[attempt % 5]
        response = login_from(client, phone, WRONG, ip=address)
        if response.status_code == 429:
            wait = int(WAIT_RE.search(response.get_data(as_text=True)).group(1))
            waits.append(wait)
            blocked = login_from(client, phone, TEST_PASSWORD, ip=address)
            assert blocked.status_code == 429, "even the right password waits"
            assert logged_in_user_id(client) is None
            clock.advance(wait)
            response = login_from(client, phone, WRONG, ip=address)
        assert response.status_code == 400
    assert waits, "repeated failures must slow the attacker down"
    assert waits == sorted(waits), "the wait only grows"
    assert waits[1] >= 2 * waits[0] - 1
    assert max(waits) <= 15 * 60 + 1, "the back-off is capped at 15 minutes"
    with app.app_context():
        throttle = db.session.get(LoginThrottle, f"user:{phone}")
        assert throttle.failures == 20
    # No permanent lock-out: after the wait the owner logs in.
    clock.advance(15 * 60 + 1)
    response = login_from(client, phone, TEST_PASSWORD, ip=addresses[0])
    assert response.status_code == 302
    assert logged_in_user_id(client) == user_id
    with app.app_context():
        assert db.session.get(LoginThrottle, f"user:{phone}") is None


# --- P3: unknown user vs wrong password ---------------------------------------------------------

def _comparable(page, phone):
    page = re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", page)
    return page.replace(phone, "PHONE")


def test_p3_unknown_user_and_wrong_password_look_the_same(app, make_user):
    _user_id, phone = make_user()
    unknown = "+84987000111"
    known_client, unknown_client = app.test_client(), app.test_client()
    wrong = login_from(known_client, phone, WRONG, ip="192.0.2.50")
    missing = login_from(unknown_client, unknown, WRONG, ip="192.0.2.51")
    assert wrong.status_code == missing.status_code == 400
    assert _comparable(wrong.get_data(as_text=True), phone) == _comparable(missing.get_data(as_text=True), unknown)


@pytest.mark.parametrize("app_config", [{"PASSWORD_HASH_METHOD": "scrypt:32768:8:1"}])
def test_p3_both_cost_one_full_hash(app, make_user, monkeypatch):
    """Timing: the unknown phone is checked against a dummy hash of the same cost
    (the production method: hashing, not the few milliseconds of queries, must dominate)."""
    _user_id, phone = make_user()
    methods = []
    real_verify = services.verify_password

    def spy(stored_hash, password):
        methods.append(stored_hash.split("$")[0])
        return real_verify(stored_hash, password)

    monkeypatch.setattr(services, "verify_password", spy)
    with app.app_context():
        services.authenticate("+84987000222", WRONG, None)  # builds the dummy hash once
        timings = {"known": [], "unknown": []}
        pair = [("known", phone), ("unknown", "+84987000222")]
        for _round in range(12):
            pair.reverse()  # neither path always runs first
            for kind, number in pair:
                started = time.perf_counter()
                assert services.authenticate(number, WRONG, None) is None
                timings[kind].append(time.perf_counter() - started)
        db.session.rollback()
    # Both paths verify against a hash of the configured method, so they cost the same...
    assert set(methods) == {app.config["PASSWORD_HASH_METHOD"]} and len(methods) == 25
    # ...and the clock agrees. The fastest of many runs is the cost itself; slower ones
    # only measure a busy machine.
    known, unknown = min(timings["known"]), min(timings["unknown"])
    assert 0.8 <= unknown / known <= 1.25, (known, unknown)


# --- P4: password rules ------------------------------------------------------------------------

def register(client, phone, password):
    token = csrf_token_from(client.get("/dang-ky").get_data(as_text=True))
    return client.post("/dang-ky", data={"name": "Nguyễn Thị Hoa", "phone": phone, "password": password,
                                         "csrf_token": token})


def user_count(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(User.id)))


@pytest.mark.parametrize("password, message", [
    ("rausach", ("at least 8", "ít nhất 8")),
    ("password123", ("too common", "quá phổ biến")),
    ("matkhau123", ("too common", "quá phổ biến")),
])
def test_p4_short_and_common_passwords_are_refused(app, client, password, message):
    before = user_count(app)
    response = register(client, "0987654321", password)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert any(text in page for text in message), page
    assert user_count(app) == before


def test_p4_a_65_character_passphrase_is_accepted_without_truncation(app, client):
    passphrase = "con cò bay lả bay la, bay qua cửa phủ bay về Đồng Đăng nhé!"
    passphrase = (passphrase + " x" * 10)[:65]
    assert len(passphrase) == 65
    response = register(client, "0987654321", passphrase)
    assert response.status_code == 302
    fresh = app.test_client()
    assert login_from(fresh, "+84987654321", passphrase).status_code == 302
    assert login_from(app.test_client(), "+84987654321", passphrase[:64], ip="192.0.2.99").status_code == 400


def test_p4_a_100_kb_password_is_refused_before_any_hashing(app, client, make_user, monkeypatch):
    _user_id, phone = make_user()
    calls = []
    monkeypatch.setattr(services, "hash_password", lambda *a: calls.append("hash"))
    monkeypatch.setattr(services, "verify_password", lambda *a: calls.append("verify"))
    huge = "a" * 100_000
    before = user_count(app)
    started = time.perf_counter()
    assert register(client, "0987654321", huge).status_code == 400
    assert login_from(client, phone, huge).status_code == 400
    assert time.perf_counter() - started < 1.0
    assert calls == []
    assert user_count(app) == before


# --- P5, P6: hashes -----------------------------------------------------------------------------

def test_p5_stored_hashes_are_scrypt(app, make_user):
    user_id, _phone = make_user()
    assert user_row(app, user_id)[0].startswith("scrypt:")
    assert app.config["PASSWORD_HASH_METHOD"].startswith("scrypt:")
    from config import defaults

    method = defaults("/tmp")["PASSWORD_HASH_METHOD"]
    assert method.startswith("scrypt:") and int(method.split(":")[1]) >= 32768


def test_p6_legacy_pbkdf2_hash_logs_in_and_is_rehashed(app, client, make_user):
    user_id, phone = make_user()
    with app.app_context():
        db.session.get(User, user_id).password_hash = generate_password_hash(TEST_PASSWORD, "pbkdf2:sha256:600000")
        db.session.commit()
    assert login_from(client, phone, TEST_PASSWORD).status_code == 302
    stored, last_login = user_row(app, user_id)
    assert stored.startswith(app.config["PASSWORD_HASH_METHOD"] + "$")
    assert last_login is not None
    assert login_from(app.test_client(), phone, TEST_PASSWORD, ip="192.0.2.77").status_code == 302


# --- R1: hostile next= ---------------------------------------------------------------------------

HOSTILE_NEXT = [
    "http://example.com", "http:///example.com", "//example.com", "\\\\example.com", "\\example.com",
    "/\\/example.com", "/\\\\/example.com", "\\/example.com", "/\\example.com", "http:/\\//example.com",
    "http:\\/example.com", 'javascript:alert("XSS")', "\njavascript:alert(x)", "\x08//example.com",
    "http://otherserver\\@example.com", "http:999999999", " //example.com", "/\t/example.com",
    "https://choque.example.evil.com/", "///example.com",
]


@pytest.mark.parametrize("index", range(len(HOSTILE_NEXT)))
def test_r1_hostile_next_redirects_locally(client, make_user, index):
    _user_id, phone = make_user(role=Role.OFFICER)
    response = login_from(client, phone, TEST_PASSWORD, ip=f"192.0.2.{index + 100}", next_url=HOSTILE_NEXT[index])
    assert response.status_code == 302
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc, location
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location, location
    assert location == "/can-bo"


def test_r1_local_next_is_kept(client, make_user):
    _user_id, phone = make_user(role=Role.OFFICER)
    response = login_from(client, phone, TEST_PASSWORD, next_url="/can-bo?tab=verified")
    assert response.headers["Location"] == "/can-bo?tab=verified"


def test_r1_login_required_sends_back_to_the_page_asked_for(client, make_user):
    _user_id, phone = make_user(role=Role.OFFICER)
    first = client.get("/can-bo?tab=rejected")
    next_url = first.headers["Location"].split("next=", 1)[1]
    from urllib.parse import unquote

    response = login_from(client, phone, TEST_PASSWORD, next_url=unquote(next_url))
    assert response.headers["Location"] == "/can-bo?tab=rejected"
