"""Wizard operations: profile, documents, certificates, bank details, submission and
claims. They change the session and never commit (the view commits once); each
change is written to the audit log with the acting user."""
from datetime import timedelta

from flask import current_app
import sqlalchemy as sa
from sqlalchemy import or_

from core.clock import utcnow
from accounts.phones import display_phone
from extensions import db
from media.images import process_upload
from media.storage import image_store_for
from notifications import services as notification_services
from producers import audit, claims, payment_details
from producers import rules
from producers.constants import DocumentKind, ProducerStatus
from producers.models import Certificate, PaymentAccount, Producer, ProducerDocument
from producers.rules import is_personal_id, mask_personal_id
from producers.ocop import certificate_valid_until, product_set
from producers.versions import PaymentDetail
from vntext import slugify

PROFILE_FIELDS = ("kind", "legal_name", "tax_code", "representative", "province_code", "commune_code",
                  "address", "phone", "zalo")
PAYMENT_FIELDS = ("bank_bin", "account_number", "holder_name")
MAX_PAYMENT_CHANGES_PER_DAY = payment_details.MAX_CHANGES_PER_DAY
BUSINESS_REGISTRATION = DocumentKind.BUSINESS_REGISTRATION
BANK_PROOF = DocumentKind.BANK_PROOF
# Documents are read, not browsed: a thumbnail for lists and one size to read the text.
DOCUMENT_WIDTHS = (160, 1200)
# A helper's double tap on a slow connection must not create the same farm twice.
DUPLICATE_WINDOW = timedelta(hours=1)


class NotAllowedNow(Exception):
    """The producer's status does not allow this change."""


class IncompleteProfile(Exception):
    def __init__(self, missing):
        super().__init__("incomplete profile")
        self.missing = missing


TooManyPaymentChanges = payment_details.TooManyChanges


# --- who may see what -------------------------------------------------------------------------

def producer_query(user):
    """Producers `user` may open in the wizard: their own, and for helpers and officers
    those of the communes they work for. Everything else is a 404."""
    query = db.select(Producer)
    if user.works_for_communes:
        return query.where(or_(Producer.owner_id == user.id,
                               Producer.commune_code.in_(user.commune_codes or [-1])))
    return query.where(Producer.owner_id == user.id)


def producer_or_404(producer_id, user):
    return db.first_or_404(producer_query(user).where(Producer.id == producer_id))


def sees_in_full(producer, user):
    """The owner, and the helper who fills the profile in, read their own numbers in full
    (to catch a typo); anyone else opening the wizard sees them masked."""
    return user is not None and user.id in (producer.owner_id, producer.created_by_id)


def owned_producers(user):
    return db.session.scalars(db.select(Producer).where(Producer.owner_id == user.id)
                              .order_by(Producer.id)).all()


def commune_producers(user):
    """For a helper or officer: the producers of their communes, unclaimed ones first."""
    if not user.works_for_communes:
        return []
    return db.session.scalars(producer_query(user).order_by(
        Producer.owner_id.is_not(None), Producer.updated_at.desc())).all()


def is_on_behalf(producer, user):
    return producer.owner_id != user.id


# --- step 2: the profile ----------------------------------------------------------------------

def _snapshot(producer):
    return {name: getattr(producer, name) for name in PROFILE_FIELDS}


def _loggable(values):
    """Personal IDs are personal data: the log keeps only their last digits."""
    return {key: mask_personal_id(value) if key == "tax_code" and is_personal_id(value) else value
            for key, value in values.items()}


def _apply_profile(producer, profile):
    for name in PROFILE_FIELDS:
        setattr(producer, name, profile[name])
    producer.slug = slugify(profile["legal_name"])


def recent_duplicate(actor, profile, now=None):
    """A producer this helper created moments ago with the same name and commune."""
    since = (now or utcnow()) - DUPLICATE_WINDOW
    return db.session.scalar(db.select(Producer).where(
        Producer.created_by_id == actor.id, Producer.owner_id.is_(None), Producer.status == ProducerStatus.DRAFT,
        Producer.legal_name == profile["legal_name"], Producer.commune_code == profile["commune_code"],
        Producer.created_at >= since).limit(1))


