"""Issue 9, finding 3: lost updates. Two people open the same edit form; the first save wins, the
second gets a 409 page that shows what differs (saved now beside what they entered), keeps their
entries in the form with the current version, and overwrites nothing. Saving that form again
applies their entries on purpose. Product (producer and commune officer), producer profile (helper
and officer) and bank details (producer and officer), through the same forms people use."""
import re

import pytest
from sqlalchemy.orm.exc import StaleDataError

from accounts.models import Role
from catalog.models import Product
from extensions import db
from producers.models import PaymentAccount, Producer
from tests.conftest import Auth, csrf_token_from
from tests import factories as w
from tests.factories import GIA_PHU, bank_data, profile_data

TITLE_VI = "Có người khác đã sửa mục này trong lúc bạn đang sửa"
VERSION_RE = re.compile(r'name="(edit_version|bank_version)" type="hidden" value="(\d+)"')


def opened_form(client, path):
    """What a browser holds after opening the form: its token and hidden version."""
    html = client.get(path).get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(html)}
    data.update(dict(VERSION_RE.findall(html)))
    return data


def product_fields(**overrides):
    data = {"name": "Mật ong bạc hà", "product_set_code": "4", "certificate_id": "", "price": "250.000",
            "unit": "chai 500ml", "weight": "700", "description": "Mật ong nguyên chất.", "availability": "in_stock",
            "harvest_season": "", "ref": "SP0001", "status": "draft"}
    data.update(overrides)
    return data


@pytest.fixture
def two_people(app, make_user):
    """The producer's owner and a commune officer, each in their own browser session."""
    owner_id, owner_phone = make_user(Role.PRODUCER)
    _officer_id, officer_phone = make_user(Role.OFFICER, communes=(GIA_PHU,))
    producer_id = w.make_dossier(app, owner_id, GIA_PHU, 15, name="HTX Mật ong Gia Phú", status="draft",
                                  with_images=False)
    owner, officer = Auth(app.test_client()), Auth(app.test_client())
    owner.login(owner_phone)
    officer.login(officer_phone)
    return owner, officer, producer_id


def test_price_and_description_edited_at_once_nothing_is_lost(app, two_people):
    owner, officer, producer_id = two_people
    with app.app_context():
        product = Product(producer_id=producer_id, ref="SP0001", name="Mật ong bạc hà", product_set_code=4,
                          description="Mật ong nguyên chất.", price_vnd=250000, unit="chai 500ml", weight_g=700)
        db.session.add(product)
        db.session.commit()
        product_id = product.id
    path = f"/nha-san-xuat/{producer_id}/san-pham/{product_id}"
    owners_form, officers_form = opened_form(owner.client, path), opened_form(officer.client, path)

    officer_save = officer.client.post(path, data={**officers_form, **product_fields(
        description="Mật ong hoa bạc hà, thu hoạch tháng 10.")})
    assert officer_save.status_code == 302
    owner_save = owner.client.post(path, data={**owners_form, **product_fields(price="270.000")})
    assert owner_save.status_code == 409
    page = owner_save.get_data(as_text=True)
    assert TITLE_VI in page
    table = page[page.index('class="conflict-table"'):page.index("</table>")]
    assert "Mô tả" in table and "Mật ong hoa bạc hà, thu hoạch tháng 10." in table and "Mật ong nguyên chất." in table
    assert "Giá (đồng)" in table and "250.000" in table and "270.000" in table
    assert 'value="270.000"' in page, "the owner's entry is kept in the form"
    with app.app_context():
        saved = db.session.get(Product, product_id)
        assert (saved.price_vnd, saved.description) == (250000, "Mật ong hoa bạc hà, thu hoạch tháng 10.")
        current_version = saved.edit_version
    assert current_version > 1
    # The owner re-applies: the form now carries the current version; the description is taken from the table.
    again = {**dict(VERSION_RE.findall(page)), "csrf_token": csrf_token_from(page)}
    assert again["edit_version"] == str(current_version)
    applied = owner.client.post(path, data={**again, **product_fields(
        price="270.000", description="Mật ong hoa bạc hà, thu hoạch tháng 10.")})
    assert applied.status_code == 302
    with app.app_context():
        saved = db.session.get(Product, product_id)
        assert (saved.price_vnd, saved.description) == (270000, "Mật ong hoa bạc hà, thu hoạch tháng 10.")


