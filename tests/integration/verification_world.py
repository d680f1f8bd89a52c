"""A small world for verification and security tests (security.md §6 fixtures):
communes A and B, a producer in each (PA, PB), officers OA and OB, a helper of A,
a second officer of A, and an admin. Built straight on the models so the tests do
not depend on the wizard's pages."""
import io
from dataclasses import dataclass
from datetime import date

from PIL import Image

from accounts.models import Role, User
from core.clock import utcnow
from extensions import db
from media.images import process_upload
from media.storage import ImageStore
from producers.models import (AuditEvent, Certificate, PaymentAccount, Producer, ProducerDocument,
                              ProducerStatus)

PROVINCE_A, COMMUNE_A = 15, 2923  # Lào Cai, Xã Gia Phú
PROVINCE_B, COMMUNE_B = 37, 14701  # Ninh Bình, Xã Yên Mô
AGRIBANK, VIETCOMBANK = "970405", "970436"


@dataclass
class World:
    oa: tuple
    oa2: tuple
    ob: tuple
    helper_a: tuple
    admin: tuple
    owner_a: tuple
    owner_b: tuple
    pa: int
    pb: int


def jpeg_bytes(size=(240, 180), color=(200, 180, 90)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def store_image(app):
    processed = process_upload(io.BytesIO(jpeg_bytes()))
    return ImageStore(app.config["UPLOAD_DIR"]).save(processed)


def make_producer(app, owner_id, commune_code, province_code, *, name, status=ProducerStatus.SUBMITTED,
                  created_by_id=None, bank=(AGRIBANK, "3100205123456", "HTX NONG SAN"), payment_by=None,
                  with_images=True):
    """A producer with a certificate, a business registration and one pending bank-details version."""
    with app.app_context():
        producer = Producer(owner_id=owner_id, created_by_id=created_by_id or owner_id, kind="cooperative",
                            legal_name=name, slug="x", tax_code="0101245486", representative="Nguyễn Văn An",
                            province_code=province_code, commune_code=commune_code, address="Thôn 1",
                            phone="+84912345678", zalo="+84912345678", status=status, wizard_step=5,
                            submitted_at=utcnow() if status != ProducerStatus.DRAFT else None)
        db.session.add(producer)
        db.session.flush()
        image_key = store_image(app) if with_images else None
        producer.certificates.append(Certificate(
            decision_no="3981/QĐ-UBND", issuing_body="UBND tỉnh Lào Cai", decision_date=date(2024, 5, 10),
            stars=4, product_set_code=1, product_name="Mật ong bạc hà", image_key=image_key))
        if with_images:
            producer.documents.append(ProducerDocument(kind="business_registration", image_key=store_image(app),
                                                       uploaded_by_id=owner_id))
        if bank:
            producer.payment_accounts.append(PaymentAccount(
                version=1, bank_bin=bank[0], account_number=bank[1], holder_name=bank[2],
                status=PaymentAccount.PENDING, created_by_id=payment_by or created_by_id or owner_id))
        db.session.commit()
        return producer.id


def build(app, make_user, with_images=True):
    oa = make_user(role=Role.OFFICER, communes=(COMMUNE_A,), name="Cán bộ A")
    oa2 = make_user(role=Role.OFFICER, communes=(COMMUNE_A,), name="Cán bộ A2")
    ob = make_user(role=Role.OFFICER, communes=(COMMUNE_B,), name="Cán bộ B")
    helper_a = make_user(role=Role.HELPER, communes=(COMMUNE_A,), name="Tổ CNS A")
    admin = make_user(role=Role.ADMIN, name="Quản trị")
    owner_a = make_user(name="Chủ HTX A")
    owner_b = make_user(name="Chủ HTX B")
    pa = make_producer(app, owner_a[0], COMMUNE_A, PROVINCE_A, name="HTX Mật ong Gia Phú", with_images=with_images)
    pb = make_producer(app, owner_b[0], COMMUNE_B, PROVINCE_B, name="HTX Nông sản Yên Mô",
                       bank=(VIETCOMBANK, "0071000123456", "HTX NONG SAN YEN MO"), with_images=with_images)
    return World(oa, oa2, ob, helper_a, admin, owner_a, owner_b, pa, pb)


def snapshot(app, producer_id):
    """Everything a decision could change, to assert 'nothing changed'."""
    with app.app_context():
        db.session.expire_all()
        producer = db.session.get(Producer, producer_id)
        return {
            "status": producer.status,
            "status_reason": producer.status_reason,
            "verified_at": producer.verified_at,
            "commune_code": producer.commune_code,
            "owner_id": producer.owner_id,
            "payments": [(a.id, a.version, a.status, a.reviewed_by_id, a.account_number)
                         for a in producer.payment_accounts],
            "audit": db.session.scalar(db.select(db.func.count(AuditEvent.id))),
            "users": db.session.execute(db.select(User.id, User.role, User.password_hash)
                                        .order_by(User.id)).all(),
        }


def producer_status(app, producer_id):
    with app.app_context():
        return db.session.get(Producer, producer_id).status


def payment_versions(app, producer_id):
    with app.app_context():
        rows = db.session.scalars(db.select(PaymentAccount).where(PaymentAccount.producer_id == producer_id)
                                  .order_by(PaymentAccount.version)).all()
        return [(row.version, row.status) for row in rows]


def set_status(app, producer_id, status):
    with app.app_context():
        producer = db.session.get(Producer, producer_id)
        producer.status = status
        if status == ProducerStatus.VERIFIED:
            producer.verified_at = utcnow()
        db.session.commit()


def approve_all_payments(app, producer_id, reviewer_id):
    with app.app_context():
        for account in db.session.scalars(db.select(PaymentAccount).filter_by(producer_id=producer_id)):
            account.status = PaymentAccount.APPROVED
            account.reviewed_by_id = reviewer_id
        db.session.commit()


def add_payment_version(app, producer_id, actor_id, bank=(AGRIBANK, "3100299999999", "HTX MOI")):
    """The producer (or someone on their behalf) changes bank details, through the wizard's service."""
    from producers import services as producer_services

    with app.app_context():
        producer = db.session.get(Producer, producer_id)
        actor = db.session.get(User, actor_id)
        version, _changed = producer_services.save_payment_account(
            producer, {"bank_bin": bank[0], "account_number": bank[1], "holder_name": bank[2]}, actor)
        db.session.commit()
        return version.id


def pending_fields(app, producer_id):
    """(version id, fingerprint) of the newest version, as the dossier page would show them."""
    from verification import services

    with app.app_context():
        producer = db.session.get(Producer, producer_id)
        _latest, row = services.latest_payment_version(producer)
        return str(row.id), services.fingerprint_of(row)


def add_product(app, producer_id, name):
    """A published product, so the public pages have something of this producer to show."""
    from catalog.models import Product

    with app.app_context():
        product = Product(producer_id=producer_id, ref=f"P-{producer_id}", name=name, status="published",
                          product_set_code=1, price_vnd=150000, unit="hộp 500g", published_at=utcnow())
        db.session.add(product)
        db.session.commit()
        return product.id


def public_producer_status(client, producer_id):
    """Status of the public producer page (the slug is not checked here: any slug redirects)."""
    return client.get(f"/co-so/x-{producer_id}", follow_redirects=True).status_code


APPROVE_PAYMENT = "/can-bo/ho-so/{}/tai-khoan/duyet"
REJECT_PAYMENT = "/can-bo/ho-so/{}/tai-khoan/tu-choi"


def build_with_bank_change(app, make_user):
    """Both producers verified with approved bank details; PA's owner then changed them (version 2)."""
    world = build(app, make_user, with_images=False)
    for producer_id in (world.pa, world.pb):
        set_status(app, producer_id, "verified")
        approve_all_payments(app, producer_id, world.admin[0])
    add_payment_version(app, world.pa, world.owner_a[0])
    return world


def seen_payment(app, producer_id):
    """The hidden fields of the payment approval form, as the dossier shows them now."""
    version_id, fingerprint = pending_fields(app, producer_id)
    return {"version_id": version_id, "fingerprint": fingerprint}
