"""Test factories for every domain: builders that create rows straight on the models (so a test
does not depend on other pages), signed deliveries, parsers for exported files and a real worker.
Everything is committed and ids are returned (objects belong to a session that ends with the
helper's app context)."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import openpyxl
import resvg_py
import sqlalchemy as sa
import zxingcpp
from lxml import etree
from PIL import Image, ImageDraw
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from accounts.models import Role, User
from bench.bench_import import sheet_rows, write_csv
from catalog.models import Availability, Product, ProductPhoto, ProductStatus
from core.clock import utcnow
from extensions import db
from media.images import process_upload
from media.storage import ImageStore
from payments.models import Order
from places import units
from producers.models import (AuditEvent, Certificate, PaymentAccount, Producer, ProducerDocument,
                              ProducerStatus)
from producers.ocop import add_months
from reconcile import services as reconcile_services
from reconcile.models import BankTransaction
from reconcile.notifications import casso_signature, sepay_hmac_signature
from reconcile.constants import AuthMethod, Service
from search import sync
from tests.relevance.data import PRODUCTS
from tests.conftest import csrf_token_from
from tests.integration import fresh_site
from vntext import slugify


# ---- Catalogue: producers, certificates, products and phone-like photos

def place(province_name, commune_name):
    province = units.match_province(province_name)
    return province.code, units.match_commune(province.code, commune_name).code


def make_producer(app, owner_id=None, *, name="HTX Nông sản Yên Hòa", province="Ninh Bình", commune="Yên Mô",
                  status=ProducerStatus.VERIFIED, phone="+84911000001"):
    province_code, commune_code = place(province, commune)
    with app.app_context():
        producer = Producer(owner_id=owner_id, legal_name=name, slug=slugify(name), province_code=province_code,
                            commune_code=commune_code, phone=phone, zalo=phone, status=status, wizard_step=5,
                            address="Thôn Bình Hải")
        db.session.add(producer)
        db.session.commit()
        return producer.id


def add_certificate(app, producer_id, *, stars=4, decision_date=None, set_code=8, number="3981/QĐ-UBND"):
    with app.app_context():
        certificate = Certificate(producer_id=producer_id, decision_no=number, issuing_body="UBND tỉnh Ninh Bình",
                                  decision_date=decision_date or date(2025, 3, 14), stars=stars,
                                  product_set_code=set_code, product_name="Cá chạch sấy khô")
        db.session.add(certificate)
        db.session.commit()
        return certificate.id


def add_product(app, producer_id, *, name="Cá chạch sấy khô Yên Hòa", ref=None, price=120_000, set_code=8,
                certificate_id=None, status=ProductStatus.PUBLISHED, availability="in_stock", photos=0, **extra):
    with app.app_context():
        count = db.session.scalar(db.select(db.func.count(Product.id)).where(Product.producer_id == producer_id))
        product = Product(producer_id=producer_id, ref=ref or f"SP{count + 1:04d}", name=name, slug=slugify(name),
                          product_set_code=set_code, price_vnd=price, unit="hộp 200g", certificate_id=certificate_id,
                          status=status, availability=availability, description="Cá chạch đồng sấy giòn.", **extra)
        for position in range(photos):
            product.photos.append(ProductPhoto(image_key=f"{position + 1:032x}", position=position, width=1200,
                                               height=900))
        db.session.add(product)
        db.session.commit()
        return product.id


def user_by_phone(phone):
    return db.session.scalar(db.select(User).filter_by(phone=phone))


# --- photos as phones send them -----------------------------------------------------------------

def picture(size=(640, 480), colour=(200, 120, 40)):
    """A picture with a red block in its top-left corner, to check orientation afterwards."""
    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).rectangle([0, 0, size[0] // 4, size[1] // 4], fill=(255, 0, 0))
    return image


def encode(image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def jpeg(size=(640, 480)):
    return encode(picture(size), "JPEG", quality=90)


def rotated_jpeg():
    """A portrait photo stored sideways, as phones do: landscape pixels + EXIF Orientation 6,
    plus a GPS position and camera model that must not survive."""
    stored = picture((640, 480)).transpose(Image.Transpose.ROTATE_90)  # what the sensor wrote
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    exif[0x0110] = "iPhone 15"  # Model
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 0.0)}  # GPS IFD
    return encode(stored, "JPEG", exif=exif.tobytes(), quality=90)


def heic(size=(640, 480)):
    import pillow_heif

    pillow_heif.register_heif_opener()
    return encode(picture(size, colour=(40, 140, 200)), "HEIF", quality=80)


def png(size=(400, 300)):
    return encode(picture(size, colour=(60, 160, 90)), "PNG")


HTML_AS_JPG = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


# ---- Onboarding wizard: valid form data per step and a `Wizard` that walks the steps

LAO_CAI, GIA_PHU = 15, 2923
THAI_NGUYEN, BANG_THANH = 19, 1864
VALID_TAX_CODE = "0100233488"
AGRIBANK, VIETCOMBANK = "970405", "970436"
RECENT_DECISION = date.today() - timedelta(days=200)  # still valid, whatever day the suite runs
ANY_PAGE = "/dang-nhap"  # a page that carries a CSRF token for everyone


def jpeg_bytes(size=(640, 480), color=(190, 120, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def photo(name="photo.jpg", data=None):
    return (io.BytesIO(data if data is not None else jpeg_bytes()), name)


def profile_data(**overrides):
    data = {"kind": "cooperative", "legal_name": "HTX Mật ong Gia Phú", "tax_code": VALID_TAX_CODE,
            "representative": "Nguyễn Văn An", "province": str(LAO_CAI), "commune": str(GIA_PHU),
            "address": "Thôn Đông, số 12", "phone": "0912 345 678", "zalo": "", "action": "save"}
    data.update(overrides)
    return data


def certificate_data(**overrides):
    data = {"product_name": "Mật ong bạc hà", "product_set": "4", "stars": "4", "decision_no": "3981/QĐ-UBND",
            "issuing_body": "UBND tỉnh Lào Cai", "decision_date": RECENT_DECISION.isoformat(),
            "photo": photo("cert.jpg")}
    data.update(overrides)
    return data


def bank_data(**overrides):
    data = {"bank_bin": AGRIBANK, "account_number": "1903 6547 8901", "holder_name": "Nguyễn Văn An"}
    data.update(overrides)
    return data


def use_english(client, auth):
    """Message tests read the English msgids, so they do not depend on the compiled catalogue;
    separate tests check that Vietnamese is the default."""
    response = client.post("/ngon-ngu", data={"lang": "en", "next": "/", "csrf_token": auth.token("/")})
    assert response.status_code == 302


def producer_id_from(location):
    match = re.search(r"/ho-so/(\d+)/", location)
    assert match, location
    return int(match.group(1))


class Wizard:
    def __init__(self, client, auth):
        self.client = client
        self.auth = auth

    def post(self, path, data, **kwargs):
        return self.auth.post(path, data, form_page=ANY_PAGE, **kwargs)

    def start(self, **overrides):
        response = self.post("/nha-san-xuat/ho-so", profile_data(**overrides))
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        return producer_id_from(response.headers["Location"])

    def base(self, producer_id):
        return f"/nha-san-xuat/ho-so/{producer_id}"

    def versioned(self, page, data):
        """`data` plus the edit version the step's form carries, as a browser would send it."""
        from tests.conftest import VERSION_RE

        response = self.client.get(page)
        if response.status_code == 200:
            for name, value in VERSION_RE.findall(response.get_data(as_text=True)):
                data.setdefault(name, value)
        return data

    def profile(self, producer_id, **overrides):
        path = f"{self.base(producer_id)}/buoc-2"
        return self.post(path, self.versioned(path, profile_data(**overrides)))

    def registration(self, producer_id, data=None, name="dkkd.jpg"):
        return self.post(f"{self.base(producer_id)}/buoc-3/dang-ky-kinh-doanh", {"photo": photo(name, data)})

    def certificate(self, producer_id, **overrides):
        return self.post(f"{self.base(producer_id)}/buoc-3/chung-nhan", certificate_data(**overrides))

    def documents_done(self, producer_id):
        return self.post(f"{self.base(producer_id)}/buoc-3/tiep-tuc", {})

    def bank(self, producer_id, **overrides):
        path = f"{self.base(producer_id)}/buoc-4"
        return self.post(path, self.versioned(path, bank_data(**overrides)))

    def submit(self, producer_id):
        return self.post(f"{self.base(producer_id)}/gui", {})

    def complete(self, **overrides):
        """Steps 2-4 filled in validly; returns the producer id (not yet submitted)."""
        producer_id = self.start(**overrides)
        assert self.registration(producer_id).status_code == 302
        assert self.certificate(producer_id).status_code == 302
        assert self.documents_done(producer_id).status_code == 302
        assert self.bank(producer_id).status_code == 302
        return producer_id


