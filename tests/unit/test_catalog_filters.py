"""Catalogue query parameters: parsing, errors and links back."""
import pytest

from catalog.filters import CatalogueQuery, FilterError, parse_catalogue_args, query_args
from places import units


def test_defaults():
    query = parse_catalogue_args({})
    assert query == CatalogueQuery()
    assert query.set_codes is None and not query.is_filtered and query.offset == 0


def test_every_filter():
    query = parse_catalogue_args({"group": "i", "province": "TP. Hồ Chí Minh", "stars": "4", "price_min": "100.000",
                                  "price_max": "200k", "availability": "seasonal", "sort": "stars", "page": "3"})
    assert query.group == "I" and query.set_codes == tuple(range(1, 14))
    assert units.province(query.province_code).short_name == "Hồ Chí Minh"
    assert (query.min_stars, query.price_min, query.price_max) == (4, 100_000, 200_000)
    assert (query.availability, query.sort, query.page, query.offset) == ("seasonal", "stars", 3, 48)


def test_set_wins_over_group_and_former_province_names_map_to_today():
    query = parse_catalogue_args({"group": "II", "set": "11", "province": "Bắc Kạn"})
    assert query.group is None and query.set_codes == (11,)
    assert query.province_code == units.match_province("Thái Nguyên").code


@pytest.mark.parametrize("args, code", [
    ({"group": "VII"}, "unknown_group"), ({"set": "27"}, "unknown_set"), ({"set": "chè"}, "unknown_set"),
    ({"province": "Atlantis"}, "unknown_province"), ({"province": "99"}, "unknown_province"),
    ({"stars": "2"}, "bad_stars"), ({"stars": "four"}, "bad_stars"), ({"price_min": "-1"}, "bad_price"),
    ({"price_min": "5", "price_max": "4"}, "price_range"), ({"availability": "now"}, "bad_availability"),
    ({"sort": "name"}, "bad_sort"), ({"page": "0"}, "bad_page"), ({"page": "99999999"}, "bad_page"),
    ({"page": "500"}, "too_deep"),
])
def test_errors_name_the_parameter(args, code):
    with pytest.raises(FilterError) as caught:
        parse_catalogue_args(args)
    assert caught.value.code == code


def test_per_page_only_where_allowed():
    assert parse_catalogue_args({"per_page": "50"}).per_page == 24
    assert parse_catalogue_args({"per_page": "50"}, allow_per_page=True).per_page == 50
    with pytest.raises(FilterError):
        parse_catalogue_args({"per_page": "101"}, allow_per_page=True)


def test_query_args_round_trip_and_overrides():
    args = {"set": "11", "province": "8", "stars": "3", "price_min": "1000", "sort": "price_asc", "page": "2"}
    query = parse_catalogue_args(args)
    assert {key: str(value) for key, value in query_args(query).items()} == args
    assert "page" not in query_args(query, page=1)
    assert query_args(CatalogueQuery()) == {}
