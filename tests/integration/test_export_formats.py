"""Every format through `flask catalog export` on a database catalogue, read back with an
independent parser (lxml with the g namespace, csv, openpyxl, json), every required field checked,
and the negative cases: a long NFD title, a formula in a name, a missing price, pages that are
not public."""
import re
import unicodedata

import pytest

from catalog.exporters import EXPORTERS
from tests.factories import (
    FORMULA_NAME, LONG_NFC_TITLE, build_world, listing_id, parse_google_xml, parse_json, parse_meta_csv,
    parse_own_csv, parse_tsv, parse_xlsx, parsed_ids,
)

BASE = "https://choque.example"
PRICE = re.compile(r"[1-9][0-9]* VND")
PUBLISHED = ("good", "expired", "no_price", "formula", "long", "other", "unverified", "suspended")
PUBLIC_PAGES = ("good", "expired", "no_price", "formula", "long", "other")


@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


def export(runner, *args):
    result = runner.invoke(args=["catalog", "export", *args, "--lang", "en"])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes, result.stderr_bytes.decode()


def assert_image_url(url, world):
    assert url.isascii() and url.startswith(BASE + "/anh/")
    key = url.split("/")[-2]
    assert key in world.photo_keys
    assert url.endswith("/1200.jpg")  # the largest rendition, as JPEG


def product_url(world, name, slug):
    return f"{BASE}/san-pham/{slug}-{world.products[name]}"


def test_google_xml_has_every_required_attribute(runner, world):
    data, report = export(runner, "--format", "google-xml")
    items = parse_google_xml(data)
    assert set(items) == world.ids(*PUBLIC_PAGES) - world.ids("no_price")
    for item in items.values():
        for required in ("title", "description", "link", "image_link", "availability", "price", "condition",
                         "brand", "identifier_exists"):
            assert item.get(required), (item["id"], required)
        assert PRICE.fullmatch(item["price"])
        assert item["availability"] in ("in_stock", "out_of_stock")
        assert item["condition"] == "new" and item["identifier_exists"] == "no"
        assert item["link"].isascii() and item["link"].startswith(BASE + "/san-pham/")
        assert_image_url(item["image_link"], world)
        assert item["google_product_category"].isdigit()
    good = items[listing_id(world.products["good"])]
    assert good["title"] == "Mật ong hoa nhãn" and good["price"] == "185000 VND"
    assert good["link"] == product_url(world, "good", "mat-ong-hoa-nhan")
    assert good["custom_label_0"] == "ocop-4-sao" and good["custom_label_1"] == "ninh-binh"
    assert good["brand"] == "HTX Nông sản Yên Hòa" and good["shipping_weight"] == "700 g"
    assert len(good["additional_image_link"]) == 1
    assert_image_url(good["additional_image_link"][0], world)
    assert "custom_label_0" not in items[listing_id(world.products["expired"])]  # lapsed: no stars
    long_title = items[listing_id(world.products["long"])]["title"]
    assert unicodedata.is_normalized("NFC", long_title) and len(long_title) <= 150
    assert LONG_NFC_TITLE.startswith(long_title.rstrip("…")) and long_title.endswith("…")
    assert items[listing_id(world.products["formula"])]["title"] == FORMULA_NAME  # XML: text, no formula risk
    assert f"{listing_id(world.products['no_price'])} [Left out]: The price is missing." in report
    assert f"{listing_id(world.products['unverified'])} [Left out]: The product page is not public" in report
    assert f"{listing_id(world.products['long'])} [Note]: The product name was shortened to 150" in report
    assert "Exported: 5" in report and "Left out: 3" in report


