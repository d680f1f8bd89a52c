"""The demo data: an admin, four communes each with an officer and a verified producer (approved
bank details, certificates), and about twenty published products with drawn photos."""
from datetime import date

from accounts import services as account_services
from accounts.models import Role, User
from extensions import db
from places import units
from producers.models import Certificate, PaymentAccount, Producer, ProducerStatus
from vntext import slugify

DEMO_PASSWORD = "choque-demo-2025"
ADMIN_PHONE = "+84900000001"

# (province, commune, officer phone, producer phone, legal name, kind, address, bank BIN, account, holder)
DEMO_COMMUNES = [
    ("Ninh Bình", "Yên Mô", "+84900000011", "+84911000001", "HTX Nông sản Yên Hòa", "cooperative",
     "Thôn Bình Hải, xã Yên Hòa cũ", "970405", "3100205123456", "HTX NONG SAN YEN HOA"),
    ("Lào Cai", "Gia Phú", "+84900000012", "+84911000002", "HTX Chè Shan Gia Phú", "cooperative",
     "Thôn Lúc, xã Gia Phú", "970418", "8800123456", "HTX CHE SHAN GIA PHU"),
    ("Thái Nguyên", "Bằng Thành", "+84900000013", "+84911000003", "Hộ kinh doanh Lý Thị Mai", "household",
     "Bản Khuổi Khí, xã Bằng Thành (huyện Pác Nặm cũ)", "970446", "1200456789", "LY THI MAI"),
    ("Sơn La", "Mộc Châu", "+84900000014", "+84911000004", "HTX Chè Tân Lập Mộc Châu", "cooperative",
     "Tiểu khu 1, phường Mộc Châu", "970436", "0123456789012", "HTX CHE TAN LAP MOC CHAU"),
]


def _commune(province_name, commune_name):
    province = units.match_province(province_name)
    return province, units.match_commune(province.code, commune_name)


def demo_logins():
    """(role, phone, password, commune) rows for the README and the command output."""
    rows = [("admin", ADMIN_PHONE, DEMO_PASSWORD, "")]
    for province_name, commune_name, officer_phone, producer_phone, *_ in DEMO_COMMUNES:
        place = f"{commune_name}, {province_name}"
        rows.append(("officer", officer_phone, DEMO_PASSWORD, place))
        rows.append(("producer", producer_phone, DEMO_PASSWORD, place))
    return rows


def load_demo_data():
    """Create the demo rows; returns False when they already exist."""
    if db.session.scalar(db.select(User.id).filter_by(phone=ADMIN_PHONE)) is not None:
        return False
    account_services.create_user(ADMIN_PHONE, DEMO_PASSWORD, "Quản trị Chợ Quê", Role.ADMIN)
    demo_producers = []
    for (province_name, commune_name, officer_phone, producer_phone, legal_name, kind,
         address, bank_bin, account, holder) in DEMO_COMMUNES:
        province, commune = _commune(province_name, commune_name)
        officer = account_services.create_user(officer_phone, DEMO_PASSWORD, f"Cán bộ xã {commune_name}",
                                               Role.OFFICER, [commune.code])
        owner = account_services.create_user(producer_phone, DEMO_PASSWORD, f"Chủ {legal_name}")
        producer = Producer(owner=owner, created_by=owner, kind=kind, legal_name=legal_name,
                            slug=slugify(legal_name), representative=owner.name,
                            province_code=province.code, commune_code=commune.code, address=address,
                            phone=producer_phone, zalo=producer_phone, status=ProducerStatus.VERIFIED,
                            wizard_step=5, verified_at=account_services.utcnow())
        producer.certificates.append(Certificate(
            decision_no="3981/QĐ-UBND", issuing_body=f"UBND tỉnh {province.short_name}",
            decision_date=date(2025, 3, 14), stars=4, product_set_code=11 if "Chè" in legal_name else 4,
            product_name=legal_name))
        producer.payment_accounts.append(PaymentAccount(
            version=1, bank_bin=bank_bin, account_number=account, holder_name=holder,
            status=PaymentAccount.APPROVED, created_by=owner, reviewed_by=officer,
            reviewed_at=account_services.utcnow()))
        db.session.add(producer)
        demo_producers.append(producer)
    db.session.flush()
    _add_demo_products(demo_producers)
    db.session.flush()
    return True


