from datetime import date

from sqlalchemy import DDL, event
from sqlalchemy.orm import declared_attr

from core.clock import utcnow
from core.conflicts import version_column
from extensions import db
from producers.constants import DocumentKind, ProducerKind, ProducerStatus, SOURCE_WIZARD
from producers.ocop import certificate_valid_until, product_set
from producers.versions import VersionStatus, in_force, waiting


class Producer(db.Model):
    __tablename__ = "producers"

    id = db.Column(db.Integer, primary_key=True)
    owner_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    kind = db.Column(db.String(24), nullable=False, default=ProducerKind.COOPERATIVE)
    legal_name = db.Column(db.String(200), nullable=False, default="")
    slug = db.Column(db.String(90), nullable=False, default="")
    tax_code = db.Column(db.String(20))  # 10/13-digit MST, or a 12-digit personal ID for households
    representative = db.Column(db.String(120))
    province_code = db.Column(db.Integer, index=True)
    commune_code = db.Column(db.Integer, index=True)
    address = db.Column(db.String(300))
    phone = db.Column(db.String(16))  # E.164
    zalo = db.Column(db.String(16))  # E.164 of the Zalo account
    description = db.Column(db.Text)
    status = db.Column(db.String(24), nullable=False, default=ProducerStatus.DRAFT, index=True)
    status_reason = db.Column(db.Text)
    wizard_step = db.Column(db.Integer, nullable=False, default=2)
    claim_code_hash = db.Column(db.String(255))
    claim_phone = db.Column(db.String(16))  # E.164: only this mobile number may claim with the code
    claim_expires_at = db.Column(db.DateTime)
    source = db.Column(db.String(16), nullable=False, default=SOURCE_WIZARD)  # SOURCE_WIZARD or SOURCE_IMPORT
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    submitted_at = db.Column(db.DateTime)
    verified_at = db.Column(db.DateTime)
    # How the producer is told of decisions and orders (notifications.rules.choose_route):
    # None = automatically (Zalo when a Zalo number is known and Zalo ZNS works, else e-mail, else SMS).
    notify_channel = db.Column(db.String(8))
    email = db.Column(db.String(254))
    notify_language = db.Column(db.String(2), nullable=False, default="vi", server_default="vi")
    # Optimistic locking: every UPDATE checks and bumps it (core/conflicts.py).
    edit_version = version_column(db)
    __mapper_args__ = {"version_id_col": edit_version}

    owner = db.relationship("User", foreign_keys=[owner_id])
    created_by = db.relationship("User", foreign_keys=[created_by_id])
    certificates = db.relationship("Certificate", back_populates="producer", cascade="all, delete-orphan",
                                   order_by="Certificate.decision_date.desc()")
    documents = db.relationship("ProducerDocument", back_populates="producer", cascade="all, delete-orphan",
                                order_by="ProducerDocument.id")
    payment_accounts = db.relationship("PaymentAccount", back_populates="producer", cascade="all, delete-orphan",
                                       order_by="PaymentAccount.version")

    @property
    def is_public(self):
        return self.status == ProducerStatus.VERIFIED

    @classmethod
    def public(cls):
        """Select only what buyers may see."""
        return db.select(cls).where(cls.status == ProducerStatus.VERIFIED)

    @property
    def approved_payment_account(self):
        """The bank account buyers may pay into (producers.versions.in_force): the newest
        approved version, nothing while a newer one awaits review, the last approved one
        again after a change is rejected."""
        return in_force(self.payment_accounts)

    @property
    def pending_payment_account(self):
        return waiting(self.payment_accounts)


class Certificate(db.Model):
    """An OCOP recognition decision for one product (stars are per product)."""

    __tablename__ = "certificates"

    id = db.Column(db.Integer, primary_key=True)
    producer_id = db.Column(db.Integer, db.ForeignKey("producers.id", ondelete="CASCADE"), nullable=False, index=True)
    decision_no = db.Column(db.String(60), nullable=False)  # e.g. 3981/QĐ-UBND
    issuing_body = db.Column(db.String(200), nullable=False)
    decision_date = db.Column(db.Date, nullable=False)
    stars = db.Column(db.Integer, nullable=False)
    potential_5_star = db.Column(db.Boolean, nullable=False, default=False)
    product_set_code = db.Column(db.Integer)  # None: an official list named only the group
    product_name = db.Column(db.String(200))
    legal_basis = db.Column(db.String(60), nullable=False, default="148/QĐ-TTg")
    image_key = db.Column(db.String(80))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    edit_version = version_column(db)
    __mapper_args__ = {"version_id_col": edit_version}

    producer = db.relationship("Producer", back_populates="certificates")

    __table_args__ = (db.CheckConstraint("stars BETWEEN 3 AND 5", name="stars_range"),)

    @property
    def valid_until(self):
        return certificate_valid_until(self.decision_date)

    def is_valid(self, today=None):
        return (today or date.today()) <= self.valid_until

    @property
    def product_set(self):
        return product_set(self.product_set_code)


