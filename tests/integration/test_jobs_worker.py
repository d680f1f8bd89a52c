"""A real worker process (`flask --app app jobs worker`) runs web imports queued in Huey's
SQLite storage (the embedded default) and in Redis (FLASK_REDIS_URL; the `redis_base_url` fixture)."""
import uuid

import pytest

from accounts.models import Role
from catalog.models import Product
from extensions import db
from jobs.models import Job
from tests.factories import Worker, follow, job_id_of, post_sheet, sheet_csv

ROWS = 600


@pytest.fixture(params=["sqlite", "redis"])
def app_config(request):
    config = {"JOBS_IMMEDIATE": False, "JOBS_QUEUE_NAME": f"choque-test-{uuid.uuid4().hex[:8]}"}
    if request.param == "redis":
        config["REDIS_URL"] = f"{request.getfixturevalue('redis_base_url')}/0"
    return config


def test_a_worker_process_imports_what_the_page_queued(app, client, auth, make_user, tmp_path):
    _, phone = make_user(role=Role.ADMIN)
    auth.login(phone)
    job_id = job_id_of(post_sheet(client, auth.token("/nhap-du-lieu"), sheet_csv(tmp_path, ROWS)))
    with app.app_context():
        assert db.session.get(Job, job_id).status == "queued"  # nothing runs it inside the request
        assert db.session.scalar(db.select(db.func.count(Product.id))) == 0
    with Worker(app, tmp_path / "worker.log") as worker:
        states = follow(client, job_id)
    assert states[-1]["status"] == "done", worker.output()
    assert states[-1]["done"] == states[-1]["total"] == ROWS
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Product.id))) == ROWS
        assert db.session.get(Job, job_id).finished_at is not None
    page = client.get(f"/cong-viec/{job_id}").get_data(as_text=True)
    assert "Báo cáo nhập dữ liệu" in page and "Số dòng đã đọc" in page
    assert str(ROWS) in page
