"""Issue 14: anonymous buyers get the catalogue pages from the page cache (serving/pagecache.py),
a change shows at once, logged-in people never get a kept page, and each visitor's form tokens
are their own."""
import re
import threading
import uuid
from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import event

from catalog.models import Product
from serving.pagecache import CACHE_HEADER, page_cache
from extensions import db
from tests.conftest import close_app, csrf_token_from, make_test_config
from tests.factories import add_certificate, add_product, inline_qr_codes, make_producer, make_seller, submit_new_bank_details

STARTED_RE = re.compile(r'name="started" type="hidden" value="([^"]+)"')


@pytest.fixture
def shop(app):
    producer = make_producer(app)
    certificate = add_certificate(app, producer)
    product = add_product(app, producer, name="Mật ong bạc hà Mèo Vạc", certificate_id=certificate)
    with app.app_context():
        path = f"/san-pham/{db.session.get(Product, product).slug}-{product}"
    return {"producer": producer, "product": product, "path": path}


class QueryCounter:
    def __init__(self, app):
        self.app, self.count, self.thread = app, 0, threading.get_ident()

    def __enter__(self):
        with self.app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def _count(self, *_args):
        if threading.get_ident() == self.thread:  # not a background index rebuild's
            self.count += 1

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


@pytest.mark.parametrize("page", ["/", "/san-pham", "/san-pham?sort=price_asc&stars=4", "product", "/tim-kiem?q=mật+ong"])
def test_an_anonymous_page_is_served_from_the_cache_with_one_query(app, shop, page):
    path = shop["path"] if page == "product" else page
    first = app.test_client().get(path)
    assert first.status_code == 200 and first.headers[CACHE_HEADER] == "miss"
    with QueryCounter(app) as queries:
        again = app.test_client().get(path)
    assert again.status_code == 200 and again.headers[CACHE_HEADER] == "hit"
    assert queries.count == 1, "only the catalogue version is read"
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", again.get_data(as_text=True)) == strip.sub("", first.get_data(as_text=True))


def test_the_order_of_query_arguments_does_not_matter(app, shop):
    app.test_client().get("/san-pham?sort=price_asc&stars=4")
    assert app.test_client().get("/san-pham?stars=4&sort=price_asc").headers[CACHE_HEADER] == "hit"


def test_a_product_edit_shows_at_once(app, shop):
    client = app.test_client()
    client.get(shop["path"])
    assert client.get(shop["path"]).headers[CACHE_HEADER] == "hit"
    with app.app_context():
        db.session.get(Product, shop["product"]).price_vnd = 135_000
        db.session.commit()
    after = client.get(shop["path"])
    assert after.headers[CACHE_HEADER] == "miss"
    assert "135.000" in after.get_data(as_text=True)
    listing = client.get("/san-pham").get_data(as_text=True)
    assert "135.000" in listing


def test_new_bank_details_hide_the_kept_qr_code_at_once(app, make_user):
    """A change of payment details hides the producer's QR code and the order form until an
    officer approves it (docs/SECURITY-REFERENCE.md §5): no kept page may show the old ones a moment longer."""
    seller = make_seller(app, make_user)
    client = app.test_client()
    product = client.get(f"/san-pham/{seller.product_id}", follow_redirects=True).request.path
    producer = client.get(f"/nha-san-xuat/htx-{seller.producer_id}", follow_redirects=True).request.path
    for page in (product, producer):
        assert client.get(page).headers[CACHE_HEADER] == "hit"
    assert 'name="started"' in client.get(product).get_data(as_text=True)
    assert inline_qr_codes(client.get(producer).get_data(as_text=True))
    submit_new_bank_details(app, seller.producer_id, ("970436", "0071000995443", "HTX MAT ONG MOI"))
    after_product, after_producer = client.get(product), client.get(producer)
    assert after_product.headers[CACHE_HEADER] == after_producer.headers[CACHE_HEADER] == "miss"
    assert 'name="started"' not in after_product.get_data(as_text=True)
    assert inline_qr_codes(after_producer.get_data(as_text=True)) == []


def test_logged_in_people_never_get_a_kept_page(app, shop, auth, make_user):
    app.test_client().get("/san-pham")  # kept for anonymous buyers
    _user_id, phone = make_user()
    assert auth.login(phone).status_code == 302
    for _ in range(2):
        response = auth.client.get("/san-pham")
        assert CACHE_HEADER not in response.headers
        assert "Log out" in response.get_data(as_text=True) or "Đăng xuất" in response.get_data(as_text=True)
    assert app.test_client().get("/san-pham").headers[CACHE_HEADER] == "hit"


