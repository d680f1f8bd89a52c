"""The index follows every committed change: products, producers, certificates, photos."""
from datetime import date

import pytest

from catalog.models import Product, ProductPhoto, ProductStatus
from extensions import db
from producers.models import Certificate, Producer, ProducerStatus
from search import sync
from tests.factories import add_world, api, decided_for_expiry, names, rebuild


@pytest.fixture
def app_config():
    return {"SEARCH_REBUILD_IN_BACKGROUND": False}


@pytest.fixture
def world(app):
    ids = add_world(app)
    rebuild(app)
    return ids


def change(app, product_id, **values):
    with app.app_context():
        product = db.session.get(Product, product_id)
        for key, value in values.items():
            setattr(product, key, value)
        db.session.commit()


def indexed_count(app):
    with app.app_context():
        return sync.store().health().doc_count


def test_new_published_product_is_found_at_once(app, client, world):
    with app.app_context():
        producer_id = db.session.get(Product, world["ca-chach"]).producer_id
        db.session.add(Product(producer_id=producer_id, ref="N1", name="Mắm cáy Nghệ An", slug="mam-cay",
                               product_set_code=9, status=ProductStatus.PUBLISHED, description="Mắm cáy đồng."))
        db.session.commit()
    assert names(client, "mam cay") == ["Mắm cáy Nghệ An"]
    assert indexed_count(app) == 47


def test_drafts_appear_when_published_and_go_when_hidden_or_deleted(app, client, world):
    with app.app_context():
        producer_id = db.session.get(Product, world["ca-chach"]).producer_id
        draft = Product(producer_id=producer_id, ref="N2", name="Tương bần Hưng Yên", slug="tuong-ban",
                        product_set_code=9, status=ProductStatus.DRAFT)
        db.session.add(draft)
        db.session.commit()
        draft_id = draft.id
    assert names(client, "tuong ban") == []
    change(app, draft_id, status=ProductStatus.PUBLISHED)
    assert names(client, "tuong ban") == ["Tương bần Hưng Yên"]
    change(app, draft_id, status=ProductStatus.HIDDEN)
    assert names(client, "tuong ban") == []
    change(app, draft_id, status=ProductStatus.PUBLISHED)
    with app.app_context():
        db.session.delete(db.session.get(Product, draft_id))
        db.session.commit()
    assert names(client, "tuong ban") == []
    assert indexed_count(app) == 46


def test_renamed_product_is_found_by_its_new_name_only(app, client, world):
    change(app, world["nem-chua"], name="Nem chua Thanh Hóa lá ổi", description="Nem chua gói lá ổi.")
    assert names(client, "la oi") == ["Nem chua Thanh Hóa lá ổi"]
    change(app, world["nem-chua"], name="Nem Vẽ Thanh Hóa", description="")
    assert names(client, "la oi") == []
    assert names(client, "nem ve") == ["Nem Vẽ Thanh Hóa"]


def test_producer_suspension_and_verification(app, client, world):
    with app.app_context():
        producer_id = db.session.get(Product, world["mat-ong-bac-ha"]).producer_id

    def set_status(status):
        with app.app_context():
            db.session.get(Producer, producer_id).status = status
            db.session.commit()

    set_status(ProducerStatus.SUSPENDED)
    assert "Mật ong bạc hà Mèo Vạc" not in names(client, "mật ong")
    set_status(ProducerStatus.VERIFIED)
    assert names(client, "mật ong")[0] == "Mật ong bạc hà Mèo Vạc"
    with app.app_context():  # a producer's new name is searchable
        db.session.get(Producer, producer_id).legal_name = "HTX Ong Đá Đồng Văn"
        db.session.commit()
    assert names(client, "ong da dong van") == ["Mật ong bạc hà Mèo Vạc"]


def test_certificate_changes_reach_the_stars_facet(app, client, world):
    with app.app_context():
        product = db.session.get(Product, world["moc-nhi"])
        certificate = Certificate(producer_id=product.producer_id, decision_no="1/QĐ", issuing_body="UBND",
                                  decision_date=decided_for_expiry(100), stars=4, product_set_code=7)
        product.certificate = certificate
        db.session.commit()
        certificate_id = certificate.id
    found = api(client, q="mộc nhĩ")
    assert found["facets"]["stars"] == [{"value": 4, "label": "★★★★", "count": 1}]
    assert found["items"][0]["stars"] == 4
    with app.app_context():  # the decision date was wrong: the certificate ran out yesterday
        db.session.get(Certificate, certificate_id).decision_date = decided_for_expiry(-1)
        db.session.commit()
    expired = api(client, q="mộc nhĩ")
    assert expired["facets"]["stars"] == [] and expired["items"][0]["stars"] is None
    with app.app_context():
        db.session.delete(db.session.get(Certificate, certificate_id))
        db.session.commit()
    assert api(client, q="mộc nhĩ")["total"] == 1


def test_stars_expire_without_any_change(app, client, world, monkeypatch):
    with app.app_context():
        product = db.session.get(Product, world["moc-nhi"])
        product.certificate = Certificate(producer_id=product.producer_id, decision_no="2/QĐ", issuing_body="UBND",
                                          decision_date=decided_for_expiry(0), stars=3, product_set_code=7)
        db.session.commit()
    assert api(client, q="mộc nhĩ")["facets"]["stars"][0]["value"] == 3  # valid through today

    class Tomorrow(date):
        @classmethod
        def today(cls):
            return date.fromordinal(date.today().toordinal() + 1)

    monkeypatch.setattr("search.views.pages.date", Tomorrow)
    monkeypatch.setattr("search.services.date", Tomorrow)
    assert api(client, q="mộc nhĩ")["facets"]["stars"] == []


def test_photo_changes_reindex_quietly(app, client, world):
    with app.app_context():
        product = db.session.get(Product, world["vai-thieu"])
        product.photos.append(ProductPhoto(image_key="a" * 32, position=0, width=800, height=600))
        db.session.commit()
    assert names(client, "vai thieu") == ["Vải thiều Lục Ngạn"]


def test_rolled_back_changes_never_reach_the_index(app, client, world):
    with app.app_context():
        product = db.session.get(Product, world["vai-thieu"])
        product.name = "Vải chua"
        db.session.flush()
        db.session.rollback()
        db.session.get(Product, world["hat-dieu"]).price_vnd = 1  # an unrelated commit
        db.session.commit()
    assert names(client, "vai chua") == [] and names(client, "vai thieu") == ["Vải thiều Lục Ngạn"]


def test_with_sync_off_a_commit_leaves_the_index_and_the_next_search_catches_up(app, client, world):
    app.config["SEARCH_SYNC"] = False
    change(app, world["vai-thieu"], name="Vải chín sớm")
    with app.app_context():
        assert sync.lag().behind == 1  # logged in the database, not applied yet
    assert names(client, "vai chin som") == ["Vải chín sớm"]
    with app.app_context():
        assert sync.lag().behind == 0
