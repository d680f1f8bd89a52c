"""Role boundaries of the wizard: producers see only their own profile; helpers and
officers only producers of their communes; the audit log names who acted."""
import pytest

from accounts.models import Role
from tests.factories import (BANG_THANH, GIA_PHU, LAO_CAI, THAI_NGUYEN, Wizard, audit_actions,
                                            get_producer, profile_data, text, use_english)


@pytest.fixture
def other_producer(app, client, auth, make_user):
    """A complete profile of another producer, then log out."""
    _user_id, phone = make_user()
    auth.login(phone)
    wizard = Wizard(client, auth)
    producer_id = wizard.complete()
    wizard.certificate(producer_id)
    auth.logout()
    return producer_id


def wizard_paths(app, producer_id):
    producer = get_producer(app, producer_id)
    certificate = producer.certificates[0]
    key = producer.documents[0].image_key
    base = f"/nha-san-xuat/ho-so/{producer_id}"
    gets = [f"{base}/buoc-2", f"{base}/buoc-3", f"{base}/buoc-4", f"{base}/buoc-5", f"{base}/anh/{key}/160"]
    posts = [f"{base}/buoc-2", f"{base}/buoc-3/dang-ky-kinh-doanh", f"{base}/buoc-3/chung-nhan",
             f"{base}/buoc-3/chung-nhan/{certificate.id}/xoa", f"{base}/buoc-3/tiep-tuc", f"{base}/buoc-4",
             f"{base}/gui"]
    return gets, posts


def test_another_producers_wizard_is_not_found(app, client, auth, make_user, other_producer):
    _user_id, phone = make_user()
    auth.login(phone)
    wizard = Wizard(client, auth)
    gets, posts = wizard_paths(app, other_producer)
    for path in gets:
        assert client.get(path).status_code == 404, path
    for path in posts:
        assert wizard.post(path, profile_data()).status_code == 404, path
    producer = get_producer(app, other_producer)
    assert producer.legal_name == "HTX Mật ong Gia Phú" and len(producer.certificates) == 2
    assert producer.status == "draft"


def test_anonymous_gets_the_login_page_for_every_wizard_path(app, client, other_producer):
    gets, posts = wizard_paths(app, other_producer)
    for path in gets:
        response = client.get(path)
        assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"], path


def test_helper_of_another_commune_gets_404(app, client, auth, make_user, other_producer):
    _helper_id, phone = make_user(role=Role.HELPER, communes=(BANG_THANH,))
    auth.login(phone)
    gets, _posts = wizard_paths(app, other_producer)
    for path in gets:
        assert client.get(path).status_code == 404, path
    assert client.get(f"/nha-san-xuat/ho-so/{other_producer}/ma-nhan").status_code == 404
    assert "HTX Mật ong Gia Phú" not in text(client.get("/nha-san-xuat/ho-tro"))


def test_officer_of_another_commune_gets_404(app, client, auth, make_user, other_producer):
    _officer_id, phone = make_user(role=Role.OFFICER, communes=(BANG_THANH,))
    auth.login(phone)
    assert client.get(f"/nha-san-xuat/ho-so/{other_producer}/buoc-5").status_code == 404


def test_helper_of_the_commune_may_help_and_is_named_in_the_log(app, client, auth, make_user, other_producer):
    helper_id, phone = make_user(role=Role.HELPER, communes=(GIA_PHU,))
    auth.login(phone)
    wizard = Wizard(client, auth)
    assert client.get(f"/nha-san-xuat/ho-so/{other_producer}/buoc-5").status_code == 200
    assert "HTX Mật ong Gia Phú" in text(client.get("/nha-san-xuat/ho-tro"))
    assert wizard.profile(other_producer, address="Thôn Bắc").status_code == 302
    action, actor, _changes = audit_actions(app, other_producer)[-1]
    assert (action, actor) == ("profile_updated", helper_id)


def test_helper_starts_a_profile_for_a_farmer(app, client, auth, make_user):
    helper_id, phone = make_user(role=Role.HELPER, communes=(GIA_PHU,))
    auth.login(phone)
    assert client.get("/nha-san-xuat/ho-so").headers["Location"].endswith("/nha-san-xuat/tao-ho")
    page = text(client.get("/nha-san-xuat/tao-ho"))
    assert "Bước 2/5" in page
    # Only the helper's province, already chosen, and only the helper's communes.
    assert f'<option selected value="{LAO_CAI}">' in page and f'value="{THAI_NGUYEN}"' not in page
    assert f'<option value="{GIA_PHU}">Xã Gia Phú</option>' in page and f'value="{BANG_THANH}"' not in page
    wizard = Wizard(client, auth)
    response = wizard.post("/nha-san-xuat/tao-ho", profile_data(phone=""))
    assert response.status_code == 302
    producer_id = int(response.headers["Location"].split("/")[-2])
    producer = get_producer(app, producer_id)
    assert producer.owner_id is None and producer.created_by_id == helper_id
    assert producer.phone is None  # not the helper's own number
    assert audit_actions(app, producer_id)[0][:2] == ("created", helper_id)
    # A double tap on a slow connection does not make a second farm.
    again = wizard.post("/nha-san-xuat/tao-ho", profile_data(phone="0977 111 222"))
    assert int(again.headers["Location"].split("/")[-2]) == producer_id
    assert get_producer(app, producer_id).phone == "+84977111222"
    # The helper walks the rest of the wizard for the farmer.
    assert wizard.registration(producer_id).status_code == 302
    assert wizard.certificate(producer_id).status_code == 302
    assert wizard.documents_done(producer_id).status_code == 302
    assert wizard.bank(producer_id).status_code == 302
    assert wizard.submit(producer_id).headers["Location"].endswith("/nha-san-xuat/ho-tro")
    assert get_producer(app, producer_id).status == "submitted"
    assert {actor for _action, actor, _changes in audit_actions(app, producer_id)} == {helper_id}


def test_helper_cannot_place_a_farmer_outside_their_communes(app, client, auth, make_user):
    _helper_id, phone = make_user(role=Role.HELPER, communes=(GIA_PHU,))
    auth.login(phone)
    use_english(client, auth)
    wizard = Wizard(client, auth)
    response = wizard.post("/nha-san-xuat/tao-ho", profile_data(province=str(THAI_NGUYEN), commune=str(BANG_THANH)))
    assert response.status_code == 400
    assert "You can only add producers of the communes you work for." in text(response)


def test_producers_cannot_use_the_helper_pages(client, auth, make_user):
    _user_id, phone = make_user()
    auth.login(phone)
    assert client.get("/nha-san-xuat/tao-ho").status_code == 403
    assert client.get("/nha-san-xuat/ho-tro").status_code == 403


def test_helper_without_communes_cannot_start_profiles(client, auth, make_user):
    _helper_id, phone = make_user(role=Role.HELPER)
    auth.login(phone)
    assert client.get("/nha-san-xuat/tao-ho").status_code == 403
