"""JSON API: shapes, filters, pagination, and 400/404 answers that are JSON, never 500."""
import pytest

from catalog.models import ProductStatus
from tests.integration.catalog_world import add_certificate, add_product, make_producer


@pytest.fixture
def catalogue(app):
    ninh_binh = make_producer(app)
    lao_cai = make_producer(app, name="HTX Chè Shan Gia Phú", province="Lào Cai", commune="Gia Phú",
                            phone="+84911000002")
    four = add_certificate(app, lao_cai, stars=4, set_code=11)
    ids = {
        "ca": add_product(app, ninh_binh, name="Cá chạch sấy khô", ref="CC-1", price=120_000, photos=2),
        "che": add_product(app, lao_cai, name="Chè Shan tuyết", ref="CHE-1", price=450_000, set_code=11,
                           certificate_id=four),
        "draft": add_product(app, lao_cai, name="Nháp", status=ProductStatus.DRAFT),
    }
    return ids


def test_list_shape(client, catalogue):
    response = client.get("/api/products")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert set(data) == {"items", "page", "per_page", "has_more", "next"}
    assert (data["page"], data["per_page"], data["has_more"], data["next"]) == (1, 24, False, None)
    by_ref = {item["ref"]: item for item in data["items"]}
    assert set(by_ref) == {"CC-1", "CHE-1"}
    che = by_ref["CHE-1"]
    assert che["id"] == catalogue["che"]
    assert che["name"] == "Chè Shan tuyết"
    assert che["url"] == f"https://choque.example/san-pham/che-shan-tuyet-{catalogue['che']}"
    assert che["price_vnd"] == 450_000 and isinstance(che["price_vnd"], int) and che["currency"] == "VND"
    assert che["stars"] == 4
    assert che["province"]["name"] == "Lào Cai" and isinstance(che["province"]["code"], int)
    assert che["producer"]["name"] == "HTX Chè Shan Gia Phú"
    assert che["producer"]["url"].startswith("https://choque.example/co-so/htx-che-shan-gia-phu-")
    assert che["image"] is None
    ca = by_ref["CC-1"]
    assert ca["stars"] is None
    assert set(ca["image"]) == {"160", "480", "1200"}
    assert ca["image"]["480"].startswith("https://choque.example/anh/") and ca["image"]["480"].endswith("/480.webp")


def test_list_filters_match_the_pages(client, catalogue):
    def refs(query):
        response = client.get(f"/api/products?{query}")
        assert response.status_code == 200, response.get_json()
        return sorted(item["ref"] for item in response.get_json()["items"])

    assert refs("province=Yên Bái") == ["CHE-1"]
    assert refs("stars=4") == ["CHE-1"]
    assert refs("price_max=200000") == ["CC-1"]
    assert refs("set=11") == ["CHE-1"]
    assert refs("group=I&sort=price_desc") == ["CC-1", "CHE-1"]


def test_pagination_with_per_page_and_has_more(app, client):
    producer = make_producer(app)
    for number in range(5):
        add_product(app, producer, name=f"Bún khô {number}", set_code=6)
    first = client.get("/api/products?per_page=2").get_json()
    assert len(first["items"]) == 2 and first["has_more"] is True
    assert first["next"].startswith("https://choque.example/api/products?") and "page=2" in first["next"]
    assert "per_page=2" in first["next"]
    last = client.get("/api/products?per_page=2&page=3").get_json()
    assert len(last["items"]) == 1 and last["has_more"] is False and last["next"] is None
    seen = [i["id"] for p in (1, 2, 3) for i in client.get(f"/api/products?per_page=2&page={p}").get_json()["items"]]
    assert len(seen) == len(set(seen)) == 5


@pytest.mark.parametrize("query, param", [
    ("per_page=0", "per_page"), ("per_page=101", "per_page"), ("per_page=abc", "per_page"), ("page=-1", "page"),
    ("page=1e3", "page"), ("province=Atlantis", "province"), ("stars=2", "stars"), ("price_min=1.5", "price_min"),
    ("sort=random", "sort"), ("availability=soon", "availability"), ("page=100000", "page"),
    ("price_min=9&price_max=1", "price_max"), ("set=%00", "set"), ("province=" + "x" * 5000, "province"),
])
def test_bad_parameters_are_json_400s(client, query, param):
    response = client.get(f"/api/products?{query}")
    assert response.status_code == 400
    data = response.get_json()
    assert data["status"] == 400 and data["param"] == param and data["message"]


def test_detail_shape_and_only_public_products(client, catalogue):
    data = client.get(f"/api/products/{catalogue['che']}").get_json()
    assert data["ref"] == "CHE-1" and data["stars"] == 4
    assert data["certificate"]["number"] == "3981/QĐ-UBND"
    assert data["certificate"]["valid_until"] == "2028-03-14" and data["certificate"]["expired"] is False
    assert data["commune"]["name"] == "Xã Gia Phú"
    assert data["images"] == []
    assert len(client.get(f"/api/products/{catalogue['ca']}").get_json()["images"]) == 2
    for missing in (catalogue["draft"], 999999, 2**40):
        response = client.get(f"/api/products/{missing}")
        assert response.status_code == 404 and response.get_json()["status"] == 404
    assert client.get("/api/products/abc").status_code == 404
    assert client.get("/api/products/abc").mimetype == "application/json"


def test_sorting_by_stars_pages_through_every_tier_without_gaps(app, client):
    from datetime import date

    from producers.ocop import add_months

    producer = make_producer(app)
    expected = []
    for stars, name in ((3, "Ba sao"), (5, "Năm sao"), (None, "Không sao"), (4, "Bốn sao"), (5, "Năm sao mới"),
                        ("expired", "Hết hạn")):
        certificate = None
        if stars == "expired":
            certificate = add_certificate(app, producer, stars=5, decision_date=add_months(date.today(), -40))
        elif stars:
            certificate = add_certificate(app, producer, stars=stars)
        add_product(app, producer, name=name, certificate_id=certificate)
    expected = ["Năm sao mới", "Năm sao", "Bốn sao", "Ba sao", "Hết hạn", "Không sao"]
    names = []
    for page in (1, 2, 3):
        data = client.get(f"/api/products?sort=stars&per_page=2&page={page}").get_json()
        names += [item["name"] for item in data["items"]]
        assert data["has_more"] is (page < 3)
    assert names == expected
    four_up = client.get("/api/products?sort=stars&stars=4&per_page=2&page=2").get_json()
    assert [item["name"] for item in four_up["items"]] == ["Bốn sao"] and four_up["has_more"] is False
