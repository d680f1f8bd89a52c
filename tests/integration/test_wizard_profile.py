"""Step 2: the producer profile, the province -> commune two-step, resuming."""
import pytest

from extensions import db
from producers.models import AuditEvent, Producer
from tests.factories import (BANG_THANH, GIA_PHU, LAO_CAI, THAI_NGUYEN, Wizard, audit_actions,
                                            get_producer, profile_data, text, use_english)


@pytest.fixture
def producer_login(auth, make_user):
    user_id, phone = make_user(name="Nguyễn Văn An")
    auth.login(phone)
    return user_id


@pytest.fixture
def wizard(client, auth):
    return Wizard(client, auth)


def producer_count(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Producer.id)))


def test_register_leads_to_step_two_in_vietnamese(client, auth):
    response = client.post("/dang-ky", data={"name": "Lò Thị Mai", "phone": "0987 654 321",
                                             "password": "ong-mat-gia-phu", "csrf_token": auth.token("/dang-ky")})
    assert response.headers["Location"].endswith("/nha-san-xuat/ho-so")
    page = text(client.get("/nha-san-xuat/ho-so"))
    assert "Bước 2/5" in page
    assert 'name="kind"' in page and 'name="tax_code"' in page
    assert 'inputmode="numeric"' in page
    assert "0987 654 321" in page  # the account's phone is offered as the business phone


