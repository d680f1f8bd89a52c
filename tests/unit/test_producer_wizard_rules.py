"""The wizard's pure rules: step movement, editability and what blocks a submission."""
from datetime import date
from types import SimpleNamespace

import pytest

from producers import rules as wizard
from producers.ocop import certificate_valid_until

TODAY = date(2026, 6, 1)


def certificate(decision_date):
    valid_until = certificate_valid_until(decision_date)
    return SimpleNamespace(is_valid=lambda today=None: (today or TODAY) <= valid_until)


def producer(**overrides):
    values = dict(kind="cooperative", legal_name="HTX A", tax_code="0100233488", representative="An",
                  commune_code=2923, address="Thôn Đông", phone="+84912345678",
                  documents=[SimpleNamespace(kind="business_registration")],
                  certificates=[certificate(date(2025, 1, 1))], payment_accounts=[object()])
    values.update(overrides)
    return SimpleNamespace(**values)


def codes(item):
    return [m.code for m in wizard.missing_items(item, TODAY)]


def test_complete_profile_misses_nothing():
    assert codes(producer()) == []


def test_missing_items_in_wizard_order_with_their_steps():
    empty = producer(legal_name="", tax_code=None, representative=None, commune_code=None, address=None,
                     phone=None, documents=[], certificates=[], payment_accounts=[])
    missing = wizard.missing_items(empty, TODAY)
    assert [(m.code, m.step) for m in missing] == [
        ("legal_name", 2), ("tax_code", 2), ("representative", 2), ("commune_code", 2), ("address", 2),
        ("phone", 2), ("business_registration", 3), ("certificate", 3), ("payment_account", 4)]


def test_households_need_no_registration_photo():
    assert codes(producer(kind="household", documents=[])) == []


def test_only_expired_certificates_are_not_enough():
    assert codes(producer(certificates=[certificate(date(2022, 1, 1))])) == ["valid_certificate"]
    assert codes(producer(certificates=[certificate(date(2022, 1, 1)), certificate(date(2025, 1, 1))])) == []


@pytest.mark.parametrize("saved, furthest, expected", [(2, 2, 3), (3, 5, 5), (4, 4, 5), (5, 5, 5), (2, None, 3)])
def test_step_after_saving_never_goes_back(saved, furthest, expected):
    assert wizard.step_after_saving(saved, furthest) == expected


def test_resume_goes_to_review_after_changes_were_requested():
    assert wizard.resume_step("draft", 3) == 3
    assert wizard.resume_step("changes_requested", 3) == 5
    assert wizard.resume_step("draft", 99) == 5
    assert wizard.resume_step("draft", 0) == 2


def test_step_is_open_only_up_to_the_furthest():
    assert wizard.step_is_open(3, 3) and not wizard.step_is_open(4, 3) and not wizard.step_is_open(1, 5)


@pytest.mark.parametrize("status, profile, bank, submit", [
    ("draft", True, True, True),
    ("changes_requested", True, True, True),
    ("submitted", False, False, False),
    ("verified", False, True, False),
    ("rejected", False, False, False),
    ("suspended", False, False, False),
])
def test_what_each_status_allows(status, profile, bank, submit):
    assert wizard.can_edit_profile(status) is profile
    assert wizard.can_edit_bank(status) is bank
    assert wizard.can_submit(status) is submit
