"""Pure rules behind official OCOP list imports (issue 11): category labels of both eras,
producer kind from the owner's name, weight from the selling unit, addresses that still name a
district, title lines and total lines."""
import pytest

from catalog.importer.rows import validate_row
from catalog.importer.sheet import TITLE_DECISION, TITLE_PROVINCE, _is_total_line, _title_defaults
from catalog.importer.values import infer_producer_kind, parse_stars, weight_from_unit
from places import former, units
from producers.ocop import match_category

LAO_CAI = units.match_province("Lào Cai").code


@pytest.mark.parametrize("label, set_code, group", [
    # Decision 148: a set by number or name, with or without diacritics.
    ("7", 7, "I"), ("Chè (trà)", 11, "I"), ("che (tra)", 11, "I"), ("Rượu trắng", 14, "II"),
    # Decision 148 groups: several sets, so no set; a group of one set names that set.
    ("Thực phẩm", None, "I"), ("Đồ uống", None, "II"), ("Dược liệu", None, "III"), ("Du lịch", 26, "VI"),
    # The 1048-era group labels that official lists still use, also without diacritics.
    ("Thảo dược", None, "III"), ("Vải và may mặc", 22, "IV"), ("Lưu niệm - nội thất - trang trí", 21, "IV"),
    ("Dịch vụ du lịch cộng đồng", 26, "VI"), ("thuc pham", None, "I"), ("Do uong", None, "II"),
    ("thao duoc", None, "III"), ("vai va may mac", 22, "IV"), ("luu niem noi that trang tri", 21, "IV"),
    ("dich vu du lich cong dong", 26, "VI"),
])
def test_category_labels_of_both_eras(label, set_code, group):
    found = match_category(label)
    assert found is not None
    assert (found.product_set.code if found.product_set else None, found.group_code) == (set_code, group)


def test_an_unknown_category_is_none():
    assert match_category("Đồ điện tử") is None


@pytest.mark.parametrize("name, kind", [
    ("HTX Chè Gia Phú", "cooperative"), ("Hợp tác xã Nông nghiệp Sơn Hải", "cooperative"),
    ("Tổ hợp tác trồng dứa Phong Niên", "cooperative_group"), ("Công ty TNHH Quế Hồi Lào Cai", "enterprise"),
    ("Công ty CP Nông sản Mường Khương", "enterprise"), ("Hộ kinh doanh Hoàng Văn Thào", "household"),
    ("Cơ sở sản xuất miến dong Bình Lư", "household"), ("Vàng Thị Mỷ", "household"),
])
def test_producer_kind_from_the_owners_name(name, kind):
    assert infer_producer_kind(name) == kind


@pytest.mark.parametrize("unit, grams", [
    ("túi 250g", 250), ("hộp 1,2kg", 1200), ("500 gram", 500), ("gói 100 gr", 100), ("túi 1.5 kg", 1500),
    ("chai 500ml", None), ("can 2 lít", None), ("hộp", None), ("hộp 2 x 250g", None), ("túi 0,0001g", None),
])
def test_weight_from_the_unit_never_converts_volumes(unit, grams):
    assert weight_from_unit(unit) == grams


@pytest.mark.parametrize("text", ["4 sao", "4*", "4 ★", "4", "4 SAO"])
def test_stars_as_official_lists_write_them(text):
    assert parse_stars(text) == 4


def test_an_address_with_a_former_district_maps_to_todays_commune():
    parts = former.split_address("thôn 3, xã Sơn Hải, huyện Bảo Thắng, tỉnh Lào Cai")
    assert (parts.commune, parts.district, parts.province, parts.rest) == (
        "xã Sơn Hải", "huyện Bảo Thắng", "tỉnh Lào Cai", "thôn 3")
    found = former.resolve_commune(LAO_CAI, parts.commune, parts.district)
    assert (found.commune.name, found.change) == ("Xã Bảo Thắng", former.MERGED)
    same = former.resolve_commune(LAO_CAI, "xã Tả Phìn", "thị xã Sa Pa")
    assert (same.commune.name, same.change) == ("Xã Tả Phìn", former.SAME)
    assert former.resolve_commune(LAO_CAI, "Xã Bảo Thắng").change == former.SAME  # today's name
    assert former.resolve_commune(LAO_CAI, "xã Không Có", "huyện Bảo Thắng") is None


def test_a_bare_province_name_closes_an_address():
    parts = former.split_address("xã Gia Phú, huyện Bảo Thắng, Lào Cai")
    assert (parts.commune, parts.province) == ("xã Gia Phú", "Lào Cai")


def test_title_lines_give_the_province_and_the_decision():
    defaults = _title_defaults(("DANH SÁCH SẢN PHẨM OCOP TỈNH LÀO CAI ĐƯỢC CÔNG NHẬN",
                                "(Kèm theo Quyết định số 1835/QĐ-UBND ngày 12/10/2023 của UBND tỉnh Lào Cai)"))
    assert defaults == {TITLE_PROVINCE: "Lào Cai", TITLE_DECISION: ("1835/QĐ-UBND", "12/10/2023")}


def test_total_lines_are_recognised_only_without_a_producer():
    assert _is_total_line({"name": "Tổng cộng: 15 sản phẩm", "producer_name": None})
    assert _is_total_line({"name": "Tổng: 15", "producer_name": ""})
    assert not _is_total_line({"name": "Tổng cộng: 15", "producer_name": "HTX A"})
    assert not _is_total_line({"name": "Gạo Séng Cù", "producer_name": None})


def test_an_official_list_row_needs_only_name_owner_and_province():
    result = validate_row(5, {
        "name": "Gạo Séng Cù Bảo Thắng", "producer_name": "Hợp tác xã Nông nghiệp Sơn Hải",
        "address": "xã Sơn Hải, huyện Bảo Thắng, tỉnh Lào Cai", "category": "Thực phẩm", "stars": "3 sao",
        "certificate_no": "1835/QĐ-UBND", "certificate_date": "12/10/2023"})
    record = result.record
    assert record is not None
    assert (record.product_set_code, record.stars, record.price_vnd, record.ref_from_name) == (None, 3, None, True)
    assert (record.producer.kind, record.producer.kind_given) == ("cooperative", False)
    assert units.commune(record.producer.commune_code).name == "Xã Bảo Thắng"
    assert record.producer.address == "xã Sơn Hải, huyện Bảo Thắng, tỉnh Lào Cai"
    assert (record.certificate_no, record.certificate_date.isoformat()) == ("1835/QĐ-UBND", "2023-10-12")
    codes = {issue.code for issue in result.issues}
    assert {"category_group_only", "commune_merged"} <= codes
    assert all(issue.severity == "warning" for issue in result.issues)


def test_the_province_may_come_from_the_title_alone():
    result = validate_row(4, {"name": "Mật ong", "producer_name": "Hộ Lò Văn A", TITLE_PROVINCE: "Lào Cai"})
    assert result.record.producer.province_code == LAO_CAI


def test_a_row_without_any_province_is_refused():
    result = validate_row(4, {"name": "Mật ong", "producer_name": "Hộ Lò Văn A"})
    assert result.refused and [issue.code for issue in result.issues] == ["value_missing"]


def test_a_weight_taken_from_the_unit_is_noted():
    result = validate_row(4, {"name": "Chè", "producer_name": "HTX A", "province": "Lào Cai", "unit": "túi 250g"})
    assert result.record.weight_g == 250
    note = next(issue for issue in result.issues if issue.code == "weight_from_unit")
    assert note.params == {"grams": 250, "unit": "túi 250g"}
