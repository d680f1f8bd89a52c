"""Issue 14: /healthz (serving/health.py) checks the database, the search index's lag and the job queue."""
from datetime import timedelta

import pytest
from sqlalchemy import event

from core.clock import utcnow
from extensions import db
from jobs.models import Job
from jobs.queue import build_queue
from search import sync
from tests.factories import add_product, make_producer


def test_a_healthy_site_answers_200_with_each_check(app, client, make_user):
    if "huey" not in app.extensions:  # jobs/views.py without init_app on this branch's base
        build_queue(app)
    add_product(app, make_producer(app))
    with app.app_context():
        sync.rebuild()
    response = client.get("/healthz")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == {"ok": True}
    assert body["search"] == {"ok": True, "behind": 0}
    assert body["jobs"]["ok"] and body["jobs"]["waiting"] == 0 and body["jobs"]["queue_pending"] == 0


def test_changes_not_yet_applied_are_counted(app, client):
    with app.app_context():
        sync.rebuild()
    app.config["SEARCH_SYNC"] = False  # the index is not caught up after each commit
    producer = make_producer(app)
    add_product(app, producer, name="Chè Shan tuyết")
    add_product(app, producer, name="Gạo Séng Cù")
    assert client.get("/healthz").get_json()["search"] == {"ok": True, "behind": 2}


def test_no_index_and_a_stalled_queue_are_degraded_but_200(app, client, make_user):
    owner_id, _phone = make_user()
    with app.app_context():
        db.session.add(Job(kind="catalog.import", owner_id=owner_id, created_at=utcnow() - timedelta(minutes=10)))
        db.session.commit()
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "degraded"
    assert body["search"]["ok"] is False and body["search"]["behind"] is None
    assert body["jobs"]["ok"] is False and body["jobs"]["waiting"] == 1
    assert body["jobs"]["oldest_waiting_seconds"] >= 600


def test_the_database_down_answers_503(app, client):
    with app.app_context():
        engine = db.engine

    def refuse(*_args, **_kwargs):
        raise ConnectionRefusedError("database is down")

    event.listen(engine, "before_cursor_execute", refuse)
    try:
        response = client.get("/healthz")
    finally:
        event.remove(engine, "before_cursor_execute", refuse)
    assert response.status_code == 503
    assert response.get_json() == {"status": "down", "database": {"ok": False, "error": "ConnectionRefusedError"}}


@pytest.mark.parametrize("app_config", [{"PAGE_CACHE": True}])
def test_healthz_is_one_database_round_trip(app, client):
    with app.app_context():
        sync.rebuild()
        engine = db.engine
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    client.get("/healthz")
    assert len(statements) == 1, statements
