"""Buyer pages: home, browse filters, product page, producer page, slugs, expired certificates."""
import json
import re
from datetime import date

from lxml import html as lxml_html

from catalog.models import ProductStatus
from producers.models import ProducerStatus
from producers.ocop import add_months
from tests.factories import add_certificate, add_product, make_producer


def names_on(response):
    assert response.status_code == 200, response.status_code
    tree = lxml_html.fromstring(response.get_data(as_text=True))
    return [element.text_content().strip() for element in tree.xpath('//li[@class="pcard"]//span[@class="pname"]')]


def test_home_shows_latest_public_products_groups_and_provinces(app, client):
    producer = make_producer(app)
    add_product(app, producer, name="Mật ong bạc hà Mèo Vạc", set_code=4)
    add_product(app, producer, name="Bản nháp chưa đăng", status=ProductStatus.DRAFT)
    page = client.get("/").get_data(as_text=True)
    assert "Mật ong bạc hà Mèo Vạc" in page
    assert "Bản nháp chưa đăng" not in page
    assert "/san-pham?group=I" in page  # product groups
    # Only provinces with something to buy, with their counts (not 34 mostly empty pages).
    assert page.count("/san-pham?province=") == 1
    assert re.search(r'/san-pham\?province=\d+">[^<]+ <small>\(1\)</small>', page)


def test_only_published_products_of_verified_producers_are_listed(app, client):
    verified = make_producer(app)
    pending = make_producer(app, name="HTX Chờ duyệt", status=ProducerStatus.SUBMITTED, phone="+84911000002")
    add_product(app, verified, name="Gạo nếp cái hoa vàng", set_code=3)
    add_product(app, verified, name="Sản phẩm đã ẩn", status=ProductStatus.HIDDEN)
    hidden_producer_product = add_product(app, pending, name="Chè của hộ chưa duyệt", set_code=11)
    listed = names_on(client.get("/san-pham"))
    assert listed == ["Gạo nếp cái hoa vàng"]
    assert client.get(f"/san-pham/che-cua-ho-chua-duyet-{hidden_producer_product}").status_code == 404
    assert client.get(f"/api/products/{hidden_producer_product}").status_code == 404


def _catalogue(app):
    ninh_binh = make_producer(app)
    lao_cai = make_producer(app, name="HTX Chè Shan Gia Phú", province="Lào Cai", commune="Gia Phú",
                            phone="+84911000002")
    five = add_certificate(app, ninh_binh, stars=5, set_code=8)
    three = add_certificate(app, lao_cai, stars=3, set_code=11)
    add_product(app, ninh_binh, name="Cá chạch sấy khô", price=120_000, set_code=8, certificate_id=five)
    add_product(app, ninh_binh, name="Mật ong hoa nhãn", price=250_000, set_code=4, availability="seasonal",
                season_months="5,6")
    add_product(app, lao_cai, name="Chè Shan tuyết", price=450_000, set_code=11, certificate_id=three)
    add_product(app, lao_cai, name="Rượu ngô men lá", price=90_000, set_code=14)


def test_filter_by_province_accepts_code_today_name_and_former_name(app, client):
    _catalogue(app)
    assert sorted(names_on(client.get("/san-pham?province=Lào Cai"))) == ["Chè Shan tuyết", "Rượu ngô men lá"]
    # Yên Bái merged into Lào Cai in 2025: the old name still finds the products.
    assert sorted(names_on(client.get("/san-pham?province=Yên Bái"))) == ["Chè Shan tuyết", "Rượu ngô men lá"]
    assert sorted(names_on(client.get("/san-pham?province=tinh yen bai"))) == ["Chè Shan tuyết", "Rượu ngô men lá"]
    code = re.search(r'value="(\d+)"[^>]*>Ninh Bình \(2\)<', client.get("/san-pham").get_data(as_text=True)).group(1)
    assert sorted(names_on(client.get(f"/san-pham?province={code}"))) == ["Cá chạch sấy khô", "Mật ong hoa nhãn"]


def test_filter_by_stars_price_group_set_and_availability(app, client):
    _catalogue(app)
    assert names_on(client.get("/san-pham?stars=5")) == ["Cá chạch sấy khô"]
    assert sorted(names_on(client.get("/san-pham?stars=3"))) == ["Chè Shan tuyết", "Cá chạch sấy khô"]
    assert sorted(names_on(client.get("/san-pham?price_min=100.000&price_max=300000"))) == [
        "Cá chạch sấy khô", "Mật ong hoa nhãn"]
    assert sorted(names_on(client.get("/san-pham?group=II"))) == ["Rượu ngô men lá"]
    assert names_on(client.get("/san-pham?set=11")) == ["Chè Shan tuyết"]
    assert names_on(client.get("/san-pham?availability=seasonal")) == ["Mật ong hoa nhãn"]


