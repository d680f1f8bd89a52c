from datetime import date

from sqlalchemy import event

from catalog.constants import MAX_PHOTOS, Availability, ProductStatus
from catalog.rules import out_of_season
from core.clock import utcnow
from core.conflicts import version_column
from extensions import db
from producers.models import Producer, ProducerStatus
from producers.ocop import product_set

__all__ = ["MAX_PHOTOS", "Availability", "Product", "ProductPhoto", "ProductStatus"]


class Product(db.Model):
    __tablename__ = "products"

    id = db.Column(db.Integer, primary_key=True)
    producer_id = db.Column(db.Integer, db.ForeignKey("producers.id", ondelete="CASCADE"), nullable=False, index=True)
    certificate_id = db.Column(db.Integer, db.ForeignKey("certificates.id", ondelete="SET NULL"), index=True)
    ref = db.Column(db.String(50), nullable=False)  # the producer's own reference
    name = db.Column(db.String(200), nullable=False)
    slug = db.Column(db.String(90), nullable=False, default="")
    # A copy of the producer's province, kept in step by the events below, so the catalogue can
    # filter a province with one index on this table (bench/bench_pages.py).
    province_code = db.Column(db.Integer)
    product_set_code = db.Column(db.Integer, index=True)  # None: imported with only its group known
    description = db.Column(db.Text, nullable=False, default="")
    price_vnd = db.Column(db.BigInteger)  # integer đồng
    unit = db.Column(db.String(60), nullable=False, default="")  # "hộp 200g", "chai 500ml"
    weight_g = db.Column(db.Integer)
    availability = db.Column(db.String(16), nullable=False, default=Availability.IN_STOCK)
    season_months = db.Column(db.String(40), nullable=False, default="")  # "5,6,7" when seasonal
    harvest_season = db.Column(db.String(120), nullable=False, default="")
    status = db.Column(db.String(16), nullable=False, default=ProductStatus.DRAFT, index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow, index=True)
    published_at = db.Column(db.DateTime)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    # Optimistic locking: every UPDATE checks and bumps it (core/conflicts.py).
    edit_version = version_column(db)
    __mapper_args__ = {"version_id_col": edit_version}

    producer = db.relationship("Producer")
    certificate = db.relationship("Certificate")
    photos = db.relationship("ProductPhoto", back_populates="product", cascade="all, delete-orphan",
                             order_by="ProductPhoto.position")

    __table_args__ = (
        db.UniqueConstraint("producer_id", "ref", name="uq_products_producer_ref"),
        db.Index("ix_products_public_listing", "status", "product_set_code", "price_vnd"),
        # The catalogue walks these in order and stops after one page (bench/bench_pages.py):
        # newest first, by price, and newest within one product set.
        db.Index("ix_products_listing_newest", "status", "published_at", "id"),
        db.Index("ix_products_listing_price", "status", "price_vnd", "id"),
        db.Index("ix_products_listing_set_newest", "status", "product_set_code", "published_at", "id"),
        db.Index("ix_products_listing_province", "status", "province_code", "published_at", "id"),
        # A producer's page and "more from this producer".
        db.Index("ix_products_producer_listing", "producer_id", "status", "published_at", "id"),
    )

    @classmethod
    def public(cls):
        """Select what buyers may see: published products of verified producers."""
        return (db.select(cls).join(Producer, Producer.id == cls.producer_id)
                .where(cls.status == ProductStatus.PUBLISHED, Producer.status == ProducerStatus.VERIFIED))

    @property
    def is_public(self):
        return self.status == ProductStatus.PUBLISHED and self.producer.status == ProducerStatus.VERIFIED

    def certificate_valid(self, today=None):
        return self.certificate is not None and self.certificate.is_valid(today or date.today())

    def stars(self, today=None):
        """OCOP stars shown to buyers: only while the certificate is valid."""
        return self.certificate.stars if self.certificate_valid(today) else None

    @property
    def certificate_expired(self):
        return self.certificate is not None and not self.certificate_valid()

    @property
    def cover(self):
        return self.photos[0] if self.photos else None

    @property
    def product_set(self):
        return product_set(self.product_set_code)

    @property
    def months(self):
        return [int(m) for m in self.season_months.split(",") if m.strip().isdigit()]

    def out_of_season(self, today=None) -> bool:
        return out_of_season(self.availability, self.months, (today or date.today()).month)


class ProductPhoto(db.Model):
    __tablename__ = "product_photos"

    id = db.Column(db.Integer, primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id", ondelete="CASCADE"), nullable=False, index=True)
    image_key = db.Column(db.String(80), nullable=False, index=True)  # the image route looks keys up
    position = db.Column(db.Integer, nullable=False, default=0)  # 0 is the cover
    width = db.Column(db.Integer)
    height = db.Column(db.Integer)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    product = db.relationship("Product", back_populates="photos")


@event.listens_for(Product, "before_insert")
@event.listens_for(Product, "before_update")
def _listing_columns(_mapper, connection, product):
    """Whoever writes a product through the ORM (form, import, script): a published product has a
    publication time (the catalogue sorts newest first on it) and carries its producer's province."""
    if product.status == ProductStatus.PUBLISHED and product.published_at is None:
        product.published_at = utcnow()
    producer = product.__dict__.get("producer")
    if producer is not None:
        product.province_code = producer.province_code
    elif product.province_code is None and product.producer_id is not None:
        product.province_code = connection.scalar(
            db.select(Producer.province_code).where(Producer.id == product.producer_id))


@event.listens_for(Producer, "after_update")
def _move_products_with_their_producer(_mapper, connection, producer):
    if db.inspect(producer).attrs.province_code.history.has_changes():
        connection.execute(db.update(Product.__table__).where(Product.__table__.c.producer_id == producer.id)
                           .values(province_code=producer.province_code))


class ProductExport(db.Model):
    """A product went out to a marketplace or feed (Google, Meta, Shopee, TikTok, Lazada): one
    row per (marketplace, product), its first and latest export. Written by
    `catalog.export_log.record` from every export run (web job, command line, public feed)."""

    __tablename__ = "product_exports"
    __table_args__ = (db.UniqueConstraint("marketplace", "product_id", name="uq_product_export"),)

    id = db.Column(db.Integer, primary_key=True)
    marketplace = db.Column(db.String(16), nullable=False)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id", ondelete="CASCADE"), nullable=False, index=True)
    first_exported_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_exported_at = db.Column(db.DateTime, nullable=False, default=utcnow)
