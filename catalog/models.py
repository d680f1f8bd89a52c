from datetime import date

from sqlalchemy import event

from accounts.models import utcnow
from extensions import db
from producers.models import Producer, ProducerStatus
from producers.ocop import product_set


class Availability:
    IN_STOCK = "in_stock"
    OUT_OF_STOCK = "out_of_stock"
    SEASONAL = "seasonal"
    ALL = (IN_STOCK, OUT_OF_STOCK, SEASONAL)


class ProductStatus:
    DRAFT = "draft"
    PUBLISHED = "published"
    HIDDEN = "hidden"
    ALL = (DRAFT, PUBLISHED, HIDDEN)


MAX_PHOTOS = 8


class Product(db.Model):
    __tablename__ = "products"

    id = db.Column(db.Integer, primary_key=True)
    producer_id = db.Column(db.Integer, db.ForeignKey("producers.id", ondelete="CASCADE"), nullable=False, index=True)
    certificate_id = db.Column(db.Integer, db.ForeignKey("certificates.id", ondelete="SET NULL"), index=True)
    ref = db.Column(db.String(50), nullable=False)  # the producer's own reference
    name = db.Column(db.String(200), nullable=False)
    slug = db.Column(db.String(90), nullable=False, default="")
    product_set_code = db.Column(db.Integer, nullable=False, index=True)
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
def _stamp_first_publication(_mapper, _connection, product):
    """Every published product has a publication time, whoever wrote it (form, import, script):
    the catalogue sorts newest first on it."""
    if product.status == ProductStatus.PUBLISHED and product.published_at is None:
        product.published_at = utcnow()
