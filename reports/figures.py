"""The figures communes and provinces report each quarter, read from the database.

Stock figures (producers by status, products by group and stars, the "on e-commerce" share)
describe today; their trend compares with the snapshot kept at the end of the previous period
(`reports.models.FigureSnapshot`, written daily by `flask reports snapshot`). Flow figures
(orders, paid orders, verification time, producers onboarded by helpers) are counted inside
the period and compared with the previous period of the same length.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, func, or_, select

from accounts.models import User
from catalog.models import Product, ProductPhoto, ProductStatus
from catalog.certificates import earliest_valid_decision_date
from extensions import db
from payments.models import Order
from payments.constants import OrderStatus
from producers.models import Certificate, Producer, ProducerStatus
from producers.ocop import certificate_valid_until
from reports.rules import Period, Trend, median_days, share
from reports.constants import EXPIRY_LIST_LIMIT, EXPIRY_WARNING_DAYS, AreaKind

PAID_STATUSES = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED)
STOCK_NAMES = ("producers_verified", "products_public", "products_certified", "products_online")
EXPORT_MARKETPLACES = ("google", "meta", "shopee", "tiktok", "lazada")
EXPORTED_PREFIX = "exported_"  # snapshot names: exported_google, …


@dataclass(frozen=True)
class Area:
    kind: AreaKind
    codes: tuple = ()  # commune codes, or (province code,)
    label: str = ""

    def producer_filter(self):
        if self.kind == AreaKind.COMMUNES:
            return Producer.commune_code.in_(self.codes) if self.codes else db.false()
        if self.kind == AreaKind.PROVINCE:
            return Producer.province_code == self.codes[0]
        return db.true()


@dataclass
class ExpiringCertificate:
    producer_id: int
    producer_name: str
    product_name: str
    decision_no: str
    stars: int
    valid_until: date
    certificate_id: int = 0

    def expired(self, today: date) -> bool:
        return self.valid_until < today


@dataclass
class Figures:
    area: Area
    period: Period
    today: date
    producers_by_status: dict = field(default_factory=dict)
    products_by_group: dict = field(default_factory=dict)
    products_by_stars: dict = field(default_factory=dict)
    certified: int = 0
    online: int = 0  # certified, public, with a price and a photo
    stock_trends: dict = field(default_factory=dict)  # name -> Trend
    orders: Trend = None
    paid_orders: Trend = None
    paid_amount: Trend = None
    verification_days: Trend = None
    onboarded_by_helper: list = field(default_factory=list)  # [(name, count)]
    expiring: list = field(default_factory=list)
    expiring_total: int = 0
    expired_total: int = 0
    exported: dict = field(default_factory=dict)  # marketplace -> Trend of distinct products exported

    @property
    def online_share(self):
        return share(self.online, self.certified)


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min)


def _producers_by_status(area):
    rows = db.session.execute(select(Producer.status, func.count(Producer.id))
                              .where(area.producer_filter()).group_by(Producer.status))
    counts = {status: 0 for status in ProducerStatus}
    counts.update({status: count for status, count in rows})
    return counts


def _public_products(area):
    return (select(Product.id).join(Producer, Producer.id == Product.producer_id)
            .where(area.producer_filter(), Product.status == ProductStatus.PUBLISHED,
                   Producer.status == ProducerStatus.VERIFIED))


def _products(area, today):
    """(by OCOP group, by valid stars, certified, certified and online) for public products,
    and certified products in the area whatever their state."""
    from producers.ocop import product_set

    bound = earliest_valid_decision_date(today)
    valid = and_(Certificate.id.is_not(None), Certificate.decision_date >= bound)
    has_photo = select(ProductPhoto.id).where(ProductPhoto.product_id == Product.id).exists()
    public = and_(Product.status == ProductStatus.PUBLISHED, Producer.status == ProducerStatus.VERIFIED)
    online = and_(public, valid, Product.price_vnd > 0, has_photo)
    # One row per product with its set, valid stars and flags, then counted per (set, stars):
    # grouping by a computed column of the inner query reads the same on SQLite and PostgreSQL.
    per_product = (select(Product.product_set_code.label("set_code"),
                          case((valid, Certificate.stars), else_=0).label("stars"),
                          case((public, 1), else_=0).label("public"), case((online, 1), else_=0).label("online"))
                   .select_from(Product).join(Producer, Producer.id == Product.producer_id)
                   .outerjoin(Certificate, Certificate.id == Product.certificate_id)
                   .where(area.producer_filter())).subquery()
    rows = db.session.execute(
        select(per_product.c.set_code, per_product.c.stars, func.count(), func.sum(per_product.c.public),
               func.sum(per_product.c.online))
        .group_by(per_product.c.set_code, per_product.c.stars))
    by_group, by_stars, certified, online_count = {}, {5: 0, 4: 0, 3: 0, 0: 0}, 0, 0
    for set_code, stars, total, public_count, online_rows in rows:
        public_count, online_rows = int(public_count or 0), int(online_rows or 0)
        found = product_set(set_code) if set_code else None
        group = found.group_code if found else ""
        by_group[group] = by_group.get(group, 0) + public_count
        by_stars[int(stars or 0)] = by_stars.get(int(stars or 0), 0) + public_count
        if stars:
            certified += int(total)
            online_count += online_rows
    return by_group, by_stars, certified, online_count


def _orders(area, period: Period):
    start, end = _moment(period.start), _moment(period.end)
    row = db.session.execute(
        select(func.count(Order.id), func.sum(case((Order.status.in_(PAID_STATUSES), 1), else_=0)),
               func.sum(case((Order.status.in_(PAID_STATUSES), Order.amount_vnd), else_=0)))
        .join(Producer, Producer.id == Order.producer_id)
        .where(area.producer_filter(), Order.created_at >= start, Order.created_at < end)).one()
    return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)


def _verification_days(area, period: Period):
    start, end = _moment(period.start), _moment(period.end)
    pairs = db.session.execute(
        select(Producer.submitted_at, Producer.verified_at)
        .where(area.producer_filter(), Producer.verified_at >= start, Producer.verified_at < end)).all()
    return median_days(pairs)


def _onboarded(area, period: Period):
    """Producers that a helper or officer created for someone else during the period."""
    start, end = _moment(period.start), _moment(period.end)
    rows = db.session.execute(
        select(User.name, func.count(Producer.id))
        .join(User, User.id == Producer.created_by_id)
        .where(area.producer_filter(), Producer.created_at >= start, Producer.created_at < end,
               or_(Producer.owner_id.is_(None), Producer.owner_id != Producer.created_by_id))
        .group_by(User.name).order_by(func.count(Producer.id).desc(), User.name))
    return [(name, count) for name, count in rows]


def _expiring(area, today):
    """Certificates of the area's producers already expired or expiring within 90 days."""
    horizon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    # valid_until = decision + 36 months: decisions up to this date expire by the horizon.
    latest_decision = earliest_valid_decision_date(horizon)
    statement = (select(Certificate, Producer.legal_name)
                 .join(Producer, Producer.id == Certificate.producer_id)
                 .where(area.producer_filter(), Certificate.decision_date < latest_decision,
                        Producer.status != ProducerStatus.DRAFT)
                 .order_by(Certificate.decision_date.desc()))
    items, expired = [], 0
    for certificate, name in db.session.execute(statement.limit(EXPIRY_LIST_LIMIT * 4)):
        until = certificate_valid_until(certificate.decision_date)
        expired += until < today
        if len(items) < EXPIRY_LIST_LIMIT:
            items.append(ExpiringCertificate(certificate.producer_id, name, certificate.product_name or "",
                                             certificate.decision_no, certificate.stars, until, certificate.id))
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    expired_total = db.session.scalar(
        select(func.count(Certificate.id)).join(Producer, Producer.id == Certificate.producer_id)
        .where(area.producer_filter(), Producer.status != ProducerStatus.DRAFT,
               Certificate.decision_date < earliest_valid_decision_date(today)))
    items.sort(key=lambda item: item.valid_until)
    return items, int(total or 0), int(expired_total or 0)


