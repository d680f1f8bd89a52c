"""Page budgets for weak 3G, measured (not a timed test): prints tables.

    .venv/bin/python bench/bench_pages.py                 # all three parts
    .venv/bin/python bench/bench_pages.py --part bytes    # or browser, server
    .venv/bin/python bench/bench_pages.py --part server --products 100000

1. bytes   - the catalogue page with 24 products: HTML + CSS + JS gzip-compressed (budget 40 KB) and
             each thumbnail a phone loads (budget 12 KB), with photo-like pictures through the real
             upload pipeline.
2. browser - Chromium (/usr/bin/chromium, a 360-px phone at 2x) with CDP network emulation at
             400 kbit/s down and 400 ms round trip, cold cache, against a real threaded local server:
             load-event time of the catalogue page (budget 4 s) and a product page (budget 3 s).
3. server  - 100,000 products in SQLite (bench/gen_products.py): server time per request through the
             WSGI app (Flask test client, gzip on) for catalogue pages with various filters, sorts and
             pages, and for product pages; p95 budget 30 ms. A trivial page (/healthz) and the site's
             404 page are timed in the same run as peers, and the ratios are printed.
"""
from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gen_products import bulk_insert, generate_products  # noqa: E402

OUT = ROOT / "bench" / "out"
HTML_BUDGET = 40 * 1024
THUMBNAIL_BUDGET = 12 * 1024
CATALOGUE_LOAD_BUDGET = 4.0
PRODUCT_LOAD_BUDGET = 3.0
SERVER_P95_BUDGET_MS = 30.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "vi-VN"}


def make_app(folder: Path, database: str | None = None):
    from app import create_app

    return create_app({
        "SECRET_KEY": "bench-secret-key-bench-secret-key-0123",
        "SQLALCHEMY_DATABASE_URI": database or "sqlite:///" + str(folder / "bench.sqlite3"),
        "UPLOAD_DIR": str(folder / "uploads"),
        "SEARCH_INDEX_DIR": str(folder / "search"),
        "PUBLIC_BASE_URL": "http://127.0.0.1",
    })


def photo_like(size, seed):
    """A stand-in for a phone photo (gradients, blurred objects, texture, sensor noise)."""
    sys.path.insert(0, str(ROOT))
    from tests.unit.test_images_factories import photo_like as factory

    return factory(size, seed)


# --- 1 and 2: a small catalogue with real photos ----------------------------------------------

def build_photo_catalogue(app, count=30):
    """`count` published products with one photo-like picture each, through the upload pipeline."""
    import io

    from catalog import images
    from catalog.models import Product, ProductPhoto, ProductStatus
    from extensions import db
    from producers.models import Certificate, Producer, ProducerStatus
    from vntext import slugify

    with app.app_context():
        db.create_all()
        rows = list(generate_products(count, seed=7, producers=4))
        producers = {}
        for row in rows:
            producer = producers.get(row["producer_key"])
            if producer is None:
                producer = Producer(legal_name=row["producer_name"], slug=slugify(row["producer_name"]),
                                    province_code=row["province_code"], commune_code=row["commune_code"],
                                    phone=row["phone"], zalo=row["phone"], status=ProducerStatus.VERIFIED,
                                    wizard_step=5, kind=row["producer_type"])
                db.session.add(producer)
                producers[row["producer_key"]] = producer
            certificate = None
            if row["stars"]:
                certificate = Certificate(producer=producer, decision_no=row["certificate_no"],
                                          issuing_body="UBND tỉnh", decision_date=row["certificate_date"],
                                          stars=row["stars"], product_set_code=row["product_set_code"])
            product = Product(producer=producer, certificate=certificate, ref=row["ref"], name=row["name"],
                              slug=row["slug"], product_set_code=row["product_set_code"],
                              description=row["description"], price_vnd=row["price_vnd"], unit=row["unit"],
                              weight_g=row["weight_g"], availability=row["availability"],
                              season_months=row["season_months"], status=ProductStatus.PUBLISHED)
            buffer = io.BytesIO()
            photo_like((1280, 960), seed=row["index"]).save(buffer, "JPEG", quality=88)
            processed = images.process_upload(buffer.getvalue())
            key = images.store().save(processed)
            product.photos.append(ProductPhoto(image_key=key, position=0, width=processed.original_width,
                                               height=processed.original_height))
            db.session.add(product)
        db.session.commit()
        return db.session.scalar(db.select(Product.id).order_by(Product.id))