def test_saving_step_two_creates_an_owned_draft(app, wizard, producer_login):
    response = wizard.post("/nha-san-xuat/ho-so", profile_data(tax_code="0100233488-001"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/buoc-3")
    producer = get_producer(app, 1)
    assert producer.owner_id == producer_login and producer.created_by_id == producer_login
    assert producer.status == "draft" and producer.wizard_step == 3
    assert producer.commune_code == GIA_PHU and producer.province_code == LAO_CAI
    assert producer.tax_code == "0100233488-001"
    assert producer.phone == "+84912345678" and producer.zalo is None
    assert producer.slug == "htx-mat-ong-gia-phu"
    assert audit_actions(app, 1)[0][:2] == ("created", producer_login)


@pytest.mark.parametrize("overrides, message", [
    ({"tax_code": "0100233480"}, "This tax code is not valid. Please check every digit"),
    ({"tax_code": "12345"}, "A tax code has 10 digits, or 13"),
    ({"tax_code": "0100233488-000"}, "This tax code is not valid."),
    ({"tax_code": "001085012345"}, "Only a household business may give a 12-digit personal ID"),
    ({"kind": "household", "tax_code": "001985012345"}, "This personal ID does not look right"),
    ({"phone": "12345"}, "Please enter a Vietnamese phone number"),
    ({"zalo": "024 3825 1234"}, "Zalo needs a Vietnamese mobile number"),
    ({"commune": str(BANG_THANH)}, "This commune is not in the chosen province"),
    ({"commune": "999999"}, "This commune is not in the chosen province"),
    ({"commune": ""}, "Please choose your commune."),
    ({"province": "99"}, "Please choose your province or city."),
    ({"kind": "corporation"}, "Please choose the type of your business."),
    ({"legal_name": "  "}, "Please enter the name of your business."),
])
def test_step_two_validation_messages(app, client, auth, wizard, producer_login, overrides, message):
    use_english(client, auth)
    response = wizard.post("/nha-san-xuat/ho-so", profile_data(**overrides))
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert 'class="error-summary"' in page
    assert 'value="Nguyễn Văn An"' in page  # what was typed is still there
    assert producer_count(app) == 0


def test_validation_messages_are_vietnamese_by_default(wizard, producer_login):
    page = text(wizard.post("/nha-san-xuat/ho-so", profile_data(tax_code="0100233480", commune=str(BANG_THANH))))
    assert "Mã số thuế này không hợp lệ" in page
    assert "Xã này không thuộc tỉnh đã chọn" in page
    assert "Bước 2/5" in page


def test_household_may_give_a_personal_id(app, wizard, producer_login):
    wizard.start(kind="household", tax_code="001 085 012 345")
    assert get_producer(app, 1).tax_code == "001085012345"


def test_choose_province_without_javascript_keeps_typed_fields(app, wizard, producer_login):
    data = profile_data(province=str(THAI_NGUYEN), commune="", legal_name="Tổ hợp tác Miến dong Bằng Thành",
                        representative="Hoàng Văn Páo", action="choose_province")
    response = wizard.post("/nha-san-xuat/ho-so", data)
    assert response.status_code == 200
    page = text(response)
    assert f'<option value="{BANG_THANH}">Xã Bằng Thành</option>' in page
    assert "Tổ hợp tác Miến dong Bằng Thành" in page and "Hoàng Văn Páo" in page
    assert "autofocus" in page
    assert producer_count(app) == 0  # choosing a province saves nothing


def test_choose_province_drops_a_commune_of_the_old_province(wizard, producer_login):
    page = text(wizard.post("/nha-san-xuat/ho-so", profile_data(province=str(THAI_NGUYEN), action="choose_province")))
    assert f'value="{GIA_PHU}" selected' not in page
    assert f'<option selected value="{GIA_PHU}"' not in page


def test_repeated_submission_does_not_create_a_second_profile(app, wizard, producer_login):
    first = wizard.start()
    second = wizard.start(legal_name="HTX Mật ong Gia Phú (sửa)")
    assert first == second
    assert producer_count(app) == 1
    assert get_producer(app, first).legal_name == "HTX Mật ong Gia Phú (sửa)"


def test_resume_after_leaving(app, client, auth, wizard, producer_login):
    producer_id = wizard.start()
    auth.logout()
    auth.login(_phone(app, producer_id))
    response = client.get("/nha-san-xuat/ho-so")
    assert response.headers["Location"].endswith(f"/nha-san-xuat/ho-so/{producer_id}/buoc-3")
    dashboard = text(client.get("/nha-san-xuat"))
    assert f"/nha-san-xuat/ho-so/{producer_id}/buoc-3" in dashboard
    assert "Bước 3/5" in dashboard
    form = text(client.get(f"/nha-san-xuat/ho-so/{producer_id}/buoc-2"))
    assert 'value="HTX Mật ong Gia Phú"' in form and "0912 345 678" in form


def _phone(app, producer_id):
    from accounts.models import User

    with app.app_context():
        producer = db.session.get(Producer, producer_id)
        return db.session.get(User, producer.owner_id).phone


def test_steps_ahead_of_progress_redirect_back(wizard, client, producer_login):
    producer_id = wizard.start()
    response = client.get(f"/nha-san-xuat/ho-so/{producer_id}/buoc-4")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/ho-so/{producer_id}/buoc-3")


def test_editing_step_two_records_the_change(app, wizard, producer_login):
    producer_id = wizard.start()
    response = wizard.profile(producer_id, address="Thôn Tây, số 3")
    assert response.status_code == 302
    assert get_producer(app, producer_id).address == "Thôn Tây, số 3"
    action, actor, changes = audit_actions(app, producer_id)[-1]
    assert action == "profile_updated" and actor == producer_login
    assert changes == {"address": {"from": "Thôn Đông, số 12", "to": "Thôn Tây, số 3"}}


def test_personal_ids_are_masked_in_the_audit_log(app, wizard, producer_login):
    producer_id = wizard.start(kind="household", tax_code="001085012345")
    _action, _actor, changes = audit_actions(app, producer_id)[0]
    assert changes["tax_code"]["to"] == "••••••••2345"


def test_tampered_fields_are_ignored(app, wizard, producer_login, make_user):
    other_id, _phone_number = make_user()
    producer_id = wizard.start()
    wizard.profile(producer_id, status="verified", owner_id=str(other_id), commune_id="1864", verified_by="1",
                   wizard_step="5", created_by_id=str(other_id), claim_code_hash="x")
    producer = get_producer(app, producer_id)
    assert producer.status == "draft"
    assert producer.owner_id == producer_login and producer.created_by_id == producer_login
    assert producer.commune_code == GIA_PHU and producer.wizard_step == 3
    assert producer.claim_code_hash is None


def test_step_two_without_csrf_is_refused(app, client, producer_login):
    response = client.post("/nha-san-xuat/ho-so", data=profile_data())
    assert response.status_code == 400
    assert producer_count(app) == 0


def test_communes_api_serves_a_cacheable_list(client):
    response = client.get(f"/api/communes?province={LAO_CAI}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["province"] == LAO_CAI
    assert {"code": GIA_PHU, "name": "Xã Gia Phú"} in body["communes"]
    assert response.cache_control.public and response.cache_control.max_age >= 86400


@pytest.mark.parametrize("query", ["province=99", "province=abc", ""])
def test_communes_api_unknown_province_is_a_json_404(client, query):
    response = client.get(f"/api/communes?{query}")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    for path in ("/nha-san-xuat", "/nha-san-xuat/ho-so", "/nha-san-xuat/ho-so/1/buoc-2"):
        response = client.get(path)
        assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"]


def test_audit_log_cannot_be_edited(app, wizard, producer_login):
    producer_id = wizard.start()
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.producer_id == producer_id))
        event.reason = "rewritten"
        with pytest.raises(Exception):
            db.session.commit()
        db.session.rollback()
