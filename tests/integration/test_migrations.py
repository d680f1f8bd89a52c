"""`flask db upgrade` builds exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from app import create_app
from extensions import db


def test_migrations_match_models(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "migrated.sqlite3"),
                      "UPLOAD_DIR": str(tmp_path / "u"), "SEARCH_INDEX_DIR": str(tmp_path / "s")})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
            triggers = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_events'").scalars().all()
        db.engine.dispose()
    assert diff == []
    assert set(triggers) == {"audit_events_no_update", "audit_events_no_delete"}
