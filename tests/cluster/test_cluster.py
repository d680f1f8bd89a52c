"""Three app servers behind nginx (deploy/cluster.sh) sharing one PostgreSQL and one Redis, each
with its own Whoosh index following the search_changes log, photos in an S3-compatible bucket
(moto's server on 127.0.0.1).

- a product saved through server A is found by search on B and C within 2 s;
- server B is SIGKILLed during writes, restarted, and finds everything written while it was down
  (nginx sends buyers elsewhere meanwhile);
- rate limits and the page cache are shared through Redis;
- an L3-like mix (docs/SECURITY-REFERENCE.md §8: 90% browse, 7% search, 2% edits, 1% 3–8 MB uploads) over the
  three through nginx, with no error.

Runs in `make test` when PostgreSQL, Redis and nginx are there; skipped, with the reason, otherwise.
nginx's upstream and proxy_next_upstream directives as documented at
https://nginx.org/en/docs/http/ngx_http_upstream_module.html and
https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_next_upstream.
"""
from __future__ import annotations

import io
import random
import re
import shutil
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from PIL import Image

from tests.cluster import cluster_world as world
from tests.s3_server import bucket_objects, running_s3

WHY_NOT = world.missing_services()
pytestmark = pytest.mark.skipif(WHY_NOT is not None, reason=f"cluster test needs it: {WHY_NOT}")
FOUND_WITHIN_SECONDS = 2.0


@pytest.fixture(scope="module")
def s3():
    with running_s3() as new_bucket:
        yield new_bucket()


@pytest.fixture(scope="module")
def cluster(s3):
    settings, _client = s3
    # Its own folder, not pytest's tmp_path: other pytest runs prune old tmp_path folders.
    folder = Path(tempfile.mkdtemp(prefix="choque-cluster-"))
    started = time.monotonic()
    running = world.start_cluster(folder, {f"FLASK_{key}": value for key, value in settings.items()})
    print(f"\ncluster started in {time.monotonic() - started:.1f} s")
    yield running
    world.stop_cluster(running)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def producer(cluster):
    return world.Producer(cluster, cluster.server(1))


def photo_bytes(size=(640, 480), seed=1, quality=85) -> bytes:
    """A JPEG as a phone sends it; random noise when it must be big (noise does not compress)."""
    generator = random.Random(seed)
    if size[0] * size[1] > 640 * 480:
        picture = Image.frombytes("RGB", size, generator.randbytes(size[0] * size[1] * 3))
    else:
        picture = Image.new("RGB", size, (generator.randrange(256), 120, 60))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def test_product_saved_through_a_is_found_on_b_and_c_within_two_seconds(cluster, producer, s3):
    settings, client = s3
    word = world.unique_word()
    product_id = producer.add_product(f"Mứt gừng {word}", photo=photo_bytes())

    for number in (2, 3):
        waited = world.found_within(cluster.server(number), word, product_id, FOUND_WITHIN_SECONDS)
        assert waited is not None, f"server {number} did not find the product within {FOUND_WITHIN_SECONDS} s"
        print(f"server {number} found it after {waited:.2f} s")

    # Its photo went to the bucket through A, and B serves those bytes to buyers.
    page = requests.get(f"{cluster.server(2)}/san-pham/{product_id}", timeout=30)
    photo_url = re.findall(r'<img[^>]+src="(/anh/[0-9a-f]{32}/\d+\.webp)"', page.text)[0]
    served = requests.get(cluster.server(2) + photo_url, timeout=30)
    key, width = re.fullmatch(r"/anh/([0-9a-f]{32})/(\d+)\.webp", photo_url).groups()
    assert served.status_code == 200
    assert served.content == bucket_objects(client, settings["S3_BUCKET"])[f"{key[:2]}/{key}-{width}.webp"]


def test_server_b_killed_during_writes_restarts_and_catches_up(cluster, producer):
    word = world.unique_word("zk")
    written, errors = [], []
    stop_browsing = threading.Event()

    def write_products():
        for number in range(8):
            try:
                written.append(producer.add_product(f"Trà xanh {word} số {number + 1}"))
            except Exception as error:  # the assertion below shows it
                errors.append(repr(error))
            time.sleep(0.2)

    def browse_through_nginx(statuses):
        while not stop_browsing.is_set():
            try:
                statuses.append(requests.get(f"{cluster.site}/san-pham", timeout=30).status_code)
            except requests.RequestException as error:
                statuses.append(repr(error))

    statuses: list[int] = []
    writer = threading.Thread(target=write_products)
    browser = threading.Thread(target=browse_through_nginx, args=(statuses,))
    writer.start()
    browser.start()
    while len(written) < 2 and writer.is_alive():
        time.sleep(0.05)
    cluster.kill_server(2)
    writer.join()
    time.sleep(1)  # buyers keep coming while B is down
    stop_browsing.set()
    browser.join()
    assert errors == [] and len(written) == 8
    assert statuses and set(statuses) == {200}, f"buyers got {sorted(set(map(str, statuses)))} while B was down"

    started = time.monotonic()
    cluster.run("start-server", "2")
    print(f"server 2 restarted in {time.monotonic() - started:.1f} s")
    page = world.search_hrefs(cluster.server(2), word)
    missing = [product_id for product_id in written if not re.search(rf'href="/san-pham/[a-z0-9-]+-{product_id}"',
                                                                      page)]
    assert missing == [], f"server 2 does not find {missing} after its restart"
    assert "chế độ đơn giản" not in page  # its own index answered, not the simple fallback
    # It followed the log from where its index stopped: no rebuild from scratch was needed.
    start_log = (cluster.folder / "app-2" / "start.log").read_text().strip().splitlines()
    assert start_log[-1].startswith("The search index is up to date"), start_log[-3:]


