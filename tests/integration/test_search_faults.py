"""Fault injection for the index (docs/SECURITY-REFERENCE.md §7 F3–F6) and the `flask search` commands."""
import os
import shutil

import pytest

from accounts.models import Role
from catalog.models import Product
from extensions import db
from search import sync
from search.engine import IndexStore
from tests.factories import add_world, api, names, rebuild


@pytest.fixture
def app_config():
    return {"SEARCH_REBUILD_IN_BACKGROUND": False, "SEARCH_WRITER_TIMEOUT": 0.05,
            "SEARCH_WRITER_RETRIES": 1, "SEARCH_WRITER_BACKOFF": 0.01}


@pytest.fixture
def world(app):
    ids = add_world(app)
    rebuild(app)
    return ids


def health(app):
    with app.app_context():
        return sync.store().health()


def public_count(app):
    with app.app_context():
        return sync.public_count()


def test_deleted_index_directory_falls_back_then_rebuilds(app, client, world):  # F4
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    degraded = api(client, q="mat ong")
    assert degraded["degraded"] is True
    assert degraded["items"][0]["name"] == "Mật ong bạc hà Mèo Vạc"  # the SQL fallback still answers
    assert health(app).ok and health(app).doc_count == public_count(app) == 46
    again = api(client, q="mat ong")
    assert again["degraded"] is False and again["items"][0]["name"] == "Mật ong bạc hà Mèo Vạc"


