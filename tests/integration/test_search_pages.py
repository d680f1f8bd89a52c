"""The search page and JSON APIs over the judged products in the database."""
import json
import re

import pytest

from catalog.models import Product, ProductStatus
from extensions import db
from producers.models import PaymentAccount, Producer, ProducerStatus
from tests.factories import add_world, api, decided_for_expiry, names, rebuild

HOSTILE = ["title:(mật ong", "*", "mật*", "AND OR NOT", "(" * 1000, "\x00", "mật\x00ong", "🍯🐝",
           "x" * 10_000, "' OR 1=1 --", "%_%", "<script>alert(1)</script>", "name_f:mat", '"a"~3^2']


@pytest.fixture
def app_config():
    return {"SEARCH_REBUILD_IN_BACKGROUND": False}


@pytest.fixture
def world(app):
    ids = add_world(app, stars={"mat-ong-bac-ha": (4, decided_for_expiry(300)),
                                "che-xanh": (5, decided_for_expiry(-1)),
                                "ca-chach": (3, decided_for_expiry(10))})
    rebuild(app)
    return ids


def page(client, **params):
    response = client.get("/tim-kiem", query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_header_search_box_goes_to_the_results_page(client, world):
    html = client.get("/").get_data(as_text=True)
    form = re.search(r'<form class="search" action="([^"]+)" method="get"', html)
    assert form and form.group(1) == "/tim-kiem"
    assert 'name="q"' in html and "search-suggest.js" in html


def test_accent_free_query_finds_and_highlights(client, world):
    html = page(client, q="mat ong")
    assert "<mark>Mật ong</mark> bạc hà Mèo Vạc" in html
    cards = html.split('<li class="pcard">')[1:]
    assert "Mèo Vạc" in cards[0] and '/san-pham/mat-ong-bac-ha-meo-vac-' in cards[0]


def test_results_link_to_the_catalogue_product_page(client, world, app):
    item = api(client, q="cá chạch")["items"][0]
    assert item["url"].endswith(f"/san-pham/ca-chach-say-kho-{world['ca-chach']}")
    assert client.get(item["url"].replace(app.config["PUBLIC_BASE_URL"], "")).status_code == 200


def test_user_text_is_escaped(client, world, app):
    html = page(client, q='<script>alert("x")</script> mật ong')
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    with app.app_context():
        product = db.session.get(Product, world["mat-ong-bac-ha"])
        product.name = 'Mật ong <img src=x onerror=alert(1)> "bạc hà"'
        db.session.commit()
    html = page(client, q="mật ong")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_facets_count_and_filters_stay_in_the_url(client, world):
    html = page(client, q="chè")
    assert 'href="/tim-kiem?q=ch%C3%A8&amp;group=I"' in html
    data = api(client, q="chè")
    groups = {item["value"]: item["count"] for item in data["facets"]["group"]}
    assert sum(groups.values()) == data["total"] and groups["III"] == 2  # trà (herbal) via chè = trà
    provinces = {item["label"]: item["count"] for item in data["facets"]["province"]}
    assert provinces["Thái Nguyên"] == 1 and provinces["Lào Cai"] == 1
    narrowed = api(client, q="chè", province=19)
    assert [item["name"] for item in narrowed["items"]] == ["Chè xanh Tân Cương Thái Nguyên"]
    assert {item["label"] for item in narrowed["facets"]["province"]} >= {"Thái Nguyên", "Lào Cai"}
    html = page(client, q="chè", province=19)
    assert 'aria-current="true"' in html and "group=I" in html


def test_stars_facet_ignores_expired_certificates(client, world):
    data = api(client, q="chè")
    assert data["facets"]["stars"] == []  # Chè xanh's 5-star certificate ended yesterday
    assert all(item["stars"] is None for item in data["items"])
    honey = api(client, q="mật ong")
    assert {item["value"]: item["count"] for item in honey["facets"]["stars"]} == {4: 1}
    assert honey["items"][0]["stars"] == 4
    assert api(client, q="", stars=5)["total"] == 0
    assert [item["name"] for item in api(client, q="", stars=3)["items"]] == ["Cá chạch sấy khô"]


def test_api_search_shape(client, world):
    data = api(client, q="ca chach", page=1, per_page=5)
    assert set(data) >= {"total", "items", "facets"}
    assert data["total"] == 1 and data["page"] == 1 and data["per_page"] == 5
    item = data["items"][0]
    assert set(item) == {"id", "ref", "name", "url", "price_vnd", "stars", "province", "producer"}
    assert item == {"id": world["ca-chach"], "ref": "RV001", "name": "Cá chạch sấy khô", "url": item["url"],
                    "price_vnd": 101_000, "stars": 3, "province": "Nghệ An",
                    "producer": "HTX Nông nghiệp Yên Thành"}
    assert set(data["facets"]) == {"group", "province", "stars"}


def test_api_pages(client, world):
    everything = api(client, q="", group="I", per_page=48)
    first, second = api(client, q="", group="I", per_page=20), api(client, q="", group="I", per_page=20, page=2)
    assert everything["total"] == first["total"] == second["total"] > 20
    assert [i["id"] for i in first["items"] + second["items"]] == [i["id"] for i in everything["items"][:40]]


@pytest.mark.parametrize("params, bad", [
    ({"page": "0"}, "page"), ({"page": "abc"}, "page"), ({"page": "101"}, "page"),
    ({"per_page": "49"}, "per_page"), ({"per_page": "-1"}, "per_page"), ({"stars": "7"}, "stars"),
    ({"stars": "four"}, "stars"), ({"province": "999"}, "province"), ({"group": "fish"}, "group"),
    ({"province": "1e3"}, "province"),
])
def test_bad_parameters_are_a_400_json(client, world, params, bad):
    response = client.get("/api/search", query_string={"q": "mật ong", **params})
    assert response.status_code == 400 and response.is_json
    assert response.get_json()["param"] == bad
    assert client.get("/tim-kiem", query_string={"q": "mật ong", **params}).status_code == 400


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_never_an_error(client, world, text):
    assert client.get("/tim-kiem", query_string={"q": text}).status_code == 200
    data = api(client, q=text)
    assert len(data["query"]) <= 200
    response = client.get("/api/suggest", query_string={"q": text})
    assert response.status_code == 200 and len(response.data) <= 2048


def test_nothing_found_says_so_and_offers_a_correction(client, world):
    html = page(client, q="vải thiềuxx")
    assert 'class="pgrid results"' not in html and "card empty" in html  # nothing unrelated shown
    assert 'href="/tim-kiem?q=v%E1%BA%A3i+thi%E1%BB%81u"' in html
    data = api(client, q="điện thoại samsung")
    assert data["total"] == 0 and data["items"] == [] and data["did_you_mean"] is None


def test_corrected_search_is_announced(client, world):
    data = api(client, q="chuối xấy dẻo")
    assert data["corrected_query"] == "chuối sấy dẻo"
    assert data["items"][0]["name"] == "Chuối tây sấy dẻo Ba Vì"
    assert "chuối sấy dẻo" in page(client, q="chuối xấy dẻo")


def test_suggestions_are_small(client, world):
    response = client.get("/api/suggest", query_string={"q": "mat o"})
    body = response.get_data()
    assert response.status_code == 200 and len(body) <= 2048
    data = json.loads(body)
    assert data["items"][0] == {"name": "Mật ong bạc hà Mèo Vạc",
                                "url": f"/san-pham/mat-ong-bac-ha-meo-vac-{world['mat-ong-bac-ha']}"}
    many = json.loads(client.get("/api/suggest", query_string={"q": "c"}).get_data())
    assert 0 < len(many["items"]) <= 8
    assert json.loads(client.get("/api/suggest").get_data())["items"] == []


def test_former_province_finds_todays_province(client, world):
    assert names(client, "bắc kạn") == ["Chè xanh Tân Cương Thái Nguyên"]
    assert names(client, "hà giang")[0] == "Mật ong bạc hà Mèo Vạc"  # now Tuyên Quang


def test_private_and_unpublished_data_is_not_searchable(client, world, app):
    with app.app_context():
        producer = db.session.get(Product, world["ca-chach"]).producer
        db.session.add(PaymentAccount(producer_id=producer.id, version=1, bank_bin="970436",
                                      account_number="0451000123456", holder_name="NGUYEN VAN BANG",
                                      status=PaymentAccount.APPROVED))
        producer.representative = "Trần Văn Đạidiện"
        hidden = Producer(legal_name="HTX Chưa Xác Minh", slug="htx", province_code=producer.province_code,
                          commune_code=producer.commune_code, status=ProducerStatus.SUBMITTED)
        db.session.add(hidden)
        db.session.flush()
        db.session.add(Product(producer_id=hidden.id, ref="X1", name="Mật ong bí mật", slug="mat-ong-bi-mat",
                               product_set_code=4, status=ProductStatus.PUBLISHED))
        db.session.add(Product(producer_id=producer.id, ref="X2", name="Mật ong nháp", slug="mat-ong-nhap",
                               product_set_code=4, status=ProductStatus.DRAFT))
        db.session.commit()
        phone, tax_code = producer.phone, producer.tax_code
    for secret in ("0451000123456", "NGUYEN VAN BANG", phone, phone[3:], tax_code, "Đạidiện", "Thôn Một"):
        assert api(client, q=secret)["total"] == 0, secret
    for text in ("mật ong", "bí mật", "nháp", "chưa xác minh"):
        assert not {"Mật ong bí mật", "Mật ong nháp"} & set(names(client, text)), text


def test_page_without_query_explains_itself(client, world):
    html = page(client)
    assert "search-page" in html and "pcard" not in html
