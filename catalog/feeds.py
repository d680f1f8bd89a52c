"""Public feeds for scheduled fetching, cached on disk, and JPEG copies of photo renditions.

Feeds. `/feeds/google.xml` and `/feeds/meta.csv` list public listings only (published products
of verified producers). Writing one takes seconds at 100,000 products, so it is written once
per *state* and kept on disk (FEED_CACHE_DIR, default UPLOAD_DIR/../feeds), plain and gzipped.
The state is what a feed's content depends on: the newest product, producer and photo change,
the number of products and of photos (deletions leave no timestamp behind), today's date
(seasonal availability and certificate expiry move with the calendar) and the public address.
Its hash is the ETag and names the cached files, so a reader never mixes two versions. A stale
version is served while a background thread writes the new one under a file lock.
`flask --app app catalog feeds` writes them ahead of time (say from cron after midnight and
after imports), so that no fetch gets a stale feed or waits for the first one to be written.

JPEG. Our renditions are WebP, but Meta takes only JPG and PNG: `jpeg_for(key, width)` converts
a stored rendition once and keeps `<key>-<width>.jpg` beside it, written the way media.storage
writes (temp file, fsync, rename; leftover `.tmp` files are removed by its orphan clean-up).
"""
from __future__ import annotations

import fcntl
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import threading
import time as clock
import uuid
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from PIL import Image

from catalog import images
from catalog.exporters import EXPORTERS
from catalog.listings import ExportScope, run_export
from catalog.models import Product, ProductPhoto
from extensions import db
from media.storage import TEMP_SUFFIX
from producers.models import Producer

FEED_FORMATS = {"google.xml": "google-xml", "meta.csv": "meta-csv"}
FEED_MAX_AGE_SECONDS = 900
JPEG_QUALITY = 85
# Bump when the feed writing changes, so caches written by older code are not served.
FEED_CODE_VERSION = "2"  # 2: Meta CSV without the spreadsheet formula guard


@dataclass(frozen=True)
class FeedState:
    newest_change: datetime | None  # UTC, naive as stored
    products: int
    newest_photo_id: int
    photos: int
    day: date
    base_url: str

    def etag(self, feed_name: str) -> str:
        text = "|".join(str(part) for part in (
            FEED_CODE_VERSION, feed_name, self.newest_change, self.products, self.newest_photo_id,
            self.photos, self.day, self.base_url))
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    @property
    def last_modified(self) -> datetime:
        """Newest change, but not before today's local midnight: the day itself changes the feed."""
        midnight = datetime.combine(self.day, time.min).astimezone(timezone.utc)
        if self.newest_change is None:
            return midnight
        return max(self.newest_change.replace(tzinfo=timezone.utc), midnight)


def current_state(today: date | None = None) -> FeedState:
    newest_product, newest_producer = db.session.execute(db.select(
        db.select(db.func.max(Product.updated_at)).scalar_subquery(),
        db.select(db.func.max(Producer.updated_at)).scalar_subquery())).one()
    # All products, not just public ones: a cheap index count, and any change of status already
    # moves an update time; the count catches deletions.
    products = db.session.scalar(db.select(db.func.count(Product.id)))
    newest_photo, photos = db.session.execute(
        db.select(db.func.max(ProductPhoto.id), db.func.count(ProductPhoto.id))).one()
    changes = [moment for moment in (newest_product, newest_producer) if moment is not None]
    return FeedState(newest_change=max(changes) if changes else None, products=products or 0,
                     newest_photo_id=newest_photo or 0, photos=photos or 0, day=today or date.today(),
                     base_url=current_app.config["PUBLIC_BASE_URL"].rstrip("/"))


def feed_dir() -> Path:
    configured = current_app.config.get("FEED_CACHE_DIR")
    folder = Path(configured) if configured else Path(current_app.config["UPLOAD_DIR"]).resolve().parent / "feeds"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class CachedFeed:
    path: Path
    gzip_path: Path
    etag: str
    last_modified: datetime
    exported: int
    skipped: int


def cached_feed(feed_name: str, state: FeedState | None = None, *, wait: bool = False) -> CachedFeed:
    """The feed file for the current state.

    When the cache holds an older version, that one is returned at once and the new one is
    written by a background thread of this process (a feed of 100,000 products takes longer to
    write than a worker may spend on a request). With `wait`, or when there is no version at all
    yet, the new one is written before returning. Writers of all processes take turns on a file
    lock, and each finds what the previous one wrote.
    """
    state = state or current_state()
    etag = state.etag(feed_name)
    folder = feed_dir()
    found = _read_index(folder, feed_name, etag)
    if found is not None:
        return found
    if not wait:
        previous = _read_index(folder, feed_name, None)
        if previous is not None:
            _refresh_in_background(feed_name, state)
            return previous
    return _write_under_lock(folder, feed_name, etag, state)