def test_the_language_switch_gives_the_other_language(app, shop):
    client = app.test_client()
    client.get("/san-pham")
    vietnamese = client.get("/san-pham")
    assert vietnamese.headers[CACHE_HEADER] == "hit" and '<html lang="vi">' in vietnamese.get_data(as_text=True)
    token = csrf_token_from(vietnamese.get_data(as_text=True))
    assert client.post("/ngon-ngu", data={"lang": "en", "next": "/san-pham", "csrf_token": token}).status_code == 302
    english = client.get("/san-pham")
    assert english.headers[CACHE_HEADER] == "miss" and '<html lang="en">' in english.get_data(as_text=True)
    assert "All OCOP products" in english.get_data(as_text=True)
    assert client.get("/san-pham").headers[CACHE_HEADER] == "hit"


def test_each_visitor_gets_their_own_form_tokens(app, make_user):
    seller = make_seller(app, make_user)
    path = app.test_client().get(f"/san-pham/{seller.product_id}").headers["Location"]
    first, second = app.test_client(), app.test_client()
    kept = first.get(path).get_data(as_text=True)
    served = second.get(path)
    assert served.headers[CACHE_HEADER] == "hit"
    assert "Set-Cookie" in served.headers, "the new visitor's session carries their own CSRF secret"
    page = served.get_data(as_text=True)
    assert csrf_token_from(page) != csrf_token_from(kept)
    # The token works for the second visitor's session...
    switched = second.post("/ngon-ngu", data={"lang": "en", "next": "/", "csrf_token": csrf_token_from(page)})
    assert switched.status_code == 302
    # ...and the order form's signed start moment is renewed for this product.
    signer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="order-form-started")
    kept_id, kept_at = signer.loads(STARTED_RE.search(kept).group(1), return_timestamp=True)
    served_id, served_at = signer.loads(STARTED_RE.search(page).group(1), return_timestamp=True)
    assert kept_id == served_id == seller.product_id and served_at >= kept_at


def test_a_page_with_a_message_waiting_is_not_kept_or_served(app, shop):
    client = app.test_client()
    client.get("/san-pham")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Đã lưu")]
    response = client.get("/san-pham")
    assert CACHE_HEADER not in response.headers and "Đã lưu" in response.get_data(as_text=True)


def test_two_servers_share_the_cache_through_redis(app, shop, tmp_path, pg_schema, redis_base_url):
    """Two app instances on one database and one Redis: what one keeps, the other serves."""
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    settings = {"REDIS_URL": f"{redis_base_url}/13", "JOBS_QUEUE_NAME": prefix,
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "SQLALCHEMY_ENGINE_OPTIONS": app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    from app import create_app

    server_a = create_app(make_test_config(tmp_path / "a", pg_schema, **settings))
    server_b = create_app(make_test_config(tmp_path / "b", pg_schema, **settings))
    with server_a.app_context():
        assert type(page_cache.cache).__name__ == "RedisCache"
    try:
        assert server_a.test_client().get(shop["path"]).headers[CACHE_HEADER] == "miss"
        assert server_b.test_client().get(shop["path"]).headers[CACHE_HEADER] == "hit"
        with server_b.app_context():
            db.session.get(Product, shop["product"]).price_vnd = 99_000
            db.session.commit()
        changed = server_a.test_client().get(shop["path"])
        assert changed.headers[CACHE_HEADER] == "miss" and "99.000" in changed.get_data(as_text=True)
    finally:
        with server_a.app_context():
            page_cache.clear()
        for server in (server_a, server_b):
            close_app(server)


def test_a_new_day_is_a_new_page(app, shop, monkeypatch):
    """Stars expire and seasonal products turn at midnight: pages are kept per day."""
    import serving.pagecache as pagecache
    from core.clock import utcnow

    client = app.test_client()
    client.get("/san-pham")
    assert client.get("/san-pham").headers[CACHE_HEADER] == "hit"
    tomorrow = utcnow() + timedelta(days=1)
    monkeypatch.setattr(pagecache, "utcnow", lambda: tomorrow)
    assert client.get("/san-pham").headers[CACHE_HEADER] == "miss"


def test_a_file_system_cache_is_shared_by_a_servers_workers(app, shop, tmp_path, pg_schema):
    """FLASK_PAGE_CACHE_DIR: pages kept in files, so every worker of one server shares them."""
    from app import create_app

    settings = {"PAGE_CACHE_DIR": str(tmp_path / "pages"),
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "SQLALCHEMY_ENGINE_OPTIONS": app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    workers = [create_app(make_test_config(tmp_path / name, pg_schema, **settings)) for name in ("w1", "w2")]
    try:
        assert workers[0].test_client().get("/san-pham").headers[CACHE_HEADER] == "miss"
        assert workers[1].test_client().get("/san-pham").headers[CACHE_HEADER] == "hit"
        assert any((tmp_path / "pages").iterdir())
    finally:
        for worker in workers:
            close_app(worker)