def test_truncated_segment_is_detected_and_rebuilt(app, client, world):  # F3
    version = IndexStore(app.config["SEARCH_INDEX_DIR"]).current_path()
    biggest = max((os.path.join(version, name) for name in os.listdir(version)), key=os.path.getsize)
    with open(biggest, "r+b") as fh:
        fh.truncate(os.path.getsize(biggest) // 2)
    with app.app_context():
        sync.store().forget()  # as a worker that opens the index after the crash
    assert client.get("/tim-kiem", query_string={"q": "cá chạch"}).status_code == 200
    assert health(app).ok and health(app).doc_count == public_count(app)
    assert names(client, "ca chach") == ["Cá chạch sấy khô"]


def test_background_rebuild(app, client, world):
    app.config["SEARCH_REBUILD_IN_BACKGROUND"] = True
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    assert api(client, q="vai thieu")["degraded"] is True
    sync._rebuild_threads[app.config["SEARCH_INDEX_DIR"]].join(timeout=60)
    assert api(client, q="vai thieu")["degraded"] is False


def test_fallback_keeps_user_text_literal(app, client, world, monkeypatch):
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    app.config["SEARCH_REBUILD_IN_BACKGROUND"] = True  # keep answering from SQL in this test
    monkeypatch.setitem(sync._rebuild_threads, app.config["SEARCH_INDEX_DIR"], _RunningRebuild())
    for text in ("%", "_", "' OR 1=1 --", "\\", "100%"):
        data = api(client, q=text)
        assert data["degraded"] is True and data["total"] == 0, text
    assert api(client, q="thanh long ruot do")["items"][0]["name"] == "Thanh long ruột đỏ Bình Thuận"
    assert api(client, q="", province=19)["total"] == 1


class _RunningRebuild:
    """Stands for a rebuild thread that never ends: no new rebuild is started."""

    def is_alive(self):
        return True

    def join(self, timeout=None):
        pass


def test_busy_writer_lock_never_fails_a_save(app, client, auth, make_user, world):  # F5
    user_id, phone = make_user(role=Role.PRODUCER)
    with app.app_context():
        product = db.session.get(Product, world["vai-thieu"])
        product.producer.owner_id = user_id
        db.session.commit()
        producer_id, product_id, set_code = product.producer_id, product.id, product.product_set_code
    auth.login(phone)
    holder = IndexStore(app.config["SEARCH_INDEX_DIR"]).open().writer()  # another worker writing
    try:
        form_page = f"/nha-san-xuat/{producer_id}/san-pham/{product_id}"
        response = auth.post(form_page, {
            "name": "Vải thiều Thanh Hà", "product_set_code": str(set_code), "certificate_id": "",
            "price": "90000", "unit": "kg", "description": "Vải thiều Thanh Hà chín sớm.",
            "availability": "in_stock", "status": "published", "ref": "RV035",
        }, form_page=form_page, follow_redirects=True)
        assert response.status_code == 200
        with app.app_context():
            assert db.session.get(Product, product_id).name == "Vải thiều Thanh Hà"
            assert sync.lag().behind >= 1
        assert "Vải thiều Thanh Hà" not in names(client, "thanh ha")  # the index has not caught up yet
    finally:
        holder.cancel()
    assert names(client, "thanh ha")[0] == "Vải thiều Thanh Hà"  # the next search applies the change log
    with app.app_context():
        assert sync.lag().behind == 0


def test_changes_during_a_rebuild_are_not_lost(app, client, world, monkeypatch):
    original = sync._documents

    def documents_with_a_concurrent_save(connection):
        for number, document in enumerate(original(connection)):
            if number == 10:  # another worker commits while the new version is being written
                product = db.session.get(Product, world["hong-xiem"])
                product.name = "Hồng xiêm Xuân Đỉnh chín cây"
                db.session.commit()
            yield document

    monkeypatch.setattr(sync, "_documents", documents_with_a_concurrent_save)
    with app.app_context():
        sync.rebuild()
    assert names(client, "hong xiem chin cay") == ["Hồng xiêm Xuân Đỉnh chín cây"]


def search_cli(runner, *args):
    return runner.invoke(args=["search", *args, "--lang", "en"])


def test_cli_rebuild_and_status(app, runner, world):
    result = search_cli(runner, "status")
    assert result.exit_code == 0 and "Index: ok" in result.output and "Indexed products: 46" in result.output
    assert "Changes not applied: 0" in result.output
    assert "Content: every product matches the database" in result.output
    result = search_cli(runner, "rebuild")
    assert result.exit_code == 0 and "Indexed 46 public products" in result.output
    result = search_cli(runner, "rebuild", "--if-needed")
    assert result.exit_code == 0 and "up to date" in result.output
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    result = search_cli(runner, "status")
    assert "NOT USABLE (missing)" in result.output and "Changes not applied: -" in result.output
    result = search_cli(runner, "rebuild", "--if-needed")
    assert result.exit_code == 0 and "missing" in result.output and "Indexed 46" in result.output


def test_cli_status_speaks_vietnamese_by_default(app, runner, world):
    result = runner.invoke(args=["search", "status"])
    assert result.exit_code == 0 and "Chỉ mục: tốt" in result.output, result.output


def test_cli_rebuild_if_needed_applies_the_change_log_without_rebuilding(app, runner, world):
    with app.app_context():
        version = sync.store().current_path()
        db.session.get(Product, world["na-chi-lang"]).status = "hidden"
        app.config["SEARCH_SYNC"] = False
        db.session.commit()
        app.config["SEARCH_SYNC"] = True
    result = search_cli(runner, "status")
    assert "Changes not applied: 1" in result.output and "1 not public any more" in result.output
    result = search_cli(runner, "rebuild", "--if-needed")
    assert result.exit_code == 0 and "up to date (45 products)" in result.output
    with app.app_context():
        assert sync.store().current_path() == version  # caught up, not rebuilt
    assert health(app).doc_count == 45


def test_cli_refuses_a_second_rebuild(app, runner, world):
    with app.app_context():
        lock = sync.store().build_lock()  # another process is building
    assert lock.__enter__() is True
    try:
        result = search_cli(runner, "rebuild")
        assert result.exit_code != 0 and "Another process" in result.output
        assert "Rebuild running: yes" in search_cli(runner, "status").output
    finally:
        lock.__exit__(None, None, None)
    assert search_cli(runner, "rebuild").exit_code == 0  # a build that died frees the lock with its process
