"""Issue 9, finding 9: twenty people (or one impatient double-tapper on twenty tabs) register
the same phone at the same moment, against a live threaded server. One account is made; every
other answer is the friendly "already has an account" form, never a 500. Runs on SQLite and,
with TEST_DATABASE_URI, on PostgreSQL."""
import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request

from accounts.models import User
from extensions import db
from tests.browser.conftest import live_server  # noqa: F401  (the server fixture)
from tests.conftest import csrf_token_from

PARALLEL = 20
PHONE = "0912345678"
ALREADY = "Số này đã có tài khoản"


def _open(opener, url, data=None):
    try:
        with opener.open(url, data=data, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_parallel_registrations_of_one_phone_make_one_account(app, live_server):  # noqa: F811
    barrier = threading.Barrier(PARALLEL)
    answers = []

    def register(n):
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                             _NoRedirect())
        _status, page = _open(opener, live_server + "/dang-ky")
        form = urllib.parse.urlencode({"csrf_token": csrf_token_from(page), "name": f"Người {n}",
                                       "phone": PHONE, "password": "mat-ong-rung-2026"}).encode()
        barrier.wait(timeout=60)
        answers.append(_open(opener, live_server + "/dang-ky", form))

    threads = [threading.Thread(target=register, args=(n,)) for n in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    statuses = sorted(status for status, _body in answers)
    assert len(answers) == PARALLEL
    assert statuses.count(302) == 1, statuses
    refused = [body for status, body in answers if status != 302]
    assert all(status == 400 for status, _body in answers if status != 302), statuses
    assert all(ALREADY in body for body in refused)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id)).where(User.phone == "+84912345678")) == 1


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, request, response, code, message, headers):
        return response
