"""Helpers for backup tests: a little demo data, an empty second site, and whole-site contents."""
import os
from pathlib import Path

import sqlalchemy as sa

from extensions import db
from tests.integration import fresh_site


def load_short_demo(runner, monkeypatch):
    """`flask demo load` with three products (two photos each): users, producers, certificates,
    payment accounts, audit events, products and photos."""
    from core import cli

    short = [[cli.DEMO_PRODUCTS[0][0], cli.DEMO_PRODUCTS[0][2]], [cli.DEMO_PRODUCTS[1][0]], [], []]
    monkeypatch.setattr(cli, "DEMO_PRODUCTS", short)
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output


def empty_site(folder: Path, pg_schema=None):
    """A fresh app with its own instance folder and an empty database (no tables at all)."""
    return fresh_site.empty_site(folder, create_tables=False, BACKUP_DIR=str(folder / "backups"))


def table_rows(app) -> dict:
    """Every row of every table, in primary-key order."""
    with app.app_context(), db.engine.connect() as conn:
        return {table.name: conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
                for table in db.metadata.sorted_tables}


def upload_files(app) -> dict:
    """Every uploaded file's bytes by relative path."""
    root = Path(app.config["UPLOAD_DIR"])
    files = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files
