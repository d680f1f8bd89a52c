"""Import 1,000 products, then search for them as a buyer would, right away.

Through the command line (`flask --app app catalog import`, a separate process, as an
operator runs it beside the web server) and through the web import page /nhap-du-lieu
(an administrator importing an official list): every product is found by an
accent-free search on /api/search, and `flask search status` sees the index complete.
"""
import io
import json
import os
import subprocess
import sys

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from accounts.models import Role
from search import sync
from tests.conftest import make_test_config
from tests.factories import api
from tests.unit.importer_files import csv_bytes, product_row, write

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROWS = 1000
PAGE = 48  # the API's largest page


@pytest.fixture
def app_config():
    return {"SEARCH_REBUILD_IN_BACKGROUND": False}


@pytest.fixture
def empty_index(app):
    with app.app_context():
        sync.rebuild()


def product_name(number: int) -> str:
    return f"Trà sen Tây Hồ ướp lô {number:04d}"


def thousand_rows() -> bytes:
    return csv_bytes([product_row(ref=f"TS-{number:04d}", name=product_name(number),
                                  description="Trà ướp sen Bách Diệp, đầm Tây Hồ.", price_vnd="350.000",
                                  unit="hộp 100g", producer_name=f"HTX Sen Tây Hồ {number % 10}",
                                  phone="", tax_code="", certificate_no="", certificate_date="", stars="")
                      for number in range(ROWS)])


def found_by_paging(client, text) -> list:
    first = api(client, q=text, per_page=PAGE)
    items = list(first["items"])
    for page in range(2, -(-first["total"] // PAGE) + 1):
        items.extend(api(client, q=text, per_page=PAGE, page=page)["items"])
    return [item["name"] for item in items]


def assert_every_row_found(client):
    assert api(client, q="tra sen tay ho")["degraded"] is False
    assert sorted(found_by_paging(client, "tra sen tay ho uop lo")) == [product_name(n) for n in range(ROWS)]
    for number in (0, 1, 499, 998, 999):  # and one by one, by its own accent-free name
        assert api(client, q=f"tra sen tay ho uop lo {number:04d}")["items"][0]["name"] == product_name(number)


def test_cli_import_of_1000_rows_is_searchable_at_once(app, client, runner, make_user, empty_index, tmp_path,
                                                      pg_schema, app_config):
    _, admin_phone = make_user(role=Role.ADMIN)
    path = write(tmp_path, "sen-tay-ho.csv", thousand_rows())
    config = make_test_config(tmp_path, pg_schema, **app_config)
    env = dict(os.environ, **{f"FLASK_{key}": value if isinstance(value, str) else json.dumps(value)
                              for key, value in config.items()})
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "catalog", "import", str(path),
                           "--verify", "--admin", admin_phone, "--lang", "en"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Products added: 1000" in done.stdout and "Rows refused: 0" in done.stdout
    assert_every_row_found(client)
    status = runner.invoke(args=["search", "status", "--lang", "en"]).output
    assert "Indexed products: 1000" in status and "Changes not applied: 0" in status
    assert "Content: every product matches the database" in status


def test_web_import_of_1000_rows_is_searchable_at_once(app, client, auth, make_user, empty_index):
    _, phone = make_user(role=Role.ADMIN)
    auth.login(phone)
    payload = {"file": FileStorage(io.BytesIO(thousand_rows()), "sen-tay-ho.csv"), "verify": "y",
               "csrf_token": auth.token("/nhap-du-lieu")}  # no dry_run: import at once
    boundary, body = encode_multipart(payload)
    # The web import runs as a background job (immediate in tests): the upload redirects to the
    # job's page, which shows the report once the import has committed.
    response = client.post("/nhap-du-lieu", data=body, content_type=f"multipart/form-data; boundary={boundary}",
                           follow_redirects=True)
    assert response.status_code == 200 and "/cong-viec/" in response.request.path
    auth.logout()  # search as a buyer
    assert_every_row_found(client)
    with app.app_context():
        assert sync.lag().behind == 0 and sync.compare()
