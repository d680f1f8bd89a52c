"""Edit, crash, restart, search: a process killed at any step between the database
commit and the index (F3 and a variant at each step of the change log) loses nothing.
After the restart the index matches the database by content: the digest of every
indexed document equals the digest of the document built from the database."""
import json
import os
import subprocess
import sys

import pytest

from catalog.models import Product
from extensions import db
from search import sync
from search.documents import public_rows_query, row_document
from tests.conftest import make_test_config
from tests.factories import add_world, names, rebuild

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OLD_NAME, NEW_NAME = "Nem chua Thanh Hóa", "Nem Vẽ Làng Giàng"


@pytest.fixture
def app_config():
    return {"SEARCH_REBUILD_IN_BACKGROUND": False}


@pytest.fixture
def world(app):
    ids = add_world(app)
    rebuild(app)
    return ids


def crash_child(tmp_path, pg_schema, app_config, step, product_id) -> int:
    config = make_test_config(tmp_path, pg_schema, **app_config)
    done = subprocess.run([sys.executable, "-m", "tests.journeys.crash_child", json.dumps(config), step,
                           str(product_id), NEW_NAME], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr[-3000:]  # killed by the hook, as kill -9 would
    return done.returncode


def restart(app):
    """What a new worker process has: no snapshot, and no catch-up done yet."""
    with app.app_context():
        sync.store().forget()
    sync._caught_up_once.discard(app.config["SEARCH_INDEX_DIR"])


def indexed_matches_database(app):
    with app.app_context():
        indexed = sync.store().digests()
        with db.engine.connect() as connection:
            built = {row.id: row_document(row).digest() for row in connection.execute(public_rows_query())}
        return {int(key): value for key, value in indexed.items()} == built, len(built)


@pytest.mark.parametrize("step", ["after-commit", "whoosh-commit", "after-apply", "mid-rebuild",
                                  "rebuild-before-catch-up"])
def test_a_crash_at_any_step_loses_nothing(app, client, runner, world, tmp_path, pg_schema, app_config, step):
    product_id = world["nem-chua"]
    crash_child(tmp_path, pg_schema, app_config, step, product_id)
    with app.app_context():
        assert db.session.get(Product, product_id).name == NEW_NAME  # the database kept the save
    restart(app)
    assert names(client, "nem ve lang giang") == [NEW_NAME]  # the first search caught up
    assert OLD_NAME not in names(client, "nem chua thanh hoa")
    matches, count = indexed_matches_database(app)
    assert matches and count == 46
    status = runner.invoke(args=["search", "status", "--lang", "en"]).output
    assert "Changes not applied: 0" in status and "Content: every product matches the database" in status


def test_rebuild_if_needed_after_a_crash_leaves_a_current_index(app, runner, world, tmp_path, pg_schema,
                                                                  app_config):
    """`make run` after the crash: the start-up command catches up (no search needed)."""
    crash_child(tmp_path, pg_schema, app_config, "after-commit", world["nem-chua"])
    restart(app)
    result = runner.invoke(args=["search", "rebuild", "--if-needed", "--lang", "en"])
    assert result.exit_code == 0 and "up to date (46 products)" in result.output
    assert indexed_matches_database(app)[0]
