"""A running cluster for tests: deploy/cluster.sh with its own PostgreSQL database, its own Redis
database, free ports and a folder of its own; and a buyer's and a producer's HTTP doors to it.

The cluster needs PostgreSQL, Redis and nginx; `missing_services()` says which is absent, so the
tests are skipped with that reason instead of failing on a machine without them.
"""
from __future__ import annotations

import os
import random
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "cluster.sh"
PG_ADMIN_URI = os.environ.get("CLUSTER_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE = os.environ.get("CLUSTER_TEST_DATABASE", "choque_cluster")
REDIS_URL = os.environ.get("CLUSTER_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
DEMO_PRODUCER_PHONE = "0911 000 001"
DEMO_PASSWORD = "choque-demo-2025"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def find_nginx() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)


def missing_services() -> str | None:
    """Why the cluster cannot run here, or None."""
    import psycopg
    import redis

    try:
        psycopg.connect(PG_ADMIN_URI, connect_timeout=3).close()
    except Exception as error:
        return f"PostgreSQL is not reachable at {PG_ADMIN_URI} ({str(error).splitlines()[0]})"
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping()
    except Exception as error:
        return f"Redis is not reachable at {REDIS_URL} ({error})"
    if find_nginx() is None:
        return "nginx is not installed (apt-get install nginx; .ci/run installs it)"
    return None


def free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            probe = socket.socket()
            probe.bind(("127.0.0.1", 0))
            sockets.append(probe)
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


def recreate_database() -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN_URI, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    base = PG_ADMIN_URI.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{DATABASE}"


def drop_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URI, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


@dataclass
class Cluster:
    folder: Path
    env: dict
    nginx_port: int
    app_ports: list[int]
    database_uri: str

    @property
    def site(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    def server(self, number: int) -> str:
        """Base URL of app server `number` (1-based), bypassing nginx."""
        return f"http://127.0.0.1:{self.app_ports[number - 1]}"

    def run(self, *args, timeout=240) -> str:
        # Output through a file, not a pipe: the daemons it starts must not keep our pipe open.
        with tempfile.TemporaryFile("w+") as output:
            done = subprocess.run(["bash", str(SCRIPT), *args], env=self.env, cwd=ROOT, stdout=output,
                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True, timeout=timeout)
            output.seek(0)
            text = output.read()
        assert done.returncode == 0, f"cluster.sh {' '.join(args)} failed:\n{text}"
        return text

    def kill_server(self, number: int) -> None:
        """SIGKILL the whole gunicorn of server `number` (master and workers): a machine lost."""
        pid = int((self.folder / f"app-{number}" / "gunicorn.pid").read_text())
        os.killpg(os.getpgid(pid), signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.app_ports[number - 1]), 0.2).close()
            except OSError:
                return
            time.sleep(0.1)
        raise AssertionError(f"server {number} still answers after SIGKILL")

    def sql(self, statement: str, **params):
        import sqlalchemy as sa

        engine = sa.create_engine(self.database_uri)
        try:
            with engine.connect() as connection:
                return connection.execute(sa.text(statement), params).all()
        finally:
            engine.dispose()


def start_cluster(folder: Path, extra_env: dict | None = None) -> Cluster:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    database_uri = recreate_database()
    nginx_port, *app_ports = free_ports(4)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FLASK_", "CLUSTER_"))}
    env.update({
        "FLASK_SQLALCHEMY_DATABASE_URI": database_uri, "FLASK_REDIS_URL": REDIS_URL,
        "CLUSTER_DIR": str(folder), "CLUSTER_PORT": str(nginx_port),
        "CLUSTER_APP_PORTS": " ".join(map(str, app_ports)), "CLUSTER_DEMO": "1", "CLUSTER_WORKERS": "2",
        "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
    })
    env.update(extra_env or {})
    cluster = Cluster(folder, env, nginx_port, app_ports, database_uri)
    try:
        cluster.run("start")
    except BaseException:
        stop_cluster(cluster)  # whatever did start
        raise
    return cluster


def stop_cluster(cluster: Cluster) -> None:
    import redis

    try:
        cluster.run("stop", timeout=120)
    finally:
        drop_database()
        redis.Redis.from_url(REDIS_URL).flushdb()


def an_address() -> str:
    """A buyer's address (one trusted proxy hop: the servers read X-Forwarded-For), so each
    check spends its own rate-limit allowance."""
    return f"10.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(1, 254)}"


def search_hrefs(base: str, words: str, address: str | None = None) -> str:
    response = requests.get(f"{base}/tim-kiem", params={"q": words}, timeout=30,
                            headers={"X-Forwarded-For": address or an_address()})
    assert response.status_code == 200, (base, response.status_code)
    return response.text


def found_within(base: str, words: str, product_id: int, seconds: float) -> float | None:
    """Seconds until `base`'s search lists the product, or None if it did not within `seconds`."""
    started = time.monotonic()
    while True:
        if re.search(rf'href="/san-pham/[a-z0-9-]+-{product_id}"', search_hrefs(base, words)):
            return time.monotonic() - started
        if time.monotonic() - started > seconds:
            return None
        time.sleep(0.1)


class Producer:
    """The demo producer, logged in through one server (sessions are signed with the shared key,
    so any server honours them)."""

    def __init__(self, cluster: Cluster, base: str):
        self.cluster, self.base = cluster, base
        self.http = requests.Session()
        self.http.headers["X-Forwarded-For"] = an_address()
        page = self.http.get(f"{base}/dang-nhap", timeout=30)
        answer = self.http.post(f"{base}/dang-nhap", timeout=30, allow_redirects=False, data={
            "phone": DEMO_PRODUCER_PHONE, "password": DEMO_PASSWORD, "csrf_token": csrf(page.text)})
        assert answer.status_code == 302, answer.text[:500]
        [(self.producer_id,)] = cluster.sql(
            "SELECT p.id FROM producers p JOIN users u ON u.id = p.owner_id WHERE u.phone = :phone "
            "ORDER BY p.id LIMIT 1", phone="+84911000001")

    def add_product(self, name: str, photo: bytes | None = None, base: str | None = None) -> int:
        """Fill in the new-product form as the producer would; returns the new product's id."""
        path = f"{base or self.base}/nha-san-xuat/{self.producer_id}/san-pham/moi"
        form = self.http.get(path, timeout=30)
        assert form.status_code == 200, form.status_code
        data = {"name": name, "product_set_code": "4", "certificate_id": "", "price": "95.000", "unit": "hộp",
                "weight": "500", "description": f"{name}: hàng thử trên cụm máy chủ.", "availability": "in_stock",
                "harvest_season": "", "ref": "", "status": "published", "csrf_token": csrf(form.text)}
        files = {"photos": ("IMG_0001.JPG", photo, "image/jpeg")} if photo else None
        answer = self.http.post(path, data=data, files=files, timeout=60, allow_redirects=False)
        assert answer.status_code == 302, (answer.status_code, answer.text[:800])
        [(product_id,)] = self.cluster.sql(
            "SELECT id FROM products WHERE producer_id = :producer AND name = :name", producer=self.producer_id,
            name=name)
        return product_id


def csrf(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def unique_word(prefix: str = "zq") -> str:
    """A made-up word no demo product has, so a search finds only what the test wrote."""
    return prefix + "".join(random.choice("bcdghklmnpqrstvx") for _ in range(7))