def text(response):
    return response.get_data(as_text=True)


def get_producer(app, producer_id):
    from producers.models import Producer

    with app.app_context():
        producer = db.session.get(Producer, producer_id)
        if producer is not None:
            # Load what the tests inspect before the session closes.
            producer.certificates, producer.documents, producer.payment_accounts  # noqa: B018
            db.session.expunge_all()
        return producer


def audit_actions(app, producer_id):
    from producers.models import AuditEvent

    with app.app_context():
        return [(event.action, event.actor_id, event.changes) for event in db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.producer_id == producer_id).order_by(AuditEvent.id))]


def set_status(app, producer_id, status, reason=None, approve_payment=False):
    """What the officer side would do (its own tests cover how)."""
    from producers.models import PaymentAccount, Producer

    with app.app_context():
        producer = db.session.get(Producer, producer_id)
        producer.status = status
        producer.status_reason = reason
        if status == ProducerStatus.VERIFIED and producer.verified_at is None:
            producer.verified_at = utcnow()
        if approve_payment:
            for account in producer.payment_accounts:
                if account.status == PaymentAccount.PENDING:
                    account.status = PaymentAccount.APPROVED
        db.session.commit()


# ---- Verification and security: communes A and B, their producers, officers, a helper and an admin

PROVINCE_A, COMMUNE_A = 15, 2923  # Lào Cai, Xã Gia Phú
PROVINCE_B, COMMUNE_B = 37, 14701  # Ninh Bình, Xã Yên Mô


