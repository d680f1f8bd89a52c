"""Search bench: relevance against two baselines, then speed on 100,000 products.

    .venv/bin/python bench/bench_search.py [--products 100000] [--rounds 5] [--saves 60]

1. Relevance on tests.relevance.data (same data, same run): this engine, SQLite
   FTS5 (tokenize="unicode61 remove_diacritics 2", tokens ANDed, last token a
   prefix for as-you-type queries) and plain accent-folded Whoosh
   (StandardAnalyzer + accent_map, OR over name/description/producer/province).
   nDCG@10, success@3, MRR and how many judged queries break a must-pass rule.
2. Speed, with bench/gen_products.py's 100,000 products in a SQLite database:
   the full rebuild exactly as `flask search rebuild` runs it (database ->
   new index -> swap); p50/p95 of a mixed query set (exact, accent-free,
   synonym, Telex, prefix, typo) through the engine as the search page calls it
   (matching, facet counts, top 24) and through FTS5 over the same public
   products (MATCH ... ORDER BY rank LIMIT 24); and the p95 of a product save
   (ORM change + commit, with the after-commit index update, and without it);
   the change-log check every search makes (``sync.catch_up_before_search``
   with the index current), as a ratio to the engine's p50; and the content
   check of ``flask search status`` as a ratio to the full rebuild.
Targets: p95 <= 50 ms, p95 ratio to FTS5 <= 1.5, rebuild <= 60 s, save <= 150 ms.
The machine is shared: load averages are printed, and wall and CPU times both.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402 - needs the repository on sys.path
from extensions import db  # noqa: E402
from search import sync  # noqa: E402
from search.engine import IndexStore  # noqa: E402
from tests.relevance.evaluation import evaluate, relevance_documents  # noqa: E402
from tests.relevance.data import PRODUCTS, QUERIES  # noqa: E402
from search.records import SearchRequest  # noqa: E402
from vntext import nfc  # noqa: E402

MIXED_QUERIES = {
    "exact": ["Mật ong bạc hà", "Gạo ST25", "Chè Shan tuyết", "Nước mắm cá cơm", "Cà phê Robusta",
              "Rượu ngô men lá", "Bưởi da xanh", "Tinh dầu quế", "Bánh đa nem", "Lào Cai"],
    "ascii": ["mat ong bac ha", "gao st25", "che shan tuyet", "nuoc mam ca com", "ca phe robusta",
              "ruou ngo", "buoi da xanh", "tinh dau que", "banh da nem", "mut gung"],
    "synonym": ["rượu bắp", "trà shan tuyết", "thịt heo", "cafe", "chả lụa", "nước ép khóm", "hột gà",
                "trái cây", "đậu phụng", "mè"],
    "telex": ["maatj ong", "nuwowcs mawms", "cas chachj", "gaoj st25", "chef shan tuyeets", "banhs ddaa nem",
              "tinh daauf quees", "ruwowuj ngoo", "buwowir da xanh", "mawts ong"],
    "prefix": ["mat o", "gao s", "che sh", "nuoc m", "ca ph", "ruou n", "buoi d", "tinh d", "banh d", "cha c"],
    "typo": ["chuối xấy dẻo", "bưởi da sanh", "nem trua", "rượu ngô men la", "nuoc mam ca comm",
             "tinh dau quee", "gao st2", "banh da nemm", "che shan tuyett", "mật ong bạc haa"],
}


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


# --- 1. Relevance -----------------------------------------------------------------------

def fts_tokens(text):
    """FTS5 string tokens for a query: each token quoted, so no FTS syntax gets through."""
    return ['"' + token.replace('"', '""') + '"' for token in nfc(text).lower().split() if any(c.isalnum() for c in token)]


def fts_expression(text, prefix_last=False):
    tokens = fts_tokens(text)
    if prefix_last and tokens:
        tokens[-1] += "*"
    return " ".join(tokens)


def fts_table(rows):
    """rows: (rowid, name, description, producer, province)."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE p USING fts5(name, description, producer, province, "
                       "tokenize='unicode61 remove_diacritics 2')")
    connection.executemany("INSERT INTO p(rowid, name, description, producer, province) VALUES (?,?,?,?,?)", rows)
    connection.commit()
    return connection


def fts_search(connection, text, limit=24, prefix_last=False):
    expression = fts_expression(text, prefix_last)
    if not expression:
        return []
    return [row[0] for row in connection.execute(
        "SELECT rowid FROM p WHERE p MATCH ? ORDER BY rank LIMIT ?", (expression, limit))]


