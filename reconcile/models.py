"""Bank transactions learnt from SePay, Casso or an uploaded statement, and the producers'
connections to those services."""
from core.clock import utcnow
from extensions import db
from reconcile.constants import AmountOutcome, AuthMethod, MatchState, Service, Source


def _values(enum) -> str:
    return ", ".join(f"'{member.value}'" for member in enum)


class BankTransaction(db.Model):
    """Money that reached a producer's account, stored once per (producer, source, external id):
    a retried or replayed notification finds its row and changes nothing."""

    __tablename__ = "bank_transactions"

    id = db.Column(db.Integer, primary_key=True)
    producer_id = db.Column(db.Integer, db.ForeignKey("producers.id", ondelete="CASCADE"), nullable=False)
    source = db.Column(db.String(16), nullable=False)
    external_id = db.Column(db.String(80), nullable=False)
    amount_vnd = db.Column(db.BigInteger, nullable=False)
    description = db.Column(db.String(500), nullable=False, default="")
    bank_reference = db.Column(db.String(64), nullable=False, default="")
    account_number = db.Column(db.String(32), nullable=False, default="")
    occurred_at = db.Column(db.DateTime)  # the bank's local time, as reported
    received_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    state = db.Column(db.String(16), nullable=False, default=MatchState.UNMATCHED)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id", ondelete="SET NULL"), index=True)
    # The order's total received compared with its amount, right after this transaction counted.
    outcome = db.Column(db.String(16))
    matched_at = db.Column(db.DateTime)
    matched_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))  # None: automatic

    producer = db.relationship("Producer")
    order = db.relationship("Order", backref=db.backref("bank_transactions", order_by="BankTransaction.id"))
    matched_by = db.relationship("User")

    __table_args__ = (
        db.UniqueConstraint("producer_id", "source", "external_id", name="once_per_source"),
        db.CheckConstraint(f"source IN ({_values(Source)})", name="source_known"),
        db.CheckConstraint(f"state IN ({_values(MatchState)})", name="state_known"),
        db.CheckConstraint(f"outcome IS NULL OR outcome IN ({_values(AmountOutcome)})", name="outcome_known"),
        db.CheckConstraint("amount_vnd > 0", name="money_in_only"),
        db.Index("ix_bank_transactions_producer_state", "producer_id", "state"),
    )


class BankFeed(db.Model):
    """A producer's connection to SePay or Casso. The webhook URL carries `hook_id` (public);
    the secret is kept encrypted (HMAC keys) or as a digest (API keys) and never shown again."""

    __tablename__ = "bank_feeds"

    id = db.Column(db.Integer, primary_key=True)
    producer_id = db.Column(db.Integer, db.ForeignKey("producers.id", ondelete="CASCADE"), nullable=False)
    service = db.Column(db.String(16), nullable=False)
    auth_method = db.Column(db.String(24), nullable=False)
    hook_id = db.Column(db.String(32), nullable=False, unique=True)
    secret_encrypted = db.Column(db.Text)
    secret_digest = db.Column(db.String(64))
    secret_hint = db.Column(db.String(8), nullable=False, default="")  # last characters, to recognise it
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    last_event_at = db.Column(db.DateTime)

    producer = db.relationship("Producer")
    created_by = db.relationship("User")

    __table_args__ = (
        db.UniqueConstraint("producer_id", "service", name="one_per_service"),
        db.CheckConstraint(f"service IN ({_values(Service)})", name="service_known"),
        db.CheckConstraint(f"auth_method IN ({_values(AuthMethod)})", name="auth_method_known"),
        db.CheckConstraint("secret_encrypted IS NOT NULL OR secret_digest IS NOT NULL", name="has_secret"),
    )
