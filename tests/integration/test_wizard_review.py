"""Step 5: review, what blocks a submission, submitting, and resubmitting after changes."""
import pytest

from tests.factories import Wizard, audit_actions, get_producer, set_status, text, use_english


@pytest.fixture
def owner(make_user):
    return make_user()


@pytest.fixture
def wizard(client, auth, owner):
    auth.login(owner[1])
    return Wizard(client, auth)


def test_review_lists_what_is_missing_and_refuses_to_submit(app, client, auth, wizard):
    use_english(client, auth)
    producer_id = wizard.start(representative="", address="")
    wizard.documents_done(producer_id)
    wizard.post(f"/nha-san-xuat/ho-so/{producer_id}/buoc-4", {"bank_bin": "", "account_number": "",
                                                             "holder_name": ""})
    producer = get_producer(app, producer_id)
    assert producer.wizard_step == 4
    set_step = client.get(f"/nha-san-xuat/ho-so/{producer_id}/buoc-5")
    assert set_step.status_code == 302  # step 5 opens only once step 4 is saved
    wizard.bank(producer_id)
    page = text(client.get(f"/nha-san-xuat/ho-so/{producer_id}/buoc-5"))
    for item in ("representative", "the address", "a photo of the business registration",
                 "at least one OCOP certificate"):
        assert item in page
    assert "Send to the commune officer" not in page
    response = wizard.submit(producer_id)
    assert response.status_code == 400
    assert get_producer(app, producer_id).status == "draft"


def test_household_needs_no_registration_photo(app, client, auth, wizard):
    use_english(client, auth)
    producer_id = wizard.start(kind="household", tax_code="001085012345")
    wizard.certificate(producer_id)
    wizard.documents_done(producer_id)
    wizard.bank(producer_id)
    page = text(client.get(f"/nha-san-xuat/ho-so/{producer_id}/buoc-5"))
    assert "a photo of the business registration" not in page
    assert "Send to the commune officer" in page
    assert "001085012345" in page  # the owner reads their own personal ID in full


def test_only_expired_certificates_block_submission(app, client, auth, wizard):
    use_english(client, auth)
    producer_id = wizard.start()
    wizard.registration(producer_id)
    wizard.certificate(producer_id, decision_date="2020-03-01")
    wizard.documents_done(producer_id)
    wizard.bank(producer_id)
    assert "an OCOP certificate that has not expired" in text(client.get(f"/nha-san-xuat/ho-so/{producer_id}/buoc-5"))
    assert wizard.submit(producer_id).status_code == 400


def test_submit_complete_profile(app, client, wizard, owner):
    producer_id = wizard.complete()
    page = text(client.get(f"/nha-san-xuat/ho-so/{producer_id}/buoc-5"))
    assert "Bước 5/5" in page and "1903 6547 8901" in page, "the owner reads their own account in full"
    response = wizard.submit(producer_id)
    assert response.status_code == 302 and response.headers["Location"].endswith("/nha-san-xuat")
    producer = get_producer(app, producer_id)
    assert producer.status == "submitted" and producer.submitted_at is not None
    action, actor, changes = audit_actions(app, producer_id)[-1]
    assert (action, actor) == ("submitted", owner[0])
    assert changes == {"status": {"from": "draft", "to": "submitted"}}


def test_submitted_profile_cannot_be_edited(app, wizard):
    producer_id = wizard.complete()
    wizard.submit(producer_id)
    response = wizard.profile(producer_id, legal_name="Tên khác")
    assert response.status_code == 302 and response.headers["Location"].endswith("/buoc-5")
    assert get_producer(app, producer_id).legal_name == "HTX Mật ong Gia Phú"
    assert wizard.certificate(producer_id).status_code == 302
    assert len(get_producer(app, producer_id).certificates) == 1
    assert wizard.submit(producer_id).status_code == 302
    assert [a for a, *_rest in audit_actions(app, producer_id)].count("submitted") == 1


def test_submit_needs_post_and_a_token(app, client, wizard):
    producer_id = wizard.complete()
    assert client.get(f"/nha-san-xuat/ho-so/{producer_id}/gui").status_code == 405
    assert client.post(f"/nha-san-xuat/ho-so/{producer_id}/gui").status_code == 400
    assert get_producer(app, producer_id).status == "draft"


def test_changes_requested_shows_the_reason_and_allows_resubmitting(app, client, auth, wizard):
    use_english(client, auth)
    producer_id = wizard.complete()
    wizard.submit(producer_id)
    set_status(app, producer_id, "changes_requested", reason="Ảnh giấy chứng nhận bị mờ, xin chụp lại.")
    dashboard = text(client.get("/nha-san-xuat"))
    assert "Ảnh giấy chứng nhận bị mờ, xin chụp lại." in dashboard
    assert "Make the changes" in dashboard and f"/ho-so/{producer_id}/buoc-5" in dashboard
    assert client.get("/nha-san-xuat/ho-so").headers["Location"].endswith(f"/ho-so/{producer_id}/buoc-5")
    assert "Ảnh giấy chứng nhận bị mờ" in text(client.get(f"/nha-san-xuat/ho-so/{producer_id}/buoc-5"))
    assert wizard.certificate(producer_id, product_name="Mật ong bạc hà (ảnh mới)").status_code == 302
    assert wizard.submit(producer_id).status_code == 302
    producer = get_producer(app, producer_id)
    assert producer.status == "submitted" and producer.status_reason is None
    assert audit_actions(app, producer_id)[-1][2] == {"status": {"from": "changes_requested", "to": "submitted"}}


@pytest.mark.parametrize("status, wording", [
    ("draft", "Not sent yet"),
    ("submitted", "Waiting for the commune officer"),
    ("verified", "Your business is verified."),
    ("rejected", "did not accept this profile"),
    ("suspended", "hidden from buyers for now"),
])
def test_dashboard_explains_each_status(app, client, auth, wizard, status, wording):
    use_english(client, auth)
    producer_id = wizard.start()
    set_status(app, producer_id, status, reason="Lý do của cán bộ" if status in ("rejected", "suspended") else None)
    page = text(client.get("/nha-san-xuat"))
    assert wording in page
    if status in ("rejected", "suspended"):
        assert "Lý do của cán bộ" in page


def test_verified_producer_sees_the_bank_change_link(app, client, wizard):
    producer_id = wizard.complete()
    set_status(app, producer_id, "verified", approve_payment=True)
    page = text(client.get("/nha-san-xuat"))
    assert f"/nha-san-xuat/ho-so/{producer_id}/buoc-4" in page
    assert wizard.profile(producer_id).headers["Location"].endswith("/buoc-5")


def test_other_people_see_the_owners_numbers_masked(app, client, auth, wizard, make_user):
    """A helper of the commune who did not fill the profile in opens the review: masked."""
    from accounts.models import Role
    from tests.factories import GIA_PHU

    producer_id = wizard.start(kind="household", tax_code="001085012345")
    wizard.certificate(producer_id)
    wizard.documents_done(producer_id)
    wizard.bank(producer_id)
    auth.logout()
    other_helper = make_user(role=Role.HELPER, communes=(GIA_PHU,))
    auth.login(other_helper[1])
    page = text(client.get(f"/nha-san-xuat/ho-so/{producer_id}/buoc-5"))
    assert "•••• •••• 8901" in page and "190365478901" not in page and "1903 6547" not in page
    assert "••••••••2345" in page and "001085012345" not in page
