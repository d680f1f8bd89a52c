"""What a buyer browsing sees: provinces that have products (with counts), "Ngoài mùa"
on every list, and dates and numbers written the way each language writes them."""
import re
from datetime import date, datetime

from flask_babel import force_locale

from core.i18n import format_day, format_moment, format_number
from tests.factories import add_product, make_producer


def test_out_of_season_products_are_marked_in_lists_not_only_on_their_page(app, client):
    producer = make_producer(app)
    this_month = date.today().month
    other_month = this_month % 12 + 1
    add_product(app, producer, name="Mận hậu Mộc Châu", availability="seasonal", season_months=str(other_month))
    add_product(app, producer, name="Vải thiều Lục Ngạn", availability="seasonal", season_months=str(this_month))
    for path in ("/", "/san-pham"):
        page = client.get(path).get_data(as_text=True)
        cards = dict(re.findall(r'<span class="pname">([^<]+)</span>(.*?)</li>', page, re.S))
        assert "Ngoài mùa" in cards["Mận hậu Mộc Châu"], path
        assert "Ngoài mùa" not in cards["Vải thiều Lục Ngạn"], path


def test_browse_offers_only_provinces_with_products_and_their_counts(app, client):
    producer = make_producer(app)
    for name in ("Gạo tám thơm", "Gạo nếp cái"):
        add_product(app, producer, name=name, set_code=3)
    page = client.get("/san-pham").get_data(as_text=True)
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', page.split('id="f-province"')[1].split("</select>")[0])
    assert len(options) == 1 and options[0].endswith("(2)")


def test_days_moments_and_numbers_follow_the_reader_language(app):
    moment = datetime(2027, 5, 20, 7, 5)  # stored in UTC: 14:05 in Vietnam
    with app.test_request_context():
        with force_locale("vi"):
            assert format_day(date(2027, 5, 20)) == "20/05/2027"
            assert format_moment(moment) == "14:05 20/05/2027"
            assert format_number(12500) == "12.500"
        with force_locale("en"):
            assert format_day(date(2027, 5, 20)) == "20 May 2027"
            assert format_moment(moment) == "20 May 2027, 14:05"
            assert format_number(12500) == "12,500"
