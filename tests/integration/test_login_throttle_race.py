"""Failed log-ins arriving at the same moment for one account (docs/SECURITY-REFERENCE.md §2: the DB
failed-login counter). bench/bench_load.py L5 (a login flood) on PostgreSQL had two workers
both insert the account's first counter row: one got a 500. Every failure must count once
and every answer stay 400 (wrong password) or 429 (wait)."""
import threading

import pytest

from accounts.models import LoginThrottle
from extensions import db
from tests.integration.test_security_passwords import login_from

ATTEMPTS = 8


@pytest.mark.parametrize("app_config", [{"LOGIN_RATE_LIMIT": "1000 per minute"}])
def test_simultaneous_failures_for_one_account_each_count_once_and_none_is_a_500(app):
    phone = "0912345678"  # nobody's: unknown phones are counted the same way
    clients = [app.test_client() for _ in range(ATTEMPTS)]
    start = threading.Barrier(ATTEMPTS)
    answers = []

    def attempt(number):
        start.wait()
        answers.append(login_from(clients[number], phone, "wrong-password-1", ip=f"198.51.100.{number + 1}")
                       .status_code)

    threads = [threading.Thread(target=attempt, args=(number,)) for number in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(answers)) in ([400], [400, 429]), answers
    with app.app_context():
        counted = db.session.get(LoginThrottle, "user:+84912345678").failures
    assert counted == answers.count(400)
