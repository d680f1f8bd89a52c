"""Helpers for background-job tests: upload a sheet through the web page, run a real worker
process (`flask --app app jobs worker`) against the test app's database and queue, and follow
a job through its JSON status."""
from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from bench.bench_import import sheet_rows, write_csv

ROOT = Path(__file__).resolve().parents[2]
UPLOAD = "/nhap-du-lieu"
JOB_PATH = re.compile(r"/cong-viec/(\d+)$")


def sheet_csv(tmp_path: Path, rows: int, producers: int = 20) -> bytes:
    """A generated OCOP catalogue sheet (the bench's realistic rows) as CSV bytes."""
    path = tmp_path / f"sheet-{rows}.csv"
    write_csv(path, sheet_rows(rows, producers))
    return path.read_bytes()


def post_sheet(client, token: str, data: bytes, name="danh-sach.csv", dry_run=False):
    """POST the import form; the response, not followed."""
    payload = {"file": FileStorage(io.BytesIO(data), name), "csrf_token": token}
    if dry_run:
        payload["dry_run"] = "y"
    boundary, body = encode_multipart(payload)  # in memory: the test client would spool to a temp file
    return client.post(UPLOAD, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def job_id_of(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(JOB_PATH.search(response.headers["Location"]).group(1))


def worker_env(app) -> dict:
    """The environment that makes create_app() in another process use this test app's state."""
    config = app.config
    env = dict(os.environ)
    env.update({
        "FLASK_SECRET_KEY": config["SECRET_KEY"], "FLASK_UPLOAD_DIR": config["UPLOAD_DIR"],
        "FLASK_SEARCH_INDEX_DIR": config["SEARCH_INDEX_DIR"], "FLASK_PUBLIC_BASE_URL": config["PUBLIC_BASE_URL"],
        "FLASK_SQLALCHEMY_DATABASE_URI": config["SQLALCHEMY_DATABASE_URI"],
        "FLASK_JOBS_QUEUE_PATH": config["JOBS_QUEUE_PATH"], "FLASK_JOBS_QUEUE_NAME": config["JOBS_QUEUE_NAME"],
        "FLASK_PASSWORD_HASH_METHOD": config["PASSWORD_HASH_METHOD"], "PYTHONDONTWRITEBYTECODE": "1",
    })
    if config.get("REDIS_URL"):
        env["FLASK_REDIS_URL"] = config["REDIS_URL"]
    else:
        env.pop("FLASK_REDIS_URL", None)
    options = config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("connect_args")
    if options:
        env["FLASK_SQLALCHEMY_ENGINE_OPTIONS"] = json.dumps({"connect_args": options})
    return env


class Worker:
    """`flask --app app jobs worker` in its own process, stopped gracefully (SIGINT) on exit."""

    def __init__(self, app, log_path: Path):
        self.app, self.log_path = app, log_path
        self.process = None

    def __enter__(self):
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "jobs", "worker",
                                         "--workers", "1"], cwd=ROOT, env=worker_env(self.app),
                                        stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


def follow(client, job_id: int, timeout: float = 120) -> list[dict]:
    """Poll the job's JSON status until it has finished; every state seen, in order."""
    seen, deadline = [], time.monotonic() + timeout
    while True:
        state = client.get(f"/cong-viec/{job_id}/tien-do.json").get_json()
        seen.append(state)
        if state["finished"]:
            return seen
        assert time.monotonic() < deadline, f"job {job_id} did not finish: {state}"
        time.sleep(0.2)
