"""The change log in the database (search.changes) and the index following it: every
way of writing (ORM, bulk statements, raw SQL) is logged in its own transaction, late
commits are not lost, old rows are pruned, and the catalogue change sequence grows."""
import os
import threading

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from catalog.models import Product, ProductStatus
from extensions import db
from search import changes, sync
from search.engine import POSITION
from tests.conftest import make_test_config
from tests.factories import add_world, names, rebuild


@pytest.fixture
def app_config():
    return {"SEARCH_REBUILD_IN_BACKGROUND": False}


@pytest.fixture
def world(app):
    ids = add_world(app)
    rebuild(app)
    return ids


def logged_since(app, seq):
    with app.app_context(), db.engine.connect() as connection:
        return [product_id for _, product_id in changes.changes_since(connection, changes.LogPosition(seq))]


def latest(app):
    with app.app_context():
        return changes.current_sequence()


def test_every_way_of_writing_is_logged_in_the_same_transaction(app, world):
    product_id = world["mat-ong-bac-ha"]
    with app.app_context():
        producer_id = db.session.get(Product, product_id).producer_id
        certificate_id = db.session.execute(sa.text(
            "INSERT INTO certificates (producer_id, decision_no, issuing_body, decision_date, stars, "
            "potential_5_star, product_set_code, legal_basis, created_at) VALUES (:p, '1/QĐ', 'UBND', "
            "'2024-01-02', 4, false, 7, '148/QĐ-TTg', CURRENT_TIMESTAMP) RETURNING id"), {"p": producer_id}).scalar()
        db.session.commit()
    start = latest(app)
    with app.app_context(), db.engine.begin() as connection:  # plain SQL, no ORM
        connection.execute(sa.text("UPDATE products SET certificate_id = :c WHERE id = :i"),
                           {"c": certificate_id, "i": product_id})
    assert logged_since(app, start) == [product_id]
    start = latest(app)
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("UPDATE certificates SET stars = 5 WHERE id = :c"), {"c": certificate_id})
        connection.execute(sa.text("UPDATE producers SET legal_name = 'HTX Ong Mèo Vạc' WHERE id = :p"),
                           {"p": producer_id})
        connection.execute(sa.text("INSERT INTO product_photos (product_id, image_key, position, created_at) "
                                   "VALUES (:i, :k, 0, CURRENT_TIMESTAMP)"), {"i": product_id, "k": "b" * 32})
    assert logged_since(app, start) == [product_id] * 3
    start = latest(app)
    with app.app_context(), db.engine.connect() as connection:  # rolled back: neither change nor log row
        with connection.begin() as transaction:
            connection.execute(sa.text("UPDATE products SET name = 'X' WHERE id = :i"), {"i": product_id})
            transaction.rollback()
    assert logged_since(app, start) == [] and latest(app) == start
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM producers WHERE id = :p"), {"p": producer_id})
    assert set(logged_since(app, start)) == {product_id}


def test_raw_sql_and_bulk_statements_reach_search(app, client, world):
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("UPDATE products SET name = 'Nem chua lá ổi Thanh Hóa' WHERE id = :i"),
                           {"i": world["nem-chua"]})
    assert names(client, "nem chua la oi") == ["Nem chua lá ổi Thanh Hóa"]
    with app.app_context():
        db.session.execute(sa.update(Product).where(Product.id == world["vai-thieu"])
                           .values(status=ProductStatus.HIDDEN))
        db.session.commit()
        assert sync.lag().behind == 0  # applied right after the commit, before any search
        assert str(world["vai-thieu"]) not in sync.store().digests()
    assert names(client, "vai thieu") == []


def test_a_change_that_commits_late_is_not_lost(app, client, world):
    """On PostgreSQL a transaction that took a lower number can commit after one that took
    a higher number; the reader remembers the missing number and applies it when it shows."""
    late, early = world["hong-xiem"], world["hat-dieu"]
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("UPDATE products SET name = 'Hồng xiêm chín muộn' WHERE id = :i"), {"i": late})
        late_seq = changes.current_sequence(connection)
        connection.execute(sa.text("DELETE FROM search_changes WHERE seq = :s"), {"s": late_seq})  # not visible yet
        connection.execute(sa.text("UPDATE products SET name = 'Hạt điều rang sớm' WHERE id = :i"), {"i": early})
    assert names(client, "hat dieu rang som") == ["Hạt điều rang sớm"]
    assert names(client, "hong xiem chin muon") == []
    with app.app_context():
        assert list(sync.position().gaps) == [late_seq]
        with db.engine.begin() as connection:  # the late transaction commits
            connection.execute(sa.text("INSERT INTO search_changes (seq, product_id) VALUES (:s, :i)"),
                               {"s": late_seq, "i": late})
    assert names(client, "hong xiem chin muon") == ["Hồng xiêm chín muộn"]
    with app.app_context():
        assert sync.position().gaps == {} and sync.compare()


