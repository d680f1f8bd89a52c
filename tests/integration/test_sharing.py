"""Links buyers paste into Zalo and Facebook groups, and what crawlers may read.

Open Graph: the protocol's own list of properties (ogp.me: og:title, og:type, og:image,
og:url, og:image:width/height/type); Facebook's sharing guide asks for images of at least
1200×630. Sitemaps: sitemaps.org protocol 0.9 (sitemap index, ≤ 50,000 URLs a file, W3C
dates in lastmod). robots.txt: RFC 9309 (Disallow, and `$`/`*` as Google reads them)."""
import io
import re
from urllib.parse import urlsplit

from lxml import etree, html as lxml_html
from PIL import Image

from catalog import images
from catalog.models import ProductStatus
from extensions import db
from tests.factories import add_product, make_producer

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def og(page_html):
    tree = lxml_html.fromstring(page_html)
    return {m.get("property") or m.get("name"): m.get("content")
            for m in tree.xpath("//meta[@property or @name]") if m.get("content") is not None}


def _store_photo(app, key):
    with app.app_context():
        path = images.store().path_for(key, 1200)
        path.parent.mkdir(parents=True, exist_ok=True)
        picture = Image.new("RGB", (1200, 1600), (200, 120, 40))  # a portrait phone photo
        picture.save(path, "WEBP")


def fetch(client, url):
    """Status, type and bytes of a file response (closed: send_file streams from disk)."""
    response = client.get(urlsplit(url).path)
    try:
        return response.status_code, response.mimetype, response.data
    finally:
        response.close()


def _product_page(client, product_id):
    return client.get(f"/san-pham/{product_id}", follow_redirects=True)


def test_a_product_link_carries_title_price_place_and_a_jpeg_card_that_exists(app, client):
    producer = make_producer(app)
    product_id = add_product(app, producer, name="Mật ong hoa nhãn", price=250_000, photos=1)
    with app.app_context():
        from catalog.models import Product
        key = db.session.get(Product, product_id).photos[0].image_key
    _store_photo(app, key)
    page = _product_page(client, product_id)
    tags = og(page.get_data(as_text=True))
    assert tags["og:type"] == "product"
    assert tags["og:title"].startswith("Mật ong hoa nhãn — 250.000")
    assert "Lào Cai" in tags["og:description"] or "," in tags["og:description"]
    assert tags["product:price:amount"] == "250000" and tags["product:price:currency"] == "VND"
    assert tags["og:url"].startswith("https://choque.example/san-pham/")
    status, mimetype, data = fetch(client, tags["og:image"])
    assert status == 200 and mimetype == "image/jpeg"
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.format == "JPEG" and picture.size == (1200, 630)
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")


def test_a_product_without_photo_shares_the_site_card(app, client):
    producer = make_producer(app)
    product_id = add_product(app, producer, name="Gạo nếp cái hoa vàng", photos=0)
    tags = og(_product_page(client, product_id).get_data(as_text=True))
    status, mimetype, data = fetch(client, tags["og:image"])
    assert status == 200 and mimetype == "image/jpeg"
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.format == "JPEG" and picture.size[0] >= 1200 and picture.size[1] >= 630


def test_share_works_without_javascript(app, client):
    producer = make_producer(app)
    product_id = add_product(app, producer, name="Chè Shan tuyết")
    tree = lxml_html.fromstring(_product_page(client, product_id).get_data(as_text=True))
    box = tree.xpath('//details[@class="share"]')[0]
    assert box.xpath(".//input/@value")[0].startswith("https://choque.example/san-pham/")
    assert box.xpath(".//a/@href")[0].startswith("sms:")


def test_sitemap_lists_public_products_and_producers_with_lastmod(app, client):
    producer = make_producer(app)
    shown = add_product(app, producer, name="Miến dong Pác Nặm")
    add_product(app, producer, name="Bản nháp", status=ProductStatus.DRAFT)
    index = etree.fromstring(client.get("/sitemap.xml").data)
    chunks = index.xpath("//s:sitemap/s:loc/text()", namespaces=SITEMAP_NS)
    assert chunks and all(re.fullmatch(r"https://choque\.example/sitemap-(san-pham|nha-san-xuat)-\d+\.xml", c) for c in chunks)
    urls = []
    for chunk in chunks:
        tree = etree.fromstring(client.get(urlsplit(chunk).path).data)
        urls += tree.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in tree.xpath("//s:lastmod/text()", namespaces=SITEMAP_NS))
    assert any(url.endswith(f"-{shown}") and "/san-pham/" in url for url in urls)
    assert not any("ban-nhap" in url for url in urls)
    assert any(url.endswith(f"-{producer}") and "/co-so/" in url for url in urls)
    assert client.get("/sitemap-san-pham-999.xml").status_code == 404


def test_robots_keeps_back_office_out_and_names_the_sitemap(client):
    text = client.get("/robots.txt").get_data(as_text=True)
    rules = [line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("Disallow: ")]
    for path in ("/can-bo", "/nhap-du-lieu", "/xuat-du-lieu", "/nha-san-xuat$", "/nha-san-xuat/ho-so"):
        assert path in rules
    assert "Sitemap: https://choque.example/sitemap.xml" in text
    # The public page, and its former address (301, which crawlers must fetch to follow).
    for public_producer in ("/co-so/htx-che-shan-gia-phu-7", "/nha-san-xuat/htx-che-shan-gia-phu-7"):
        blocked = [r for r in rules if not r.endswith("$") and "*" not in r and public_producer.startswith(r)]
        assert blocked == []