def plain_whoosh(root):
    from whoosh import index
    from whoosh.analysis import CharsetFilter, StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import MultifieldParser, OrGroup
    from whoosh.support.charset import accent_map

    analyzer = StandardAnalyzer() | CharsetFilter(accent_map)
    fields = ("name", "description", "producer", "province")
    schema = Schema(key=ID(stored=True), **{name: TEXT(analyzer=analyzer) for name in fields})
    ix = index.create_in(root, schema)
    writer = ix.writer()
    for product in PRODUCTS:
        writer.add_document(key=product.key, name=product.name, description=product.description,
                            producer=product.producer, province=product.province)
    writer.commit()
    parser = MultifieldParser(list(fields), schema, group=OrGroup)

    def run(query):
        text = " ".join(token for token in nfc(query.text).split() if token.isalnum())
        if not text:
            return []
        if query.mode == "autocomplete":
            text += "*"
        with ix.searcher() as searcher:
            return [hit["key"] for hit in searcher.search(parser.parse(text), limit=10)]

    return run


def relevance(work):
    store = IndexStore(os.path.join(work, "relevance"))
    store.build(relevance_documents())

    def engine(query):
        if query.mode == "autocomplete":
            return [hit.id for hit in store.suggest(query.text)]
        return [hit.id for hit in store.search(SearchRequest(query.text, per_page=10)).hits]

    keys = {number: product.key for number, product in enumerate(PRODUCTS, start=1)}
    connection = fts_table([(number, p.name, p.description, p.producer, p.province)
                            for number, p in enumerate(PRODUCTS, start=1)])

    def fts(query):
        found = fts_search(connection, query.text, 10, prefix_last=query.mode == "autocomplete")
        return [keys[rowid] for rowid in found]

    os.makedirs(os.path.join(work, "plain"))
    systems = [("this engine", engine), ("SQLite FTS5 (unicode61 remove_diacritics 2)", fts),
               ("plain Whoosh (StandardAnalyzer + accent_map, OR)", plain_whoosh(os.path.join(work, "plain")))]
    print(f"== Relevance on {len(PRODUCTS)} judged products, {len(QUERIES)} queries")
    for name, run in systems:
        report = evaluate(run)
        print(f"  {name:<50} {report.summary()}")


# --- 2. Speed on generated products -----------------------------------------------------

def make_app(work):
    return create_app({
        "TESTING": False, "SECRET_KEY": "bench-" + "x" * 40,
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(work, "bench.sqlite3"),
        "SEARCH_INDEX_DIR": os.path.join(work, "index"), "UPLOAD_DIR": os.path.join(work, "uploads"),
        "SEARCH_REBUILD_IN_BACKGROUND": False,
    })


def public_rows():
    from catalog.models import Product
    from places.units import province
    from producers.models import Producer

    query = (db.select(Product.id, Product.name, Product.description, Producer.legal_name, Producer.province_code)
             .join(Producer, Producer.id == Product.producer_id)
             .where(Product.status == "published", Producer.status == "verified"))
    for row in db.session.execute(query):
        found = province(row.province_code)
        yield row.id, row.name, row.description, row.legal_name, found.short_name if found else ""


