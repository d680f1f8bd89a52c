"""A whole site for the load and fault benches: built from the demo data plus generated
products, served by gunicorn exactly as in production, and watched through /proc.

    site = build_site(folder, products=20_000, database=None)     # SQLite in `folder`
    site = build_site(folder, products=20_000, database="postgresql+psycopg://…/h14load")
    with Gunicorn(site, workers=2) as server:                     # a free port on 127.0.0.1
        server.base_url, server.worker_pids(), server.rss_mb()

Everything goes through the site's own commands (`flask db upgrade`, `demo load`,
`search rebuild`) and URLs, so the benches do not depend on how packages are laid out inside;
only the bulk insert (bench/gen_products.py) writes rows directly, for speed.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable
DEMO_PASSWORD = "choque-demo-2025"  # README, "Demo log-ins"
DEMO_PRODUCER_PHONES = ("0911000001", "0911000002", "0911000003", "0911000004")
PAGE_SIZE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Site:
    folder: Path
    database: str
    env: dict = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.database.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path:
        return Path(self.database.removeprefix("sqlite:///"))

    def flask(self, *args, check=True, timeout=900) -> subprocess.CompletedProcess:
        """`flask --app app …` with this site's settings."""
        done = subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
        return done


def site_env(folder: Path, database: str, extra: dict | None = None) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FLASK_")}
    env.update({
        "FLASK_SQLALCHEMY_DATABASE_URI": database,
        "FLASK_UPLOAD_DIR": str(folder / "uploads"),
        "FLASK_SEARCH_INDEX_DIR": str(folder / "search-index"),
        "FLASK_JOBS_QUEUE_PATH": str(folder / "jobs-queue.sqlite3"),
        "FLASK_BACKUP_DIR": str(folder / "backups"),
        "FLASK_SECRET_KEY": "bench-load-secret-key-0123456789abcdef",
        "FLASK_PUBLIC_BASE_URL": "http://127.0.0.1",
        # As behind nginx: the generator sends X-Forwarded-For, so each simulated buyer has
        # its own address, as buyers on the internet do (rate limits are per address).
        "FLASK_PROXY_FIX_HOPS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.update(extra or {})
    return env


def build_site(folder: Path, products: int, database: str | None = None, producers: int | None = None,
               seed: int = 1) -> Site:
    """Schema by migration, the demo accounts, `products` generated products, the search index."""
    folder.mkdir(parents=True, exist_ok=True)
    database = database or "sqlite:///" + str(folder / "site.sqlite3")
    site = Site(folder, database, site_env(folder, database))
    site.flask("db", "upgrade")
    site.flask("demo", "load")
    if products:
        _bulk_insert(site, products, producers or max(1, products // 10), seed)
    site.flask("search", "rebuild", "--lang", "en")
    return site


def _bulk_insert(site: Site, products: int, producers: int, seed: int) -> None:
    code = ("import sys; from sqlalchemy import create_engine; from bench.gen_products import bulk_insert\n"
            "engine = create_engine(sys.argv[1]); print(bulk_insert(engine, int(sys.argv[2]), seed=int(sys.argv[3]), "
            "producers=int(sys.argv[4]))); engine.dispose()")
    done = subprocess.run([PYTHON, "-c", code, site.database, str(products), str(seed), str(producers)], cwd=ROOT,
                          env=site.env, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError("bulk insert failed:\n" + done.stderr[-3000:])


def demo_producers(database: str) -> list[dict]:
    """The demo producers' log-ins with their producer id and product ids."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database)
    found = []
    with engine.connect() as connection:
        for phone in DEMO_PRODUCER_PHONES:
            producer_id = connection.execute(text(
                "SELECT r.id FROM producers r JOIN users u ON u.id = r.owner_id WHERE u.phone = :phone"),
                {"phone": "+84" + phone[1:]}).scalar()
            product_ids = [row[0] for row in connection.execute(text(
                "SELECT id FROM products WHERE producer_id = :id ORDER BY id"), {"id": producer_id})]
            if producer_id and product_ids:
                found.append({"phone": phone, "producer_id": producer_id, "product_ids": product_ids})
    engine.dispose()
    return found


def drop_create_pg_database(name: str, host="127.0.0.1", user="postgres") -> str:
    """A fresh database of our own on the shared PostgreSQL (other helpers use theirs)."""
    subprocess.run(["dropdb", "-h", host, "-U", user, "--if-exists", "--force", name], check=True,
                   capture_output=True, timeout=60)
    subprocess.run(["createdb", "-h", host, "-U", user, name], check=True, capture_output=True, timeout=60)
    return f"postgresql+psycopg://{user}@{host}:5432/{name}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Gunicorn:
    """`gunicorn -w N wsgi:app` on a free loopback port, with the site's settings."""

    def __init__(self, site: Site, workers: int = 2, extra_args=(), env: dict | None = None):
        self.site = site
        self.workers = workers
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = site.folder / f"gunicorn-{self.port}.log"
        self.extra_args = list(extra_args)
        self.env = dict(site.env, **(env or {}))
        self.process: subprocess.Popen | None = None

    def start(self, wait: float = 60.0) -> Gunicorn:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}",
             "--error-logfile", "-", *self.extra_args, "wsgi:app"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + self.log_text()[-3000:])
            try:
                if http_get(self.base_url + "/healthz", timeout=2)[0] == 200 and \
                        len(self.worker_pids()) == self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz:\n" + self.log_text()[-3000:])

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        return children(self.process.pid)

    def rss_mb(self) -> float:
        """Resident memory of all workers together (the master only forks and watches)."""
        return sum(rss_kb(pid) for pid in self.worker_pids()) / 1024

    def max_worker_rss_mb(self) -> float:
        return max((rss_kb(pid) for pid in self.worker_pids()), default=0) / 1024

    def cpu_seconds(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.worker_pids())

    def open_fds(self) -> int:
        total = 0
        for pid in self.worker_pids():
            try:
                total += len(os.listdir(f"/proc/{pid}/fd"))
            except OSError:
                pass
        return total


def children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found += [int(child) for child in fh.read().split()]
    except OSError:
        pass
    return sorted(found)


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE_SIZE_KB
    except (OSError, IndexError, ValueError):
        return 0


def cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0.0


def machine() -> dict:
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    with open("/proc/meminfo") as fh:
        total_kb = int(fh.readline().split()[1])
    return {"cpus": os.cpu_count(), "ram_gb": total_kb / 1024 / 1024, "cpu_model": model,
            "load": os.getloadavg()}
