"""Realistic Vietnamese OCOP products for benches and demos.

    from bench.gen_products import generate_products, bulk_insert
    for row in generate_products(10_000, seed=1): ...      # dicts, import-sheet columns + codes
    bulk_insert(engine, products=100_000, seed=1)           # producers, certificates, products, photos

`generate_products` is deterministic for a seed and needs no database. Each dict carries the
spreadsheet-import columns (ref, name, description, category, stars, price_vnd, unit,
producer_name, producer_type, province, commune, weight_g, certificate_no, certificate_date,
availability, phone, tax_code) plus the codes behind them (product_set_code, province_code,
commune_code, producer_key) so other benches can use either.
"""
from __future__ import annotations

import random
import sys
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from places import units  # noqa: E402
from producers.ocop import product_set  # noqa: E402
from vntext import slugify  # noqa: E402

# set code -> (base names, units with grams, price range in thousands of đồng); a base may be
# (name, its own units) when the set's units do not fit it.
CATALOGUE = {
    1: (["Bưởi da xanh", "Cam sành", "Vải thiều", "Nhãn lồng", "Xoài cát Hòa Lộc", "Dưa lưới", "Na dai",
         "Mận hậu", "Chanh leo", "Hạt điều rang"], [("kg", 1000), ("thùng 5kg", 5000), ("túi 500g", 500)], (35, 250)),
    2: ([("Gà đồi", [("con 1,5kg", 1500), ("kg", 1000)]), ("Trứng gà ta", [("hộp 10 quả", 600)]),
         ("Sữa tươi", [("chai 1 lít", 1050), ("hộp 6 chai", 1300)]), ("Cá chép giòn", [("kg", 1000)]),
         ("Vịt cỏ", [("con 2kg", 2000)]), ("Thịt bò vàng", [("kg", 1000), ("túi 500g", 500)])],
        [("kg", 1000)], (40, 320)),
    3: (["Gạo ST25", "Gạo nếp cái hoa vàng", "Gạo lứt đỏ", "Gạo Séng Cù", "Gạo tám thơm", "Nếp Tú Lệ"],
        [("túi 5kg", 5000), ("túi 2kg", 2000), ("túi 1kg", 1000)], (30, 240)),
    4: (["Mật ong bạc hà", "Mật ong hoa nhãn", "Mật ong rừng", "Tinh bột nghệ", "Mật ong hoa cà phê"],
        [("chai 500ml", 700), ("chai 1 lít", 1400), ("hũ 250g", 300)], (120, 450)),
    5: ([("Bánh chưng", [("cái 1kg", 1000)]), ("Giò lụa", [("cây 500g", 500), ("kg", 1000)]),
         ("Nem chua", [("hộp 10 chiếc", 400), ("gói 500g", 500)]), ("Chả cốm", [("gói 500g", 500)]),
         ("Bánh giầy", [("hộp 10 chiếc", 400)])], [("gói 500g", 500)], (40, 180)),
    6: (["Bún khô", "Miến dong", "Bánh đa nem", "Phở khô", "Bánh tráng", "Bánh đa đỏ", "Cốm làng Vòng"],
        [("gói 500g", 500), ("gói 300g", 300), ("túi 1kg", 1000)], (25, 120)),
    7: (["Mứt gừng", "Ô mai mơ", "Vải sấy", "Chuối sấy dẻo", "Măng khô", "Mít sấy", "Khoai lang sấy"],
        [("hộp 200g", 250), ("túi 500g", 520), ("hộp 300g", 350)], (45, 220)),
    8: (["Cá chạch sấy khô", "Ruốc cá hồi", "Lạp xưởng", "Thịt trâu gác bếp", "Chả mực", "Tôm khô",
         "Cá cơm khô", "Mực một nắng"], [("hộp 200g", 250), ("túi 500g", 520), ("kg", 1000)], (90, 950)),
    9: (["Nước mắm cá cơm", "Tương bần", "Mắm tôm", "Tương ớt", "Nước mắm nhĩ", "Mắm tép"],
        [("chai 500ml", 650), ("chai 250ml", 350), ("hũ 500g", 600)], (35, 260)),
    10: (["Muối tôm", "Tiêu đen", "Quế thanh", "Hoa hồi", "Ớt bột", "Muối ớt xanh", "Sả khô"],
         [("hũ 100g", 150), ("túi 200g", 220), ("túi 500g", 520)], (30, 180)),
    11: (["Chè Shan tuyết", "Trà Tân Cương", "Chè búp khô", "Trà móc câu", "Chè Ô long"],
         [("hộp 200g", 260), ("túi 500g", 520), ("hộp 100g", 150)], (90, 1200)),
    12: (["Trà hoa vàng", "Trà atiso", "Trà túi lọc cà gai leo", "Trà hoa cúc", "Trà giảo cổ lam"],
         [("hộp 20 túi", 80), ("hộp 100g", 130), ("túi 250g", 270)], (60, 480)),
    13: (["Cà phê Robusta", "Cà phê Arabica Cầu Đất", "Ca cao nguyên chất", "Cà phê chồn", "Cà phê rang xay"],
         [("túi 500g", 520), ("hộp 250g", 280), ("túi 1kg", 1020)], (90, 650)),
    14: (["Rượu nếp cái hoa vàng", "Rượu Bàu Đá", "Rượu ngô men lá", "Rượu làng Vân", "Rượu táo mèo"],
         [("chai 500ml", 900), ("bình 2 lít", 2600), ("chai 750ml", 1250)], (80, 600)),
    15: (["Rượu vang sim", "Rượu mơ", "Rượu mận", "Rượu dâu tằm"],
         [("chai 750ml", 1250), ("chai 500ml", 900)], (120, 450)),
    16: (["Nước khoáng thiên nhiên", "Nước uống đóng chai"], [("thùng 24 chai", 12500), ("chai 1,5 lít", 1550)],
         (8, 160)),
    17: (["Nước cốt chanh leo", "Nước ép dứa", "Siro dâu", "Nước dừa đóng chai", "Nước mía"],
         [("chai 500ml", 560), ("chai 1 lít", 1080), ("hộp 6 chai", 2100)], (25, 180)),
    18: (["Cao atiso", "Cao ích mẫu", "Viên tinh nghệ mật ong", "Cao ba kích", "Đông trùng hạ thảo"],
         [("hộp 100g", 160), ("lọ 200g", 280), ("hộp 30 viên", 90)], (120, 1500)),
    19: (["Dầu gội bồ kết", "Xà bông sả chanh", "Son dưỡng sáp ong", "Nước hoa hồng"],
         [("chai 300ml", 360), ("bánh 100g", 110), ("hộp 3 bánh", 330)], (40, 260)),
    20: (["Tinh dầu sả chanh", "Tinh dầu quế", "Tinh dầu tràm", "Tinh dầu bưởi"],
         [("lọ 10ml", 40), ("lọ 50ml", 110), ("lọ 100ml", 190)], (45, 350)),
    21: (["Giỏ mây tre đan", "Chiếu cói", "Bình gốm Bát Tràng", "Nón lá", "Khay tre ép", "Đèn lồng"],
         [("chiếc", 600), ("bộ 3 chiếc", 1500), ("đôi", 900)], (60, 1800)),
    22: (["Khăn lụa tơ tằm", "Vải thổ cẩm", "Túi thổ cẩm", "Áo dài lụa"],
         [("chiếc", 150), ("mét", 200), ("bộ", 400)], (150, 2500)),
    23: (["Hoa lan hồ điệp", "Cành đào Nhật Tân", "Hoa cúc mâm xôi"], [("chậu", 3000), ("cành", 1500)],
         (150, 1500)),
    24: (["Cây quất cảnh", "Bonsai sam hương", "Cây trà my"], [("chậu", 8000), ("cây", 5000)], (300, 4500)),
    25: (["Cá Koi", "Chim họa mi"], [("con", 500)], (200, 3000)),
    26: (["Homestay nhà sàn", "Tour trải nghiệm làng nghề", "Vé tham quan sinh thái"],
         [("đêm", 0), ("người", 0), ("vé", 0)], (80, 1200)),
}
# Weighted so food dominates, as in real OCOP lists.
SET_WEIGHTS = {code: (6 if code <= 13 else 2 if code <= 22 else 1) for code in CATALOGUE}
QUALIFIERS = ["", "", "loại 1", "đặc biệt", "hữu cơ", "hộp quà", "truyền thống", "thượng hạng"]
DESCRIPTIONS = [
    "Sản phẩm OCOP của {producer}, làm theo cách truyền thống của người dân {place}.",
    "{name} được chọn lọc kỹ, đóng gói ngay tại cơ sở, không chất bảo quản.",
    "Nguồn nguyên liệu từ vùng trồng của {place}, canh tác theo hướng hữu cơ.",
    "Hạn sử dụng và hướng dẫn bảo quản in trên bao bì. Giao hàng toàn quốc.",
    "Đạt chứng nhận OCOP cấp tỉnh; mỗi lô hàng đều có truy xuất nguồn gốc.",
]
FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Lý", "Hà", "Lò", "Giàng"]
GIVEN_NAMES = ["Thị Mai", "Văn Hùng", "Thị Lan", "Văn Nam", "Thị Hoa", "Minh Tuấn", "Thị Thu", "Văn Sáng",
               "Thị Hằng", "Quốc Bảo", "A Páo", "Thị Nguyệt"]
