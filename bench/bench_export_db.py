"""Export speed and memory from the database: 100,000 products in SQLite (bench/gen_products.py's
bulk insert), every format through catalog.listings + the exporters, as `flask catalog export`
and the download page run them.

    .venv/bin/python bench/bench_export_db.py [--products 100000] [--keep DIR] [--formats csv,json]

The database is built once (or reused from --keep); each format then runs in its own child
process, so that the peak resident memory (ru_maxrss of that child) belongs to that export
alone, app start-up included. Also timed: the rows alone (Listings built, no file written), and
the public feed /feeds/google.xml written into its cache by a request and then served from it.
Targets: at most 15 s and 200 MB per format for 100,000 products. Printed: wall and CPU seconds
of the export itself, CPU seconds of the whole process (app start-up included: "+start"), and
the process's peak memory, start-up included. The target is judged on the whole process's CPU
time and memory: on a shared machine wall time mostly measures the neighbours.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 15
TARGET_MB = 200
ROWS_ONLY = "rows-only"
STARTUP = "app-start-only"
FEED = "feed:/feeds/google.xml"


def make_app(folder: Path):
    from app import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'export.sqlite3'}",
        "SECRET_KEY": "bench-secret-key-long-enough-for-flask",
        "UPLOAD_DIR": str(folder / "uploads"), "SEARCH_INDEX_DIR": str(folder / "search-index"),
        "PUBLIC_BASE_URL": "https://choque.example",
    })


def build(folder: Path, products: int) -> dict:
    from bench.gen_products import bulk_insert
    from extensions import db

    app = make_app(folder)
    with app.app_context():
        db.create_all()
        if db.session.scalar(db.text("SELECT COUNT(*) FROM products")):
            return {"reused": True}
        started = time.perf_counter()
        counts = bulk_insert(db.engine, products=products, seed=1)
        counts["seconds"] = round(time.perf_counter() - started, 1)
        return counts


def run_one(folder: Path, format_name: str) -> dict:
    """One export in this process (a child), measured from after the app has started (the
    start-up, about 2 s CPU of imports, is printed on its own line)."""
    app = make_app(folder)
    started, cpu_started = time.perf_counter(), time.process_time()
    with app.app_context():
        from catalog.exporters import EXPORTERS
        from catalog.listings import ExportScope, iter_listings, run_export

        with tempfile.TemporaryDirectory() as out_dir:
            target = Path(out_dir) / "export.out"
            if format_name == STARTUP:
                exported, left_out, size = 0, 0, 0
            elif format_name == ROWS_ONLY:
                skipped: list = []
                exported, left_out, size = sum(1 for _ in iter_listings(ExportScope(), skipped)), len(skipped), 0
            elif format_name == FEED:
                from catalog.feeds import feed_dir

                shutil.rmtree(feed_dir())  # a cold cache: the first request writes the feed
                client = app.test_client()
                response = client.get("/feeds/google.xml")
                size = sum(len(chunk) for chunk in response.response)  # streamed, as a server sends it
                response.close()
                first = time.perf_counter() - started
                again = time.perf_counter()
                client.get("/feeds/google.xml", headers={"Accept-Encoding": "gzip"}).close()
                exported, left_out = response.status_code, round(time.perf_counter() - again, 3)
                return _measure(format_name, started, cpu_started, exported, left_out, size,
                                extra={"first_request_s": round(first, 2)})
            else:
                options = {}
                if format_name == "google-xml":
                    from catalog.feeds import channel_options

                    with app.test_request_context():
                        options = channel_options(format_name)
                with target.open("wb") as out:
                    report = run_export(EXPORTERS[format_name], ExportScope(), out, **options)
                exported, left_out, size = report.exported, len(report.skipped), target.stat().st_size
    return _measure(format_name, started, cpu_started, exported, left_out, size)


def _measure(format_name, started, cpu_started, exported, left_out, size, extra=None) -> dict:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result = {
        "format": format_name, "exported": exported, "left_out": left_out,
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu_started, 2),
        "process_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "bytes": size, "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }
    result.update(extra or {})
    return result


def main() -> None:
    from catalog.exporters import EXPORTERS

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the database in this folder")
    parser.add_argument("--formats", help="comma-separated subset (default: all, rows-only and the feed)")
    parser.add_argument("--child", nargs=2, metavar=("FOLDER", "FORMAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(Path(args.child[0]), args.child[1])))
        return
    formats = args.formats.split(",") if args.formats else [STARTUP, ROWS_ONLY, *EXPORTERS, FEED]
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"database: {json.dumps(build(folder, args.products))}", flush=True)
        print(f"{'format':<24}{'exported':>9}{'left out':>9}{'wall s':>8}{'cpu s':>7}{'+start':>7}"
              f"{'peak MB':>9}{'MB out':>8}")
        failures = []
        for name in formats:
            child = subprocess.run([sys.executable, __file__, "--child", str(folder), name],
                                   capture_output=True, text=True, check=True)
            row = json.loads(child.stdout.strip().splitlines()[-1])
            print(f"{row['format']:<24}{row['exported']:>9}{row['left_out']:>9}{row['seconds']:>8}"
                  f"{row['cpu_seconds']:>7}{row['process_cpu_seconds']:>7}{row['peak_rss_mb']:>9}"
                  f"{row['bytes'] / 1e6:>8.1f}"
                  + (f"   first request {row['first_request_s']} s, cached gzip {row['left_out']} s"
                     if name == FEED else ""), flush=True)
            if row["process_cpu_seconds"] > TARGET_SECONDS or row["peak_rss_mb"] > TARGET_MB:
                failures.append(name)
        verdict = "all within" if not failures else f"over target: {', '.join(failures)}"
        print(f"targets: ≤ {TARGET_SECONDS} s CPU and ≤ {TARGET_MB} MB per format: {verdict}")


if __name__ == "__main__":
    main()
