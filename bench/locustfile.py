"""Locust users for the load scenarios L1–L6 of docs/SECURITY-REFERENCE.md §8.

Run by bench/bench_load.py, which builds the site, writes the plan (the URLs, queries, demo
log-ins and photo files this run uses) and names the user classes per scenario:

    BENCH_PLAN=plan.json locust -f bench/locustfile.py --headless -u 50 -r 50 -t 30s \
        --host http://127.0.0.1:PORT --csv out/l1 Browser

| scenario | classes |
|---|---|
| ceiling | HealthzOnly |
| L1 list/detail pages | Browser |
| L2 search | Searcher |
| L3 mixed: 90% browse, 7% search, 2% edits, 1% 3–8 MB uploads | MixedVisitor |
| L4 5 simultaneous 8 MB uploads | BigUploader |
| L5 /login flood at 200 req/s beside buyers | LoginFlood (40 users), PacedBrowser (10) |
| L6 half of L3, long | MixedVisitor |

Each simulated buyer comes from its own address (X-Forwarded-For, as nginx passes it on; the
site runs with FLASK_PROXY_FIX_HOPS=1) and after a short visit of 3–8 pages a new buyer takes
its place (new address, no cookies): one Locust user stands for the many buyers behind a busy
front proxy. A response counts as a failure when its status is not what a person would get
(429 on the login flood and 409 on a conflicting edit are right answers).
"""
from __future__ import annotations

import json
import os
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from locust import FastHttpUser, HttpUser, constant, constant_throughput, events, task  # noqa: E402

from bench.html_forms import CSRF, form_having, replace_fields  # noqa: E402

PLAN = json.loads(open(os.environ["BENCH_PLAN"], encoding="utf-8").read()) if os.environ.get("BENCH_PLAN") else {}
STATUSES: Counter = Counter()
DATABASE_LOCKED: Counter = Counter()


@events.request.add_listener
def _count_status(name, response, exception, **_kwargs):
    code = getattr(response, "status_code", None) if response is not None else None
    STATUSES[f"{name} {code if code else type(exception).__name__}"] += 1


@events.quitting.add_listener
def _write_statuses(environment, **_kwargs):
    path = os.environ.get("BENCH_STATUS_FILE")
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump({"statuses": STATUSES, "database_locked": DATABASE_LOCKED}, fh)


def random_address() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


class Buyer:
    """A visit of a few pages from one address, then a new buyer."""

    visit_left = 0
    address = ""

    def buyer_headers(self) -> dict:
        if self.visit_left <= 0:
            self.address = random_address()
            self.visit_left = random.randint(3, 8)
            self.client.cookiejar.clear()
        self.visit_left -= 1
        return {"X-Forwarded-For": self.address, "Accept-Encoding": "gzip",
                "Accept-Language": random.choice(("vi", "vi", "vi", "en"))}

    def get(self, url: str, name: str, allowed=(200,)):
        with self.client.get(url, name=name, headers=self.buyer_headers(), catch_response=True) as response:
            _judge(response, allowed)

    def browse(self):
        kind = random.random()
        if kind < 0.4:
            self.get(random.choice(PLAN["catalogue_urls"]), "browse")
        elif kind < 0.9:
            self.get(random.choice(PLAN["product_urls"]), "browse")
        else:
            self.get(random.choice(PLAN["producer_urls"]), "browse")

    def search(self):
        self.get("/tim-kiem?q=" + random.choice(PLAN["queries"]), "search")


def _judge(response, allowed):
    if response.status_code in allowed:
        response.success()
        return
    body = response.text or ""
    if "database is locked" in body:
        DATABASE_LOCKED[response.request_meta["name"]] += 1
    response.failure(f"HTTP {response.status_code}")


class HealthzOnly(FastHttpUser):
    """The ceiling: the cheapest page the app serves, same generator, same run."""

    wait_time = constant(0)

    @task
    def healthz(self):
        self.client.get("/healthz", name="healthz")


class Browser(Buyer, FastHttpUser):
    """L1: catalogue pages (filters, sorts, pages), product pages, producer pages."""

    wait_time = constant(0)

    @task
    def page(self):
        self.browse()


class Searcher(Buyer, FastHttpUser):
    """L2: the search page with buyers' queries (typed with and without tones, typos)."""

    wait_time = constant(0)

    @task
    def query(self):
        self.search()