def test_sorting_by_price_and_stars(app, client):
    _catalogue(app)
    assert names_on(client.get("/san-pham?sort=price_asc")) == [
        "Rượu ngô men lá", "Cá chạch sấy khô", "Mật ong hoa nhãn", "Chè Shan tuyết"]
    assert names_on(client.get("/san-pham?sort=price_desc"))[0] == "Chè Shan tuyết"
    by_stars = names_on(client.get("/san-pham?sort=stars"))
    assert by_stars[:2] == ["Cá chạch sấy khô", "Chè Shan tuyết"]
    assert sorted(by_stars[2:]) == ["Mật ong hoa nhãn", "Rượu ngô men lá"]


def test_pagination_uses_next_and_previous_links(app, client, app_config):
    producer = make_producer(app)
    for number in range(30):
        add_product(app, producer, name=f"Bánh đa nem số {number:02d}", set_code=6)
    first = client.get("/san-pham").get_data(as_text=True)
    assert first.count('class="pcard"') == 24
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get("/san-pham?page=2").get_data(as_text=True)
    assert second.count('class="pcard"') == 6
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert client.get("/san-pham?page=3").status_code == 404


def test_bad_filters_are_a_friendly_400(client):
    for query in ("province=Atlantis", "stars=7", "price_min=12,5", "sort=cheapest", "page=0", "page=abc",
                  "price_min=500000&price_max=100", "group=IX", "set=99", "page=99999"):
        response = client.get(f"/san-pham?{query}")
        assert response.status_code == 400, query
        assert "text/html" in response.content_type


def test_wrong_slug_redirects_permanently_to_the_canonical_url(app, client):
    producer = make_producer(app)
    product_id = add_product(app, producer, name="Cá chạch sấy khô Yên Hòa")
    canonical = f"/san-pham/ca-chach-say-kho-yen-hoa-{product_id}"
    assert client.get(canonical).status_code == 200
    for wrong in (f"/san-pham/ca-chach-{product_id}", f"/san-pham/{product_id}"):
        response = client.get(wrong)
        assert response.status_code == 301
        assert response.headers["Location"].endswith(canonical)


def test_product_page_shows_price_stars_certificate_and_producer_contact(app, client):
    producer = make_producer(app)
    certificate = add_certificate(app, producer, stars=4, decision_date=date(2025, 3, 14))
    product_id = add_product(app, producer, name="Cá chạch sấy khô Yên Hòa", certificate_id=certificate, photos=2)
    page = client.get(f"/san-pham/ca-chach-say-kho-yen-hoa-{product_id}").get_data(as_text=True)
    assert "120.000\xa0₫" in page or "120.000 ₫" in page
    assert "★★★★" in page
    assert "3981/QĐ-UBND" in page
    assert "14/03/2028" in page  # valid until, 36 months after the decision
    assert 'href="tel:+84911000001"' in page
    assert 'href="https://zalo.me/0911000001"' in page
    assert "Xã Yên Mô" in page and "Ninh Bình" in page
    images = re.findall(r"<img [^>]*>", page.split('class="gallery"')[1].split("</div>")[0])
    assert len(images) == 2
    assert 'loading="lazy"' not in images[0] and 'loading="lazy"' in images[1]
    for tag in images:
        assert "160w" in tag and "480w" in tag and "1200w" in tag and 'sizes="' in tag
        assert 'width="1200"' in tag and 'height="900"' in tag


def test_expired_certificate_hides_the_stars_and_says_so(app, client):
    producer = make_producer(app)
    old = add_certificate(app, producer, stars=5, decision_date=add_months(date.today(), -37))
    product_id = add_product(app, producer, name="Nước mắm cá cơm", certificate_id=old)
    page = client.get(f"/san-pham/nuoc-mam-ca-com-{product_id}").get_data(as_text=True)
    assert "★" not in page
    assert "Chứng nhận OCOP đã hết hạn" in page
    assert names_on(client.get("/san-pham?stars=3")) == []
    assert "★" not in client.get("/san-pham").get_data(as_text=True)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert "award" not in data
    assert client.get(f"/api/products/{product_id}").get_json()["stars"] is None