def part_bytes(app):
    client = app.test_client()
    page = client.get("/san-pham", headers={"Accept-Encoding": "gzip"})
    html = page.get_data()
    text = gzip.decompress(html).decode()
    cards = text.count('class="pcard"')
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js)\?v=\w+)"', text)
    rows = [("HTML /san-pham", len(gzip.decompress(html)), len(html))]
    for asset in assets:
        response = client.get(asset, headers={"Accept-Encoding": "gzip"})
        body = response.get_data()
        raw = gzip.decompress(body) if response.headers.get("Content-Encoding") == "gzip" else body
        rows.append((asset.split("?")[0], len(raw), len(body)))
        response.close()
    total = sum(row[2] for row in rows)
    print(f"\n1. Bytes: catalogue page with {cards} products (phone list, gzip)")
    print(f"   {'resource':<28}{'raw':>10}{'gzip':>10}")
    for name, raw, compressed in rows:
        print(f"   {name:<28}{raw:>10,}{compressed:>10,}")
    print(f"   {'HTML + CSS + JS':<28}{'':>10}{total:>10,}   budget {HTML_BUDGET:,}  "
          f"{'OK' if total <= HTML_BUDGET else 'OVER'}")
    thumbs = re.findall(r'<img src="(/anh/[0-9a-f]{32}/160\.webp)"', text)
    sizes160 = [len(_image(client, url)) for url in thumbs]
    sizes480 = [len(_image(client, url.replace("/160.webp", "/480.webp"))) for url in thumbs]
    print(f"   thumbnails a phone loads (160 px, 80 CSS px at 2x): {len(sizes160)}, "
          f"max {max(sizes160):,} B, mean {statistics.mean(sizes160):,.0f} B   budget {THUMBNAIL_BUDGET:,}  "
          f"{'OK' if max(sizes160) <= THUMBNAIL_BUDGET else 'OVER'}")
    print(f"   (wider screens' grid uses 480 px: max {max(sizes480):,} B, mean {statistics.mean(sizes480):,.0f} B)")
    return total, max(sizes160)


def _image(client, url):
    response = client.get(url)
    data = response.get_data()
    response.close()
    return data


def serve(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_port}"


def part_browser(app, product_id, runs=3):
    from playwright.sync_api import sync_playwright

    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server, base = serve(app)
    with app.app_context():
        from catalog import queries
        from catalog.urls import product_path

        with app.test_request_context():
            product_url = product_path(queries.public_product(product_id))
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for label, path, budget in (("catalogue /san-pham", "/san-pham", CATALOGUE_LOAD_BUDGET),
                                        ("product page", product_url, PRODUCT_LOAD_BUDGET)):
                times, transferred = [], []
                for _ in range(runs):
                    seconds, size = _timed_load(browser, base + path)
                    times.append(seconds)
                    transferred.append(size)
                results[label] = (statistics.median(times), max(times), statistics.median(transferred), budget)
            browser.close()
    finally:
        server.shutdown()
    print("\n2. Chromium, 360-px phone at 2x, 400 kbit/s down, 400 ms RTT, cold cache (median of 3 runs)")
    print(f"   {'page':<22}{'load event':>12}{'worst':>9}{'bytes on wire':>15}   budget")
    for label, (median, worst, size, budget) in results.items():
        print(f"   {label:<22}{median:>11.2f}s{worst:>8.2f}s{size:>15,.0f}   {budget:.0f} s  "
              f"{'OK' if worst <= budget else 'OVER'}")
    return results


def _timed_load(browser, url):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8})
    received = []
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    page.goto(url, wait_until="load")
    load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventStart")
    context.close()
    return load_ms / 1000, sum(received)


# --- 3: server time with 100,000 products ------------------------------------------------------

SERVER_QUERIES = [
    "", "?page=2", "?page=40", "?sort=price_asc", "?sort=price_desc&page=3", "?sort=stars", "?sort=stars&page=5",
    "?group=I", "?group=II&sort=price_asc", "?set=11", "?set=4&sort=stars", "?province={p1}",
    "?province={p2}&sort=stars", "?province=Yên Bái", "?province={p1}&set=8", "?stars=4", "?stars=5&sort=price_desc",
    "?stars=3&province={p2}", "?price_min=100000&price_max=200000", "?price_min=100.000&price_max=300.000&sort=price_asc",
    "?availability=seasonal", "?availability=seasonal&group=I&stars=4", "?set=25", "?province={p1}&set=26&stars=5",
]


