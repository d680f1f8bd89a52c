"""Deterministic, realistic sample listings for tests, benches and demos.

``generate_listings`` is a generator, so benches can export any number of
listings without holding them all in memory.
"""
from __future__ import annotations

import random
from datetime import date
from typing import Iterator

from .record import Listing

_PRODUCTS = (
    (9, "Nước mắm cá cơm truyền thống", "chai 500 ml", 650, "Nước mắm ủ chượp 12 tháng từ cá cơm than và muối biển, độ đạm 35 N."),
    (4, "Mật ong hoa cà phê nguyên chất", "chai 1 lít", 1400, "Mật ong thu hoạch mùa hoa cà phê, không pha đường, không qua gia nhiệt."),
    (11, "Chè Shan Tuyết cổ thụ", "hộp 200 g", 260, "Búp chè Shan Tuyết hái từ cây cổ thụ trên 100 năm, sao tay trên chảo gang."),
    (3, "Gạo ST25 hữu cơ", "túi 5 kg", 5050, "Gạo ST25 trồng theo mô hình lúa – tôm, hạt dài, cơm dẻo thơm."),
    (7, "Xoài sấy dẻo không đường", "túi 250 g", 270, "Xoài cát Hòa Lộc chín cây sấy lạnh, giữ màu và vị ngọt tự nhiên."),
    (13, "Cà phê Robusta rang mộc", "gói 500 g", 520, "Hạt Robusta chín đỏ, rang mộc không tẩm, xay theo yêu cầu."),
    (1, "Bưởi da xanh", "quả 1,5 kg", 1500, "Bưởi da xanh múi hồng, vỏ mỏng, trồng trên đất phù sa ven sông."),
    (8, "Chả cá thát lát", "hộp 500 g", 540, "Chả cá thát lát quết tay, không hàn the, bảo quản đông lạnh."),
    (10, "Muối ớt tôm", "hũ 200 g", 230, "Muối hạt rang với ớt, tỏi và tôm khô, dùng chấm trái cây."),
    (6, "Bánh tráng phơi sương", "bịch 500 g", 520, "Bánh tráng tráng tay, phơi sương đêm, mềm dẻo khi cuốn."),
    (12, "Trà hoa vàng", "hộp 50 g", 120, "Hoa trà vàng sấy khô, pha nước màu vàng óng, vị ngọt hậu."),
    (21, "Giỏ mây tre đan", "chiếc", 400, "Giỏ đan tay từ mây và tre già, khung chắc, dùng đựng đồ hoặc làm quà."),
)
# Names as in producers/data/ocop_product_sets.csv, for the sets used above.
_SET_NAMES = {
    1: "Rau củ quả và hạt tươi", 3: "Gạo và ngũ cốc", 4: "Mật ong và nông sản sơ chế khác",
    6: "Chế biến từ gạo và ngũ cốc", 7: "Chế biến từ rau củ quả",
    8: "Chế biến từ thịt, trứng, sữa, thủy sản, mật ong", 9: "Tương, nước mắm, nước chấm",
    10: "Gia vị khác", 11: "Chè (trà)", 12: "Trà thảo mộc và sản phẩm khác từ chè",
    13: "Cà phê và ca cao", 21: "Đồ gia dụng và trang trí",
}
_PRODUCERS = (
    ("Hợp tác xã Nông nghiệp Yên Hòa", "cooperative"),
    ("Tổ hợp tác Mật ong Tây Nguyên", "cooperative_group"),
    ("Hộ kinh doanh Nguyễn Thị Lan", "household"),
    ("Công ty TNHH Thực phẩm Sạch Miền Tây", "enterprise"),
)
_PLACES = (
    ("Lâm Đồng", "Phường Xuân Hương - Đà Lạt"),
    ("Khánh Hòa", "Phường Nha Trang"),
    ("Thái Nguyên", "Xã Tân Cương"),
    ("Cần Thơ", "Phường Ninh Kiều"),
    ("Đồng Tháp", "Xã Lai Vung"),
    ("Hà Giang", "Xã Hoàng Su Phì"),
    ("Tuyên Quang", "Xã Hoàng Su Phì"),
    ("Đắk Lắk", "Xã Ea Kar"),
)
_SEASONS = ((5, 6, 7, 8), (11, 12, 1, 2), (6, 7))


def sample_listing(number: int, rng: random.Random | None = None) -> Listing:
    """Listing number ``number``; the same number and seed give the same listing."""
    rng = rng or random.Random(number)
    code, product, unit, grams, blurb = _PRODUCTS[number % len(_PRODUCTS)]
    producer, producer_type = _PRODUCERS[number % len(_PRODUCERS)]
    province, commune = _PLACES[number % len(_PLACES)]
    availability = ("in_stock", "in_stock", "out_of_stock", "seasonal")[number % 4]
    stars = (3, 4, 5, None)[number % 4]
    slug = f"sp-{number:06d}"
    listing_id = f"OCOP-{number:06d}"
    return Listing(
        id=listing_id,
        ref=f"SP{number:05d}",
        name=f"{product} {province} loại {rng.randint(1, 3)}",
        description=(
            f"{blurb}\nSản xuất tại {commune}, {province}.\n\n"
            f"Đóng gói: {unit}. Bảo quản nơi khô ráo, tránh ánh nắng trực tiếp."
        ),
        category_code=code,
        category_name=_SET_NAMES[code],
        stars=stars,
        certificate_no=f"{rng.randint(100, 9999)}/QĐ-UBND" if stars else "",
        certificate_date=date(2023 + number % 3, 1 + number % 12, 1 + number % 28) if stars else None,
        price_vnd=rng.randrange(20_000, 900_000, 1000),
        unit=unit,
        weight_g=grams,
        availability=availability,
        seasonal_months=_SEASONS[number % len(_SEASONS)] if availability == "seasonal" else (),
        producer_name=producer,
        producer_type=producer_type,
        province=province,
        commune=commune,
        phone=f"09{rng.randint(10_000_000, 99_999_999)}",
        tax_code="0100233488" if producer_type in ("cooperative", "enterprise") else "",
        url=f"https://choque.vn/san-pham/{slug}",
        image_urls=tuple(
            f"https://choque.vn/media/{slug}/{n}-1600.jpg" for n in range(1, 2 + number % 4)
        ),
        image_names=tuple(f"{slug}-{n}.jpg" for n in range(1, 2 + number % 4)),
    )


def generate_listings(count: int, seed: int = 2025) -> Iterator[Listing]:
    rng = random.Random(seed)
    for number in range(1, count + 1):
        yield sample_listing(number, rng)
