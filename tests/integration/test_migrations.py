"""`flask db upgrade` builds exactly the schema the models describe, on SQLite
and (when the suite runs there) on PostgreSQL, audit-log triggers included."""
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from app import create_app
from extensions import db
from tests.conftest import make_test_config


def _upgraded_diff(app):
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
            if db.engine.dialect.name == "sqlite":
                triggers = conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_events'").scalars().all()
            else:
                triggers = conn.exec_driver_sql(
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass "
                    "AND NOT tgisinternal").scalars().all()
        db.engine.dispose()
    return diff, set(triggers)


def test_migrations_match_models_on_sqlite(tmp_path):
    app = create_app(make_test_config(tmp_path, None))
    diff, triggers = _upgraded_diff(app)
    assert diff == []
    assert triggers == {"audit_events_no_update", "audit_events_no_delete", "audit_events_no_overwrite"}


def test_migrations_match_models_on_postgresql(tmp_path, pg_schema):
    if not pg_schema:
        return  # this run is on SQLite; the PostgreSQL run of the suite checks it
    schema = pg_schema + "_mig"
    config = make_test_config(tmp_path, pg_schema)
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
    engine = sa.create_engine(config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        diff, triggers = _upgraded_diff(create_app(config))
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
    assert diff == []
    assert triggers == {"audit_events_no_change", "audit_events_no_overwrite"}