def create_producer(profile, actor, owner=None):
    """A new draft; `owner` None means a helper fills it in for a farmer who claims it later."""
    producer = Producer(owner_id=owner.id if owner is not None else None, created_by_id=actor.id,
                        status=ProducerStatus.DRAFT, wizard_step=rules.DOCUMENTS)
    _apply_profile(producer, profile)
    db.session.add(producer)
    db.session.flush()
    changes = {key: {"from": None, "to": value} for key, value in _loggable(profile).items() if value is not None}
    audit.record("created", producer, changes=changes, actor=actor)
    return producer


def update_profile(producer, profile, actor):
    if not rules.can_edit_profile(producer.status):
        raise NotAllowedNow(producer.status)
    before = _snapshot(producer)
    _apply_profile(producer, profile)
    changes = audit.diff(_loggable(before), _loggable(_snapshot(producer)))
    if changes:
        audit.record("profile_updated", producer, changes=changes, actor=actor)
    producer.wizard_step = rules.step_after_saving(rules.PROFILE, producer.wizard_step)
    return changes


# --- step 3: documents and certificates -------------------------------------------------------

def image_store():
    return image_store_for(current_app.config)


def store_document_image(upload):
    """Check and re-encode an uploaded photo, write its renditions; returns the image key.
    Raises media.images.ImageRejected or media.storage.StorageError. Call before any DB change:
    Pillow's work must not sit inside a transaction."""
    processed = process_upload(upload.stream, widths=DOCUMENT_WIDTHS)
    return image_store().save(processed)


def discard_images(keys):
    store = image_store()
    for key in keys:
        if key:
            store.delete(key)


def replace_business_registration(producer, image_key, actor):
    """Returns the image keys no longer used (delete their files after the commit)."""
    if not rules.can_edit_profile(producer.status):
        raise NotAllowedNow(producer.status)
    old = [doc for doc in producer.documents if doc.kind == BUSINESS_REGISTRATION]
    for doc in old:
        producer.documents.remove(doc)
    producer.documents.append(ProducerDocument(kind=BUSINESS_REGISTRATION, image_key=image_key,
                                               uploaded_by_id=actor.id))
    audit.record("document_added", producer, changes={"kind": BUSINESS_REGISTRATION,
                                                      "replaced": len(old)}, actor=actor)
    return [doc.image_key for doc in old]


def add_certificate(producer, values, image_key, actor):
    if not rules.can_edit_profile(producer.status):
        raise NotAllowedNow(producer.status)
    certificate = Certificate(image_key=image_key, legal_basis=product_set(values["product_set_code"]).legal_basis,
                              **values)
    producer.certificates.append(certificate)
    db.session.flush()
    audit.record("certificate_added", producer, changes=_certificate_facts(certificate), actor=actor)
    return certificate


def certificate_or_404(producer, certificate_id):
    return db.first_or_404(db.select(Certificate).where(
        Certificate.id == certificate_id, Certificate.producer_id == producer.id))


# The catalogue's products, read by table name: producers sit below the catalogue and do not
# import its models.
_PRODUCTS = sa.table("products", sa.column("id"), sa.column("name"), sa.column("status"),
                     sa.column("certificate_id"), sa.column("producer_id"))


def product_names(producer_id) -> list:
    """Names of the producer's products (any status), for its claim letter."""
    return list(db.session.scalars(sa.select(_PRODUCTS.c.name).where(_PRODUCTS.c.producer_id == producer_id)
                                   .order_by(_PRODUCTS.c.name)))


def products_of_certificate(certificate_id) -> list:
    """Names of the products (any status) that show this certificate's stars."""
    return list(db.session.scalars(sa.select(_PRODUCTS.c.name).where(_PRODUCTS.c.certificate_id == certificate_id)
                                   .order_by(_PRODUCTS.c.name)))