@dataclass
class DossierWorld:
    oa: tuple
    oa2: tuple
    ob: tuple
    helper_a: tuple
    admin: tuple
    owner_a: tuple
    owner_b: tuple
    pa: int
    pb: int


def store_image(app):
    processed = process_upload(io.BytesIO(jpeg_bytes((240, 180))))
    return ImageStore(app.config["UPLOAD_DIR"]).save(processed)


def make_dossier(app, owner_id, commune_code, province_code, *, name, status=ProducerStatus.SUBMITTED,
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
    pa = make_dossier(app, owner_a[0], COMMUNE_A, PROVINCE_A, name="HTX Mật ong Gia Phú", with_images=with_images)
    pb = make_dossier(app, owner_b[0], COMMUNE_B, PROVINCE_B, name="HTX Nông sản Yên Mô",
                       bank=(VIETCOMBANK, "0071000123456", "HTX NONG SAN YEN MO"), with_images=with_images)
    return DossierWorld(oa, oa2, ob, helper_a, admin, owner_a, owner_b, pa, pb)


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


def add_published_product(app, producer_id, name):
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


# ---- Payments: sellers, orders and QR decoding

STARTED_RE = re.compile(r'name="started" type="hidden" value="([^"]+)"')


@dataclass
class Seller:
    user_id: int
    phone: str
    producer_id: int
    product_id: int
    price: int
    bin: str
    account: str
    holder: str


def make_seller(app, make_user, *, name="HTX Mật ong U Minh", product_name="Mật ong rừng U Minh",
                price=120_000, bank=(AGRIBANK, "1234567890123", "HTX MAT ONG U MINH"),
                commune=(COMMUNE_A, PROVINCE_A), producer_status=ProducerStatus.VERIFIED,
                account_status=PaymentAccount.APPROVED, availability=Availability.IN_STOCK,
                season_months="", product_status=ProductStatus.PUBLISHED, ref="MO-01") -> Seller:
    user_id, phone = make_user()
    with app.app_context():
        producer = Producer(owner_id=user_id, created_by_id=user_id, legal_name=name, slug="htx",
                            commune_code=commune[0], province_code=commune[1], phone="+84912000111",
                            status=producer_status, verified_at=utcnow())
        db.session.add(producer)
        db.session.flush()
        if bank is not None:
            db.session.add(PaymentAccount(producer_id=producer.id, version=1, bank_bin=bank[0],
                                          account_number=bank[1], holder_name=bank[2], status=account_status,
                                          created_by_id=user_id))
        product = Product(producer_id=producer.id, ref=ref, name=product_name, slug="mat-ong",
                          product_set_code=1, price_vnd=price, unit="chai 500ml", availability=availability,
                          season_months=season_months, status=product_status)
        db.session.add(product)
        db.session.commit()
        return Seller(user_id, phone, producer.id, product.id, price, *(bank or ("", "", "")))


def add_seller_product(app, seller, **fields) -> int:
    with app.app_context():
        values = dict(producer_id=seller.producer_id, ref=f"P-{utcnow().timestamp()}", name="Chè Shan tuyết",
                      slug="che", product_set_code=1, price_vnd=80_000, unit="gói 200g",
                      availability=Availability.IN_STOCK, status=ProductStatus.PUBLISHED)
        values.update(fields)
        product = Product(**values)
        db.session.add(product)
        db.session.commit()
        return product.id


def submit_new_bank_details(app, producer_id, bank, user_id=None) -> int:
    """A new PENDING version, as the producer's change form would add it."""
    with app.app_context():
        latest = db.session.scalar(db.select(db.func.max(PaymentAccount.version)).filter_by(producer_id=producer_id))
        row = PaymentAccount(producer_id=producer_id, version=(latest or 0) + 1, bank_bin=bank[0],
                             account_number=bank[1], holder_name=bank[2], status=PaymentAccount.PENDING,
                             created_by_id=user_id)
        db.session.add(row)
        db.session.commit()
        return row.id


def approve_latest_bank_details(app, producer_id, officer_id=None):
    """What an officer's approval does: the newest version approved, older ones superseded."""
    with app.app_context():
        rows = db.session.scalars(db.select(PaymentAccount).filter_by(producer_id=producer_id)
                                  .order_by(PaymentAccount.version)).all()
        for row in rows[:-1]:
            if row.status in (PaymentAccount.APPROVED, PaymentAccount.PENDING):
                row.status = PaymentAccount.SUPERSEDED
        rows[-1].status = PaymentAccount.APPROVED
        rows[-1].reviewed_by_id = officer_id
        rows[-1].reviewed_at = utcnow()
        db.session.commit()


def set_payment_link_directly(app, producer_id, url, status=PaymentAccount.APPROVED, user_id=None):
    """A new payment-link version (approved by default: as if an officer had checked it)."""
    from payments.models import PaymentLink

    with app.app_context():
        latest = db.session.scalar(db.select(db.func.max(PaymentLink.version)).filter_by(producer_id=producer_id))
        if status == PaymentAccount.APPROVED:
            for older in db.session.scalars(db.select(PaymentLink).filter_by(producer_id=producer_id,
                                                                             status=PaymentAccount.APPROVED)):
                older.status = PaymentAccount.SUPERSEDED
        row = PaymentLink(producer_id=producer_id, url=url, version=(latest or 0) + 1, status=status,
                          created_by_id=user_id)
        db.session.add(row)
        db.session.commit()
        return row.id


def set_producer_status(app, producer_id, status):
    with app.app_context():
        db.session.get(Producer, producer_id).status = status
        db.session.commit()


def order_form_tokens(client, product_id) -> dict:
    page = client.get(f"/dat-hang/{product_id}").get_data(as_text=True)
    match = STARTED_RE.search(page)
    assert match, "the order page has no order form"
    return {"csrf_token": csrf_token_from(page), "started": match.group(1)}


BUYER = {"quantity": "2", "buyer_name": "Trần Thị Bình", "buyer_phone": "0987 654 321",
         "delivery_address": "Số 12 ngõ 34 phố Huế, phường Hai Bà Trưng, Hà Nội", "note": "Gọi trước khi giao"}


def post_order(client, product_id, **overrides):
    data = dict(BUYER)
    data.update(order_form_tokens(client, product_id))
    data.update(overrides)
    return client.post(f"/dat-hang/{product_id}", data=data)


def place_order(client, product_id, **overrides) -> str:
    """The new order's code (the client keeps access through its session)."""
    response = post_order(client, product_id, **overrides)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"].split("#")[0].rsplit("/", 1)[-1]


def decode_image(data: bytes) -> list[str]:
    image = Image.open(io.BytesIO(data))
    if image.mode in ("RGBA", "LA") or "transparency" in image.info:
        paper = Image.new("RGB", image.size, "white")
        paper.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        image = paper
    return [result.text for result in zxingcpp.read_barcodes(image)]


def decode_png(data: bytes) -> list[str]:
    assert data.startswith(b"\x89PNG")
    return decode_image(data)


def decode_svg(svg: str, **options) -> list[str]:
    if 'xmlns="http://www.w3.org/2000/svg"' not in svg[:500]:
        svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return decode_image(resvg_py.svg_to_bytes(svg_string=svg, **options))


INLINE_SVG_RE = re.compile(r"<svg role=\"img\".*?</svg>", re.S)


def inline_qr_codes(html: str) -> list[str]:
    """Every payload of the inline QR codes in a page."""
    found = []
    for svg in INLINE_SVG_RE.findall(html):
        found.extend(decode_svg(svg))
    return found


# ---- Reconciliation: a connected producer, signed SePay and Casso deliveries

SEPAY_SECRET = "sepay-hmac-secret-0123456789abcdef"
SEPAY_API_KEY = "sepay-api-key-0123456789abcdef"
CASSO_SECRET = "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs"


def connect_feed(app, seller, service, method, secret) -> str:
    """The webhook path of a new connection, made as the producer's settings page makes it."""
    with app.app_context():
        producer = db.session.get(Producer, seller.producer_id)
        feed = reconcile_services.connect(producer, Service(service), AuthMethod(method), secret,
                                db.session.get(User, seller.user_id))
        db.session.commit()
        return f"/api/webhooks/{service}/{feed.hook_id}"


def sepay_payload(transaction_id, amount, content, **fields):
    """SePay's payload as its 'Integrate webhook' page shows it."""
    payload = {"id": transaction_id, "gateway": "Vietcombank", "transactionDate": "2026-12-03 14:02:37",
               "accountNumber": "1234567890123", "code": None, "content": content, "transferType": "in",
               "transferAmount": amount, "accumulated": 19_077_000, "subAccount": None,
               "referenceCode": f"MBVCB.{3278907687 + int(transaction_id)}", "description": ""}
    payload.update(fields)
    return payload


def post_sepay(client, path, payload, secret=SEPAY_SECRET, timestamp=None, body=None):
    body = body if body is not None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {"X-SePay-Signature": sepay_hmac_signature(secret, timestamp, body), "X-SePay-Timestamp": timestamp}
    return client.post(path, data=body, headers=headers, content_type="application/json")


def casso_payload(transaction_id, amount, description, **fields):
    """Casso webhook V2: {"error": 0, "data": {...}} as its signature samples show it."""
    data = {"id": transaction_id, "reference": f"FT2633{transaction_id:08d}", "description": description,
            "amount": amount, "runningBalance": 25_000_000, "transactionDateTime": "2026-12-03 15:06:37",
            "accountNumber": "1234567890123", "bankName": "Agribank", "bankAbbreviation": "VBA",
            "virtualAccountNumber": "", "virtualAccountName": "", "counterAccountName": "TRAN THI BINH",
            "counterAccountNumber": "0351000646393", "counterAccountBankId": "970436",
            "counterAccountBankName": "Vietcombank"}
    data.update(fields)
    return {"error": 0, "data": data}


def post_casso(client, path, payload, secret=CASSO_SECRET, timestamp=None):
    timestamp = str(int(time.time() * 1000) if timestamp is None else timestamp)
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return client.post(path, data=body, headers={"X-Casso-Signature": casso_signature(secret, timestamp, payload)},
                       content_type="application/json")


def order_row(app, code):
    with app.app_context():
        order = db.session.scalar(db.select(Order).filter_by(code=code))
        return {"status": order.status, "received": order.received_vnd, "amount": order.amount_vnd,
                "paid_at": order.paid_at}


def transactions(app):
    with app.app_context():
        return [(t.source, t.external_id, t.amount_vnd, t.state, t.order.code if t.order else None, t.outcome)
                for t in db.session.scalars(db.select(BankTransaction).order_by(BankTransaction.id))]


# ---- Reports: a small area (Yên Mô, Ninh Bình and Gia Phú, Lào Cai)

def build_report_world(app, make_user):
    """Commune Yên Mô (Ninh Bình) with two verified producers and one waiting; Gia Phú (Lào Cai)
    with one more, which Yên Mô's officer must never count."""
    today = date.today()
    officer, officer_phone = make_user(Role.OFFICER, communes=(place("Ninh Bình", "Yên Mô")[1],), name="Cán bộ Yên Mô")
    helper, _ = make_user(Role.HELPER, communes=(place("Ninh Bình", "Yên Mô")[1],), name="Tổ công nghệ Yên Mô")
    honey = make_producer(app, name="HTX Mật ong Yên Mô", phone="+84911000001")
    fish = make_producer(app, name="HTX Cá chạch Yên Hòa", phone="+84911000002")
    waiting = make_producer(app, name="Hộ Lê Văn Ba", status=ProducerStatus.SUBMITTED, phone="+84911000003")
    elsewhere = make_producer(app, name="HTX Chè Gia Phú", province="Lào Cai", commune="Gia Phú", phone="+84911000004")
    fresh = add_certificate(app, honey, stars=4, decision_date=add_months(today, -6), set_code=4)
    due = add_certificate(app, fish, stars=3, decision_date=add_months(today, -35), set_code=8)
    old = add_certificate(app, fish, stars=5, decision_date=add_months(today, -40), set_code=8, number="12/QĐ-UBND")
    add_product(app, honey, name="Mật ong hoa nhãn", set_code=4, certificate_id=fresh, photos=1)
    add_product(app, fish, name="Cá chạch sấy khô", set_code=8, certificate_id=due, photos=0)  # no photo: not online
    add_product(app, fish, name="Cá chạch rim", set_code=8, certificate_id=old, photos=1)  # expired stars
    add_product(app, elsewhere, name="Chè Shan tuyết", set_code=11,
                certificate_id=add_certificate(app, elsewhere, stars=5, decision_date=add_months(today, -2), set_code=11),
                photos=1)
    now = datetime.utcnow()
    with app.app_context():
        for producer_id, paid in ((honey, True), (honey, False), (elsewhere, True)):
            db.session.add(Order(code=f"CQ{producer_id}{int(paid)}XYZ", producer_id=producer_id, product_name="x",
                                 unit_price_vnd=100_000, quantity=2, amount_vnd=200_000, buyer_name="Chị Lan",
                                 buyer_phone="+84912345678", delivery_address="Hà Nội",
                                 status="paid" if paid else "new", created_at=now))
        verified = db.session.get(Producer, honey)
        verified.submitted_at, verified.verified_at = now - timedelta(days=4), now
        db.session.get(Producer, waiting).created_by_id = helper
        db.session.commit()
    return {"officer_phone": officer_phone}


# ---- Search: the judged products as real producers and products

# One OCOP product set per relevance group.
SET_FOR_GROUP = {"food": 7, "drinks": 14, "herbal": 20, "handicraft": 21, "ornamental": 23, "tourism": 26}


def add_world(app, *, owner_id=None, stars=None) -> dict:
    """Every judged product, published by its own verified producer; returns key -> product id.

    ``stars`` maps keys to (stars, decision_date) for certificates.
    """
    stars = stars or {}
    with app.app_context():
        ids = {}
        for number, item in enumerate(PRODUCTS, start=1):
            province = units.match_province(item.province)
            commune = units.communes(province.code)[0]
            producer = Producer(owner_id=owner_id, legal_name=item.producer, slug=slugify(item.producer),
                                province_code=province.code, commune_code=commune.code,
                                phone=f"+849{number:08d}", zalo=f"+849{number:08d}", tax_code=f"{4100000000 + number}",
                                status=ProducerStatus.VERIFIED, wizard_step=5, address="Thôn Một")
            db.session.add(producer)
            db.session.flush()
            certificate = None
            if item.key in stars:
                count, decided = stars[item.key]
                certificate = Certificate(producer_id=producer.id, decision_no=f"{number}/QĐ-UBND",
                                          issuing_body="UBND tỉnh", decision_date=decided, stars=count,
                                          product_set_code=SET_FOR_GROUP[item.group], product_name=item.name)
                db.session.add(certificate)
                db.session.flush()
            product = Product(producer_id=producer.id, ref=f"RV{number:03d}", name=item.name, slug=slugify(item.name),
                              product_set_code=SET_FOR_GROUP[item.group], description=item.description,
                              price_vnd=100_000 + number * 1000, unit="hộp", status=ProductStatus.PUBLISHED,
                              certificate=certificate)
            db.session.add(product)
            db.session.flush()
            ids[item.key] = product.id
        db.session.commit()
        return ids


def rebuild(app) -> int:
    with app.app_context():
        return sync.rebuild()


def api(client, **params) -> dict:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def names(client, text, **params) -> list:
    return [item["name"] for item in api(client, q=text, **params)["items"]]


def decided_for_expiry(days_from_today: int) -> date:
    """A decision date whose 36-month certificate ends ``days_from_today`` from today
    (negative: already expired)."""
    from producers.ocop import CERTIFICATE_VALIDITY_MONTHS, add_months, certificate_valid_until

    last_day = date.fromordinal(date.today().toordinal() + days_from_today)
    decided = add_months(last_day, -CERTIFICATE_VALIDITY_MONTHS)
    assert certificate_valid_until(decided) == last_day
    return decided


# ---- Exports and feeds: a small catalogue with real photo files, and parsers for every format

G = "{http://base.google.com/ns/1.0}"
FORMULA_NAME = '=HYPERLINK("http://evil.example/x","Mật ong rừng U Minh")'
# 160 characters in NFC (over Google's and Meta's 150), 196 in NFD (the column holds 200).
LONG_NFC_TITLE = ("Mật ong hoa nhãn Yên Hòa nguyên chất loại đặc biệt thu hoạch vụ xuân " * 3)[:160].strip()
LONG_NFD_TITLE = unicodedata.normalize("NFD", LONG_NFC_TITLE)


def listing_id(product_id: int) -> str:
    return f"OCOP-{product_id:06d}"


@dataclass
class ExportWorld:
    producer_phone: str = ""
    other_producer_phone: str = ""
    officer_phone: str = ""
    admin_phone: str = ""
    products: dict[str, int] = field(default_factory=dict)
    producers: dict[str, int] = field(default_factory=dict)
    photo_keys: list[str] = field(default_factory=list)

    def ids(self, *names) -> set[str]:
        return {listing_id(self.products[name]) for name in names}


@lru_cache(maxsize=1)
def processed_photo():
    """One phone photo, re-encoded once per test run (every product shares its pixels)."""
    return process_upload(jpeg((1600, 1200)))


def store_photo(app, product_id: int, position: int = 0) -> str:
    with app.app_context():
        key = ImageStore(app.config["UPLOAD_DIR"]).save(processed_photo())
        db.session.add(ProductPhoto(product_id=product_id, image_key=key, position=position, width=1600,
                                    height=1200))
        db.session.commit()
        return key


def build_world(app, make_user) -> ExportWorld:
    """Producer A (Ninh Bình, Yên Mô, owned by the producer user) with good, draft, hidden,
    price-less, formula-named and long-NFD-titled products; producer B (another commune, owned by
    another user); C in A's commune but only submitted; D suspended. The officer looks after
    Yên Mô only."""
    world = ExportWorld()
    owner_id, world.producer_phone = make_user(role=Role.PRODUCER)
    other_id, world.other_producer_phone = make_user(role=Role.PRODUCER)
    from places import units

    yen_mo = units.match_commune(units.match_province("Ninh Bình").code, "Yên Mô").code
    _, world.officer_phone = make_user(role=Role.OFFICER, communes=(yen_mo,))
    _, world.admin_phone = make_user(role=Role.ADMIN)

    a = world.producers["a"] = make_producer(app, owner_id)
    b = world.producers["b"] = make_producer(app, other_id, name="HTX Chè Tân Cương", province="Thái Nguyên",
                                             commune="Tân Cương", phone="+84911000002")
    c = world.producers["c"] = make_producer(app, None, name="Hộ kinh doanh Lò Văn Sáng",
                                             status=ProducerStatus.SUBMITTED, phone="+84911000003")
    d = world.producers["d"] = make_producer(app, None, name="HTX Bị Đình Chỉ", status=ProducerStatus.SUSPENDED,
                                             phone="+84911000004")
    valid = add_certificate(app, a, stars=4, decision_date=date.today() - timedelta(days=200))
    expired = add_certificate(app, a, stars=5, decision_date=date.today() - timedelta(days=40 * 31),
                              number="12/QĐ-UBND")
    products = world.products
    products["good"] = add_product(app, a, name="Mật ong hoa nhãn", ref="MO-500", price=185_000, set_code=4,
                                   certificate_id=valid, weight_g=700, availability="seasonal", season_months="5,6,7")
    products["expired"] = add_product(app, a, name="Cá chạch sấy khô Yên Hòa", ref="CC-1", certificate_id=expired,
                                      weight_g=250)
    products["draft"] = add_product(app, a, name="Nháp", ref="NH-1", status=ProductStatus.DRAFT)
    products["hidden"] = add_product(app, a, name="Đã ẩn", ref="AN-1", status=ProductStatus.HIDDEN)
    products["no_price"] = add_product(app, a, name="Tương bần Yên Mô", ref="TB-1", price=None, weight_g=650,
                                       set_code=9)
    products["formula"] = add_product(app, a, name=FORMULA_NAME, ref="F-1", weight_g=700, set_code=4)
    products["long"] = add_product(app, a, name=LONG_NFD_TITLE, ref="DAI-1", weight_g=700, set_code=4)
    products["other"] = add_product(app, b, name="Chè Tân Cương móc câu", ref="CHE-1", price=250_000, set_code=11,
                                    weight_g=260)
    products["unverified"] = add_product(app, c, name="Gạo Séng Cù", ref="GAO-5", price=90_000, set_code=3,
                                         weight_g=5000)
    products["suspended"] = add_product(app, d, name="Nước mắm nhĩ", ref="NM-1", price=120_000, set_code=9,
                                        weight_g=650)
    for name in ("good", "expired", "no_price", "formula", "long", "other", "unverified", "suspended"):
        world.photo_keys.append(store_photo(app, products[name]))
    world.photo_keys.append(store_photo(app, products["good"], position=1))
    return world


# --- independent parsers -----------------------------------------------------------------------

def parse_google_xml(data: bytes) -> dict[str, dict]:
    root = etree.fromstring(data)
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert root.nsmap.get("g") == G.strip("{}")
    items = {}
    for item in root.iter("item"):
        values = {}
        for child in item:
            name = etree.QName(child).localname
            if name == "additional_image_link":
                values.setdefault(name, []).append(child.text)
            else:
                values[name] = child.text
        items[values["id"]] = values
    return items


def parse_tsv(data: bytes) -> dict[str, dict]:
    assert not data.startswith(b"\xef\xbb\xbf")
    # Google's "quoted fields": a value in double quotes, each quote inside doubled.
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8")), delimiter="\t", doublequote=True))
    return {row["id"]: row for row in rows}


def parse_meta_csv(data: bytes) -> dict[str, dict]:
    assert not data.startswith(b"\xef\xbb\xbf")
    return {row["id"]: row for row in csv.DictReader(io.StringIO(data.decode("utf-8")))}


def parse_own_csv(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def parse_json(data: bytes) -> list[dict]:
    return json.loads(data.decode("utf-8"))


def parse_xlsx(data: bytes, header: str) -> tuple[list[str], list[dict], object]:
    """(headers, rows as dicts, worksheet) of the sheet whose header row holds `header`.

    A row of Shopee keys (``ps_product_name|1|0``) or TikTok keys (``product_name``) is read by
    key, and products start six rows below it, after the names and instructions (the layout of
    both marketplaces' templates); Lazada's sheet has one header row of names."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            headers = [str(value).split("|")[0] if isinstance(value, str) else value for value in row]
            if header in headers:
                keyed = any(isinstance(value, str) and "|" in value for value in row) or "product_name" in headers
                rows = [dict(zip(headers, values))
                        for values in sheet.iter_rows(min_row=row_number + (6 if keyed else 1), values_only=True)
                        if any(value not in (None, "") for value in values)]
                return headers, rows, sheet
    raise AssertionError(f"no header row with {header!r}")


XLSX_KEYS = {"shopee-xlsx": ("ps_sku_parent_short", "ps_product_name"),
             "tiktok-xlsx": ("seller_sku", "product_name"), "lazada-xlsx": ("SellerSKU", "*Product Name")}


def parsed_ids(format_name: str, data: bytes) -> set[str]:
    """The listing ids (or refs for our own formats) in an export."""
    if format_name == "google-xml":
        return set(parse_google_xml(data))
    if format_name == "google-tsv":
        return set(parse_tsv(data))
    if format_name == "meta-csv":
        return set(parse_meta_csv(data))
    if format_name == "csv":
        return {row["ref"] for row in parse_own_csv(data)}
    if format_name == "json":
        return {row["ref"] for row in parse_json(data)}
    if format_name == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {row["ref"] for row in parse_own_csv(archive.read("choque.csv"))}
    key, _ = XLSX_KEYS[format_name]
    return {row[key] for row in parse_xlsx(data, key)[1]}


# ---- Background jobs: sheets uploaded through the page, a real worker process, following a job

ROOT = Path(__file__).resolve().parents[1]
UPLOAD = "/nhap-du-lieu"
JOB_PATH = re.compile(r"/cong-viec/(\d+)$")


def sheet_csv(tmp_path: Path, rows: int, producers: int = 20) -> bytes:
    """A generated OCOP catalogue sheet (the bench's realistic rows) as CSV bytes."""
    path = tmp_path / f"sheet-{rows}.csv"
    write_csv(path, sheet_rows(rows, producers))
    return path.read_bytes()


def post_sheet(client, token: str, data: bytes, name="danh-sach.csv", dry_run=False):
    """POST the import form; the response, not followed."""
    payload = {"file": FileStorage(io.BytesIO(data), name), "csrf_token": token}
    if dry_run:
        payload["dry_run"] = "y"
    boundary, body = encode_multipart(payload)  # in memory: the test client would spool to a temp file
    return client.post(UPLOAD, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def job_id_of(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(JOB_PATH.search(response.headers["Location"]).group(1))


def worker_env(app) -> dict:
    """The environment that makes create_app() in another process use this test app's state."""
    config = app.config
    env = dict(os.environ)
    env.update({
        "FLASK_SECRET_KEY": config["SECRET_KEY"], "FLASK_UPLOAD_DIR": config["UPLOAD_DIR"],
        "FLASK_SEARCH_INDEX_DIR": config["SEARCH_INDEX_DIR"], "FLASK_PUBLIC_BASE_URL": config["PUBLIC_BASE_URL"],
        "FLASK_SQLALCHEMY_DATABASE_URI": config["SQLALCHEMY_DATABASE_URI"],
        "FLASK_JOBS_QUEUE_PATH": config["JOBS_QUEUE_PATH"], "FLASK_JOBS_QUEUE_NAME": config["JOBS_QUEUE_NAME"],
        "FLASK_PASSWORD_HASH_METHOD": config["PASSWORD_HASH_METHOD"], "PYTHONDONTWRITEBYTECODE": "1",
    })
    if config.get("REDIS_URL"):
        env["FLASK_REDIS_URL"] = config["REDIS_URL"]
    else:
        env.pop("FLASK_REDIS_URL", None)
    options = config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("connect_args")
    if options:
        env["FLASK_SQLALCHEMY_ENGINE_OPTIONS"] = json.dumps({"connect_args": options})
    return env


class Worker:
    """`flask --app app jobs worker` in its own process, stopped gracefully (SIGINT) on exit."""

    def __init__(self, app, log_path: Path):
        self.app, self.log_path = app, log_path
        self.process = None

    def __enter__(self):
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "jobs", "worker",
                                         "--workers", "1"], cwd=ROOT, env=worker_env(self.app),
                                        stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


def follow(client, job_id: int, timeout: float = 120) -> list[dict]:
    """Poll the job's JSON status until it has finished; every state seen, in order."""
    seen, deadline = [], time.monotonic() + timeout
    while True:
        state = client.get(f"/cong-viec/{job_id}/tien-do.json").get_json()
        seen.append(state)
        if state["finished"]:
            return seen
        assert time.monotonic() < deadline, f"job {job_id} did not finish: {state}"
        time.sleep(0.2)


# ---- Backups: a little demo data, an empty second site, whole-site contents

def load_short_demo(runner, monkeypatch):
    """`flask demo load` with three products (two photos each): users, producers, certificates,
    payment accounts, audit events, products and photos."""
    from demo import data as demo_data

    short = [[demo_data.DEMO_PRODUCTS[0][0], demo_data.DEMO_PRODUCTS[0][2]], [demo_data.DEMO_PRODUCTS[1][0]], [], []]
    monkeypatch.setattr(demo_data, "DEMO_PRODUCTS", short)
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output


def empty_site(folder: Path, pg_schema=None):
    """A fresh app with its own instance folder and an empty database (no tables at all)."""
    return fresh_site.empty_site(folder, create_tables=False, BACKUP_DIR=str(folder / "backups"))


def table_rows(app) -> dict:
    """Every row of every table, in primary-key order."""
    with app.app_context(), db.engine.connect() as conn:
        return {table.name: conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
                for table in db.metadata.sorted_tables}


def upload_files(app) -> dict:
    """Every uploaded file's bytes by relative path."""
    root = Path(app.config["UPLOAD_DIR"])
    files = {}
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def redis_reachable(url: str) -> bool:
    """Whether a Redis server answers at `url` (tests of sharing through Redis need one; every
    Redis feature also has an embedded default, which the rest of the suite uses)."""
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
        return True
    except Exception:
        return False
