"""The editable file mapping OCOP product sets to marketplace categories.

Every id in it must say where it was read (column ``nguon``): seller category ids come from each
marketplace's own tree (Shopee v2.product.get_category, TikTok Shop GET /product/202309/categories,
Lazada /category/tree/get or the template's "Valid values"), and shopee.vn page ids from the
addresses of shopee.vn's "Danh mục" page (``shopee.vn/<name>-cat.<level 1>.<level 2>``)."""
import re

import pytest

from catalog.exporters.marketplace_categories import (
    CATEGORY_FILE, MARKETPLACES, CategoryFileError, category_hint, marketplace_categories, read_categories,
)


def test_every_filled_id_in_the_shipped_file_names_its_source():
    entries = marketplace_categories()
    assert set(entries) == set(range(1, 26))  # every set of goods; 26 (tourism services) is not goods
    for entry in entries.values():
        assert entry.path_vi
        if entry.ids or entry.shopee_page:
            assert entry.source, entry.ocop_set
        assert all(re.fullmatch(r"\d+", value) for value in entry.ids.values())
        assert entry.shopee_page == "" or re.fullmatch(r"\d{8}(\.\d{8})?", entry.shopee_page)
    header = next(line for line in CATEGORY_FILE.read_text(encoding="utf-8").splitlines() if line.startswith("ocop_set,"))
    assert header.split(",")[-1] == "nguon"


def test_an_id_without_a_source_is_refused():
    header = "ocop_set,duong_dan_vi," + ",".join(MARKETPLACES) + ",shopee_vn_trang,nguon\n"
    with pytest.raises(CategoryFileError):
        read_categories(header + "11,Đồ uống > Trà,,12345,,,\n")
    with pytest.raises(CategoryFileError):
        read_categories(header + "11,Đồ uống > Trà,,,,11036525.11036576,\n")
    entry = read_categories(header + "11,Đồ uống > Trà,,12345,,,Partner API categories 2026-12\n")[11]
    assert entry.ids == {"tiktok_vn": "12345"} and entry.source == "Partner API categories 2026-12"


def test_the_hint_adds_the_shopee_page_only_for_shopee():
    assert category_hint(13, "shopee_vn").endswith("(shopee.vn/…-cat.11036525.11036576)")
    assert category_hint(13, "lazada_vn") == "Đồ uống > Cà phê và ca cao"
    assert category_hint(4, "shopee_vn") == "Thực phẩm > Mật ong và nông sản sơ chế"  # no page id known
