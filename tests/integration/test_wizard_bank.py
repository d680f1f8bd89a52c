"""Step 4: bank details, versions, and changes after verification."""
import json

import pytest

from extensions import db
from producers.models import PaymentAccount
from tests.conftest import TEST_PASSWORD
from tests.factories import (Wizard, audit_actions, get_producer, set_status, text,
                                            use_english)


@pytest.fixture
def owner(make_user):
    return make_user()


@pytest.fixture
def wizard(client, auth, owner):
    auth.login(owner[1])
    return Wizard(client, auth)


@pytest.fixture
def producer_id(wizard):
    producer_id = wizard.start()
    wizard.documents_done(producer_id)
    return producer_id


def accounts(app, producer_id):
    with app.app_context():
        return [(a.version, a.status, a.bank_bin, a.account_number, a.holder_name) for a in db.session.scalars(
            db.select(PaymentAccount).where(PaymentAccount.producer_id == producer_id)
            .order_by(PaymentAccount.version))]


def test_bank_details_are_saved_as_a_pending_version(app, client, wizard, producer_id, owner):
    page = text(client.get(f"/nha-san-xuat/ho-so/{producer_id}/buoc-4"))
    assert "Bước 4/5" in page and 'inputmode="numeric"' in page and "Agribank" in page
    response = wizard.bank(producer_id)
    assert response.headers["Location"].endswith(f"/ho-so/{producer_id}/buoc-5")
    assert accounts(app, producer_id) == [(1, "pending", "970405", "190365478901", "NGUYEN VAN AN")]
    action, actor, changes = audit_actions(app, producer_id)[-1]
    assert action == "payment_details_changed" and actor == owner[0]
    assert changes["account_number"]["to"] == "••••••••8901"
    assert "190365478901" not in json.dumps(changes)


def test_holder_name_preview_shows_what_will_be_saved(client, wizard, producer_id):
    page = text(wizard.bank(producer_id, account_number="12ab34", holder_name="Hợp tác xã Đồng Tâm"))
    assert "HOP TAC XA DONG TAM" in page
    assert 'value="Hợp tác xã Đồng Tâm"' in page


@pytest.mark.parametrize("overrides, message", [
    ({"account_number": "12ab34"}, "An account number has only digits."),
    ({"account_number": "1" * 30}, "An account number has 6 to 19 digits."),
    ({"account_number": "12345"}, "An account number has 6 to 19 digits."),
    ({"account_number": ""}, "Please enter the account number."),
    ({"bank_bin": "999999"}, "Please choose your bank from the list."),
    ({"bank_bin": ""}, "Please choose your bank from the list."),
    ({"holder_name": ""}, "Please enter the account holder&#39;s name."),
    ({"holder_name": "<script>alert(1)</script>"}, "Please use only letters, digits and spaces"),
])
def test_bank_validation_messages(app, client, auth, wizard, producer_id, overrides, message):
    use_english(client, auth)
    response = wizard.bank(producer_id, **overrides)
    assert response.status_code == 400
    assert message in text(response)
    assert "<script>alert(1)</script>" not in text(response)
    assert accounts(app, producer_id) == []


def test_unchanged_details_add_no_version_and_changes_supersede_pending_ones(app, wizard, producer_id):
    wizard.bank(producer_id)
    wizard.bank(producer_id, account_number="190365478901")
    assert len(accounts(app, producer_id)) == 1
    wizard.bank(producer_id, account_number="5555 6666 77")
    assert [(v, s) for v, s, *_rest in accounts(app, producer_id)] == [(1, "superseded"), (2, "pending")]


def test_no_password_needed_before_verification(client, wizard, producer_id):
    page = text(client.get(f"/nha-san-xuat/ho-so/{producer_id}/buoc-4"))
    assert 'name="current_password"' not in page


@pytest.fixture
def verified_id(app, wizard, producer_id):
    wizard.bank(producer_id)
    set_status(app, producer_id, "verified", approve_payment=True)
    return producer_id


def test_change_after_verification_needs_the_current_password(app, client, auth, wizard, verified_id):
    use_english(client, auth)
    page = text(client.get(f"/nha-san-xuat/ho-so/{verified_id}/buoc-4"))
    assert 'name="current_password"' in page and "QR code is hidden" in page
    missing = wizard.bank(verified_id, account_number="5555666677")
    assert missing.status_code == 400 and "Please enter your current password" in text(missing)
    wrong = wizard.bank(verified_id, account_number="5555666677", current_password="not-my-password")
    assert wrong.status_code == 400 and "The password is wrong." in text(wrong)
    assert len(accounts(app, verified_id)) == 1
    assert get_producer(app, verified_id).approved_payment_account is not None


def test_change_after_verification_hides_the_qr_until_approved(app, client, auth, wizard, verified_id, owner):
    use_english(client, auth)
    response = wizard.bank(verified_id, account_number="5555666677", holder_name="Nguyen Van An",
                           current_password=TEST_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"].endswith("/nha-san-xuat")
    assert "QR code is hidden until an officer" in text(client.get("/nha-san-xuat"))
    producer = get_producer(app, verified_id)
    assert producer.status == "verified"
    assert producer.approved_payment_account is None
    assert producer.pending_payment_account.account_number == "5555666677"
    assert [(v, s) for v, s, *_rest in accounts(app, verified_id)] == [(1, "approved"), (2, "pending")]
    action, actor, changes = audit_actions(app, verified_id)[-1]
    assert action == "payment_details_changed" and actor == owner[0]
    assert changes["account_number"] == {"from": "••••••••8901", "to": "••••••6677"}
    assert changes["needs_reapproval"] is True
    assert "5555666677" not in json.dumps(changes) and "190365478901" not in json.dumps(changes)


def test_at_most_three_changes_a_day(app, client, auth, wizard, verified_id):
    use_english(client, auth)
    for number in ("5555666671", "5555666672", "5555666673"):
        assert wizard.bank(verified_id, account_number=number, current_password=TEST_PASSWORD).status_code == 302
    fourth = wizard.bank(verified_id, account_number="5555666674", current_password=TEST_PASSWORD)
    assert fourth.status_code == 429
    assert "You have changed the bank details 3 times today" in text(fourth)
    assert len(accounts(app, verified_id)) == 4  # the approved one and three pending/superseded


def test_bank_step_is_closed_while_submitted(app, client, wizard, producer_id):
    wizard.bank(producer_id)
    set_status(app, producer_id, "submitted")
    response = wizard.bank(producer_id, account_number="5555666677")
    assert response.status_code == 302 and response.headers["Location"].endswith("/buoc-5")
    assert len(accounts(app, producer_id)) == 1
