"""Faults on the search index (docs/SECURITY-REFERENCE.md §7): F3 truncated segment, F4 index deleted,
F5 writer lock held elsewhere, F6 stale lock files. Each `fN(ctx)` returns (passed, what
happened). A product renamed to an unusual word shows whether search still finds the truth."""
from __future__ import annotations

import fcntl
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load_site import PYTHON  # noqa: E402
from bench.people import Person  # noqa: E402


def index_root(site) -> Path:
    return Path(site.env["FLASK_SEARCH_INDEX_DIR"])


def status(site) -> str:
    return site.flask("search", "status", "--lang", "en", check=False).stdout


def rename(ctx, person: Person | None = None) -> tuple[int, str, int]:
    """Rename the demo producer's first product to a word nobody else uses; (status, word, id)."""
    word = "zq" + "".join(random.choice("bdfghklmnprstvx") for _ in range(6))
    person = person or Person(ctx.server.base_url).log_in(ctx.producer["phone"])
    product_id = ctx.producer["product_ids"][0]
    response = person.edit(ctx.producer["producer_id"], product_id, name=f"Mật ong {word}")
    return response.status_code, word, product_id


def found_within(ctx, word: str, product_id: int, seconds: float) -> float | None:
    """Seconds until a search for `word` lists the product, or None."""
    person = Person(ctx.server.base_url)
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        code, ids = person.search(word)
        if code == 200 and product_id in ids:
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def matches(text: str) -> bool:
    return "Index: ok" in text and "every product matches the database" in text


def f3(ctx):
    site = ctx.site
    current = index_root(site) / "current"
    segments = sorted((path for path in current.resolve().iterdir()
                       if path.is_file() and path.suffix not in (".json", ".toc") and "WRITELOCK" not in path.name),
                      key=lambda path: path.stat().st_size, reverse=True)
    victim = segments[0]
    version = current.resolve().name
    log_offset = len(ctx.server.log_text())
    os.truncate(victim, victim.stat().st_size // 3)
    code, ids = Person(ctx.server.base_url).search("mật ong")
    after = status(site)
    logged = "damaged" in ctx.server.log_text()[log_offset:]
    swapped = (index_root(site) / "current").resolve().name != version  # the app's own rebuild in a thread
    detected = "NOT USABLE" in after or "not readable" in after or "differ" in after or logged
    site.flask("search", "rebuild", "--if-needed", "--lang", "en", check=False)
    healed = status(site)
    saved, word, product_id = rename(ctx)
    seen = found_within(ctx, word, product_id, 5)
    crash = subprocess.run([PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            "tests/journeys/test_search_crash.py::test_a_crash_at_any_step_loses_nothing[whoosh-commit]"],
                           cwd=ROOT, capture_output=True, text=True, timeout=600)
    crash_ok = crash.returncode == 0
    passed = code == 200 and ids and detected and matches(healed) and saved == 302 and seen is not None and crash_ok
    return passed, (f"segment {victim.name} cut to a third: search {code} with {len(ids)} results (logged "
                    f"'damaged', answered from the database: {logged}); a new index version swapped in by the "
                    f"app's background rebuild: {swapped}; after `search rebuild --if-needed`: "
                    f"{'ok, every product matches' if matches(healed) else healed!r}; then a save {saved} and the "
                    f"renamed product found {'in %.1f s' % seen if seen is not None else 'NOT'}; "
                    f"kill during Whoosh commit (tests/journeys/test_search_crash.py[whoosh-commit]): "
                    f"{'passed' if crash_ok else crash.stdout[-300:]}")


def f4(ctx):
    site = ctx.site
    root = index_root(site)
    for entry in root.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    person = Person(ctx.server.base_url)
    code, ids = person.search("mật ong")
    saved, word, product_id = rename(ctx)
    seen = found_within(ctx, word, product_id, 5)
    waited, healed = 0.0, status(site)
    while not matches(healed) and waited < 90:  # the app rebuilds a missing index in a thread
        time.sleep(3)
        waited += 3
        healed = status(site)
    rebuilt_by_app = matches(healed)
    if not rebuilt_by_app:
        site.flask("search", "rebuild", "--lang", "en", check=False)
        healed = status(site)
    passed = code == 200 and len(ids) > 0 and saved == 302 and seen is not None and matches(healed)
    return passed, (f"index folder emptied: search {code} with {len(ids)} results (SQL fallback); save {saved}, "
                    f"renamed product found {'in %.1f s' % seen if seen is not None else 'NOT'}; "
                    + (f"the app rebuilt it by itself within {waited:.0f} s" if rebuilt_by_app
                       else "rebuilt by `flask search rebuild`") + f"; counts match: {matches(healed)}")


def f5(ctx):
    site = ctx.site
    lock_path = index_root(site) / "changes.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        held_since = time.monotonic()
        started = time.monotonic()
        code, word, product_id = rename(ctx)
        save_seconds = time.monotonic() - started
        during = status(site)
        behind = "Changes not applied: 0" not in during
        remaining = 10 - (time.monotonic() - held_since)
        if remaining > 0:
            time.sleep(remaining)
    finally:
        os.close(fd)
    seen = found_within(ctx, word, product_id, 10)
    after = status(site)
    passed = code == 302 and behind and seen is not None and "Changes not applied: 0" in after
    return passed, (f"changes.lock held 10 s by another process: save {code} in {save_seconds:.1f} s; index "
                    f"behind the change log meanwhile (search_dirty): {behind}; after release the renamed product "
                    f"was found {'in %.1f s' % seen if seen is not None else 'NOT'}; "
                    f"changes not applied afterwards: {'0' if 'Changes not applied: 0' in after else after}")


def f6(ctx):
    site = ctx.site
    root = index_root(site)
    current = (root / "current").resolve()
    stale = [root / "changes.lock", root / "build.lock", current / "MAIN_WRITELOCK"]
    for path in stale:
        path.touch()  # present, but nobody holds an flock on them
    code, word, product_id = rename(ctx)
    seen = found_within(ctx, word, product_id, 5)
    still_there = [path.name for path in stale if path.exists()]
    passed = code == 302 and seen is not None and len(still_there) == len(stale)
    return passed, (f"stale lock files {[path.name for path in stale]}: save {code}, renamed product found "
                    f"{'in %.1f s' % seen if seen is not None else 'NOT'}; lock files left in place: "
                    f"{len(still_there)}/{len(stale)}")
