"""Faults on the database and the photo files (docs/SECURITY-REFERENCE.md §7): F1, F2, F7, F8, F9, F12.
Each `fN(ctx)` returns (passed, what happened). Run by bench/bench_faults.py.

F1 and F2 kill a child process with SIGKILL at a chosen moment (the child is the app itself,
`python -m bench.faults_data CHILD …` with the site's settings); F7 and F8 put the upload folder
and the SQLite file on a small tmpfs and fill it (needs root for `mount`).
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.html_forms import CSRF, form_having, replace_fields  # noqa: E402
from bench.load_site import DEMO_PASSWORD, PYTHON, Gunicorn  # noqa: E402
from bench.people import Person  # noqa: E402


# The site's own error pages (core/web.py), in either language.
ERROR_PAGE_WORDS = ("The site is busy", "Trang đang bận", "Something went wrong on our side", "Hệ thống gặp sự cố")


def files_under(folder) -> set[str]:
    return {os.path.relpath(os.path.join(path, name), folder) for path, _dirs, names in os.walk(folder)
            for name in names}


def scalar(site, sql: str, **params):
    from sqlalchemy import create_engine, text

    engine = create_engine(site.database)
    with engine.connect() as connection:
        value = connection.execute(text(sql), params).scalar()
    engine.dispose()
    return value


def referenced_keys(site) -> set[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(site.database)
    with engine.connect() as connection:
        keys = {row[0] for sql in ("SELECT image_key FROM product_photos", "SELECT image_key FROM certificates",
                                   "SELECT image_key FROM producer_documents")
                for row in connection.execute(text(sql)) if row[0]}
    engine.dispose()
    return keys


def run_child(site, *args, timeout=300):
    process = subprocess.Popen([PYTHON, "-m", "bench.faults_data", *args], cwd=ROOT, env=site.env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


# --- F1: SIGKILL after the photo files are written, before the commit ------------------------

def f1(ctx):
    site, producer = ctx.site, ctx.producer
    upload_dir = site.env["FLASK_UPLOAD_DIR"]
    before_files = files_under(upload_dir)
    before_products = scalar(site, "SELECT COUNT(*) FROM products")
    before_photos = scalar(site, "SELECT COALESCE(MAX(id), 0) FROM product_photos")
    code, _out, err = run_child(site, "f1-child", producer["phone"], str(producer["producer_id"]),
                                ctx.photos["photo-4mb.jpg"])
    if code != -signal.SIGKILL:
        return False, f"the child was not killed at the commit (exit {code}): {err[-400:]}"
    orphans = files_under(upload_dir) - before_files
    rows_added = scalar(site, "SELECT COUNT(*) FROM products") - before_products
    photos_added = scalar(site, "SELECT COUNT(*) FROM product_photos WHERE id > :id", id=before_photos)
    temp_left = [name for name in orphans if name.endswith(".tmp")]
    from media.storage import ImageStore

    removed = ImageStore(upload_dir).cleanup_orphans(referenced_keys(site), older_than_seconds=0)
    left = (files_under(upload_dir) - before_files)
    lost = before_files - files_under(upload_dir)
    response = Person(ctx.server.base_url).log_in(producer["phone"]).upload(
        producer["producer_id"], ctx.photos["photo-4mb.jpg"], "Sau F1")
    passed = (rows_added == 0 and photos_added == 0 and len(orphans) >= 3 and not temp_left and not left
              and not lost and response.status_code == 302)
    return passed, (f"killed after {len(orphans)} rendition files were written: {rows_added} product rows, "
                    f"{photos_added} photo rows added, {len(temp_left)} temp files; the janitor "
                    f"(ImageStore.cleanup_orphans) removed {len(removed)} orphans, kept every referenced file "
                    f"({len(lost)} lost); next upload {response.status_code}")


def f1_child(phone: str, producer_id: str, photo: str):
    from sqlalchemy.orm import Session
    from werkzeug.datastructures import MultiDict

    from app import create_app

    client = create_app().test_client()
    token = CSRF.search(client.get("/dang-nhap").get_data(as_text=True)).group(1)
    client.post("/dang-nhap", data={"csrf_token": token, "phone": phone, "password": DEMO_PASSWORD, "next": ""})
    url = f"/nha-san-xuat/{producer_id}/san-pham/moi"
    form = form_having(client.get(url).get_data(as_text=True), "price")
    fields = replace_fields(form["fields"], name="F1 kill before commit", price="100.000", unit="hộp",
                            status="draft", ref="", product_set_code="4")
    Session.commit = lambda *_args, **_kwargs: os.kill(os.getpid(), signal.SIGKILL)
    with open(photo, "rb") as fh:
        client.post(url, data=MultiDict(fields + [("photos", (fh, "anh.jpg", "image/jpeg"))]),
                    content_type="multipart/form-data")
    sys.exit(3)  # not reached when the request got to its commit


# --- F2: SIGKILL while SQLite writes ----------------------------------------------------------

BATCH = 200


def f2(ctx):
    site = ctx.site
    if not site.is_sqlite:
        return None, "SQLite only"
    before = scalar(site, "SELECT COUNT(*) FROM search_changes")
    process = subprocess.Popen([PYTHON, "-m", "bench.faults_data", "f2-child"], cwd=ROOT, env=site.env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    acknowledged = 0
    deadline = time.monotonic() + 120
    while acknowledged < 20 and time.monotonic() < deadline and process.stdout.readline():
        acknowledged += 1  # writing in full swing: now the kill lands inside some transaction
    process.send_signal(signal.SIGKILL)
    acknowledged += len(process.stdout.read().split())
    code = process.wait()
    with sqlite3.connect(site.sqlite_path) as check:
        integrity = check.execute("PRAGMA integrity_check").fetchone()[0]
        added = check.execute("SELECT COUNT(*) FROM search_changes").fetchone()[0] - before
    whole = added % BATCH == 0 and acknowledged <= added // BATCH <= acknowledged + 1
    passed = code == -signal.SIGKILL and integrity == "ok" and whole and acknowledged > 0
    return passed, (f"killed after {acknowledged} acknowledged commits of {BATCH} rows; integrity_check "
                    f"{integrity}; {added} rows = {added / BATCH:g} whole transactions")


def f2_child():
    from sqlalchemy import text

    from app import create_app
    from extensions import db

    app = create_app()
    with app.app_context():
        product_id = db.session.scalar(text("SELECT MIN(id) FROM products"))
        number = 0
        while True:
            with db.engine.begin() as connection:
                connection.execute(text("INSERT INTO search_changes (product_id) VALUES (:id)"),
                                   [{"id": product_id}] * BATCH)
            number += 1
            print(number, flush=True)


# --- F7, F8: a full file system ---------------------------------------------------------------

@contextmanager
def small_tmpfs(folder: Path, megabytes: int):
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(folder)], check=True,
                   capture_output=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path) -> Path:
    """A file taking every free byte (unbuffered, so nothing is left to flush on close)."""
    filler = folder / "filler.bin"
    with open(filler, "ab", buffering=0) as fh:
        for chunk in (65536, 512, 1):
            try:
                while True:
                    fh.write(b"\0" * chunk)
            except OSError:
                pass
    return filler


def f7(ctx):
    site, producer = ctx.site, ctx.producer
    with small_tmpfs(site.folder / "full-uploads", 4) as uploads:
        fill(uploads)
        before = scalar(site, "SELECT COUNT(*) FROM products")
        with Gunicorn(site, env={"FLASK_UPLOAD_DIR": str(uploads)}) as server:
            response = Person(server.base_url).log_in(producer["phone"]).upload(
                producer["producer_id"], ctx.photos["photo-4mb.jpg"], "F7 disk full")
        left = files_under(uploads) - {"filler.bin"}
        added = scalar(site, "SELECT COUNT(*) FROM products") - before
    says = "could not be saved" in response.text or "không lưu được" in response.text.lower()
    passed = response.status_code in (503, 507) and not left and added == 0
    return passed, (f"upload onto a full tmpfs: {response.status_code}"
                    f"{' with the storage message' if says else ''}; files left {sorted(left)[:3]}; "
                    f"product rows added {added}")


def f8(ctx):
    site, producer = ctx.site, ctx.producer
    if not site.is_sqlite:
        return None, "SQLite only"
    size_mb = site.sqlite_path.stat().st_size // (1024 * 1024) + 12
    with small_tmpfs(site.folder / "full-db", size_mb) as folder:
        copy = folder / "site.sqlite3"
        with sqlite3.connect(site.sqlite_path) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        database = "sqlite:///" + str(copy)
        with Gunicorn(site, env={"FLASK_SQLALCHEMY_DATABASE_URI": database}) as server:
            person = Person(server.base_url).log_in(producer["phone"])
            product_id = producer["product_ids"][0]
            with sqlite3.connect(copy) as wal:
                wal.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the next write must grow the WAL
            filler = fill(folder)
            full = person.edit(producer["producer_id"], product_id, price="123.000")
            browse = person.get("/san-pham").status_code
            with sqlite3.connect(copy) as check:
                integrity = check.execute("PRAGMA integrity_check").fetchone()[0]
                price = check.execute("SELECT price_vnd FROM products WHERE id = ?", (product_id,)).fetchone()[0]
            filler.unlink()
            again = person.edit(producer["producer_id"], product_id, price="124.000")
            with sqlite3.connect(copy) as check:
                later = check.execute("PRAGMA integrity_check").fetchone()[0]
                saved = check.execute("SELECT price_vnd FROM products WHERE id = ?", (product_id,)).fetchone()[0]
    error_page = any(words in full.text for words in ERROR_PAGE_WORDS)
    passed = (full.status_code >= 500 and error_page and price != 123_000 and integrity == "ok" and later == "ok"
              and again.status_code == 302 and saved == 124_000)
    return passed, (f"edit on a full disk: {full.status_code} {'error page' if error_page else 'NO error page'}, "
                    f"price unchanged {price != 123_000}; browsing meanwhile {browse}; integrity_check {integrity}; "
                    f"after freeing space: edit {again.status_code}, integrity_check {later}")


# --- F9: another process holds SQLite's writer lock 8 s -----------------------------------------

def f9(ctx):
    site, producer = ctx.site, ctx.producer
    if not site.is_sqlite:
        return None, "SQLite only"
    person = Person(ctx.server.base_url).log_in(producer["phone"])
    product_id = producer["product_ids"][0]
    holder = sqlite3.connect(site.sqlite_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(8, holder.rollback)
    release.start()
    try:
        started = time.monotonic()
        response = person.edit(producer["producer_id"], product_id, price="321.000")
        waited = time.monotonic() - started
        browse = person.get("/san-pham").status_code
    finally:
        release.join()
        holder.close()
    price = scalar(site, "SELECT price_vnd FROM products WHERE id = :id", id=product_id)
    busy_page = any(words in response.text for words in ERROR_PAGE_WORDS[:2])
    passed = response.status_code == 503 and busy_page and 4.5 <= waited < 8 and price != 321_000
    return passed, (f"edit behind BEGIN EXCLUSIVE: {response.status_code}{' busy page' if busy_page else ''} "
                    f"after {waited:.1f} s "
                    f"(Retry-After {response.headers.get('Retry-After')}); browsing meanwhile {browse}; "
                    f"nothing written: {price != 321_000}")


# --- F12: a stored photo deleted, another truncated ----------------------------------------------

def f12(ctx):
    site = ctx.site
    from sqlalchemy import create_engine, text

    engine = create_engine(site.database)
    with engine.connect() as connection:
        key, product_id, slug = connection.execute(text(
            "SELECT f.image_key, p.id, p.slug FROM product_photos f JOIN products p ON p.id = f.product_id "
            "JOIN producers r ON r.id = p.producer_id WHERE p.status = 'published' AND r.status = 'verified' "
            "AND r.owner_id IS NOT NULL ORDER BY f.id LIMIT 1")).one()
    engine.dispose()
    upload_dir = Path(site.env["FLASK_UPLOAD_DIR"])
    (upload_dir / key[:2] / f"{key}-160.webp").unlink()
    path480 = upload_dir / key[:2] / f"{key}-480.webp"
    os.truncate(path480, path480.stat().st_size // 2)
    person = Person(ctx.server.base_url)
    page = person.get(f"/san-pham/{slug}-{product_id}").status_code
    results = []
    for width in (160, 480):
        response = person.get(f"/anh/{key}/{width}.webp")
        placeholder = (ROOT / "static" / "img" / f"placeholder-{width}.webp").read_bytes()
        results.append((width, response.status_code, response.headers.get("Content-Type"),
                        response.content == placeholder))
    passed = page == 200 and all(code == 200 and kind == "image/webp" and same for _w, code, kind, same in results)
    return passed, (f"product page {page}; " + "; ".join(
        f"{'deleted' if width == 160 else 'truncated'} {width} px: {code} {kind}"
        f"{' placeholder' if same else ' NOT the placeholder'}" for width, code, kind, same in results))


if __name__ == "__main__":
    if sys.argv[1] == "f1-child":
        f1_child(*sys.argv[2:5])
    elif sys.argv[1] == "f2-child":
        f2_child()