def _write_under_lock(folder: Path, feed_name: str, etag: str, state: FeedState) -> CachedFeed:
    with open(folder / f"{feed_name}.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            found = _read_index(folder, feed_name, etag)  # another process may have just written it
            if found is not None:
                return found
            return _generate(folder, feed_name, etag, state)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


_refreshes: dict[str, threading.Thread] = {}
_refreshes_guard = threading.Lock()


def _refresh_in_background(feed_name: str, state: FeedState) -> None:
    app = current_app._get_current_object()

    def refresh():
        with app.app_context():
            try:
                cached_feed(feed_name, state, wait=True)
            except Exception:  # a failed refresh leaves the previous version in place
                app.logger.exception("feed %s could not be written", feed_name)
            finally:
                db.session.remove()

    with _refreshes_guard:
        running = _refreshes.get(feed_name)
        if running is not None and running.is_alive():
            return
        thread = threading.Thread(target=refresh, name=f"feed-{feed_name}", daemon=True)
        _refreshes[feed_name] = thread
        thread.start()


def wait_for_refreshes(timeout: float | None = None) -> None:
    """Block until this process's background feed writers are done (tests, the command line)."""
    for thread in list(_refreshes.values()):
        thread.join(timeout)


def _read_index(folder: Path, feed_name: str, etag: str | None) -> CachedFeed | None:
    """The cached version named by the index when it is `etag` (None: whichever it is)."""
    try:
        index = json.loads((folder / f"{feed_name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if etag is None:
        etag = str(index.get("etag", ""))
    if index.get("etag") != etag or not re.fullmatch(r"[0-9a-f]{32}", etag):
        return None
    path, gzip_path = folder / f"{feed_name}.{etag}", folder / f"{feed_name}.{etag}.gz"
    if not (path.is_file() and gzip_path.is_file()):
        return None
    return CachedFeed(path, gzip_path, etag, datetime.fromisoformat(index["last_modified"]),
                      index.get("exported", 0), index.get("skipped", 0))


def channel_options(exporter_name: str) -> dict:
    """Values a format needs besides the listings: the RSS channel, the photo files of a ZIP."""
    if exporter_name == "zip":
        return {"photo_file": images.exported_photo_files()}
    if exporter_name != "google-xml":
        return {}
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return {"channel_title": "Chợ Quê", "channel_link": base + "/",
            "channel_description": _("OCOP products from cooperatives and farming households")}


def _generate(folder: Path, feed_name: str, etag: str, state: FeedState) -> CachedFeed:
    exporter = EXPORTERS[FEED_FORMATS[feed_name]]
    path, gzip_path = folder / f"{feed_name}.{etag}", folder / f"{feed_name}.{etag}.gz"
    temp, gzip_temp = _temp_name(path), _temp_name(gzip_path)
    try:
        with open(temp, "wb") as out, force_locale("vi"):
            report = run_export(exporter, ExportScope.public(), out, today=state.day,
                                **channel_options(exporter.name))
        with open(temp, "rb") as source, open(gzip_temp, "wb") as raw, \
                gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as packed:
            shutil.copyfileobj(source, packed, 1024 * 1024)
        os.replace(temp, path)
        os.replace(gzip_temp, gzip_path)
    finally:
        for leftover in (temp, gzip_temp):
            with suppress(FileNotFoundError):
                leftover.unlink()
    if report.skipped:
        current_app.logger.info("feed %s: %s listings left out", feed_name, len(report.skipped))
    index = {"etag": etag, "last_modified": state.last_modified.isoformat(), "exported": report.exported,
             "skipped": len(report.skipped)}
    index_temp = _temp_name(folder / f"{feed_name}.json")
    index_temp.write_text(json.dumps(index), encoding="utf-8")
    os.replace(index_temp, folder / f"{feed_name}.json")
    _remove_old_versions(folder, feed_name, keep=etag)
    return CachedFeed(path, gzip_path, etag, state.last_modified, report.exported, len(report.skipped))


def _temp_name(target: Path) -> Path:
    return target.with_name(f"{target.name}.{uuid.uuid4().hex[:12]}{TEMP_SUFFIX}")


def _remove_old_versions(folder: Path, feed_name: str, keep: str) -> None:
    """Older versions go once the index names the new one (a reader that opened one keeps it),
    and so do temp files of writers that died an hour ago or more."""
    prefix = f"{feed_name}."
    stale_before = clock.time() - 3600
    for entry in folder.iterdir():
        name = entry.name
        if name.startswith(prefix) and name.endswith(TEMP_SUFFIX):
            with suppress(FileNotFoundError):
                if entry.stat().st_mtime < stale_before:
                    entry.unlink()
            continue
        if not name.startswith(prefix) or name.endswith((".json", ".lock")):
            continue
        version = name[len(prefix):].removesuffix(".gz")
        if version != keep and len(version) == 32 and all(c in "0123456789abcdef" for c in version):
            with suppress(FileNotFoundError):
                entry.unlink()


# --- JPEG copies of renditions ------------------------------------------------------------------

def webp_to_jpeg(data: bytes, quality: int = JPEG_QUALITY) -> bytes:
    """A baseline sRGB JPEG of a (trusted, already re-encoded) WebP rendition."""
    with Image.open(io.BytesIO(data)) as picture:
        picture.load()
        rgb = picture.convert("RGB")
    buffer = io.BytesIO()
    rgb.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def jpeg_for(key: str, width: int) -> bytes | None:
    """The JPEG copy (bytes) of a stored rendition, converted on first use and kept; None when the
    rendition is missing. `key` and `width` must have been checked (images.is_valid_key, images.WIDTHS)."""
    return images.store().derived(key, width, ".jpg", webp_to_jpeg)