def test_google_tsv_and_meta_csv(runner, world):
    tsv = parse_tsv(export(runner, "--format", "google-tsv")[0])
    meta = parse_meta_csv(export(runner, "--format", "meta-csv")[0])
    expected = world.ids(*PUBLIC_PAGES) - world.ids("no_price")
    assert set(tsv) == set(meta) == expected
    for row in tsv.values():
        assert all(row[column] for column in ("title", "description", "link", "image_link", "availability",
                                              "price", "condition", "brand"))
        assert PRICE.fullmatch(row["price"]) and row["availability"] in ("in_stock", "out_of_stock")
        assert_image_url(row["image_link"], world)
    for row in meta.values():
        assert all(row[column] for column in ("title", "description", "link", "image_link", "availability",
                                              "price", "condition", "brand"))
        assert PRICE.fullmatch(row["price"]) and row["availability"] in ("in stock", "out of stock")
        assert_image_url(row["image_link"], world)  # Meta takes JPG/PNG only
    formula = listing_id(world.products["formula"])
    assert tsv[formula]["title"] == FORMULA_NAME and meta[formula]["title"] == FORMULA_NAME  # read, not opened
    long_title = meta[listing_id(world.products["long"])]["title"]
    assert unicodedata.is_normalized("NFC", long_title) and len(long_title) <= 150


def test_shopee_tiktok_lazada_sheets(runner, world):
    headers, rows, sheet = parse_xlsx(export(runner, "--format", "shopee-xlsx")[0], "ps_sku_parent_short")
    by_sku = {row["ps_sku_parent_short"]: row for row in rows}
    assert set(by_sku) == world.ids(*PUBLISHED) - world.ids("no_price")
    for row in rows:
        assert row["ps_product_name"] and row["ps_product_description"]
        assert isinstance(row["ps_price"], int) and row["ps_price"] > 0
        assert isinstance(row["ps_weight"], (int, float)) and row["ps_weight"] > 0
        assert_image_url(row["ps_item_cover_image"], world)
    formula_id = listing_id(world.products["formula"])
    formula_row = next(row for row in sheet.iter_rows(min_row=7) if row[3].value == formula_id)
    assert formula_row[1].data_type == "s" and formula_row[1].value == FORMULA_NAME  # a string, no apostrophe

    _, rows, _ = parse_xlsx(export(runner, "--format", "tiktok-xlsx")[0], "seller_sku")
    assert {row["seller_sku"] for row in rows} == {
        listing_id(world.products[name]) for name in PUBLISHED
        if name != "no_price" and len(unicodedata.normalize("NFC", _name(world, name))) >= 25}
    for row in rows:
        assert row["product_name"] and row["product_description"] and isinstance(row["price"], int)
        assert row["parcel_weight"] > 0
        assert_image_url(row["main_image"], world)

    _, rows, _ = parse_xlsx(export(runner, "--format", "lazada-xlsx")[0], "SellerSKU")
    assert {row["SellerSKU"] for row in rows} == world.ids(*PUBLISHED) - world.ids("no_price")
    for row in rows:
        assert row["*Product Name"] and isinstance(row["*Price"], int) and row["*Package Weight (kg)"] > 0
        assert_image_url(row["*Product Images1"], world)


def _name(world, key):
    from tests.factories import LONG_NFD_TITLE

    names = {"good": "Mật ong hoa nhãn", "expired": "Cá chạch sấy khô Yên Hòa", "formula": FORMULA_NAME,
             "long": LONG_NFD_TITLE, "other": "Chè Tân Cương móc câu", "unverified": "Gạo Séng Cù",
             "suspended": "Nước mắm nhĩ", "no_price": "Tương bần Yên Mô"}
    return names[key]