class ProducerDocument(db.Model):
    """A photo of the business registration or another supporting paper."""

    __tablename__ = "producer_documents"

    id = db.Column(db.Integer, primary_key=True)
    producer_id = db.Column(db.Integer, db.ForeignKey("producers.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = db.Column(db.String(32), nullable=False, default=DocumentKind.BUSINESS_REGISTRATION)
    image_key = db.Column(db.String(80), nullable=False)
    uploaded_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    producer = db.relationship("Producer", back_populates="documents")


class ReviewedVersion:
    """One version of a producer's payment details (bank account, payment link).

    Versions are never edited: a change adds a version, which a commune officer other
    than its editor approves as seen (the fingerprint covers REVIEWED_FIELDS). One
    mechanism for every kind: producers.payment_details and verification.services."""

    PENDING = VersionStatus.PENDING
    APPROVED = VersionStatus.APPROVED
    REJECTED = VersionStatus.REJECTED
    SUPERSEDED = VersionStatus.SUPERSEDED
    REVIEWED_FIELDS: tuple = ()

    id = db.Column(db.Integer, primary_key=True)
    version = db.Column(db.Integer, nullable=False)
    status = db.Column(db.String(16), nullable=False, default=VersionStatus.PENDING)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    reviewed_at = db.Column(db.DateTime)

    @declared_attr
    def producer_id(cls):
        return db.Column(db.Integer, db.ForeignKey("producers.id", ondelete="CASCADE"), nullable=False, index=True)

    @declared_attr
    def created_by_id(cls):
        return db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))

    @declared_attr
    def reviewed_by_id(cls):
        return db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))

    @declared_attr
    def created_by(cls):
        return db.relationship("User", foreign_keys=[cls.created_by_id])

    @declared_attr
    def reviewed_by(cls):
        return db.relationship("User", foreign_keys=[cls.reviewed_by_id])

    @property
    def reviewed_values(self):
        return tuple(getattr(self, name) for name in self.REVIEWED_FIELDS)


class PaymentAccount(ReviewedVersion, db.Model):
    """One version of a producer's bank details."""

    __tablename__ = "payment_accounts"
    REVIEWED_FIELDS = ("bank_bin", "account_number", "holder_name")

    bank_bin = db.Column(db.String(6), nullable=False)
    account_number = db.Column(db.String(19), nullable=False)
    holder_name = db.Column(db.String(100), nullable=False)

    producer = db.relationship("Producer", back_populates="payment_accounts")

    __table_args__ = (db.UniqueConstraint("producer_id", "version", name="uq_payment_accounts_version"),)

    @property
    def masked_account(self):
        return mask_account(self.account_number)


def mask_account(number):
    if not number:
        return ""
    return "•" * max(len(number) - 4, 0) + number[-4:]


class AuditEvent(db.Model):
    """Append-only: the database refuses UPDATE, DELETE and any insert that reuses an id
    (SQLite's REPLACE deletes the old row without firing DELETE triggers)."""

    __tablename__ = "audit_events"

    id = db.Column(db.Integer, primary_key=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    producer_id = db.Column(db.Integer, db.ForeignKey("producers.id"), index=True)
    action = db.Column(db.String(48), nullable=False)
    reason = db.Column(db.Text)
    changes = db.Column(db.JSON, nullable=False, default=dict)
    ip = db.Column(db.String(45))

    actor = db.relationship("User")


_APPEND_ONLY_SQLITE = [
    DDL("CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END").execute_if(dialect="sqlite"),
    DDL("CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END").execute_if(dialect="sqlite"),
    DDL("CREATE TRIGGER audit_events_no_overwrite BEFORE INSERT ON audit_events "
        "WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id) "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END").execute_if(dialect="sqlite"),
]
_APPEND_ONLY_POSTGRES = [
    DDL("CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql").execute_if(
        dialect="postgresql"),
    DDL("CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()").execute_if(dialect="postgresql"),
    DDL("CREATE OR REPLACE FUNCTION audit_events_no_overwrite() RETURNS trigger AS $$ "
        "BEGIN IF EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id) THEN "
        "RAISE EXCEPTION 'audit_events is append-only'; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql").execute_if(
        dialect="postgresql"),
    DDL("CREATE TRIGGER audit_events_no_overwrite BEFORE INSERT ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_no_overwrite()").execute_if(dialect="postgresql"),
]
for _ddl in _APPEND_ONLY_SQLITE + _APPEND_ONLY_POSTGRES:
    event.listen(AuditEvent.__table__, "after_create", _ddl)
