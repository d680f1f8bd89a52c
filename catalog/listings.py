"""Products in the database as exporter `Listing` records, streamed, and the export run.

    scope = ExportScope.for_user(user)                       # who may export what
    report = run_export(EXPORTERS["google-xml"], scope, out)  # the file goes to `out`

Rows are read in keyset batches (`id > last id ORDER BY id LIMIT n`) as plain column tuples:
products joined to their producer and certificate in one query, their photos in a second query
per batch, so the number of queries grows with batches, never with products, and nothing is
kept in the session's identity map. ORM objects with eager loading would do the same queries
but cost several times the CPU at 100,000 products (bench/bench_export_db.py).

URLs are absolute on the `PUBLIC_BASE_URL` setting, never on the request, so the command line,
the download page and the public feeds build the same addresses. Paths come from the catalogue's
own endpoints (`catalog.product`, `catalog.image_jpeg`) through the URL map, built once per run
and filled per product. Image links point to the JPEG copy of the largest rendition: Meta takes
only JPG/PNG, and every other channel takes JPEG too.
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from typing import BinaryIO, Iterator
from urllib.parse import quote

from flask import current_app
from flask_babel import gettext

from accounts.models import Role
from catalog import export_log, images
from catalog.exporters import MESSAGES, Exporter, InvalidListing, Listing, ListingIssue, Problem
from catalog.exporters.problems import ExportReport
from catalog.importer.values import match_key
from catalog.models import Product, ProductPhoto, ProductStatus
from catalog.certificates import earliest_valid_decision_date
from catalog.rules import DEFAULT_SLUG
from accounts.phones import display_phone
from extensions import db
from places import units
from producers.models import Certificate, Producer, ProducerStatus
from producers.ocop import product_set

BATCH_SIZE = 1000
LARGEST_WIDTH = max(images.WIDTHS)
EXPORTING_ROLES = (Role.PRODUCER, Role.OFFICER, Role.ADMIN)
# Formats whose every item links to the product page: a page buyers cannot open is useless there.
PAGE_LINK_FORMATS = frozenset({"google-xml", "google-tsv", "meta-csv"})
ID_PREFIX = "OCOP-"
_PLAIN_SLUG = re.compile(r"[a-z0-9-]+")


def N_(message: str) -> str:
    return message


# Reasons of our own, beside catalog.exporters.problems.MESSAGES (same translation path).
OWN_MESSAGES = {
    "page_not_public": N_("The product page is not public (the producer is not verified or is suspended), "
                          "so this channel has no page to link to."),
}


def problem_message(problem: Problem) -> str:
    """A skip reason or note in the current language."""
    return gettext(MESSAGES.get(problem.code) or OWN_MESSAGES[problem.code], **dict(problem.params))


def listing_id(product_id: int) -> str:
    """Stable ASCII id shared by every channel: product 123 is OCOP-000123."""
    return f"{ID_PREFIX}{product_id:06d}"


def product_id_of(listing_label: str) -> int | None:
    """The product id inside a listing id, or None when the label is not one."""
    digits = listing_label[len(ID_PREFIX):] if listing_label.startswith(ID_PREFIX) else ""
    return int(digits) if digits.isascii() and digits.isdigit() else None


@dataclass(frozen=True)
class ExportScope:
    """Which published products an export may contain; every filter applies together.

    `owner_id`: producers this user owns (a producer's own business). `commune_codes`: an
    officer's communes (an empty tuple means nothing). `public_only`: verified producers only.
    """

    owner_id: int | None = None
    commune_codes: tuple[int, ...] | None = None
    province_code: int | None = None
    producer_id: int | None = None
    public_only: bool = False

    @classmethod
    def for_user(cls, user, *, province_code=None, producer_id=None) -> "ExportScope":
        if user.role == Role.ADMIN:
            return cls(province_code=province_code, producer_id=producer_id)
        if user.role == Role.OFFICER:
            return cls(commune_codes=tuple(user.commune_codes), province_code=province_code,
                       producer_id=producer_id)
        if user.role == Role.PRODUCER:
            return cls(owner_id=user.id)
        raise ValueError(f"role {user.role!r} may not export")

    @classmethod
    def public(cls) -> "ExportScope":
        return cls(public_only=True)

    def producer_conditions(self) -> list:
        conditions = []
        if self.owner_id is not None:
            conditions.append(Producer.owner_id == self.owner_id)
        if self.commune_codes is not None:
            conditions.append(Producer.commune_code.in_(self.commune_codes or (-1,)))
        if self.province_code is not None:
            conditions.append(Producer.province_code == self.province_code)
        if self.producer_id is not None:
            conditions.append(Producer.id == self.producer_id)
        if self.public_only:
            conditions.append(Producer.status == ProducerStatus.VERIFIED)
        return conditions

    def producers(self):
        """Select the producers in scope (for choosing one on the export page)."""
        return db.select(Producer).where(*self.producer_conditions())


@dataclass
class ListingRecord:
    listing: Listing
    page_is_public: bool  # buyers can open its page: published by a verified producer


class UrlBuilder:
    """Absolute URLs on PUBLIC_BASE_URL from the catalogue's endpoints, built without a request."""

    _SLUG, _ID, _KEY, _WIDTH = "slugsentinel", 987654321, "keysentinel", 9876

    def __init__(self, app=None):
        app = app or current_app
        self.base = app.config["PUBLIC_BASE_URL"].rstrip("/")
        adapter = app.url_map.bind("localhost")
        self._product = _pattern(adapter.build("catalog.product", {"slug": self._SLUG, "product_id": self._ID}),
                                 {self._SLUG: "{slug}", str(self._ID): "{id}"})
        self._image = _pattern(adapter.build("catalog.image_jpeg", {"key": self._KEY, "width": self._WIDTH}),
                               {self._KEY: "{key}", str(self._WIDTH): "{width}"})
        # The largest rendition is asked for per photo, 200,000 times at 100,000 products.
        self._largest = (self.base + self._image.format(key="{key}", width=LARGEST_WIDTH)).split("{key}")

    def product(self, product_id: int, slug: str) -> str:
        slug = slug or DEFAULT_SLUG
        if not _PLAIN_SLUG.fullmatch(slug):  # slugify() never makes such slugs; older rows might hold one
            slug = quote(slug, safe="")
        return self.base + self._product.format(slug=slug, id=product_id)

    def image(self, key: str, width: int = LARGEST_WIDTH) -> str:
        if width == LARGEST_WIDTH:
            return self._largest[0] + key + self._largest[1]
        return self.base + self._image.format(key=key, width=width)


def _pattern(path: str, placeholders: dict[str, str]) -> str:
    path = path.replace("{", "{{").replace("}", "}}")
    for sentinel, placeholder in placeholders.items():
        if path.count(sentinel) != 1:
            raise RuntimeError(f"cannot derive a URL pattern from {path!r}")
        path = path.replace(sentinel, placeholder)
    return path


_PRODUCT_COLUMNS = (
    Product.id, Product.ref, Product.name, Product.slug, Product.description, Product.product_set_code,
    Product.price_vnd, Product.unit, Product.weight_g, Product.availability, Product.season_months,
    Product.producer_id, Certificate.decision_no, Certificate.decision_date, Certificate.stars,
)
_PRODUCER_COLUMNS = (
    Producer.id, Producer.legal_name, Producer.kind, Producer.province_code, Producer.commune_code,
    Producer.phone, Producer.tax_code, Producer.status,
)


def _batch_query(scope: ExportScope, after_id: int, size: int):
    query = db.select(*_PRODUCT_COLUMNS).outerjoin(Certificate, Certificate.id == Product.certificate_id)
    conditions = scope.producer_conditions()
    if conditions:
        query = query.join(Producer, Producer.id == Product.producer_id).where(*conditions)
    return (query.where(Product.status == ProductStatus.PUBLISHED, Product.id > after_id)
            .order_by(Product.id).limit(size))


def _photo_keys(connection, product_ids: list[int]) -> dict[int, list[str]]:
    keys: dict[int, list[str]] = {}
    rows = connection.execute(
        db.select(ProductPhoto.product_id, ProductPhoto.image_key)
        .where(ProductPhoto.product_id.in_(product_ids))
        .order_by(ProductPhoto.product_id, ProductPhoto.position, ProductPhoto.id)).all()
    for product_id, key in rows:
        keys.setdefault(product_id, []).append(key)
    return keys


@dataclass(frozen=True)
class _ProducerValues:
    name: str
    kind: str
    province: str
    commune: str
    phone: str
    tax_code: str
    is_public: bool


class _Producers:
    """Producer values as listings show them, read once per producer and run (a producer has
    many products), with place and phone formatting done once each."""

    def __init__(self, connection):
        self.connection = connection
        self.known: dict[int, _ProducerValues] = {}
        self.provinces: dict[int | None, str] = {}
        self.communes: dict[int | None, str] = {}

    def load(self, producer_ids) -> None:
        missing = {producer_id for producer_id in producer_ids if producer_id not in self.known}
        if not missing:
            return
        for producer_id, name, kind, province, commune, phone, tax_code, status in self.connection.execute(
                db.select(*_PRODUCER_COLUMNS).where(Producer.id.in_(missing))):
            self.known[producer_id] = _ProducerValues(
                name, kind, self._province(province), self._commune(commune), display_phone(phone or ""),
                tax_code or "", status == ProducerStatus.VERIFIED)

    def _province(self, code) -> str:
        if code not in self.provinces:
            found = units.province(code) if code is not None else None
            self.provinces[code] = found.short_name if found else ""
        return self.provinces[code]

    def _commune(self, code) -> str:
        if code not in self.communes:
            found = units.commune(code) if code is not None else None
            self.communes[code] = found.short_name if found else ""
        return self.communes[code]


@lru_cache(maxsize=64)
def _set_name(code) -> str:
    found = product_set(code)
    return found.name_vi if found else ""


@lru_cache(maxsize=256)
def _months(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip().isdigit())


def iter_listing_records(scope: ExportScope, skipped: list[ListingIssue], *, today: date | None = None,
                         batch_size: int = BATCH_SIZE, urls: UrlBuilder | None = None) -> Iterator[ListingRecord]:
    """Every published product in `scope` as a ListingRecord, in id order.

    A product whose stored values cannot make a Listing (say, a seasonal product without its
    months) is appended to `skipped` with the reason instead of being yielded.
    """
    today = today or date.today()
    earliest_valid = earliest_valid_decision_date(today)
    urls = urls or UrlBuilder()
    connection = db.session.connection()  # Core rows: no ORM bookkeeping per row
    producers = _Producers(connection)
    after_id = 0
    while True:
        rows = connection.execute(_batch_query(scope, after_id, batch_size)).all()
        if not rows:
            return
        after_id = rows[-1][0]
        photos = _photo_keys(connection, [row[0] for row in rows])
        producers.load({row[11] for row in rows})
        for (product_id, ref, name, slug, description, set_code, price, unit, weight, availability, months,
             producer_id, decision_no, decision_date, stars) in rows:
            keys = photos.get(product_id, ())
            producer = producers.known[producer_id]
            try:
                listing = Listing(
                    id=listing_id(product_id), ref=ref, name=name, description=description or "",
                    category_code=set_code, category_name=_set_name(set_code),
                    stars=stars if decision_date is not None and decision_date >= earliest_valid else None,
                    certificate_stars=stars,
                    certificate_no=decision_no or "", certificate_date=decision_date,
                    price_vnd=price, unit=unit or "", weight_g=weight,
                    availability=availability, seasonal_months=_months(months or ""),
                    producer_name=producer.name, producer_type=producer.kind,
                    province=producer.province, commune=producer.commune, phone=producer.phone,
                    tax_code=producer.tax_code, url=urls.product(product_id, slug),
                    image_urls=tuple([urls.image(key) for key in keys]),
                    image_names=tuple([f"{key}.webp" for key in keys]),
                )
            except InvalidListing as error:
                skipped.append(ListingIssue(listing_id(product_id), (error.problem,)))
                continue
            yield ListingRecord(listing, producer.is_public)
        if len(rows) < batch_size:
            return


def iter_listings(scope: ExportScope, skipped: list[ListingIssue] | None = None, **options) -> Iterator[Listing]:
    """Just the Listings of `iter_listing_records` (skipped products go to `skipped` if given)."""
    for record in iter_listing_records(scope, skipped if skipped is not None else [], **options):
        yield record.listing


def run_export(exporter: Exporter, scope: ExportScope, out: BinaryIO, *, today: date | None = None,
               progress=None, **options) -> ExportReport:
    """Stream the listings of `scope` through `exporter` into `out`; returns the full report.
    `progress(1)`, if given, is called for each product read (a background job's progress bar).

    Products the exporter never sees (unreadable values; pages not public for formats that
    link to them) are reported as skipped with their reasons, like the exporter's own skips.
    """
    today = today or date.today()
    ours: list[ListingIssue] = []
    needs_page = exporter.name in PAGE_LINK_FORMATS

    def listings():
        for record in iter_listing_records(scope, ours, today=today):
            if progress is not None:
                progress(1)
            if needs_page and not record.page_is_public:
                ours.append(ListingIssue(record.listing.id, (Problem("url", "page_not_public"),)))
                continue
            handed.append(record.listing.id)
            yield record.listing

    handed: list = []
    if "today" in inspect.signature(exporter.write).parameters:
        options["today"] = today  # availability of seasonal goods and stars depend on the day
    report = exporter.write(listings(), out, **options)
    export_log.record(exporter.name, _written(handed, report.skipped))
    report.skipped = sorted(ours + report.skipped, key=lambda issue: issue.listing_id)
    return report


def _written(handed: list, skipped) -> list[int]:
    """Product ids of the listings the exporter was handed and did not skip."""
    left_out = {issue.listing_id for issue in skipped}
    return [product_id for label in handed if label not in left_out
            and (product_id := product_id_of(label)) is not None]


def find_producers(scope: ExportScope, text: str, limit: int = 10) -> list:
    """Producers in `scope` named by `text`: their number (id), or their name however it is
    accented or spaced. Several may share a name (in different provinces)."""
    text = (text or "").strip()
    if not text:
        return []
    query = scope.producers().order_by(Producer.id)
    if text.isascii() and text.isdigit():
        return list(db.session.scalars(query.where(Producer.id == int(text)).limit(1)))
    wanted = match_key(text)
    names = db.session.execute(db.select(Producer.id, Producer.legal_name)
                               .where(*scope.producer_conditions()).order_by(Producer.id))
    ids = [row.id for row in names if match_key(row.legal_name) == wanted][:limit]
    return list(db.session.scalars(query.where(Producer.id.in_(ids)))) if ids else []