def test_a_stale_save_that_changes_nothing_of_theirs_goes_through(app, two_people):
    owner, _officer, producer_id = two_people
    with app.app_context():
        product = Product(producer_id=producer_id, ref="SP0001", name="Mật ong bạc hà", product_set_code=4,
                          description="Mật ong nguyên chất.", price_vnd=250000, unit="chai 500ml", weight_g=700)
        db.session.add(product)
        db.session.commit()
        # Someone's save that changed no field this form shows (e.g. a photo added) moved the version on.
        db.session.execute(db.update(Product).where(Product.id == product.id)
                           .values(edit_version=Product.edit_version + 1))
        db.session.commit()
        product_id = product.id
    path = f"/nha-san-xuat/{producer_id}/san-pham/{product_id}"
    form = opened_form(owner.client, path)
    form["edit_version"] = "1"
    assert owner.client.post(path, data={**form, **product_fields()}).status_code == 302


def test_the_database_refuses_a_write_from_an_older_version(app, two_people):
    """Two saves that both pass the form check: the slower flush fails instead of overwriting."""
    _owner, _officer, producer_id = two_people
    with app.app_context():
        first = db.session.get(Producer, producer_id)
        first.address = "Thôn Đông"
        with db.engine.begin() as other:
            other.execute(db.update(Producer.__table__).where(Producer.__table__.c.id == producer_id)
                          .values(address="Thôn Tây", edit_version=Producer.__table__.c.edit_version + 1))
        with pytest.raises(StaleDataError):
            db.session.commit()
        db.session.rollback()
        assert db.session.get(Producer, producer_id).address == "Thôn Tây"


def test_profile_edited_by_helper_and_officer(app, make_user):
    _helper_id, helper_phone = make_user(Role.HELPER, communes=(GIA_PHU,))
    _officer_id, officer_phone = make_user(Role.OFFICER, communes=(GIA_PHU,))
    producer_id = w.make_dossier(app, None, GIA_PHU, 15, name="HTX Mật ong Gia Phú", status="draft",
                                  created_by_id=_helper_id, with_images=False)
    helper, officer = Auth(app.test_client()), Auth(app.test_client())
    helper.login(helper_phone)
    officer.login(officer_phone)
    path = f"/nha-san-xuat/ho-so/{producer_id}/buoc-2"
    helpers_form, officers_form = opened_form(helper.client, path), opened_form(officer.client, path)
    assert officer.client.post(path, data={**officers_form, **profile_data(
        legal_name="HTX Mật ong Gia Phú", address="Thôn Đông, số 14")}).status_code == 302
    stale = helper.client.post(path, data={**helpers_form, **profile_data(
        legal_name="HTX Mật ong bạc hà Gia Phú", address="Thôn 1")})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "Thôn Đông, số 14" in page and "HTX Mật ong bạc hà Gia Phú" in page
    with app.app_context():
        saved = db.session.get(Producer, producer_id)
        assert (saved.legal_name, saved.address) == ("HTX Mật ong Gia Phú", "Thôn Đông, số 14")


def test_bank_details_saved_twice_from_one_old_page(app, two_people):
    owner, officer, producer_id = two_people
    path = f"/nha-san-xuat/ho-so/{producer_id}/buoc-4"
    owners_form, officers_form = opened_form(owner.client, path), opened_form(officer.client, path)
    assert owners_form["bank_version"] == "1"
    assert officer.client.post(path, data={**officers_form, **bank_data(
        account_number="1903 0000 1111", holder_name="HTX MAT ONG GIA PHU")}).status_code == 302
    stale = owner.client.post(path, data={**owners_form, **bank_data(account_number="1903 2222 3333")})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert TITLE_VI in page and "1111" in page and "1903 2222 3333" in page
    with app.app_context():
        versions = db.session.scalars(db.select(PaymentAccount.account_number).where(
            PaymentAccount.producer_id == producer_id).order_by(PaymentAccount.version)).all()
    assert versions == ["3100205123456", "190300001111"]


def test_a_button_that_loses_a_write_race_gets_a_409_page_not_a_500(app, two_people, monkeypatch):
    """Publish/hide and photo buttons carry no form to compare; a lost race still explains itself."""
    owner, _officer, producer_id = two_people
    with app.app_context():
        product = Product(producer_id=producer_id, ref="SP0001", name="Mật ong bạc hà", product_set_code=4,
                          price_vnd=250000, unit="chai 500ml")
        db.session.add(product)
        db.session.commit()
        product_id = product.id
    from catalog import services

    real_set_status = services.set_status

    def racing_set_status(product, status, actor):
        with db.engine.begin() as other:  # someone else's write lands first
            other.execute(db.update(Product.__table__).where(Product.__table__.c.id == product.id)
                          .values(edit_version=Product.__table__.c.edit_version + 1))
        return real_set_status(product, status, actor)

    monkeypatch.setattr(services, "set_status", racing_set_status)
    path = f"/nha-san-xuat/{producer_id}/san-pham/{product_id}"
    response = owner.post(path + "/trang-thai", {"status": "hidden"}, form_page=path)
    assert response.status_code == 409
    assert TITLE_VI in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Product, product_id).status == "draft"