def _exported(area):
    """{marketplace: distinct products of the area ever exported to it} (catalog.export_log)."""
    from catalog.models import ProductExport

    rows = db.session.execute(
        select(ProductExport.marketplace, func.count(ProductExport.id))
        .join(Product, Product.id == ProductExport.product_id).join(Producer, Producer.id == Product.producer_id)
        .where(area.producer_filter()).group_by(ProductExport.marketplace))
    return {marketplace: int(count) for marketplace, count in rows}


def compute(area: Area, period: Period, today: date) -> Figures:
    from reports.snapshots import stock_before

    figures = Figures(area, period, today)
    figures.producers_by_status = _producers_by_status(area)
    (figures.products_by_group, figures.products_by_stars,
     figures.certified, figures.online) = _products(area, today)
    current = {"producers_verified": figures.producers_by_status.get(ProducerStatus.VERIFIED, 0),
               "products_public": sum(figures.products_by_group.values()),
               "products_certified": figures.certified, "products_online": figures.online}
    before = stock_before(area, period.start)
    figures.stock_trends = {name: Trend(current[name], before.get(name)) for name in STOCK_NAMES}
    exported = _exported(area)
    # A snapshot without a marketplace's row: nothing had gone there yet (0); no snapshot: unknown.
    figures.exported = {name: Trend(exported.get(name, 0), before.get(EXPORTED_PREFIX + name, 0 if before else None))
                        for name in EXPORT_MARKETPLACES}
    now_orders, prev_orders = _orders(area, period), _orders(area, period.previous())
    figures.orders = Trend(now_orders[0], prev_orders[0])
    figures.paid_orders = Trend(now_orders[1], prev_orders[1])
    figures.paid_amount = Trend(now_orders[2], prev_orders[2])
    figures.verification_days = Trend(_verification_days(area, period), _verification_days(area, period.previous()))
    figures.onboarded_by_helper = _onboarded(area, period)
    figures.expiring, figures.expiring_total, figures.expired_total = _expiring(area, today)
    return figures