def test_real_concurrent_transactions_commit_out_of_order_on_postgresql(app, client, world):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return  # SQLite has one writer at a time: numbers commit in order (the test above simulates it)
        slow = db.engine.connect()
        try:
            transaction = slow.begin()
            slow.execute(sa.text("UPDATE products SET name = 'Na Chi Lăng chín muộn' WHERE id = :i"),
                         {"i": world["na-chi-lang"]})
            with db.engine.begin() as quick:
                quick.execute(sa.text("UPDATE products SET name = 'Mộc nhĩ rừng sớm' WHERE id = :i"),
                              {"i": world["moc-nhi"]})
            assert names(client, "moc nhi rung som") == ["Mộc nhĩ rừng sớm"]
            assert len(sync.position().gaps) == 1
            transaction.commit()
        finally:
            slow.close()
    assert names(client, "na chi lang chin muon") == ["Na Chi Lăng chín muộn"]
    with app.app_context():
        assert sync.compare()


def test_rebuild_records_the_position_it_started_from(app, world):
    with app.app_context():
        assert sync.position().seq == changes.current_sequence() > 0
        os.unlink(os.path.join(sync.store().current_path(), POSITION))  # an index from before the log
        assert sync.needs_rebuild().code == sync.NO_POSITION
        sync.rebuild()
        assert sync.position().seq == changes.current_sequence() and sync.needs_rebuild() is None


def test_pruning_keeps_the_newest_row_and_an_index_left_behind_is_rebuilt(app, runner, world):
    app.config["SEARCH_SYNC"] = False  # this index applies nothing meanwhile
    with app.app_context():
        for key in ("ca-chach", "banh-da-nem", "thanh-long"):
            db.session.get(Product, world[key]).price_vnd = 1
        db.session.commit()
        newest = changes.current_sequence()
        db.session.execute(sa.text("UPDATE search_changes SET created_at = '2000-01-01 00:00:00'"))
        db.session.commit()
    result = runner.invoke(args=["search", "prune", "--days", "30", "--lang", "en"])
    assert result.exit_code == 0 and f"Deleted {newest - 1} old rows" in result.output
    with app.app_context():
        assert changes.current_sequence() == newest  # numbers keep growing after a prune
        assert sync.needs_rebuild().code == sync.PRUNED
    result = runner.invoke(args=["search", "rebuild", "--if-needed", "--lang", "en"])
    assert result.exit_code == 0 and "pruned" in result.output and "Indexed 46" in result.output
    with app.app_context():
        assert sync.compare() and sync.position().seq == newest


def test_the_catalogue_change_sequence_grows_with_every_visible_change(app, world):
    """Caches of catalogue pages key on it: a price is not in the index, but it is on the page."""
    before = latest(app)
    with app.app_context():
        db.session.get(Product, world["vai-thieu"]).price_vnd = 99_000
        db.session.commit()
    assert latest(app) > before


def test_searches_from_many_threads_share_one_catch_up(app, client, world):
    app.config["SEARCH_SYNC"] = False
    with app.app_context():
        for number, key in enumerate(("dua-say-deo", "ca-chach", "banh-da-nem")):
            db.session.get(Product, world[key]).description = f"Mẻ thứ {number}"
        db.session.commit()
    errors = []

    def search():
        try:
            with app.app_context():
                sync.catch_up(wait=True)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=search) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        assert errors == [] and sync.lag().behind == 0 and sync.compare()


def _migrated_app(tmp_path, pg_schema):
    if not pg_schema:
        return create_app(make_test_config(tmp_path / "migrated", None)), None
    schema = pg_schema + "_log"
    config = make_test_config(tmp_path, pg_schema)
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
    return create_app(config), schema


def test_the_migration_creates_the_log_triggers(tmp_path, pg_schema):
    (tmp_path / "migrated").mkdir()
    migrated, schema = _migrated_app(tmp_path, pg_schema)
    engine = sa.create_engine(migrated.config["SQLALCHEMY_DATABASE_URI"])
    if schema:
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        with migrated.app_context():
            upgrade()
            with db.engine.begin() as connection:
                producer_id = connection.execute(sa.text(
                    "INSERT INTO producers (kind, legal_name, slug, status, wizard_step, source, created_at, "
                    "updated_at) VALUES ('cooperative', 'HTX A', 'htx-a', 'verified', 5, 'wizard', "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id")).scalar()
                product_id = connection.execute(sa.text(
                    "INSERT INTO products (producer_id, ref, name, slug, product_set_code, description, unit, "
                    "availability, season_months, harvest_season, status, created_at, updated_at) VALUES "
                    "(:p, 'A1', 'Chè', 'che', 7, '', '', 'in_stock', '', '', 'published', CURRENT_TIMESTAMP, "
                    "CURRENT_TIMESTAMP) RETURNING id"), {"p": producer_id}).scalar()
                connection.execute(sa.text("UPDATE producers SET status = 'suspended' WHERE id = :p"),
                                   {"p": producer_id})
                logged = connection.execute(sa.text("SELECT product_id FROM search_changes ORDER BY seq")).scalars()
                assert list(logged) == [product_id, product_id]
            db.engine.dispose()
    finally:
        if schema:
            with engine.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def test_a_rebuild_waits_for_numbers_not_visible_yet_but_not_for_pruned_ones(app, world):
    with app.app_context(), db.engine.begin() as connection:
        newest = changes.current_sequence(connection)
        connection.execute(sa.text("DELETE FROM search_changes WHERE seq < 5 OR seq = :s"), {"s": newest - 1})
        assert changes.position_for_rebuild(connection, now=1.0) == changes.LogPosition(newest, {newest - 1: 1.0})
