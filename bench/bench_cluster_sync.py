"""What one more app server costs, and what a server that was down has to catch up (docs/SCALING.md).

On PostgreSQL (its own database, made and dropped here): N generated products (default 5,000,
10× a province), then for one server's index:
- a full rebuild (what a new server does before it takes requests);
- catch-up of C changed products (what a server that was down does on its first search);
- the database's and the index's size per product.

    .venv/bin/python bench/bench_cluster_sync.py [--products 5000] [--changes 500]
    (BENCH_PG_ADMIN=postgresql://postgres@127.0.0.1:5432/postgres by default)
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE = "choque_bench_cluster_sync"


def folder_bytes(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def main() -> None:
    import psycopg
    import sqlalchemy as sa

    from app import create_app
    from bench.gen_products import bulk_insert
    from extensions import db
    from search import sync

    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--changes", type=int, default=500)
    args = parser.parse_args()

    with psycopg.connect(ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    uri = ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1) + "/" + DATABASE
    work = Path(tempfile.mkdtemp(prefix="bench-cluster-sync-"))
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "bench-" + "x" * 40,
                          "UPLOAD_DIR": str(work / "uploads"), "SEARCH_INDEX_DIR": str(work / "index"),
                          "SEARCH_REBUILD_IN_BACKGROUND": False})
        with app.app_context():
            db.create_all()  # with the change log's triggers (search.changes hooks after_create)
            started = time.perf_counter()
            counts = bulk_insert(db.engine, products=args.products, seed=14)
            print(f"inserted {counts} in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            indexed = sync.rebuild()
            rebuild_seconds = time.perf_counter() - started
            print(f"full rebuild (a new server): {indexed} public products in {rebuild_seconds:.1f} s "
                  f"({indexed / rebuild_seconds:.0f} products/s)")

            with db.engine.begin() as connection:  # C products change while a server is down
                connection.execute(sa.text(
                    "UPDATE products SET price_vnd = price_vnd + 1000 WHERE id IN "
                    "(SELECT id FROM products ORDER BY id LIMIT :count)"), {"count": args.changes})
            behind = sync.lag().behind
            started = time.perf_counter()
            assert sync.catch_up()
            catch_up_seconds = time.perf_counter() - started
            print(f"catch-up of {behind} logged changes: {catch_up_seconds:.2f} s "
                  f"({behind / catch_up_seconds:.0f} changes/s)")

            sync.catch_up_before_search()  # a process's first search waits for a full catch-up
            started = time.perf_counter()
            sync.catch_up_before_search()
            print(f"check before a search when current (one MAX(seq)): {(time.perf_counter() - started) * 1000:.1f} ms")

            with db.engine.connect() as connection:
                database_bytes = connection.execute(sa.text("SELECT pg_database_size(current_database())")).scalar()
                log_rows = connection.execute(sa.text("SELECT count(*) FROM search_changes")).scalar()
            index_bytes = folder_bytes(work / "index")
            print(f"database {database_bytes / 1e6:.1f} MB ({database_bytes / args.products / 1e3:.1f} kB/product), "
                  f"search_changes {log_rows} rows; index {index_bytes / 1e6:.1f} MB "
                  f"({index_bytes / max(indexed, 1) / 1e3:.1f} kB/product)")
            db.session.remove()
            db.engine.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
        with psycopg.connect(ADMIN, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


if __name__ == "__main__":
    main()
