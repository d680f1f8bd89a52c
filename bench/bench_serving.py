"""Anonymous pages under load, against gunicorn, compared with /healthz in the same run (issue 14).

    .venv/bin/python bench/bench_serving.py                    # 6,500 products, 10 s per page
    .venv/bin/python bench/bench_serving.py --duration 30 --gzip
    .venv/bin/python bench/bench_serving.py --no-page-cache     # the same without the page cache

Builds an SQLite site with ~6,500 products (bench/gen_products.py) in a temporary folder, starts
`gunicorn -w 2` with deploy/gunicorn.conf.py, and runs `wrk` (Debian: `apt-get install wrk`; one
thread, 50 connections) for /healthz, the catalogue (/san-pham), a product page, a producer page,
a search page and /robots.txt (a peer with no database work), one after the other, for several
rounds. Prints the median req/s, p50 and p99 latency over the rounds, non-2xx answers, and each
page's throughput as a share of /healthz's in the same round (median over rounds): on a shared
machine the load of others changes from one 5-second window to the next.

Goal (issue 14): every anonymous page at ≥ 50% of /healthz's throughput, p99 ≤ 100 ms.

wrk keeps no cookies, so every request is a first visit from one address: the search limits
are raised for the run (they would rightly refuse one address asking 1,000 times a second; see
docs/SECURITY.md), and every page gets a new session cookie, as a first visit does.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import statistics
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gen_products import bulk_insert  # noqa: E402

SECRET = "bench-serving-secret-key-0123456789abcdef"
GOAL_SHARE = 0.5
GOAL_P99_MS = 100.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def settings(folder: Path, page_cache: bool) -> dict:
    return {
        "FLASK_SECRET_KEY": SECRET,
        "FLASK_SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(folder / "site.sqlite3"),
        "FLASK_UPLOAD_DIR": str(folder / "uploads"),
        "FLASK_SEARCH_INDEX_DIR": str(folder / "search-index"),
        "FLASK_JOBS_QUEUE_PATH": str(folder / "jobs.sqlite3"),
        "FLASK_PUBLIC_BASE_URL": "http://127.0.0.1",
        "FLASK_PAGE_CACHE": "true" if page_cache else "false",
        "FLASK_SEARCH_RATE_LIMIT": "1000000 per minute",
        "FLASK_SEARCH_ADDRESS_RATE_LIMIT": "1000000 per minute",
    }


def build_site(folder: Path, products: int) -> dict:
    """The database, its rows and a search index; returns the paths to load."""
    env = settings(folder, True)
    os.environ.update(env)
    from app import create_app
    from catalog.models import Product
    from extensions import db
    from producers.models import Producer
    from search import sync

    app = create_app()
    with app.app_context():
        db.create_all()
        counts = bulk_insert(db.engine, products=products, seed=14)
        sync.rebuild()
        product_id = db.session.scalar(Product.public().order_by(Product.id).limit(1).with_only_columns(Product.id))
        producer_id = db.session.scalar(Producer.public().order_by(Producer.id).limit(1)
                                        .with_only_columns(Producer.id))
        db.session.remove()
        db.engine.dispose()
    client = app.test_client()
    product_path = client.get(f"/san-pham/{product_id}").headers["Location"]
    producer_path = _producer_path(app, producer_id)
    return {"counts": counts, "paths": {
        "/healthz": "/healthz",
        "catalogue /san-pham": "/san-pham",
        "product page": product_path,
        "producer page": producer_path,
        "search /tim-kiem?q=mật ong": "/tim-kiem?q=m%E1%BA%ADt+ong",
        # A peer without any database work, to show what /healthz's own checks cost.
        "/robots.txt (no database)": "/robots.txt",
    }}


def _producer_path(app, producer_id) -> str:
    from catalog.urls import producer_path
    from extensions import db
    from producers.models import Producer

    with app.test_request_context("/"):
        path = producer_path(db.session.get(Producer, producer_id))
        db.session.remove()
        return path


def start_gunicorn(folder: Path, port: int, page_cache: bool, workers: int):
    env = {**os.environ, **settings(folder, page_cache), "WEB_CONCURRENCY": str(workers),
           "GUNICORN_BIND": f"127.0.0.1:{port}"}
    log = open(folder / "gunicorn.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                                "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("gunicorn did not start: " + (folder / "gunicorn.log").read_text()[-2000:])


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def run_wrk(url: str, duration: int, connections: int, gzip: bool) -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if gzip:
        command += ["-H", "Accept-Encoding: gzip"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {"rate": rate, "p50": p50, "p99": p99, "non2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(1) if errors else ""}


def warm(url: str, times: int = 20) -> None:
    for _ in range(times):
        with urllib.request.urlopen(url, timeout=30) as answer:
            answer.read()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=6500)
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per page and round")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of every page; each page is compared with /healthz of its round")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gzip", action="store_true", help="ask for gzip as browsers do")
    parser.add_argument("--no-page-cache", action="store_true", help="serve every page from the templates")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    page_cache = not args.no_page_cache
    folder = Path(tempfile.mkdtemp(prefix="bench-serving-"))
    try:
        started = time.monotonic()
        site = build_site(folder, args.products)
        print(f"# bench_serving {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
              f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"# {site['counts']['products']} products ({site['counts']['producers']} producers) in SQLite, "
              f"built in {time.monotonic() - started:.0f} s; gunicorn -w {args.workers} (sync), wrk -t1 "
              f"-c{args.connections} -d{args.duration}s{' gzip' if args.gzip else ''}, page cache "
              f"{'on' if page_cache else 'off'}, {args.rounds} rounds")
        port = free_port()
        server = start_gunicorn(folder, port, page_cache, args.workers)
        try:
            base = f"http://127.0.0.1:{port}"
            rounds = []
            for path in site["paths"].values():
                warm(base + path)
            for _ in range(args.rounds):
                rounds.append({label: run_wrk(base + path, args.duration, args.connections, args.gzip)
                               for label, path in site["paths"].items()})
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        print(f"{'page (median of rounds)':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} "
              f"{'of /healthz':>12}")
        slow_share, slow_p99, failed = [], [], []
        for label in site["paths"]:
            runs = [one[label] for one in rounds]
            share = statistics.median(one[label]["rate"] / max(one["/healthz"]["rate"], 0.1) for one in rounds)
            rate, p50, p99 = (statistics.median(run[key] for run in runs) for key in ("rate", "p50", "p99"))
            non2xx = sum(run["non2xx"] for run in runs)
            errors = "; ".join(run["socket_errors"] for run in runs if run["socket_errors"])
            print(f"{label:34} {rate:8.0f} {p50:8.1f} {p99:8.1f} {non2xx:8d} {share:11.0%}"
                  + (f"  {errors}" if errors else ""))
            if label.startswith(("catalogue", "product", "producer", "search")):
                if share < GOAL_SHARE:
                    slow_share.append(label)
                if p99 > GOAL_P99_MS:
                    slow_p99.append(label)
            if non2xx:
                failed.append(label)
        log = (folder / "gunicorn.log").read_text(errors="replace")
        print(f"# gunicorn: {log.count('Booting worker')} worker boots, {log.count('WORKER TIMEOUT')} timeouts")
        for goal, missed in ((f"every page ≥ {GOAL_SHARE:.0%} of /healthz", slow_share),
                             (f"every page p99 ≤ {GOAL_P99_MS:.0f} ms", slow_p99), ("no non-2xx answer", failed)):
            print(f"goal {goal}: {'met' if not missed else 'NOT met for ' + ', '.join(missed)}")
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