def timed(function, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def query_latency(store, connection, rounds):
    from datetime import date

    today = date.today().toordinal()
    engine_ms, fts_ms, engine_cpu = {}, {}, {}
    for round_number in range(rounds + 1):
        for kind, texts in MIXED_QUERIES.items():
            for text in texts:
                if kind == "prefix":
                    _, wall, cpu = timed(store.suggest, text)
                else:
                    _, wall, cpu = timed(store.search, SearchRequest(text, per_page=24, today=today))
                _, fts_wall, _ = timed(fts_search, connection, text, 24, kind == "prefix")
                if round_number:  # round 0 warms caches, as a running worker is warm
                    engine_ms.setdefault(kind, []).append(wall * 1000)
                    engine_cpu.setdefault(kind, []).append(cpu * 1000)
                    fts_ms.setdefault(kind, []).append(fts_wall * 1000)
    return engine_ms, engine_cpu, fts_ms


def cold_latency(store):
    """Every query once on a fresh snapshot (first search after a worker starts)."""
    from datetime import date

    store.forget()
    values = []
    for kind, texts in MIXED_QUERIES.items():
        for text in texts:
            if kind == "prefix":
                values.append(timed(store.suggest, text)[1] * 1000)
            else:
                values.append(timed(store.search, SearchRequest(text, today=date.today().toordinal()))[1] * 1000)
    return values


def save_latency(app, saves):
    from catalog.models import Product

    ids = [row[0] for row in db.session.execute(
        db.select(Product.id).where(Product.status == "published").order_by(Product.id).limit(saves))]
    results = {}
    for label, sync_on in (("with index update", True), ("database only", False)):
        app.config["SEARCH_SYNC"] = sync_on
        values = []
        for number, product_id in enumerate(ids):
            product = db.session.get(Product, product_id)
            product.name = product.name + (" mới" if sync_on else " cũ")
            product.price_vnd = (product.price_vnd or 0) + number
            _, wall, _ = timed(db.session.commit)
            values.append(wall * 1000)
            db.session.expire_all()
        results[label] = values
    app.config["SEARCH_SYNC"] = True
    return results


def speed(work, count, rounds, saves):
    from bench.gen_products import bulk_insert

    app = make_app(work)
    with app.app_context():
        db.create_all()
        app.config["SEARCH_SYNC"] = False  # bulk rows bypass the ORM anyway
        counts, wall, _ = timed(bulk_insert, db.engine, count, 1)
        app.config["SEARCH_SYNC"] = True
        print(f"\n== Speed with {counts['products']:,} generated products "
              f"(database filled in {wall:.0f} s; {load()})")
        public = sync.public_count()
        indexed, wall, cpu = timed(sync.rebuild)
        print(f"  full rebuild (flask search rebuild: database -> new index -> swap): {wall:.1f} s wall, "
              f"{cpu:.1f} s CPU, {indexed:,} public products (database says {public:,})")
        store = sync.store()
        connection, fts_wall, _ = timed(fts_table, list(public_rows()))
        print(f"  FTS5 table over the same public products built in {fts_wall:.1f} s (for reference)")
        engine_ms, engine_cpu, fts_ms = query_latency(store, connection, rounds)
        print(f"  mixed queries: {sum(len(v) for v in MIXED_QUERIES.values())} queries x {rounds} warm rounds")
        print(f"  {'class':<9}{'engine p50':>12}{'engine p95':>12}{'CPU p95':>10}{'FTS5 p50':>11}{'FTS5 p95':>11}")
        for kind in MIXED_QUERIES:
            print(f"  {kind:<9}{percentile(engine_ms[kind], .5):>10.1f}ms{percentile(engine_ms[kind], .95):>10.1f}ms"
                  f"{percentile(engine_cpu[kind], .95):>8.1f}ms{percentile(fts_ms[kind], .5):>9.1f}ms"
                  f"{percentile(fts_ms[kind], .95):>9.1f}ms")
        every_engine = [v for values in engine_ms.values() for v in values]
        every_cpu = [v for values in engine_cpu.values() for v in values]
        every_fts = [v for values in fts_ms.values() for v in values]
        p95, fts_p95 = percentile(every_engine, .95), percentile(every_fts, .95)
        print(f"  ALL      engine p50 {percentile(every_engine, .5):.1f} ms, p95 {p95:.1f} ms "
              f"(CPU p95 {percentile(every_cpu, .95):.1f} ms); FTS5 p50 {percentile(every_fts, .5):.1f} ms, "
              f"p95 {fts_p95:.1f} ms; p95 ratio engine/FTS5 = {p95 / fts_p95:.2f}")
        typed = [kind for kind in MIXED_QUERIES if kind != "prefix"]
        typed_engine = [v for kind in typed for v in engine_ms[kind]]
        typed_fts = [v for kind in typed for v in fts_ms[kind]]
        print(f"  without the prefix class (FTS5 is slow on short prefixes): engine p95 "
              f"{percentile(typed_engine, .95):.1f} ms, FTS5 p95 {percentile(typed_fts, .95):.1f} ms, ratio "
              f"{percentile(typed_engine, .95) / percentile(typed_fts, .95):.2f}")
        same, check_wall, _ = timed(sync.compare)
        print(f"  content check (flask search status, rebuild --if-needed): {check_wall:.1f} s for "
              f"{indexed:,} products ({'match' if same else 'DIFFERENT'}); ratio to the full rebuild = "
              f"{check_wall / wall:.2f}")
        sync.catch_up_before_search()  # the process's first search: a full catch-up
        check = [timed(sync.catch_up_before_search)[1] * 1000 for _ in range(200)]
        print(f"  change-log check before each search (index current): p50 {percentile(check, .5):.2f} ms, "
              f"p95 {percentile(check, .95):.2f} ms; ratio to the engine's p50 = "
              f"{percentile(check, .5) / percentile(every_engine, .5):.2f}")
        cold = cold_latency(store)
        print(f"  first search of each query on a fresh snapshot: p50 {percentile(cold, .5):.1f} ms, "
              f"p95 {percentile(cold, .95):.1f} ms, max {max(cold):.0f} ms")
        for label, values in save_latency(app, saves).items():
            print(f"  product save ({label}): p50 {percentile(values, .5):.1f} ms, "
                  f"p95 {percentile(values, .95):.1f} ms over {len(values)} saves")
        print(f"  index size on disk: {_size(store.current_path()) / 1e6:.1f} MB; {load()}")


def _size(path):
    return sum(os.path.getsize(os.path.join(path, name)) for name in os.listdir(path))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--saves", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-search-") as work:
        print(load())
        relevance(work)
        speed(work, args.products, args.rounds, args.saves)


if __name__ == "__main__":
    main()
