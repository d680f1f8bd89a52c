"""Public feeds /feeds/google.xml and /feeds/meta.csv: public listings only, validators and 304,
written once per state and again after a change, gzip; JPEG copies of photo renditions."""
import gzip
import io
from datetime import date, timedelta

import pytest
from PIL import Image

from catalog import feeds
from catalog.models import Product, ProductStatus
from extensions import db
from producers.models import Producer, ProducerStatus
from tests.factories import build_world, listing_id, parse_google_xml, parse_meta_csv

BASE = "https://choque.example"
PUBLIC = ("good", "expired", "formula", "long", "other")  # no_price is public but cannot be listed


@pytest.fixture
def world(app, make_user):
    return build_world(app, make_user)


@pytest.fixture(autouse=True)
def no_writer_left_behind():
    yield
    feeds.wait_for_refreshes()


@pytest.fixture
def runs(monkeypatch):
    """Counts how often a feed is actually written."""
    calls = []
    real = feeds.run_export

    def counting(exporter, *args, **kwargs):
        calls.append(exporter.name)
        return real(exporter, *args, **kwargs)

    monkeypatch.setattr(feeds, "run_export", counting)
    return calls


def fetch(client, path, **headers):
    with client.get(path, headers=headers) as response:
        response.get_data()
        return response