def test_own_csv_and_json_hold_every_published_product(runner, world):
    rows = parse_own_csv(export(runner, "--format", "csv")[0])
    assert [row["ref"] for row in rows] == ["MO-500", "CC-1", "TB-1", "F-1", "DAI-1", "CHE-1", "GAO-5", "NM-1"]
    good = rows[0]
    assert (good["name"], good["category"], good["stars"], good["price_vnd"], good["weight_g"]) == \
        ("Mật ong hoa nhãn", "4", "4", "185000", "700")
    assert good["availability"] == "seasonal:5-7" and good["province"] == "Ninh Bình" and good["commune"] == "Yên Mô"
    assert good["producer_type"] == "cooperative" and good["certificate_no"] == "3981/QĐ-UBND"
    assert re.fullmatch(r"[0-9a-f]{32}\.webp;[0-9a-f]{32}\.webp", good["images"])
    by_ref = {row["ref"]: row for row in rows}
    # A lapsed certificate keeps its recorded stars in our own files (an import recreates it from them).
    assert by_ref["CC-1"]["stars"] == "5" and by_ref["CC-1"]["certificate_no"] == "12/QĐ-UBND"
    assert by_ref["TB-1"]["price_vnd"] == ""  # our own file keeps a product without a price
    assert by_ref["F-1"]["name"] == "'" + FORMULA_NAME
    assert by_ref["DAI-1"]["name"] == LONG_NFC_TITLE  # NFC, whole

    items = parse_json(export(runner, "--format", "json")[0])
    assert [item["ref"] for item in items] == [row["ref"] for row in rows]
    assert items[0]["price_vnd"] == 185000 and items[0]["stars"] == 4 and len(items[0]["images"]) == 2
    assert items[2]["price_vnd"] is None and items[3]["name"] == FORMULA_NAME


def test_output_file_province_and_producer_filters(runner, world, tmp_path):
    target = tmp_path / "out.csv"
    result = runner.invoke(args=["catalog", "export", "--format", "csv", "--output", str(target),
                                 "--province", "Thái Nguyên"])
    assert result.exit_code == 0 and result.stdout_bytes == b""
    assert parsed_ids("csv", target.read_bytes()) == {"CHE-1"}
    data, _ = export(runner, "--format", "json", "--producer", "hộ kinh doanh LÒ VĂN SÁNG")
    assert parsed_ids("json", data) == {"GAO-5"}
    data, _ = export(runner, "--format", "json", "--producer", str(world.producers["b"]))
    assert parsed_ids("json", data) == {"CHE-1"}


@pytest.mark.parametrize("args, message", [
    (["--format", "pdf"], "Invalid value for '--format'"),
    (["--format", "csv", "--province", "Atlantis"], "unknown province"),
    (["--format", "csv", "--producer", "Nobody"], "0 producers match"),
    (["--format", "csv", "--template", "pyproject.toml"], "--template is only for --format shopee-xlsx"),
])
def test_usage_errors_exit_non_zero(runner, world, args, message, tmp_path):
    if "--template" in args:
        (tmp_path / "t.xlsx").write_bytes(b"x")
        args = [arg if arg != "pyproject.toml" else str(tmp_path / "t.xlsx") for arg in args]
    result = runner.invoke(args=["catalog", "export", *args])
    assert result.exit_code == 2 and message in result.output


def test_an_unusable_template_is_a_usage_error(runner, world, tmp_path):
    (tmp_path / "mau.xlsx").write_bytes(b"not a spreadsheet")
    result = runner.invoke(args=["catalog", "export", "--format", "shopee-xlsx", "--template",
                                 str(tmp_path / "mau.xlsx"), "--output", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 2 and "not a usable .xlsx file" in result.output
    assert not (tmp_path / "out.xlsx").exists()
    import openpyxl

    openpyxl.Workbook().save(tmp_path / "empty.xlsx")
    result = runner.invoke(args=["catalog", "export", "--format", "shopee-xlsx", "--template",
                                 str(tmp_path / "empty.xlsx"), "--lang", "en"])
    assert result.exit_code == 2 and "No header row with the columns ps_product_name, ps_price" in result.output


def test_listings_left_out_do_not_fail_the_command(runner, world):
    result = runner.invoke(args=["catalog", "export", "--format", "tiktok-xlsx", "--lang", "en"])
    assert result.exit_code == 0
    assert "[Left out]: The product name must have at least 25 characters" in result.stderr_bytes.decode()


def test_every_exporter_is_reachable(runner):
    result = runner.invoke(args=["catalog", "export", "--help"])
    assert all(name in result.output for name in EXPORTERS)