PRODUCER_PATTERNS = [
    ("cooperative", "HTX {trade} {place}"),
    ("cooperative", "Hợp tác xã Nông nghiệp {place}"),
    ("cooperative_group", "Tổ hợp tác {trade} {place}"),
    ("household", "Hộ kinh doanh {person}"),
    ("enterprise", "Công ty TNHH {trade} {place}"),
]
TRADES = ["Nông sản", "Chè", "Mật ong", "Đặc sản", "Dược liệu", "Thủ công", "Thực phẩm sạch", "Gạo"]


def _province_pool():
    pool = []
    for province in units.provinces():
        communes = units.communes(province.code)
        if communes:
            pool.append((province, communes))
    return pool


def generate_producers(count: int, seed: int = 1):
    """Producer dicts: key, legal_name, kind, province/commune (names and codes), phone, tax_code."""
    rng = random.Random(f"producers-{seed}")
    pool = _province_pool()
    seen = set()
    for index in range(count):
        province, communes = rng.choice(pool)
        commune = rng.choice(communes)
        kind, pattern = rng.choice(PRODUCER_PATTERNS)
        person = f"{rng.choice(FAMILY_NAMES)} {rng.choice(GIVEN_NAMES)}"
        name = pattern.format(trade=rng.choice(TRADES), place=commune.short_name, person=person)
        if (name, province.code) in seen:
            name = f"{name} {index + 1}"
        seen.add((name, province.code))
        yield {
            "producer_key": index,
            "legal_name": name,
            "kind": kind,
            "province": province.short_name,
            "province_code": province.code,
            "commune": commune.short_name,
            "commune_code": commune.code,
            "phone": f"+849{rng.randrange(10_000_000, 99_999_999)}",
            "tax_code": f"{rng.randrange(10**9, 10**10)}",
        }