# --- Cache --------------------------------------------------------------------------------------
# A province's figures read the whole catalogue (100,000 products: seconds), yet change only
# when the data does. Figures are kept per process, keyed by the area, the period, the day and
# a cheap version of the data they read; any change to products, producers, certificates,
# orders or snapshots gives a new version, so a report never shows stale figures.

CACHE_ENTRIES = 64
_cache: dict = {}


def data_version() -> tuple:
    """Cheap to read, and different after any change the figures could show: the catalogue
    change sequence (products, photos, producers with products, certificates in use), plus
    producers, certificates, orders and snapshots, which it does not all cover."""
    from reports.models import FigureSnapshot
    from search.changes import current_sequence

    producers = db.session.execute(select(func.max(Producer.updated_at), func.count(Producer.id))).one()
    certificates = db.session.execute(select(func.max(Certificate.id), func.count(Certificate.id))).one()
    orders = db.session.execute(select(func.max(Order.updated_at), func.count(Order.id))).one()
    snapshots = db.session.scalar(select(func.max(FigureSnapshot.id)))
    from catalog.models import ProductExport

    # The exports figure changes only when a (marketplace, product) row is added: its newest id
    # (a primary-key lookup; re-exports only touch last_exported_at). Deleted products change the
    # catalogue sequence.
    exports = db.session.scalar(select(func.max(ProductExport.id)))
    return (str(db.engine.url), current_sequence(), tuple(producers), tuple(certificates), tuple(orders), snapshots,
            exports)


def cached(area: Area, period: Period, today: date) -> Figures:
    key = (area, period, today, data_version())
    found = _cache.get(key)
    if found is None:
        if len(_cache) >= CACHE_ENTRIES:
            _cache.pop(next(iter(_cache)))
        found = _cache[key] = compute(area, period, today)
    return found
