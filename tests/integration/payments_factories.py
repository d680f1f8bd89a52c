"""Sellers, orders and QR decoding for the payments tests, built straight on the
models so they do not depend on the onboarding or catalogue pages."""
import io
import re
from dataclasses import dataclass

import resvg_py
import zxingcpp
from PIL import Image

from core.clock import utcnow
from catalog.models import Availability, Product, ProductStatus
from extensions import db
from producers.models import PaymentAccount, Producer, ProducerStatus
from tests.conftest import csrf_token_from

COMMUNE_A, PROVINCE_A = 2923, 15  # Xã Gia Phú, Lào Cai
COMMUNE_B, PROVINCE_B = 14701, 37  # Xã Yên Mô, Ninh Bình
AGRIBANK, VIETCOMBANK = "970405", "970436"
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


def add_product(app, seller, **fields) -> int:
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