def test_google_feed_lists_public_listings_only(client, world):
    response = fetch(client, "/feeds/google.xml")
    assert response.status_code == 200 and response.mimetype == "application/rss+xml"
    items = parse_google_xml(response.data)
    assert set(items) == world.ids(*PUBLIC)  # no draft, hidden, unverified or suspended producer
    assert all(item["link"].startswith(BASE + "/san-pham/") for item in items.values())
    assert all(item["image_link"].startswith(BASE + "/anh/") and item["image_link"].endswith("/1200.jpg")
               for item in items.values())
    assert "public" in response.headers["Cache-Control"] and "max-age=900" in response.headers["Cache-Control"]
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_meta_feed_lists_public_listings_with_jpeg_images(client, world):
    response = fetch(client, "/feeds/meta.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = parse_meta_csv(response.data)
    assert set(rows) == world.ids(*PUBLIC)
    for row in rows.values():
        assert row["availability"] in ("in stock", "out of stock") and row["price"].endswith(" VND")
        image = fetch(client, row["image_link"].removeprefix(BASE))
        assert image.status_code == 200 and image.mimetype == "image/jpeg"


def test_conditional_requests_get_304(client, world):
    first = fetch(client, "/feeds/google.xml")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = fetch(client, "/feeds/google.xml", **{"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert fetch(client, "/feeds/google.xml", **{"If-Modified-Since": modified}).status_code == 304
    assert fetch(client, "/feeds/google.xml", **{"If-None-Match": '"something-else"'}).status_code == 200


def test_written_once_then_again_after_a_change(app, client, world, runs):
    first = fetch(client, "/feeds/meta.csv")
    fetch(client, "/feeds/meta.csv")
    fetch(client, "/feeds/meta.csv", **{"Accept-Encoding": "gzip"})
    assert runs == ["meta-csv"]
    with app.app_context():
        db.session.get(Product, world.products["good"]).price_vnd = 199_000
        db.session.commit()
    stale = fetch(client, "/feeds/meta.csv")  # answered at once; the new one is being written
    assert stale.headers["ETag"] == first.headers["ETag"]
    feeds.wait_for_refreshes()
    changed = fetch(client, "/feeds/meta.csv")
    assert runs == ["meta-csv", "meta-csv"]
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert parse_meta_csv(changed.data)[listing_id(world.products["good"])]["price"] == "199000 VND"
    assert fetch(client, "/feeds/meta.csv", **{"If-None-Match": first.headers["ETag"]}).status_code == 200
    assert len(list(feeds_dir(app).glob("meta.csv.*.gz"))) == 1  # the older version is gone


def feeds_dir(app):
    with app.app_context():
        return feeds.feed_dir()


@pytest.mark.parametrize("change", ["hide", "suspend", "delete"])
def test_a_listing_leaves_the_feed_when_it_stops_being_public(app, client, world, change):
    before = parse_google_xml(fetch(client, "/feeds/google.xml").data)
    assert listing_id(world.products["other"]) in before
    with app.app_context():
        product = db.session.get(Product, world.products["other"])
        if change == "hide":
            product.status = ProductStatus.HIDDEN
        elif change == "suspend":
            db.session.get(Producer, world.producers["b"]).status = ProducerStatus.SUSPENDED
        else:
            db.session.delete(product)
        db.session.commit()
    fetch(client, "/feeds/google.xml")
    feeds.wait_for_refreshes()
    after = parse_google_xml(fetch(client, "/feeds/google.xml").data)
    assert set(after) == set(before) - {listing_id(world.products["other"])}


def test_gzip_for_clients_that_accept_it(client, world):
    plain = fetch(client, "/feeds/google.xml")
    zipped = fetch(client, "/feeds/google.xml", **{"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert fetch(client, "/feeds/google.xml", **{"Accept-Encoding": "gzip",
                                                 "If-None-Match": zipped.headers["ETag"]}).status_code == 304


def test_the_state_moves_with_the_day_and_the_public_address(app, world):
    with app.app_context():
        today = feeds.current_state(date(2030, 5, 1))
        tomorrow = feeds.current_state(date(2030, 5, 2))
        app.config["PUBLIC_BASE_URL"] = "https://other.example"
        moved = feeds.current_state(date(2030, 5, 1))
    assert len({state.etag("google.xml") for state in (today, tomorrow, moved)}) == 3
    assert today.etag("google.xml") != today.etag("meta.csv")
    assert tomorrow.last_modified - today.last_modified == timedelta(days=1)  # midnight is newer than the data


def test_an_unknown_feed_is_404(client):
    assert client.get("/feeds/shopee.xlsx").status_code == 404


# --- JPEG copies ---------------------------------------------------------------------------------

def test_jpeg_copy_of_the_largest_rendition_is_made_once(app, client, world):
    key = world.photo_keys[0]
    response = fetch(client, f"/anh/{key}/1200.jpg")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert "immutable" in response.headers["Cache-Control"] and "max-age=31536000" in response.headers["Cache-Control"]
    with Image.open(io.BytesIO(response.data)) as picture:
        assert picture.format == "JPEG" and picture.size == (1200, 900)
    with app.app_context():
        stored = feeds.images.store().path_for(key, 1200).with_suffix(".jpg")
    assert stored.read_bytes() == response.data
    marked = response.data + b"cached"  # trailing bytes after the JPEG end marker: still a JPEG
    stored.write_bytes(marked)
    assert fetch(client, f"/anh/{key}/1200.jpg").data == marked  # served from the copy, not converted again
    assert fetch(client, f"/anh/{key}/480.jpg").status_code == 200
    assert not list(stored.parent.glob("*.tmp"))


@pytest.mark.parametrize("path", [
    "/anh/{key}/999.jpg", "/anh/{upper}/1200.jpg", "/anh/..%2F..%2Fetc/1200.jpg", "/anh/{unknown}/1200.jpg",
])
def test_jpeg_route_refuses_anything_but_product_photo_renditions(client, world, path):
    key = world.photo_keys[0]
    url = path.format(key=key, upper=key.upper(), unknown="ab" * 16)
    assert client.get(url).status_code == 404


def test_jpeg_route_answers_404_when_the_file_is_gone(app, client, world):
    key = world.photo_keys[0]
    with app.app_context():
        feeds.images.store().delete(key)
    assert client.get(f"/anh/{key}/1200.jpg").status_code == 404


def test_a_stale_feed_is_served_at_once_while_the_new_one_waits_for_the_lock(app, client, world, runs):
    import fcntl

    first = fetch(client, "/feeds/google.xml")
    with app.app_context():
        db.session.get(Product, world.products["good"]).price_vnd = 199_000
        db.session.commit()
    with open(feeds_dir(app) / "google.xml.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a writer in another worker would
        during = fetch(client, "/feeds/google.xml")
        again = fetch(client, "/feeds/google.xml")  # one writer per feed and process
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert during.status_code == 200 and during.headers["ETag"] == first.headers["ETag"] and during.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]
    feeds.wait_for_refreshes()
    assert runs == ["google-xml", "google-xml"]
    after = fetch(client, "/feeds/google.xml")
    assert after.headers["ETag"] != first.headers["ETag"] and runs == ["google-xml", "google-xml"]


def test_the_command_writes_the_feeds_ahead_of_fetching(client, runner, world, runs):
    result = runner.invoke(args=["catalog", "feeds"])
    assert result.exit_code == 0 and "/feeds/google.xml: 5 listings, 1 left out" in result.output
    assert "/feeds/meta.csv: 5 listings" in result.output
    assert sorted(runs) == ["google-xml", "meta-csv"]
    assert fetch(client, "/feeds/google.xml").status_code == 200 and fetch(client, "/feeds/meta.csv").status_code == 200
    assert sorted(runs) == ["google-xml", "meta-csv"]  # served from what the command wrote
    assert "0 listings" not in runner.invoke(args=["catalog", "feeds"]).output and len(runs) == 2
