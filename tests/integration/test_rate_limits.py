"""Issue 14: rate limits that fit a shared NAT (core/ratekeys.py, core/ratelimits.py).

A whole commune may reach the site through one carrier-grade NAT address, so limits count per
account or browser session, under a much higher ceiling per address; with Redis the counters are
shared by every server. docs/SECURITY.md lists each limit, and this checks the list."""
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from core.ratelimits import CEILINGS
from tests.conftest import close_app, make_test_config
from tests.factories import add_product, make_producer

NAT_ADDRESS = "100.64.7.9"  # RFC 6598 shared address space: what carrier-grade NAT uses
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shop(app):
    add_product(app, make_producer(app), name="Mật ong bạc hà Mèo Vạc")


def browser(app):
    """A phone's browser behind the NAT: it opens the home page first and keeps its cookies."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = NAT_ADDRESS
    assert client.get("/").status_code == 200
    return client


def test_fifty_people_behind_one_address_each_searching_twenty_times_a_minute_pass(app, shop):
    people = [browser(app) for _ in range(50)]
    statuses = set()
    for round_ in range(20):
        for n, person in enumerate(people):
            statuses.add(person.get(f"/tim-kiem?q=mat+ong&page={1 + (n + round_) % 2}").status_code)
    assert statuses == {200}


def test_one_person_hammering_search_gets_a_readable_429(app, shop):
    person = browser(app)
    statuses = [person.get("/tim-kiem?q=mat+ong").status_code for _ in range(60)]
    assert statuses == [200] * 60  # the same search: most of these were served from the page cache
    refused = person.get("/tim-kiem?q=mat+ong")
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    page = refused.get_data(as_text=True)
    assert "Quá nhiều lần thử" in page and "Vui lòng chờ một phút rồi thử lại." in page
    assert browser(app).get("/tim-kiem?q=mat+ong").status_code == 200, "the neighbour is not refused"


@pytest.mark.parametrize("app_config", [{"SEARCH_ADDRESS_RATE_LIMIT": "30 per minute"}])
def test_the_address_ceiling_stops_a_machine_that_changes_sessions(app, shop):
    statuses = [browser(app).get("/tim-kiem?q=che").status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429


def test_a_logged_in_account_counts_on_its_own(app, shop, auth, make_user):
    _user_id, phone = make_user()
    auth.client.environ_base["REMOTE_ADDR"] = NAT_ADDRESS
    assert auth.login(phone).status_code == 302
    assert {auth.client.get("/api/search?q=mat").status_code for _ in range(60)} == {200}
    assert auth.client.get("/api/search?q=mat").status_code == 429
    assert browser(app).get("/api/search?q=mat").status_code == 200


def test_two_servers_share_the_counters_through_redis(app, shop, tmp_path, pg_schema, redis_base_url):
    """Server B, in its own process, uses 40 of the address's 45 searches; server A then allows 5."""
    # One process keeps one limiter, whose key prefix is the first app's: the default one here.
    address = f"198.18.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"
    settings = {"REDIS_URL": f"{redis_base_url}/13", "SEARCH_RATE_LIMIT": "45 per minute", "SEARCH_SYNC": False,
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "SQLALCHEMY_ENGINE_OPTIONS": app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    from app import create_app
    from extensions import limiter

    peer_config = make_test_config(tmp_path / "b", pg_schema, **settings)
    peer = subprocess.run([sys.executable, str(Path(__file__).with_name("ratelimit_peer.py")),
                           json.dumps(peer_config), "40", address],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=120)
    assert peer.returncode == 0, peer.stderr[-2000:]
    assert peer.stdout.split() == ["200"] * 40
    server_a = create_app(make_test_config(tmp_path / "a", pg_schema, **settings))
    try:
        client = server_a.test_client(use_cookies=False)
        statuses = [client.get("/api/search?q=mat+ong", environ_base={"REMOTE_ADDR": address}).status_code
                    for _ in range(6)]
        assert statuses == [200] * 5 + [429]
    finally:
        with server_a.app_context():
            limiter.reset()
        close_app(server_a)


DOC = ROOT / "docs" / "SECURITY.md"


def documented_rate_limits() -> dict:
    """The "Rate limits" table: endpoint(s) | methods | key | limit | why."""
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`"):
            for endpoint in re.findall(r"`([a-z_]+\.[a-z_]+)`", cells[0]):
                rows.setdefault(endpoint, []).append((cells[2], cells[3]))
    return rows


def test_every_ceiling_is_documented_with_its_value(app):
    rows = documented_rate_limits()
    for ceiling in CEILINGS:
        for endpoint in ceiling.endpoints:
            assert endpoint in app.view_functions, endpoint
            assert ("address", app.config.get(ceiling.setting, ceiling.default)) in rows.get(endpoint, []), endpoint
    assert ("address", app.config["LOGIN_RATE_LIMIT"]) in rows["accounts.login"]
    assert ("visitor", app.config["SEARCH_RATE_LIMIT"]) in rows["search.results"]