def test_json_ld_is_valid_json_with_offer_and_ocop_award_but_no_rating(app, client):
    producer = make_producer(app)
    certificate = add_certificate(app, producer, stars=4, decision_date=date(2024, 6, 1))
    product_id = add_product(app, producer, name="Mắm tép </script><script>alert(1)</script>", ref="MT-01",
                             certificate_id=certificate, photos=1, weight_g=250)
    response = client.get(f"/san-pham/mam-tep-script-script-alert-1-script-{product_id}")
    page = response.get_data(as_text=True)
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert "<script>" not in page.split("application/ld+json")[1].split("</script>")[0]
    assert data["@type"] == "Product" and data["name"].startswith("Mắm tép </script>")
    assert data["sku"] == "MT-01"
    assert data["brand"]["name"] == "HTX Nông sản Yên Hòa"
    assert data["offers"]["price"] == "120000" and data["offers"]["priceCurrency"] == "VND"
    assert data["offers"]["availability"] == "https://schema.org/InStock"
    assert data["offers"]["url"] == f"https://choque.example/san-pham/mam-tep-script-script-alert-1-script-{product_id}"
    assert data["image"][0].startswith("https://choque.example/anh/") and data["image"][0].endswith("/1200.webp")
    assert data["award"] == "OCOP 4 sao (2024)"
    assert {"@type": "PropertyValue", "name": "Xếp hạng OCOP", "value": "4 sao"} in data["additionalProperty"]
    assert "aggregateRating" not in json.dumps(data) and "aggregateRating" not in page
    assert "<script>alert(1)</script>" not in page


def test_producer_page_is_public_only_for_verified_producers(app, client):
    verified = make_producer(app)
    add_product(app, verified, name="Cá chạch sấy khô")
    pending = make_producer(app, name="HTX Chờ duyệt", status=ProducerStatus.SUBMITTED, phone="+84911000002")
    page = client.get(f"/co-so/htx-nong-san-yen-hoa-{verified}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Cá chạch sấy khô" in text and 'href="https://zalo.me/0911000001"' in text
    assert client.get(f"/co-so/htx-cho-duyet-{pending}").status_code == 404
    assert client.get(f"/co-so/ten-khac-{verified}").status_code == 301
    assert client.get("/co-so/khong-co-999999").status_code == 404


def test_the_former_producer_address_moves_for_good(app, client):
    """Claim letters, QR codes and search engines hold /nha-san-xuat/<name>-<id>: it answers
    301 to /co-so/<name>-<id>, the query kept, and leads to the page."""
    verified = make_producer(app)
    add_product(app, verified, name="Cá chạch sấy khô")
    moved = client.get(f"/nha-san-xuat/htx-nong-san-yen-hoa-{verified}?page=1")
    assert moved.status_code == 301
    assert moved.headers["Location"] == f"/co-so/htx-nong-san-yen-hoa-{verified}?page=1"
    page = client.get(f"/nha-san-xuat/ten-cu-{verified}", follow_redirects=True)
    assert page.status_code == 200 and "Cá chạch sấy khô" in page.get_data(as_text=True)
    assert page.request.path == f"/co-so/htx-nong-san-yen-hoa-{verified}"
    assert client.get("/nha-san-xuat/khong-co-999999", follow_redirects=True).status_code == 404
    # The back office keeps its addresses.
    assert client.get("/nha-san-xuat/ho-so").status_code == 302


def test_public_pages_send_etag_and_answer_304(app, client):
    producer = make_producer(app)
    product_id = add_product(app, producer, name="Cá chạch sấy khô")
    for path in ("/", "/san-pham", f"/san-pham/ca-chach-say-kho-{product_id}", f"/api/products/{product_id}",
                 "/api/products"):
        first = client.get(path)
        etag = first.headers["ETag"]
        assert first.status_code == 200 and etag
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304, path
        assert again.get_data() == b""


def test_text_responses_are_gzipped_and_etag_still_matches(app, client):
    import gzip

    producer = make_producer(app)
    add_product(app, producer, name="Cá chạch sấy khô")
    response = client.get("/san-pham", headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "Cá chạch sấy khô" in gzip.decompress(response.get_data()).decode()
    etag = response.headers["ETag"]
    assert etag.startswith('W/"')
    assert client.get("/san-pham", headers={"Accept-Encoding": "gzip", "If-None-Match": etag}).status_code == 304
    plain = client.get("/san-pham")
    assert "Content-Encoding" not in plain.headers
    css = client.get(re.search(r'href="(/static/css/site.css\?v=\w+)"', plain.get_data(as_text=True)).group(1),
                     headers={"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip"
    assert b"system-ui" in gzip.decompress(css.get_data())
    assert "immutable" in css.headers["Cache-Control"]
    css.close()


def test_products_follow_their_producer_to_another_province(app, client):
    from extensions import db
    from producers.models import Producer
    from tests.factories import place

    producer_id = make_producer(app)
    add_product(app, producer_id, name="Cá chạch sấy khô")
    assert names_on(client.get("/san-pham?province=Ninh Bình")) == ["Cá chạch sấy khô"]
    with app.app_context():
        producer = db.session.get(Producer, producer_id)
        producer.province_code, producer.commune_code = place("Lào Cai", "Gia Phú")
        db.session.commit()
    assert names_on(client.get("/san-pham?province=Ninh Bình")) == []
    assert names_on(client.get("/san-pham?province=Lào Cai")) == ["Cá chạch sấy khô"]
