"""Reconciliation throughput, measured (not a timed test): 10,000 bank notifications matched
against 100,000 orders, through the real webhook door (Flask test client, SQLite under a temp dir).

    .venv/bin/python bench/bench_reconcile.py
    .venv/bin/python bench/bench_reconcile.py --orders 100000 --events 10000 --producers 100

Events are SePay notifications signed with HMAC-SHA256 (docs/RECONCILIATION.md): 70% pay an order
in full with the memo rewritten as banks do ("MBVCB.<n>.<code with a space>.CT tu …"), 10% pay part,
10% name no order, 10% are replays of earlier events. Signing happens outside the timed part.
A trivial request (/healthz) through the same client is timed in the same run; ratios are printed.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "bench-sepay-secret-0123456789abcdef"


def make_app(folder: Path):
    from app import create_app

    return create_app({
        "SECRET_KEY": "bench-secret-key-bench-secret-key-0123",
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(folder / "bench.sqlite3"),
        "UPLOAD_DIR": str(folder / "uploads"),
        "SEARCH_INDEX_DIR": str(folder / "search"),
        "PUBLIC_BASE_URL": "http://127.0.0.1",
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    })


def seed(app, orders: int, producers: int, rng: random.Random):
    """Producers with a SePay connection each, and `orders` orders awaiting payment spread over them."""
    from sqlalchemy import insert

    from accounts import services as accounts
    from accounts.models import Role, User
    from extensions import db
    from payments.models import Order
    from payments.rules import new_order_code
    from producers.models import Producer
    from reconcile import services

    with app.app_context():
        db.create_all()
        user = accounts.create_user("+84912345678", "bench-password-123", "Bench", Role.ADMIN, ())
        db.session.commit()
        now = datetime(2026, 12, 1, 8, 0)
        producer_rows = [{"legal_name": f"HTX {n}", "slug": f"htx-{n}", "province_code": 15, "commune_code": 2923,
                          "status": "verified", "created_at": now, "updated_at": now}
                         for n in range(producers)]
        db.session.execute(insert(Producer.__table__), producer_rows)
        producer_ids = list(db.session.scalars(db.select(Producer.id).order_by(Producer.id)))
        codes, rows = set(), []
        while len(codes) < orders:
            codes.add(new_order_code(rng.choice))
        plan = []
        for index, code in enumerate(sorted(codes)):
            producer_id = producer_ids[index % len(producer_ids)]
            price = rng.choice((45_000, 80_000, 120_000, 250_000))
            quantity = rng.randint(1, 3)
            rows.append({"code": code, "producer_id": producer_id, "product_name": "Mật ong rừng", "unit": "chai",
                         "unit_price_vnd": price, "quantity": quantity, "amount_vnd": price * quantity,
                         "buyer_name": "Trần Thị Bình", "buyer_phone": "+84987654321", "delivery_address": "Hà Nội",
                         "note": "", "status": "new", "received_vnd": 0,
                         "created_at": now - timedelta(minutes=index % 5000), "updated_at": now})
            plan.append((producer_id, code, price * quantity))
            if len(rows) >= 5000:
                db.session.execute(insert(Order.__table__), rows)
                rows.clear()
        if rows:
            db.session.execute(insert(Order.__table__), rows)
        hooks = {}
        actor = db.session.get(User, user.id)
        for producer in db.session.scalars(db.select(Producer)):
            feed = services.connect(producer, "sepay", "sepay_hmac", SECRET, actor)
            db.session.flush()
            hooks[producer.id] = f"/api/webhooks/sepay/{feed.hook_id}"
        db.session.commit()
        return plan, hooks


def events(plan, hooks, count: int, rng: random.Random):
    """(path, payload, kind) for each notification, in delivery order."""
    chosen = rng.sample(plan, count)
    made = []
    for number, (producer_id, code, amount) in enumerate(chosen, start=1):
        roll = rng.random()
        memo = f"MBVCB.{4525077405 + number}.{rng.randint(100000, 999999)}.{code[:4]} {code[4:]}.CT tu 0351000646393"
        if roll < 0.7:
            kind, value = "full", amount
        elif roll < 0.8:
            kind, value = "partial", amount // 2
        elif roll < 0.9:
            kind, value, memo = "unknown", amount, f"NGUYEN VAN {number} chuyen tien"
        else:
            kind = "replay"
        if kind == "replay" and made:
            made.append((made[-1][0], made[-1][1], "replay"))
            continue
        if kind == "replay":
            kind, value = "full", amount
        payload = {"id": 1_000_000 + number, "gateway": "Vietcombank", "transactionDate": "2026-12-03 14:02:37",
                   "accountNumber": "1234567890123", "code": None, "content": memo, "transferType": "in",
                   "transferAmount": value, "accumulated": 19_077_000, "subAccount": None,
                   "referenceCode": f"MBVCB.{3278907687 + number}", "description": ""}
        made.append((hooks[producer_id], payload, kind))
    return made


def signed(payload):
    from reconcile.notifications import sepay_hmac_signature

    body = json.dumps(payload).encode("utf-8")
    timestamp = str(int(time.time()))
    return body, {"X-SePay-Signature": sepay_hmac_signature(SECRET, timestamp, body), "X-SePay-Timestamp": timestamp,
                  "Content-Type": "application/json"}


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--producers", type=int, default=100)
    parser.add_argument("--peer-requests", type=int, default=3_000)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder))
        started = time.perf_counter()
        plan, hooks = seed(app, args.orders, args.producers, rng)
        print(f"seeded {args.orders:,} orders for {args.producers} producers in {time.perf_counter() - started:.1f} s")
        client = app.test_client()
        timings, outcomes = [], {}
        wall = 0.0
        for path, payload, kind in events(plan, hooks, args.events, rng):
            body, headers = signed(payload)
            start = time.perf_counter()
            response = client.post(path, data=body, headers=headers)
            elapsed = time.perf_counter() - start
            wall += elapsed
            timings.append(elapsed)
            answer = response.get_json()
            assert response.status_code == 200, (response.status_code, answer)
            key = "duplicate" if answer["duplicate"] else answer["state"]
            outcomes[key] = outcomes.get(key, 0) + 1
        peer = []
        for _ in range(args.peer_requests):
            start = time.perf_counter()
            assert client.get("/healthz").status_code == 200
            peer.append(time.perf_counter() - start)
        with app.app_context():
            from extensions import db
            from payments.models import Order

            paid = db.session.scalar(db.select(db.func.count()).select_from(Order).where(Order.status == "paid"))
        event_rate, peer_rate = len(timings) / wall, len(peer) / sum(peer)
        p95, peer_p95 = percentile(timings, 0.95) * 1000, percentile(peer, 0.95) * 1000
        print(f"events: {len(timings):,} ({', '.join(f'{k} {v:,}' for k, v in sorted(outcomes.items()))}); "
              f"orders now paid: {paid:,}")
        print(f"{'':24}{'per second':>12}{'median ms':>11}{'p95 ms':>9}")
        print(f"{'webhook event':24}{event_rate:12.0f}{statistics.median(timings) * 1000:11.2f}{p95:9.2f}")
        print(f"{'/healthz (peer)':24}{peer_rate:12.0f}{statistics.median(peer) * 1000:11.2f}{peer_p95:9.2f}")
        print(f"ratio event/healthz: p95 {p95 / peer_p95:.1f}x, throughput {peer_rate / event_rate:.1f}x slower")


if __name__ == "__main__":
    main()