# Per demo producer (same order as DEMO_COMMUNES): (name, product set, price, unit, grams, stars or
# None, certificate decided how many months ago, availability, months, background colour). One
# certificate is older than 36 months, so the demo shows an expired certificate without stars.
DEMO_PRODUCTS = [
    [("Cá chạch sấy khô Yên Hòa", 8, 120_000, "hộp 200g", 250, 4, 20, "in_stock", "", "#b5651d"),
     ("Gạo nếp cái hoa vàng Yên Mô", 3, 65_000, "túi 2kg", 2000, 3, 26, "in_stock", "", "#e8d8a0"),
     ("Mật ong hoa nhãn", 4, 220_000, "chai 500ml", 700, 4, 66, "seasonal", "5,6,7", "#d9a400"),
     ("Bánh đa nem làng Chều", 6, 35_000, "gói 300g", 320, None, None, "in_stock", "", "#f2e6c9"),
     ("Rượu nếp Yên Mô", 14, 150_000, "chai 500ml", 900, 3, 34, "out_of_stock", "", "#8fa3bf")],
    [("Chè Shan tuyết Gia Phú", 11, 380_000, "hộp 200g", 260, 5, 20, "in_stock", "", "#4f7942"),
     ("Trà hoa vàng", 12, 450_000, "hộp 100g", 150, 4, 29, "in_stock", "", "#e3b505"),
     ("Quế thanh Văn Bàn", 10, 90_000, "túi 500g", 520, 3, 39, "in_stock", "", "#7b3f00"),
     ("Tinh dầu quế", 20, 120_000, "lọ 50ml", 110, None, None, "in_stock", "", "#a0522d"),
     ("Rượu ngô men lá", 14, 160_000, "chai 750ml", 1250, 4, 22, "in_stock", "", "#c2b280")],
    [("Miến dong Pác Nặm", 6, 75_000, "gói 500g", 500, 4, 20, "in_stock", "", "#d8cfc4"),
     ("Măng khô Bằng Thành", 7, 180_000, "túi 500g", 520, 3, 33, "seasonal", "3,4,5", "#9c7c38"),
     ("Thịt trâu gác bếp", 8, 950_000, "túi 500g", 520, 4, 23, "in_stock", "", "#5c2e1f"),
     ("Túi thổ cẩm Dao đỏ", 22, 280_000, "chiếc", 200, None, None, "in_stock", "", "#b22222"),
     ("Tương ớt Pác Nặm", 9, 45_000, "chai 250ml", 350, 3, 41, "in_stock", "", "#d62d20")],
    [("Chè Ô long Mộc Châu", 11, 420_000, "hộp 200g", 260, 4, 20, "in_stock", "", "#6b8e23"),
     ("Sữa chua nếp cẩm", 2, 60_000, "hộp 6 cốc", 700, None, None, "in_stock", "", "#5d3a6b"),
     ("Mận hậu Mộc Châu", 1, 55_000, "kg", 1000, 3, 30, "seasonal", "5,6,7", "#7d2e68"),
     ("Chè búp khô Tân Lập", 11, 250_000, "túi 500g", 520, 3, 55, "in_stock", "", "#3f6f3f"),
     ("Trà túi lọc Mộc Châu", 12, 85_000, "hộp 20 túi", 80, None, None, "in_stock", "", "#9acd32")],
]
DEMO_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _add_demo_products(producers):
    """About twenty published products with their own certificates and two drawn photos each."""
    from catalog import images
    from catalog.models import Product, ProductPhoto, ProductStatus
    from catalog.rules import product_slug
    from producers.ocop import add_months

    for producer, rows in zip(producers, DEMO_PRODUCTS):
        for number, (name, set_code, price, unit, grams, stars, months_ago, availability, months, colour) in \
                enumerate(rows, start=1):
            certificate = None
            if stars:
                decided = add_months(date.today(), -months_ago)
                certificate = Certificate(decision_no=f"{100 + number * 7}/QĐ-UBND",
                                          issuing_body=producer.certificates[0].issuing_body, decision_date=decided,
                                          stars=stars, product_set_code=set_code, product_name=name)
                producer.certificates.append(certificate)
            product = Product(producer=producer, certificate=certificate, ref=f"SP{number:04d}", name=name,
                              slug=product_slug(name), product_set_code=set_code, price_vnd=price, unit=unit,
                              weight_g=grams, availability=availability, season_months=months,
                              description=f"{name} của {producer.legal_name}. Sản phẩm OCOP làm theo cách "
                                          "truyền thống, đóng gói tại cơ sở.",
                              status=ProductStatus.PUBLISHED, created_by_id=producer.owner_id)
            for position, shade in enumerate((colour, "#f6f4ee")):
                processed = images.process_upload(_demo_photo(name, shade, colour))
                key = images.store().save(processed)
                product.photos.append(ProductPhoto(image_key=key, position=position,
                                                   width=processed.original_width,
                                                   height=processed.original_height))
            db.session.add(product)


def _demo_photo(name, background, accent):
    """A 1200x900 JPEG: a coloured card with a jar-like shape and the product's name."""
    import io
    import os

    from PIL import Image, ImageDraw, ImageFont

    picture = Image.new("RGB", (1200, 900), background)
    draw = ImageDraw.Draw(picture)
    draw.rounded_rectangle([420, 220, 780, 700], radius=60, fill=accent, outline="#ffffff", width=12)
    draw.rectangle([470, 160, 730, 230], fill="#3b2f00")
    font = ImageFont.truetype(DEMO_FONT, 64) if os.path.exists(DEMO_FONT) else ImageFont.load_default()
    text = name if os.path.exists(DEMO_FONT) else slugify(name).replace("-", " ")
    width = draw.textlength(text, font=font)
    draw.rectangle([0, 740, 1200, 860], fill="#ffffff")
    draw.text(((1200 - width) / 2, 765), text, fill="#1d2a1f", font=font)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()