class Producer:
    """A demo producer logged in through the form (CSRF token from the page), from one address."""

    account: dict | None = None

    def log_in(self):
        self.account = random.choice(PLAN["producers"])
        self.address = random_address()
        self.client.cookies.clear()
        headers = {"X-Forwarded-For": self.address}
        page = self.client.get("/dang-nhap", name="login form", headers=headers)
        token = CSRF.search(page.text).group(1)
        with self.client.post("/dang-nhap", name="login", headers=headers, allow_redirects=False,
                              catch_response=True,
                              data={"csrf_token": token, "phone": self.account["phone"],
                                    "password": PLAN["password"], "next": ""}) as response:
            _judge(response, (302, 303))

    def producer_headers(self) -> dict:
        return {"X-Forwarded-For": self.address}

    def edit(self):
        if self.account is None:
            self.log_in()
        producer_id = self.account["producer_id"]
        url = f"/nha-san-xuat/{producer_id}/san-pham/{random.choice(self.account['product_ids'])}"
        with self.client.get(url, name="edit form", headers=self.producer_headers(), catch_response=True) as page:
            _judge(page, (200,))
        form = form_having(page.text, "price")
        if form is None:
            return
        price = f"{random.randrange(20, 900) * 1000:,}".replace(",", ".")
        with self.client.post(url, name="edit save", headers=self.producer_headers(), allow_redirects=False,
                              catch_response=True, data=replace_fields(form["fields"], price=price)) as response:
            _judge(response, (302, 303, 409))  # 409: another simulated person saved it first

    def upload(self, photos):
        if self.account is None:
            self.log_in()
        url = f"/nha-san-xuat/{self.account['producer_id']}/san-pham/moi"
        with self.client.get(url, name="upload form", headers=self.producer_headers(), catch_response=True) as page:
            _judge(page, (200,))
        form = form_having(page.text, "price")
        if form is None:
            return
        path = random.choice(photos)
        fields = replace_fields(form["fields"], name=f"Ảnh tải thử {random.randrange(10**6)}",
                                price="150.000", unit="hộp 500g", status="draft", ref="",
                                product_set_code="4")
        with open(path, "rb") as fh:
            with self.client.post(url, name="upload", headers=self.producer_headers(), allow_redirects=False,
                                  catch_response=True, data=fields,
                                  files=[("photos", (os.path.basename(path), fh, "image/jpeg"))]) as response:
                _judge(response, (302, 303))


class MixedVisitor(Buyer, Producer, HttpUser):
    """L3 and L6: 90% browse, 7% search, 2% edits, 1% 3–8 MB uploads (per request)."""

    wait_time = constant(0)

    def buyer_headers(self) -> dict:  # HttpUser (requests) keeps cookies in `cookies`
        if self.visit_left <= 0:
            self.address = random_address()
            self.visit_left = random.randint(3, 8)
            self.account = None
            self.client.cookies.clear()
        self.visit_left -= 1
        return {"X-Forwarded-For": self.address, "Accept-Encoding": "gzip",
                "Accept-Language": random.choice(("vi", "vi", "vi", "en"))}

    @task(90)
    def browsing(self):
        self.browse()

    @task(7)
    def searching(self):
        self.search()

    @task(2)
    def editing(self):
        self.visit_left = 10**9  # a producer at work stays one person
        self.edit()
        self.visit_left = 0

    @task(1)
    def uploading(self):
        self.visit_left = 10**9
        self.upload(PLAN["mixed_photos"])
        self.visit_left = 0


class BigUploader(Producer, HttpUser):
    """L4: each user uploads an 8 MB photo as a new product, again and again."""

    wait_time = constant(0)

    @task
    def big_upload(self):
        self.upload(PLAN["big_photos"])


class LoginFlood(FastHttpUser):
    """L5: one address hammers the login form with wrong passwords, 5 req/s per user
    (40 users: 200 req/s); the site must answer 429 and keep serving buyers."""

    wait_time = constant_throughput(5)
    fixed_count = 40
    token = None

    def on_start(self):
        page = self.client.get("/dang-nhap", name="login flood form", headers={"X-Forwarded-For": "203.0.113.7"})
        self.token = CSRF.search(page.text).group(1)

    @task
    def wrong_password(self):
        with self.client.post("/dang-nhap", name="login flood", catch_response=True,
                              headers={"X-Forwarded-For": "203.0.113.7"},
                              data={"csrf_token": self.token, "phone": "0999999999",
                                    "password": "not-the-password", "next": ""}) as response:
            _judge(response, (400, 429))


class PacedBrowser(Buyer, FastHttpUser):
    """L5's buyers: 2 pages a second each, so the server's CPU shows what the flood costs."""

    wait_time = constant_throughput(2)
    fixed_count = 10

    @task
    def page(self):
        self.browse()
