"""Orders and producers' payment links. No bank details are stored here: codes
are rendered from the producer's current approved PaymentAccount on every view."""
from core.clock import utcnow
from extensions import db
from payments.constants import OrderStatus
from payments.rules import MAX_LINK_LENGTH, MAX_QUANTITY, MIN_QUANTITY
from producers.models import ReviewedVersion


class Order(db.Model):
    """A buyer's order request; the buyer pays the producer directly."""

    __tablename__ = "orders"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(12), nullable=False, unique=True)
    product_id = db.Column(db.Integer, db.ForeignKey("products.id", ondelete="SET NULL"), index=True)
    producer_id = db.Column(db.Integer, db.ForeignKey("producers.id", ondelete="CASCADE"), nullable=False)
    # What the buyer saw when ordering: a later rename or price change does not alter the order.
    product_name = db.Column(db.String(200), nullable=False)
    unit = db.Column(db.String(60), nullable=False, default="")
    unit_price_vnd = db.Column(db.BigInteger, nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    amount_vnd = db.Column(db.BigInteger, nullable=False)
    buyer_name = db.Column(db.String(120), nullable=False)
    buyer_phone = db.Column(db.String(16), nullable=False)  # E.164
    delivery_address = db.Column(db.String(300), nullable=False)
    note = db.Column(db.String(500), nullable=False, default="")
    status = db.Column(db.String(16), nullable=False, default=OrderStatus.NEW)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    paid_at = db.Column(db.DateTime)
    shipped_at = db.Column(db.DateTime)
    completed_at = db.Column(db.DateTime)
    cancelled_at = db.Column(db.DateTime)
    status_changed_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    # Money matched to this order from bank notifications and statements (reconcile/).
    received_vnd = db.Column(db.BigInteger, nullable=False, default=0, server_default="0")

    product = db.relationship("Product")
    producer = db.relationship("Producer")
    status_changed_by = db.relationship("User")

    __table_args__ = (
        db.CheckConstraint(f"quantity BETWEEN {MIN_QUANTITY} AND {MAX_QUANTITY}", name="quantity_range"),
        db.CheckConstraint("unit_price_vnd > 0", name="unit_price_positive"),
        db.CheckConstraint("amount_vnd = unit_price_vnd * quantity", name="amount_is_price_times_quantity"),
        db.CheckConstraint("received_vnd >= 0", name="received_not_negative"),
        db.CheckConstraint("status IN ({})".format(", ".join(f"'{s}'" for s in OrderStatus.ALL)),
                           name="status_known"),
        db.Index("ix_orders_producer_created", "producer_id", "created_at"),
    )

    # The moment each status was reached, for the buyer's timeline.
    STATUS_TIMESTAMPS = {
        OrderStatus.PAID: "paid_at",
        OrderStatus.SHIPPED: "shipped_at",
        OrderStatus.COMPLETED: "completed_at",
        OrderStatus.CANCELLED: "cancelled_at",
    }


class PaymentLink(ReviewedVersion, db.Model):
    """One version of a producer's https payment link (e.g. a Stripe Payment Link), shown as
    a second QR. Like bank details it can redirect money, so each change waits for an
    officer's approval (producers.models.ReviewedVersion)."""

    __tablename__ = "payment_links"
    REVIEWED_FIELDS = ("url",)

    url = db.Column(db.String(MAX_LINK_LENGTH), nullable=False)

    producer = db.relationship("Producer")

    __table_args__ = (db.UniqueConstraint("producer_id", "version", name="uq_payment_links_version"),)
