"""A second, empty Chợ Quê site for round-trip tests: its own upload folder and its own database
(another SQLite file, or another PostgreSQL schema when the suite runs on PostgreSQL)."""
from __future__ import annotations

import uuid
from contextlib import contextmanager

import sqlalchemy as sa

from extensions import db
from tests.conftest import PG_URI, close_app, make_test_config


@contextmanager
def empty_site(folder, create_tables=True, **config):
    """Yield a new app with an empty catalogue (`create_tables=False`: not even its tables, as a
    restore finds it); everything it made is dropped afterwards. `config` adds settings."""
    from app import create_app

    folder.mkdir(parents=True, exist_ok=True)
    schema = f"fresh_{uuid.uuid4().hex[:10]}" if PG_URI.startswith("postgresql") else None
    engine = sa.create_engine(PG_URI) if schema else None
    if schema:
        with engine.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    site = create_app(make_test_config(folder, schema, **config))
    try:
        if create_tables:
            with site.app_context():
                db.create_all()
        yield site
    finally:
        close_app(site)
        if schema:
            with engine.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            engine.dispose()
