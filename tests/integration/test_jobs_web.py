"""Background jobs seen from the web: the upload returns before the job has run, the progress
page works without JavaScript, a job is its owner's only, and a failure is explained, never a 500,
with what was saved kept."""
import os

import pytest

from accounts.models import Role
from catalog.models import Product
from extensions import db
from jobs.models import Job
from jobs.progress import ProgressReporter
from jobs.services import start_job
from tests.factories import job_id_of, post_sheet, sheet_csv

UPLOAD = "/nhap-du-lieu"


def count_products(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Product.id)))


def imports_folder(app):
    folder = os.path.join(app.config["UPLOAD_DIR"], "imports")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


@pytest.fixture
def queued(app):
    """Jobs go to the (SQLite) queue and nobody runs them: what a request does on its own."""
    app.extensions["huey"].immediate = False


def login(auth, make_user, role=Role.ADMIN):
    user_id, phone = make_user(role=role)
    auth.login(phone)
    return user_id


def test_a_45000_row_web_import_returns_before_the_job_has_run(app, client, auth, make_user, tmp_path, queued):
    login(auth, make_user)
    data = sheet_csv(tmp_path, 45_000, producers=1500)
    response = post_sheet(client, auth.token(UPLOAD), data)
    job_id = job_id_of(response)  # a redirect to the job's page, not the report
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert (job.status, job.kind, job.done, job.finished_at) == ("queued", "catalog.import", 0, None)
        assert job.params["dry_run"] is False
    assert count_products(app) == 0  # the import has not run: the request did not wait for it
    assert len(imports_folder(app)) == 1  # the upload waits for the worker under a generated name
    page = client.get(f"/cong-viec/{job_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert '<meta http-equiv="refresh" content="2">' in html and "<progress" in html
    assert "Đang chờ bắt đầu" in html and "danh-sach.csv" in html


def test_a_job_is_seen_by_its_owner_only(app, client, auth, make_user, tmp_path, queued):
    login(auth, make_user)
    job_id = job_id_of(post_sheet(client, auth.token(UPLOAD), sheet_csv(tmp_path, 3)))
    assert client.get(f"/cong-viec/{job_id}/tien-do.json").get_json()["status"] == "queued"
    assert f"/cong-viec/{job_id}" in client.get("/cong-viec").get_data(as_text=True)
    auth.logout()
    assert client.get(f"/cong-viec/{job_id}").status_code == 302  # logged out: to the log-in page
    login(auth, make_user, Role.OFFICER)
    assert client.get(f"/cong-viec/{job_id}").status_code == 404
    assert client.get(f"/cong-viec/{job_id}/tien-do.json").status_code == 404
    assert f"/cong-viec/{job_id}" not in client.get("/cong-viec").get_data(as_text=True)


def test_a_job_that_breaks_halfway_keeps_what_it_saved_and_says_so(app, client, auth, make_user, tmp_path,
                                                                     monkeypatch):
    real_call = ProgressReporter.__call__

    def breaks_at_row_450(self, count=1):
        real_call(self, count)
        if self.done == 450:
            raise RuntimeError("the worker lost its disk")

    monkeypatch.setattr(ProgressReporter, "__call__", breaks_at_row_450)
    login(auth, make_user)
    response = post_sheet(client, auth.token(UPLOAD), sheet_csv(tmp_path, 600))
    job_id = job_id_of(response)
    page = client.get(f"/cong-viec/{job_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Đã có lỗi khi thực hiện việc này" in html and "Làm lại" in html
    assert count_products(app) == 400  # the rows committed before the failure (every 200) are kept
    assert imports_folder(app) == []  # the upload is removed all the same
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert (job.status, job.error_code, job.done) == ("failed", "unexpected", 450)


def test_a_queue_that_cannot_be_reached_is_explained(app, client, auth, make_user, tmp_path):
    app.extensions["huey_tasks"]["jobs.run"] = _unreachable
    login(auth, make_user)
    job_id = job_id_of(post_sheet(client, auth.token(UPLOAD), sheet_csv(tmp_path, 3)))
    html = client.get(f"/cong-viec/{job_id}").get_data(as_text=True)
    assert "Lúc này trang chưa bắt đầu được việc này" in html
    assert imports_folder(app) == [] and count_products(app) == 0


def _unreachable(job_id):
    raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_progress_is_written_beside_an_open_write_transaction(app, make_user):
    """The import keeps a write transaction open between its commits; the figure still reaches
    the page: at once on PostgreSQL, after the work's next commit on SQLite (one writer)."""
    user_id, _ = make_user(role=Role.ADMIN)
    with app.app_context():
        from accounts.models import User

        job = start_job("catalog.import", db.session.get(User, user_id), params={}, label="x")
        db.session.commit()
        job_id = job.id
        reporter = ProgressReporter(job_id, total=10, interval=0)
        db.session.get(User, user_id).name = "Đang nhập"  # the work's own write, not committed yet
        db.session.flush()
        reporter(3)
        db.session.commit()
        reporter.close()
    with app.app_context():
        stored = db.session.get(Job, job_id)
        assert (stored.done, stored.total) == (3, 10)


def test_a_plain_task_runs_in_an_app_context(tmp_path, pg_schema):
    """register_task/enqueue_task: background work nobody watches (issue 15's messages)."""
    from flask import current_app

    from app import create_app
    from jobs.queue import _TASKS, enqueue_task, register_task
    from tests.conftest import close_app, make_test_config

    seen = []
    register_task("tests.note", lambda text: seen.append((current_app.name, text)), retries=2)
    try:
        application = create_app(make_test_config(tmp_path, pg_schema))
        with application.test_request_context():
            enqueue_task("tests.note", "xin chào")
        close_app(application)
    finally:
        del _TASKS["tests.note"]
    assert seen == [("app", "xin chào")]


def test_an_export_job_counts_its_products_and_keeps_its_file(app, client, auth, make_user):
    from catalog.models import ProductStatus
    from tests.factories import build_world

    world = build_world(app, make_user)
    auth.login(world.admin_phone)
    response = auth.post("/xuat-du-lieu", {"format": "csv", "province": "", "producer": ""}, form_page="/xuat-du-lieu")
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        job = db.session.get(Job, job_id)
        published = db.session.scalar(db.select(db.func.count(Product.id))
                                      .where(Product.status == ProductStatus.PUBLISHED))
        assert (job.kind, job.status, job.total, job.done) == ("catalog.export", "done", published, published)
        assert os.path.isfile(os.path.join(app.instance_path, job.result_file))
        assert job.result["exported"] + len(job.result["skipped"]) == published
    page = client.get(f"/cong-viec/{job_id}").get_data(as_text=True)
    assert "/xuat-du-lieu/tai/" in page  # the download button of the results page


def test_an_import_whose_file_is_gone_says_to_upload_again(app, client, auth, make_user):
    """“Import now” pressed twice: the second job finds the file already imported and removed."""
    from accounts.models import User
    from jobs.services import enqueue

    user_id = login(auth, make_user)
    with app.test_request_context():
        job = start_job("catalog.import", db.session.get(User, user_id), label="ds.csv",
                        params={"file": "A" * 22 + ".csv", "name": "ds.csv", "dry_run": False, "verify": False})
        db.session.commit()
        assert enqueue(job)
        job_id = job.id
    page = client.get(f"/cong-viec/{job_id}")
    assert page.status_code == 200
    assert "Lần nhập này đã hết hạn hoặc đã được thực hiện" in page.get_data(as_text=True)
