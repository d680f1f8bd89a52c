"""OCOP product set → Google taxonomy mapping against the vendored id list."""
from catalog.exporters.taxonomy import (
    GOOGLE_CATEGORY_BY_OCOP_SET, TAXONOMY_FILE, google_category, vendored_taxonomy,
)


def test_every_mapped_id_is_in_the_vendored_taxonomy():
    known = vendored_taxonomy()
    for product_set, taxonomy_id in GOOGLE_CATEGORY_BY_OCOP_SET.items():
        assert taxonomy_id in known, (product_set, taxonomy_id)


def test_vendored_file_holds_only_ids_in_use_with_food_paths():
    known = vendored_taxonomy()
    assert set(known) == set(GOOGLE_CATEGORY_BY_OCOP_SET.values())
    assert all(path.startswith("Food, Beverages & Tobacco > ") for path in known.values())
    assert known[5814] == "Food, Beverages & Tobacco > Food Items > Prepared Foods"
    assert known[2073] == "Food, Beverages & Tobacco > Beverages > Tea & Infusions"


def test_vendored_file_says_it_is_a_subset():
    header = TAXONOMY_FILE.read_text(encoding="utf-8").splitlines()[:8]
    assert header[0].startswith("# Google_Product_Taxonomy_Version")
    assert any("could not be downloaded" in line for line in header)


def test_food_and_drink_sets_are_mapped_and_others_are_left_empty():
    assert set(GOOGLE_CATEGORY_BY_OCOP_SET) == set(range(1, 18))
    assert google_category(9) == "427"
    assert google_category(11) == "2073"
    assert all(google_category(code) == "" for code in range(18, 27))