def part_server(products: int, keep: bool, rounds: int = 8):
    OUT.mkdir(exist_ok=True)
    path = OUT / f"pages-{products}.sqlite3"
    folder = OUT / "server-run"
    folder.mkdir(exist_ok=True)
    app = make_app(folder, "sqlite:///" + str(path))
    from catalog.models import Product, ProductStatus
    from extensions import db
    from places import units
    from producers.models import Producer, ProducerStatus

    with app.app_context():
        if not (keep and path.exists()):
            db.drop_all()
            db.create_all()
            started = time.perf_counter()
            counts = bulk_insert(db.engine, products, seed=1)
            print(f"\n   generated {counts} in {time.perf_counter() - started:.1f} s")
        public_ids = list(db.session.scalars(
            db.select(Product.id).join(Producer, Producer.id == Product.producer_id)
            .where(Product.status == ProductStatus.PUBLISHED, Producer.status == ProducerStatus.VERIFIED)))
        province_codes = [p.code for p in units.provinces()]
    rng = random.Random(5)
    p1, p2 = units.match_province("Hà Nội").code, units.match_province("Lào Cai").code
    catalogue_urls = ["/san-pham" + q.format(p1=p1, p2=p2) for q in SERVER_QUERIES]
    catalogue_urls += [f"/san-pham?province={rng.choice(province_codes)}&page={rng.randint(1, 3)}" for _ in range(6)]
    product_ids = rng.sample(public_ids, 200)
    client = app.test_client()
    headers = {"Accept-Encoding": "gzip"}
    product_urls = []
    for product_id in product_ids:
        response = client.get(f"/san-pham/{product_id}")
        product_urls.append(response.headers["Location"].replace("http://localhost", ""))
    groups = {"catalogue pages": catalogue_urls, "product pages": product_urls,
              "API /api/products": ["/api" + url[len(""):].replace("/san-pham", "/products", 1)
                                    for url in catalogue_urls[:12]],
              "peer: /healthz": ["/healthz"], "peer: 404 page": ["/khong-co-trang-nay"]}
    for urls in groups.values():  # warm-up: templates compiled, caches filled
        for url in urls[:5]:
            client.get(url, headers=headers)
    wall = {name: [] for name in groups}
    cpu = {name: [] for name in groups}
    per_url = {}
    for _ in range(rounds):
        for name, urls in groups.items():
            repeat = max(1, 30 // len(urls))
            for url in urls:
                for _ in range(repeat):
                    started, started_cpu = time.perf_counter(), time.thread_time()
                    response = client.get(url, headers=headers)
                    elapsed = (time.perf_counter() - started) * 1000
                    elapsed_cpu = (time.thread_time() - started_cpu) * 1000
                    assert response.status_code in (200, 404), (url, response.status_code)
                    wall[name].append(elapsed)
                    cpu[name].append(elapsed_cpu)
                    per_url.setdefault(url, []).append(elapsed_cpu)
    load = os.getloadavg()[0]
    calibration = min(timeit.repeat("sum(range(10**6))", number=1, repeat=5)) * 1000
    print(f"\n3. Server time, {products:,} products in SQLite, Flask test client with gzip, {rounds} rounds, "
          f"ms (load average {load:.1f} on {os.cpu_count()} CPUs)")
    print("   wall = elapsed time; cpu = this thread's CPU time (what an idle core would take)")
    print(f"   machine speed reference: sum(range(10**6)) takes {calibration:.0f} ms here")
    print(f"   {'group':<22}{'requests':>9}{'wall p50':>10}{'wall p95':>10}{'cpu p50':>10}{'cpu p95':>10}"
          f"{'cpu p95/peer':>14}")
    peer = _p95(cpu["peer: /healthz"])
    for name in groups:
        print(f"   {name:<22}{len(wall[name]):>9}{statistics.median(wall[name]):>10.1f}{_p95(wall[name]):>10.1f}"
              f"{statistics.median(cpu[name]):>10.1f}{_p95(cpu[name]):>10.1f}{_p95(cpu[name]) / peer:>14.1f}")
    worst = sorted(((statistics.median(v), url) for url, v in per_url.items()), reverse=True)[:5]
    print("   slowest URLs (cpu median ms): " + "; ".join(f"{url} {ms:.1f}" for ms, url in worst))
    for label, measure in (("wall", wall), ("cpu", cpu)):
        verdict = max(_p95(measure["catalogue pages"]), _p95(measure["product pages"]))
        print(f"   budget p95 <= {SERVER_P95_BUDGET_MS:.0f} ms ({label}): "
              f"{'OK' if verdict <= SERVER_P95_BUDGET_MS else 'OVER'} ({verdict:.1f} ms)")
    return wall, cpu


def _p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=["all", "bytes", "browser", "server"], default="all")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="reuse bench/out/pages-N.sqlite3 if present")
    args = parser.parse_args()
    if args.part in ("all", "bytes", "browser"):
        with tempfile.TemporaryDirectory() as temp:
            folder = Path(temp)
            app = make_app(folder)
            started = time.perf_counter()
            first_id = build_photo_catalogue(app)
            print(f"(built 30 products with photo-like pictures in {time.perf_counter() - started:.1f} s)")
            if args.part in ("all", "bytes"):
                part_bytes(app)
            if args.part in ("all", "browser"):
                part_browser(app, first_id)
    if args.part in ("all", "server"):
        part_server(args.products, args.keep)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