def visible_stars(stars, decision_date, today) -> int:
    """The stars buyers see: none once the certificate has expired."""
    return stars if decision_date is not None and today <= certificate_valid_until(decision_date) else 0


def stars_lost(certificate, values, today) -> bool:
    """Whether saving ``values`` over ``certificate`` shows its products fewer stars than now."""
    before = visible_stars(certificate.stars, certificate.decision_date, today)
    after = visible_stars(values["stars"], values["decision_date"], today)
    return after < before


def update_certificate(producer, certificate, values, new_image_key, actor):
    """Correct a certificate in place (products keep their link); returns the replaced image
    key, if a new photo came (delete its files after the commit)."""
    if not rules.can_edit_profile(producer.status):
        raise NotAllowedNow(producer.status)
    before = _certificate_facts(certificate)
    for name, value in values.items():
        setattr(certificate, name, value)
    certificate.legal_basis = product_set(values["product_set_code"]).legal_basis
    old_key = None
    if new_image_key:
        old_key, certificate.image_key = certificate.image_key, new_image_key
    db.session.flush()
    changes = audit.diff(before, _certificate_facts(certificate))
    if changes or new_image_key:
        audit.record("certificate_replaced_photo" if not changes else "certificate_changed", producer,
                     changes=changes, actor=actor)
    return old_key


def remove_certificate(producer, certificate_id, actor):
    """Returns the removed certificate's image key (delete its files after the commit)."""
    if not rules.can_edit_profile(producer.status):
        raise NotAllowedNow(producer.status)
    certificate = db.first_or_404(db.select(Certificate).where(
        Certificate.id == certificate_id, Certificate.producer_id == producer.id))
    audit.record("certificate_removed", producer, changes=_certificate_facts(certificate), actor=actor)
    producer.certificates.remove(certificate)
    return certificate.image_key


def _certificate_facts(certificate):
    return {"certificate_id": certificate.id, "decision_no": certificate.decision_no,
            "decision_date": certificate.decision_date.isoformat(), "stars": certificate.stars,
            "product_set_code": certificate.product_set_code, "product_name": certificate.product_name}


def image_belongs_to(producer, key):
    keys = {doc.image_key for doc in producer.documents} | {c.image_key for c in producer.certificates}
    return key in keys


def finish_documents(producer):
    producer.wizard_step = rules.step_after_saving(rules.DOCUMENTS, producer.wizard_step)


# --- step 4: bank details ---------------------------------------------------------------------

def latest_payment_account(producer):
    return producer.payment_accounts[-1] if producer.payment_accounts else None


def needs_reapproval(producer):
    """Once buyers may have paid into an account, a change must be approved again by an officer."""
    return producer.status == ProducerStatus.VERIFIED or any(
        account.status == PaymentAccount.APPROVED for account in producer.payment_accounts)


def payment_changes_last_day(producer, now=None):
    """Versions created in the last 24 hours since the last approved one."""
    return payment_details.changes_last_day(PaymentAccount, producer, now)


def payment_change_allowed(producer, now=None):
    return not needs_reapproval(producer) or payment_details.change_allowed(PaymentAccount, producer, now)


def add_bank_proof(producer, version, image_key, actor):
    """The photo sent with bank-details version `version` (the officer's review shows it)."""
    producer.documents.append(ProducerDocument(kind=BANK_PROOF, image_key=image_key, uploaded_by_id=actor.id))
    audit.record("document_added", producer, changes={"kind": BANK_PROOF, "version": version.version}, actor=actor)


def bank_proof_for(producer, version):
    """The newest photo sent with `version` (added in the same save, so not older than it)."""
    proofs = [doc for doc in producer.documents
              if doc.kind == BANK_PROOF and version is not None and doc.created_at >= version.created_at]
    return max(proofs, key=lambda doc: (doc.created_at, doc.id), default=None)