def generate_products(n: int, seed: int = 1, producers: int | None = None):
    """Yield `n` product dicts (see module doc), about 8 products per producer unless given."""
    rng = random.Random(f"products-{seed}")
    producer_rows = list(generate_producers(producers or max(1, n // 8), seed))
    codes, weights = zip(*SET_WEIGHTS.items())
    refs_per_producer: dict[int, int] = {}
    for index in range(n):
        producer = rng.choice(producer_rows)
        code = rng.choices(codes, weights)[0]
        bases, unit_choices, (low, high) = CATALOGUE[code]
        base = rng.choice(bases)
        if isinstance(base, tuple):  # a base whose units differ from its set's
            base, unit_choices = base
        qualifier = rng.choice(QUALIFIERS) if code <= 22 else ""
        unit, grams = rng.choice(unit_choices)
        name = " ".join(part for part in (base, producer["commune"], qualifier) if part)
        number = refs_per_producer.get(producer["producer_key"], 0) + 1
        refs_per_producer[producer["producer_key"]] = number
        certified = rng.random() < 0.85
        decision = date(2021, 1, 1) + timedelta(days=rng.randrange(0, 365 * 5)) if certified else None
        availability = rng.choices(["in_stock", "out_of_stock", "seasonal"], [80, 8, 12])[0]
        months = sorted(rng.sample(range(1, 13), rng.randrange(2, 5))) if availability == "seasonal" else []
        description = " ".join(rng.sample(DESCRIPTIONS, 2)).format(
            producer=producer["legal_name"], place=producer["commune"], name=base)
        yield {
            "index": index,
            "ref": f"SP{number:04d}",
            "name": name,
            "slug": slugify(name),
            "description": description,
            "category": product_set(code).name_vi,
            "product_set_code": code,
            "stars": rng.choices([3, 4, 5], [60, 32, 8])[0] if certified else None,
            "price_vnd": rng.randrange(low, high + 1) * 1000,
            "unit": unit,
            "weight_g": grams or None,
            "availability": availability,
            "season_months": ",".join(str(m) for m in months),
            "harvest_season": f"Tháng {months[0]}–{months[-1]}" if months else "",
            "certificate_no": f"{rng.randrange(100, 9999)}/QĐ-UBND" if certified else "",
            "certificate_date": decision,
            "producer_key": producer["producer_key"],
            "producer_name": producer["legal_name"],
            "producer_type": producer["kind"],
            "province": producer["province"],
            "province_code": producer["province_code"],
            "commune": producer["commune"],
            "commune_code": producer["commune_code"],
            "phone": producer["phone"],
            "tax_code": producer["tax_code"],
        }


def bulk_insert(bind, products: int, seed: int = 1, producers: int | None = None,
                verified_share: float = 0.9, published_share: float = 0.92, photos_per_product=(1, 3),
                chunk: int = 5000) -> dict:
    """Insert producers, certificates, products and photo rows with SQLAlchemy Core, fast.

    `bind` is an Engine or Connection on a database whose tables already exist. Photo rows get
    fresh keys but no files (pages then show the placeholder image). Returns row counts.
    """
    from sqlalchemy import Engine, insert

    from catalog.models import Product, ProductPhoto
    from producers.models import Certificate, Producer

    rng = random.Random(f"bulk-{seed}")
    producer_count = producers or max(1, products // 8)
    now = datetime(2026, 1, 1, 8, 0, 0)
    producer_rows = []
    for row in generate_producers(producer_count, seed):
        producer_rows.append({
            "kind": row["kind"], "legal_name": row["legal_name"], "slug": slugify(row["legal_name"]),
            "province_code": row["province_code"], "commune_code": row["commune_code"],
            "phone": row["phone"], "zalo": row["phone"], "tax_code": row["tax_code"],
            "status": "verified" if rng.random() < verified_share else "submitted",
            "wizard_step": 5, "source": "import", "created_at": now, "updated_at": now,
            "address": f"xã {row['commune']}, {row['province']}",
        })
    counts = {"producers": 0, "certificates": 0, "products": 0, "photos": 0}

    def run(connection):
        first_producer = _insert_chunks(connection, insert(Producer.__table__), producer_rows, chunk)
        counts["producers"] = len(producer_rows)
        next_product_id = (connection.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM products").scalar() or 0) + 1
        next_certificate_id = (connection.exec_driver_sql(
            "SELECT COALESCE(MAX(id), 0) FROM certificates").scalar() or 0) + 1
        batch_products, batch_certificates, batch_photos = [], [], []
        for item in generate_products(products, seed, producers=producer_count):
            producer_id = first_producer + item["producer_key"]
            certificate_id = None
            if item["stars"]:
                certificate_id = next_certificate_id
                next_certificate_id += 1
                batch_certificates.append({
                    "id": certificate_id, "producer_id": producer_id, "decision_no": item["certificate_no"],
                    "issuing_body": f"UBND tỉnh {item['province']}", "decision_date": item["certificate_date"],
                    "stars": item["stars"], "potential_5_star": False,
                    "product_set_code": item["product_set_code"], "product_name": item["name"],
                    "legal_basis": "148/QĐ-TTg", "created_at": now})
            published = rng.random() < published_share
            created = now - timedelta(minutes=products - item["index"])
            product_id = next_product_id
            next_product_id += 1
            batch_products.append({
                "id": product_id, "producer_id": producer_id, "certificate_id": certificate_id,
                "ref": item["ref"], "name": item["name"], "slug": item["slug"], "province_code": item["province_code"],
                "product_set_code": item["product_set_code"], "description": item["description"],
                "price_vnd": item["price_vnd"], "unit": item["unit"], "weight_g": item["weight_g"],
                "availability": item["availability"], "season_months": item["season_months"],
                "harvest_season": item["harvest_season"], "status": "published" if published else "draft",
                "created_at": created, "updated_at": created, "published_at": created if published else None})
            for position in range(rng.randint(*photos_per_product)):
                batch_photos.append({"product_id": product_id, "image_key": uuid.UUID(int=rng.getrandbits(128)).hex,
                                     "position": position, "width": 1200, "height": 900, "created_at": created})
            if len(batch_products) >= chunk:
                _flush(connection, batch_certificates, batch_products, batch_photos, counts)
        _flush(connection, batch_certificates, batch_products, batch_photos, counts)

    def _flush(connection, certificates, products_rows, photos, totals):
        if certificates:
            connection.execute(insert(Certificate.__table__), certificates)
        if products_rows:
            connection.execute(insert(Product.__table__), products_rows)
        if photos:
            connection.execute(insert(ProductPhoto.__table__), photos)
        totals["certificates"] += len(certificates)
        totals["products"] += len(products_rows)
        totals["photos"] += len(photos)
        certificates.clear()
        products_rows.clear()
        photos.clear()

    if isinstance(bind, Engine):
        with bind.begin() as connection:
            run(connection)
            _advance_sequences(connection)
    else:
        run(bind)
        _advance_sequences(bind)
    return counts


def _advance_sequences(connection):
    """Explicit ids leave PostgreSQL's sequences behind; move them past the inserted rows."""
    if connection.dialect.name != "postgresql":
        return
    for table in ("producers", "certificates", "products", "product_photos"):
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))")


def _insert_chunks(connection, statement, rows, chunk):
    """Insert rows and return the id of the first one (ids are consecutive in a fresh sequence)."""
    start = (connection.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM producers").scalar() or 0) + 1
    numbered = [dict(row, id=start + offset) for offset, row in enumerate(rows)]
    for begin in range(0, len(numbered), chunk):
        connection.execute(statement, numbered[begin:begin + chunk])
    return start


if __name__ == "__main__":
    for sample in generate_products(int(sys.argv[1]) if len(sys.argv) > 1 else 5, seed=1):
        print(f"{sample['ref']:<8} {sample['name'][:48]:<48} {sample['price_vnd']:>9,} đ  {sample['unit']:<12} "
              f"{sample['stars'] or '-'}★  {sample['producer_name'][:30]}, {sample['province']}")
