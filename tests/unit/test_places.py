import pytest

from places import units


def test_counts_match_the_2025_reform():
    assert len(units.provinces()) == 34
    assert sum(len(units.communes(p.code)) for p in units.provinces()) == 3321


@pytest.mark.parametrize(
    "typed, today",
    [
        ("Bắc Kạn", "Thái Nguyên"),
        ("Quảng Nam", "Đà Nẵng"),
        ("Hà Giang", "Tuyên Quang"),
        ("Tỉnh Hà Giang", "Tuyên Quang"),
        ("bac kan", "Thái Nguyên"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("Thành phố Hà Nội", "Hà Nội"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("thua thien hue", "Huế"),
        ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
        ("  lao cai ", "Lào Cai"),
        ("Yên Bái", "Lào Cai"),
        ("Nam Định", "Ninh Bình"),
    ],
)
def test_former_and_informal_names_map_to_today(typed, today):
    assert units.match_province(typed).short_name == today


def test_all_63_former_provinces_map():
    import csv
    import os

    path = os.path.join(os.path.dirname(units.__file__), "data", "former_provinces.csv")
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 63
    assert all(units.match_province(r["former_name"]) for r in rows)


def test_unknown_province():
    assert units.match_province("Atlantis") is None
    assert units.match_province("") is None


def test_match_commune_tolerant():
    lao_cai = units.match_province("Lào Cai")
    assert units.match_commune(lao_cai.code, "xa gia phu").name == "Xã Gia Phú"
    assert units.match_commune(lao_cai.code, "Gia Phú").name == "Xã Gia Phú"
    assert units.match_commune(lao_cai.code, "Nowhere") is None


def test_former_names_listed():
    thai_nguyen = units.match_province("Thái Nguyên")
    assert "Bắc Kạn" in units.former_province_names(thai_nguyen.code)


def test_commune_whose_name_starts_like_a_prefix():
    ha_noi = units.match_province("Hà Nội")
    assert units.match_commune(ha_noi.code, "Phương Liệt").name == "Phường Phương Liệt"
    assert units.match_commune(ha_noi.code, "phuong phuong liet").name == "Phường Phương Liệt"