def test_rate_limits_are_shared_between_servers(cluster):
    """One buyer's searches, alternately on A and B, meet one limit (SEARCH_RATE_LIMIT)."""
    import config as settings

    limit = int(re.match(r"\d+", settings.defaults(tempfile.gettempdir())["SEARCH_RATE_LIMIT"]).group())
    address = world.an_address()
    statuses = []
    for number in range(limit + 1):
        base = cluster.server(1 + number % 2)
        statuses.append(requests.get(f"{base}/tim-kiem", params={"q": "chè"}, timeout=30,
                                     headers={"X-Forwarded-For": address}).status_code)
    assert statuses[:limit] == [200] * limit
    assert statuses[limit] == 429  # counted across both servers: one shared counter in Redis
    on_c = requests.get(f"{cluster.server(3)}/tim-kiem", params={"q": "chè"}, timeout=30,
                        headers={"X-Forwarded-For": address})
    assert on_c.status_code == 429


def test_page_cache_is_shared_between_servers(cluster):
    import redis

    store = redis.Redis.from_url(world.REDIS_URL)

    def cache_keys():
        return {key for key in store.keys("*") if not key.startswith((b"LIMITER", b"huey"))}

    before = cache_keys()
    path = f"/san-pham?sap-xep=moi-nhat&x={world.unique_word()}"
    first = requests.get(cluster.server(1) + path, timeout=30)
    added_by_a = cache_keys() - before
    second = requests.get(cluster.server(2) + path, timeout=30)
    assert first.status_code == second.status_code == 200
    assert added_by_a, "server A cached nothing in Redis"
    assert cache_keys() - before == added_by_a  # B answered from A's entry
    # The same page, but for the form tokens each visitor gets (signed values, made per hit).
    assert without_signed_values(second.text) == without_signed_values(first.text)


def without_signed_values(html: str) -> str:
    return re.sub(r'value="[\w-]+\.[\w-]+\.[\w-]+"', 'value=""', html)


def test_l3_like_mix_over_the_three_through_nginx_has_no_error(cluster, producer):
    listing = requests.get(f"{cluster.site}/san-pham", timeout=30).text
    products = sorted(set(re.findall(r'href="(/san-pham/[a-z0-9-]+-\d+)"', listing)))
    producers = sorted(set(re.findall(r'href="(/co-so/[a-z0-9-]+-\d+)"', listing)))
    photos = sorted(set(re.findall(r'src="(/anh/[0-9a-f]{32}/\d+\.webp)"', listing)))
    browse = ["/", "/san-pham", "/san-pham?page=1"] + products + producers + photos
    words = ["chè", "mật ong", "tra shan", "gạo", "mứt", "nuoc mam", "cá"]
    # 300 requests: 270 browse, 21 search, 6 edits, 3 uploads of 3–8 MB (docs/SECURITY-REFERENCE.md L3's mix).
    plan = ["browse"] * 270 + ["search"] * 21 + ["edit"] * 6 + ["upload"] * 3
    random.Random(14).shuffle(plan)
    big_photo = photo_bytes((1900, 1500), seed=3, quality=97)
    assert 3_000_000 <= len(big_photo) <= 8_000_000
    writer = world.Producer(cluster, cluster.site)
    timings: dict[str, list[float]] = {}
    failures = []

    def one(kind: str, number: int):
        started = time.monotonic()
        try:
            if kind == "browse":
                answer = requests.get(cluster.site + random.choice(browse), timeout=30)
                ok = answer.status_code == 200
            elif kind == "search":
                answer = requests.get(f"{cluster.site}/tim-kiem", params={"q": random.choice(words)}, timeout=30)
                ok = answer.status_code == 200
            else:
                writer.add_product(f"Hàng tải thử {kind} {number} {world.unique_word()}",
                                   photo=big_photo if kind == "upload" else photo_bytes(seed=number),
                                   base=cluster.site)
                ok = True
            if not ok:
                failures.append((kind, answer.status_code))
        except Exception as error:
            failures.append((kind, repr(error)[:300]))
        timings.setdefault(kind, []).append(time.monotonic() - started)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(one, plan, range(len(plan))))
    elapsed = time.monotonic() - started
    browse_times = sorted(timings["browse"])
    p95 = browse_times[int(len(browse_times) * 0.95) - 1]
    [(connections,)] = cluster.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
    print(f"L3-like: {len(plan)} requests in {elapsed:.1f} s ({len(plan) / elapsed:.1f} req/s), browse p50 "
          f"{statistics.median(browse_times) * 1000:.0f} ms p95 {p95 * 1000:.0f} ms, uploads "
          f"{max(timings['upload']):.1f} s max, errors {len(failures)}; PostgreSQL connections open {connections}")
    assert failures == []