def save_payment_account(producer, details, actor):
    """Add a pending version unless the details are unchanged; returns (version, changed).

    The shared mechanism (producers.payment_details): versions are never edited, older
    pending versions become superseded, and `Producer.approved_payment_account` hides the
    approved one while a newer one waits for review. Once buyers may have paid into an
    account, the contact on record is warned of the change."""
    if not rules.can_edit_bank(producer.status):
        raise NotAllowedNow(producer.status)
    version, changed = payment_details.add_version(
        PaymentAccount, PaymentDetail.BANK_ACCOUNT, producer, details, actor, needs_review=needs_reapproval(producer))
    if changed:
        producer.wizard_step = rules.step_after_saving(rules.BANK, producer.wizard_step)
    return version, changed


# --- step 5: submission -----------------------------------------------------------------------

def submit(producer, actor, today=None):
    if not rules.can_submit(producer.status):
        raise NotAllowedNow(producer.status)
    missing = rules.missing_items(producer, today)
    if missing:
        raise IncompleteProfile(missing)
    before = producer.status
    producer.status = ProducerStatus.SUBMITTED
    producer.submitted_at = utcnow()
    producer.status_reason = None
    audit.record("submitted", producer, changes={"status": {"from": before, "to": ProducerStatus.SUBMITTED}},
                 actor=actor)
    notification_services.notify_submitted(producer)


# --- claims -----------------------------------------------------------------------------------

class AlreadyClaimed(Exception):
    pass


def issue_claim_code(producer, actor, phone=None):
    """A fresh code bound to the farmer's mobile number `phone` (E.164); the previous code stops
    working. Returned once; only its hash is kept. The text goes to the outbox for that number.
    A printed claim letter, handed over in person, has no number to bind (`phone=None`): its
    code works from any phone, still only until it expires."""
    if producer.owner_id is not None:
        raise AlreadyClaimed()
    code = claims.new_code()
    producer.claim_code_hash = claims.stored_value(code, method=current_app.config["PASSWORD_HASH_METHOD"])
    producer.claim_phone = phone
    producer.claim_expires_at = claims.expires_at(utcnow(), int(current_app.config["CLAIM_CODE_DAYS"]))
    audit.record("claim_code_issued", producer, changes={}, actor=actor)
    if phone:
        notification_services.send_claim_code(producer, phone, claim_message(producer, code), claim_link(code))
    return code


def claim_link(code):
    """The short link (on the public address) that opens the claim page with the code filled in."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + claims.short_path(code)


def claim_message(producer, code):
    """{'vi': ..., 'en': ...}: what the farmer receives with the link."""
    return notification_services.claim_code_texts(claims.display(code), display_phone(producer.claim_phone),
                                                  producer.claim_expires_at)


class ClaimOutcome:
    """`producer` when the claim succeeded; otherwise `refusal` (a `claims.ClaimRefusal`, or None
    when no code matches) and the `producer` whose code it was, if any."""

    def __init__(self, producer=None, refusal=None):
        self.producer = producer
        self.refusal = refusal

    @property
    def claimed(self):
        return self.producer is not None and self.refusal is None


def claim(user, typed_code):
    """Make `user` the owner of the unclaimed producer with this code, if the code is still valid
    and was issued for the user's own mobile number."""
    code = claims.normalise(typed_code)
    if code is None:
        return ClaimOutcome()
    candidates = db.session.scalars(db.select(Producer).where(
        Producer.owner_id.is_(None), Producer.claim_code_hash.like(claims.stored_prefix(code) + "%"))).all()
    for producer in candidates:
        if claims.matches(producer.claim_code_hash, code):
            refusal = claims.refusal(utcnow(), producer.claim_expires_at, producer.claim_phone, user.phone)
            if refusal is not None:
                return ClaimOutcome(producer, refusal)
            producer.owner_id = user.id
            producer.claim_code_hash = None
            producer.claim_phone = None
            producer.claim_expires_at = None
            audit.record("claimed", producer, changes={"owner_id": {"from": None, "to": user.id}}, actor=user)
            return ClaimOutcome(producer)
    return ClaimOutcome()
