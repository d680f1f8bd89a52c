"""Builders for the catalogue tests: producers, certificates, products and phone-like photos.
Everything is created through the models/services and committed, and ids are returned (the
objects belong to a session that ends with the helper's app context)."""
from __future__ import annotations

import io
from datetime import date

from PIL import Image, ImageDraw

from accounts.models import User
from catalog.models import Product, ProductPhoto, ProductStatus
from extensions import db
from places import units
from producers.models import Certificate, Producer, ProducerStatus
from vntext import slugify


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
