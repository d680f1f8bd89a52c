"""Load scenarios L1–L6 (docs/SECURITY-REFERENCE.md §8) with Locust against
`gunicorn -w 2 wsgi:app`, on SQLite and, with --pg, on PostgreSQL; prints a table.

    .venv/bin/python bench/bench_load.py                       # SQLite, 30 s per scenario
    .venv/bin/python bench/bench_load.py --pg --duration 20    # SQLite, then PostgreSQL
    .venv/bin/python bench/bench_load.py --only-pg --scenarios L1,L3
    .venv/bin/python bench/bench_load.py --threads 4           # the reference's -w 2 --threads 4

The site: migrations, the demo data (README's log-ins) and --products generated products
(bench/gen_products.py, one producer per ten products), the search index built. One gunicorn
serves every scenario of a run, in this order: the /healthz ceiling, L1 … L6. Per scenario:
requests per second and its ratio to /healthz in the same run, p50/p95/p99 (ms), failures
(a status a person should not get, or no answer), 5xx, 429, the workers' resident memory
together (peak, /proc) and their CPU (100% = one core), and the scenario's own target checks.
"database is locked" is counted in responses and in gunicorn's log.
Locust runs on the same two cores as the server, so /healthz measures the generator as much
as the app: the ratios, not the absolute figures, are what compare across machines.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_site import (  # noqa: E402
    BIN, DEMO_PASSWORD, Gunicorn, build_site, demo_producers, drop_create_pg_database, machine)

OUT = ROOT / "bench" / "out" / "load"
LOCUSTFILE = ROOT / "bench" / "locustfile.py"
PG_DATABASE = "h14load"
QUERIES = ["mật ong", "mat ong", "gạo st25", "gao nep cai hoa vang", "chè shan tuyết", "che shan", "cà phê",
           "ca phe robusta", "nước mắm", "nuoc mam ca com", "bưởi da xanh", "trà hoa vàng", "tra atiso",
           "rượu nếp", "mien dong", "bánh chưng", "giò lụa", "mứt gừng", "tinh dau sa chanh", "nón lá",
           "mat onng", "khăn lụa", "cao atiso", "vải thiều", "tương bần", "hạt điều", "ô mai", "thổ cẩm",
           "chè Tân Cương", "lạp xưởng"]
CATALOGUE_QUERIES = ["", "?page=2", "?page=9", "?sort=price_asc", "?sort=price_desc&page=3", "?sort=stars",
                     "?stars=4", "?stars=5&sort=price_desc", "?set=11", "?set=4&sort=stars", "?group=I",
                     "?availability=seasonal", "?price_min=100000&price_max=200000"]


@dataclass
class Scenario:
    key: str
    title: str
    classes: list
    users: int
    long: bool = False


SCENARIOS = [
    Scenario("ceiling", "/healthz only (ceiling)", ["HealthzOnly"], 50),
    Scenario("L1", "list/detail pages, 50 users", ["Browser"], 50),
    Scenario("L2", "search, 25 users", ["Searcher"], 25),
    Scenario("L3", "50 users: 90% browse, 7% search, 2% edits, 1% 3–8 MB uploads", ["MixedVisitor"], 50),
    Scenario("L4", "5 simultaneous 8 MB uploads", ["BigUploader"], 5),
    Scenario("L5", "/login flood 200 req/s (40 users) + 10 buyers at 2 req/s", ["LoginFlood", "PacedBrowser"], 50),
    Scenario("L6", "half of L3 (25 users), longer", ["MixedVisitor"], 25, long=True),
]


@dataclass
class Result:
    scenario: Scenario
    seconds: float
    rows: dict  # Locust's stats rows by name ("Aggregated" for all)
    statuses: dict
    locked_in_responses: int
    locked_in_log: int
    rss_peak_mb: float
    worker_rss_peak_mb: float
    cpu_percent: float
    start: dict = field(default_factory=dict)
    end: dict = field(default_factory=dict)

    def figure(self, column: str, name: str = "Aggregated") -> float:
        row = self.rows.get(name)
        try:
            return float(row[column]) if row else float("nan")
        except ValueError:
            return float("nan")

    @property
    def rps(self) -> float:
        return self.figure("Requests/s")

    @property
    def requests(self) -> int:
        return int(self.figure("Request Count") or 0)

    @property
    def failures(self) -> int:
        return int(self.figure("Failure Count") or 0)

    def count_status(self, test) -> int:
        return sum(count for key, count in self.statuses.items()
                   if key.rsplit(" ", 1)[-1].isdigit() and test(int(key.rsplit(" ", 1)[-1])))


def make_photos(folder: Path) -> dict:
    """Noisy phone-sized JPEGs: 4 and 6 MB for the mixed load, 8 MB for L4 (noise keeps them large)."""
    import numpy as np
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    made = {}
    for name, (width, height, quality) in {"photo-4mb.jpg": (3000, 2000, 90), "photo-6mb.jpg": (4000, 3000, 80),
                                           "photo-8mb.jpg": (4000, 3000, 90)}.items():
        path = folder / name
        if not path.exists():
            ramp = np.linspace(0, 255, width, dtype=np.float32)[None, :, None] * np.ones((height, 1, 3), np.float32)
            pixels = (ramp * 0.6 + rng.normal(0, 40, (height, width, 3))).clip(0, 255).astype("uint8")
            Image.fromarray(pixels).save(path, "JPEG", quality=quality)
        made[name] = str(path)
    return made


def write_plan(site, folder: Path, photos: dict) -> Path:
    """The URLs, queries, log-ins and files the simulated people use, read from the database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(site.database)
    with engine.connect() as connection:
        products = connection.execute(text(
            "SELECT p.id, p.slug FROM products p JOIN producers r ON r.id = p.producer_id "
            "WHERE p.status = 'published' AND r.status = 'verified' ORDER BY p.id")).all()
        producers = connection.execute(text(
            "SELECT id, slug FROM producers WHERE status = 'verified' ORDER BY id")).all()
        provinces = [row[0] for row in connection.execute(text(
            "SELECT DISTINCT province_code FROM producers ORDER BY province_code LIMIT 12"))]
    engine.dispose()
    logins = demo_producers(site.database)
    step = max(1, len(products) // 3000)
    catalogue = [f"/san-pham{query}" for query in CATALOGUE_QUERIES]
    catalogue += [f"/san-pham?province={code}" for code in provinces]
    plan = {
        "catalogue_urls": catalogue,
        "product_urls": [f"/san-pham/{slug}-{product_id}" for product_id, slug in products[::step]],
        "producer_urls": [f"/nha-san-xuat/{slug}-{producer_id}" for producer_id, slug in producers[::max(1, step // 4)]],
        "queries": [urllib.parse.quote(query) for query in QUERIES],
        "producers": logins,
        "password": DEMO_PASSWORD,
        "mixed_photos": [photos["photo-4mb.jpg"], photos["photo-6mb.jpg"], photos["photo-8mb.jpg"]],
        "big_photos": [photos["photo-8mb.jpg"]],
    }
    path = folder / "plan.json"
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return path


class Sampler(threading.Thread):
    """Samples the workers' memory twice a second while a scenario runs."""

    def __init__(self, server: Gunicorn):
        super().__init__(daemon=True)
        self.server = server
        self.rss_peak = 0.0
        self.worker_peak = 0.0
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            self.rss_peak = max(self.rss_peak, self.server.rss_mb())
            self.worker_peak = max(self.worker_peak, self.server.max_worker_rss_mb())
            self.stopping.wait(0.5)


def snapshot(site, server: Gunicorn) -> dict:
    wal = Path(str(site.sqlite_path) + "-wal") if site.is_sqlite else None
    return {"rss_mb": server.rss_mb(), "fds": server.open_fds(),
            "wal_mb": (wal.stat().st_size / 1024 / 1024 if wal and wal.exists() else 0.0)}


def run_scenario(site, server: Gunicorn, scenario: Scenario, plan: Path, seconds: int, out: Path) -> Result:
    prefix = out / scenario.key
    status_file = out / f"{scenario.key}-statuses.json"
    log_offset = len(server.log_text())
    start = snapshot(site, server)
    sampler = Sampler(server)
    sampler.start()
    cpu_before, wall_before = server.cpu_seconds(), time.monotonic()
    env = dict(os.environ, BENCH_PLAN=str(plan), BENCH_STATUS_FILE=str(status_file), PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(
        [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "-u", str(scenario.users),
         "-r", str(scenario.users), "-t", f"{seconds}s", "--stop-timeout", "10", "--host", server.base_url,
         "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0",
         *scenario.classes],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds + 180)
    cpu_percent = 100 * (server.cpu_seconds() - cpu_before) / max(0.001, time.monotonic() - wall_before)
    sampler.stopping.set()
    sampler.join()
    if done.returncode != 0:
        print(f"   locust exited {done.returncode}: {done.stderr[-1500:]}")
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as fh:
        rows = {row["Name"]: row for row in csv.DictReader(fh)}
    recorded = json.loads(status_file.read_text()) if status_file.exists() else {}
    log = server.log_text()[log_offset:]
    return Result(scenario, seconds, rows, recorded.get("statuses", {}),
                  sum(recorded.get("database_locked", {}).values()), log.count("database is locked"),
                  sampler.rss_peak, sampler.worker_peak, cpu_percent, start, snapshot(site, server))


def checks(result: Result) -> list[str]:
    """docs/SECURITY-REFERENCE.md §8's target for the scenario, each as `what=figure OK|MISS`."""
    key = result.scenario.key

    def check(label, value, good, unit=""):
        return f"{label}={value:.0f}{unit} {'OK' if good else 'MISS'}"

    def p(name, percentile):
        return result.figure(percentile, name)

    five_xx = result.count_status(lambda code: code >= 500)
    error_share = 100 * result.failures / max(1, result.requests)
    locked = result.locked_in_responses + result.locked_in_log
    if key == "L1":
        return [check("req/s", result.rps, result.rps >= 100), check("p95", p("Aggregated", "95%"),
                p("Aggregated", "95%") <= 300, "ms"), check("p99", p("Aggregated", "99%"),
                p("Aggregated", "99%") <= 1000, "ms"), f"5xx={five_xx} {'OK' if five_xx == 0 else 'MISS'}"]
    if key == "L2":
        return [check("req/s", result.rps, result.rps >= 50), check("p95", p("Aggregated", "95%"),
                p("Aggregated", "95%") <= 500, "ms"), f"5xx={five_xx} {'OK' if five_xx == 0 else 'MISS'}"]
    if key in ("L3", "L6"):
        found = [f"errors={error_share:.2f}% {'OK' if error_share < 0.1 else 'MISS'}",
                 f"locked={locked} {'OK' if locked == 0 else 'MISS'}"]
        if key == "L3":
            found.append(check("browse p95", p("browse", "95%"), p("browse", "95%") <= 500, "ms"))
        else:
            growth = 100 * (result.end["rss_mb"] - result.start["rss_mb"]) / max(1, result.start["rss_mb"])
            found += [f"RSS growth={growth:+.1f}% {'OK' if growth < 10 else 'MISS'}",
                      f"WAL={result.end['wal_mb']:.1f}MB {'OK' if result.end['wal_mb'] < 64 else 'MISS'}",
                      f"fds {result.start['fds']}->{result.end['fds']} "
                      f"{'OK' if result.end['fds'] <= result.start['fds'] * 1.25 else 'MISS'}"]
        return found
    if key == "L4":
        return [check("upload p95", p("upload", "95%"), p("upload", "95%") <= 5000, "ms"),
                check("worker RSS peak", result.worker_rss_peak_mb, result.worker_rss_peak_mb <= 300, "MB")]
    if key == "L5":
        flood = sum(count for name, count in result.statuses.items() if name.startswith("login flood "))
        refused = result.statuses.get("login flood 429", 0)
        return [f"429={refused}/{flood} {'OK' if refused > flood / 2 else 'MISS'}",
                check("flood req/s", result.figure("Requests/s", "login flood"), True),
                check("CPU", result.cpu_percent, result.cpu_percent < 80, "%"),
                check("browse p95", p("browse", "95%"), p("browse", "95%") <= 500, "ms")]
    return []


def print_results(label: str, results: list[Result]) -> None:
    ceiling = next((r.rps for r in results if r.scenario.key == "ceiling"), float("nan"))
    print(f"\n{label}")
    print(f"   {'scenario':<9}{'users':>6}{'s':>5}{'req/s':>8}{'÷healthz':>9}{'p50':>7}{'p95':>7}{'p99':>7}"
          f"{'requests':>9}{'fail':>6}{'5xx':>5}{'429':>6}{'RSS MB':>8}{'CPU%':>6}   targets (docs/SECURITY-REFERENCE.md §8)")
    for result in results:
        print(f"   {result.scenario.key:<9}{result.scenario.users:>6}{result.seconds:>5}{result.rps:>8.1f}"
              f"{result.rps / ceiling:>9.3f}{result.figure('50%'):>7.0f}{result.figure('95%'):>7.0f}"
              f"{result.figure('99%'):>7.0f}{result.requests:>9}{result.failures:>6}"
              f"{result.count_status(lambda code: code >= 500):>5}{result.count_status(lambda code: code == 429):>6}"
              f"{result.rss_peak_mb:>8.0f}{result.cpu_percent:>6.0f}   {'; '.join(checks(result))}")
    for result in results:
        named = [name for name in result.rows if name not in ("Aggregated",)]
        if len(named) > 1:
            parts = [f"{name} {float(result.rows[name]['Requests/s']):.1f}/s p50 {result.rows[name]['50%']} "
                     f"p95 {result.rows[name]['95%']} p99 {result.rows[name]['99%']}" for name in named]
            print(f"   {result.scenario.key} by request: " + "; ".join(parts))
    for result in results:
        odd = {key: count for key, count in result.statuses.items()
               if not key.endswith((" 200", " 302", " 303")) and not key.startswith("login flood")}
        if odd:
            print(f"   {result.scenario.key} other answers: {odd}")


def run_backend(label: str, site, args, out: Path) -> list[Result]:
    photos = make_photos(OUT / "photos")
    plan = write_plan(site, site.folder, photos)
    results = []
    wanted = {key.strip() for key in args.scenarios.split(",")} | {"ceiling"}
    threads = ["--threads", str(args.threads), "--worker-class", "gthread"] if args.threads > 1 else []
    with Gunicorn(site, workers=args.workers, extra_args=threads) as server:
        for scenario in SCENARIOS:
            if scenario.key not in wanted:
                continue
            seconds = args.long_duration if scenario.long else args.duration
            print(f"   {label}: {scenario.key} {scenario.title} ({seconds} s) …", flush=True)
            results.append(run_scenario(site, server, scenario, plan, seconds, out))
            time.sleep(2)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=30, help="seconds per scenario")
    parser.add_argument("--long-duration", type=int, default=60, help="seconds for L6 (docs/SECURITY-REFERENCE.md: 30 min)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (gthread); the reference's other set-up is -w 2 --threads 4")
    parser.add_argument("--scenarios", default="L1,L2,L3,L4,L5,L6")
    parser.add_argument("--pg", action="store_true", help="PostgreSQL after SQLite")
    parser.add_argument("--only-pg", action="store_true")
    parser.add_argument("--pg-database", default=PG_DATABASE, help="dropped and created for the run")
    args = parser.parse_args()
    about = machine()
    stamp = datetime.now(timezone.utc)
    print(f"Load bench {stamp:%Y-%m-%d %H:%M} UTC: {about['cpus']} CPUs ({about['cpu_model']}), "
          f"{about['ram_gb']:.1f} GB RAM, load average {about['load'][0]:.2f} {about['load'][1]:.2f} "
          f"{about['load'][2]:.2f}; gunicorn -w {args.workers} "
          f"{f'--threads {args.threads} (gthread)' if args.threads > 1 else '(sync)'}, {args.products:,} generated products + demo")
    backends = ([] if args.only_pg else ["SQLite"]) + (["PostgreSQL"] if args.pg or args.only_pg else [])
    for backend in backends:
        folder = OUT / backend.lower()
        subprocess.run(["rm", "-rf", str(folder)], check=True)
        started = time.monotonic()
        database = drop_create_pg_database(args.pg_database) if backend == "PostgreSQL" else None
        site = build_site(folder, args.products, database)
        print(f"   {backend}: site built in {time.monotonic() - started:.0f} s", flush=True)
        results = run_backend(backend, site, args, folder)
        load = os.getloadavg()
        print_results(f"{backend} — load average after the run {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
                      "ms; RSS = all workers' peak; CPU% = workers (100 = one core)", results)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
