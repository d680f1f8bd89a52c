import pytest

from verification import rules
from verification.rules import DecisionRefused, PaymentVersion, SeenPayment


def version(**overrides):
    values = dict(id=7, version=2, values=("970405", "3100205123456", "HTX NONG SAN"), status="pending",
                  created_by_id=11)
    values.update(overrides)
    return PaymentVersion(**values)


def seen_of(latest):
    return SeenPayment(str(latest.id), latest.fingerprint)


@pytest.mark.parametrize("status, expected", [
    ("draft", []),
    ("submitted", ["approve", "request_changes", "reject"]),
    ("changes_requested", ["reject"]),
    ("verified", ["suspend"]),
    ("rejected", []),
    ("suspended", ["reinstate"]),
])
def test_allowed_decisions_follow_the_status(status, expected):
    assert rules.allowed_decisions(status) == expected


def test_every_decision_leads_to_a_known_status():
    for decision in rules.DECISIONS.values():
        assert decision.to_status in rules.STATUSES
        assert decision.from_statuses <= set(rules.STATUSES)


def test_a_draft_cannot_be_approved():
    with pytest.raises(DecisionRefused) as refused:
        rules.check_decision("approve", "draft", None, actor_id=1, owner_id=2)
    assert refused.value.code == "not_allowed"
    assert refused.value.params == {"decision": "approve", "status": "draft"}


@pytest.mark.parametrize("name", ["request_changes", "reject"])
@pytest.mark.parametrize("reason", [None, "", "   \n"])
def test_reasons_are_required_where_the_producer_must_be_told(name, reason):
    with pytest.raises(DecisionRefused) as refused:
        rules.check_decision(name, "submitted", reason, actor_id=1, owner_id=2)
    assert refused.value.code == "reason_required"


def test_suspending_needs_a_reason_but_reinstating_does_not():
    with pytest.raises(DecisionRefused):
        rules.check_decision("suspend", "verified", "", actor_id=1, owner_id=2)
    assert rules.check_decision("reinstate", "suspended", "", actor_id=1, owner_id=2).to_status == "verified"


def test_nobody_decides_on_their_own_producer():
    with pytest.raises(DecisionRefused) as refused:
        rules.check_decision("approve", "submitted", None, actor_id=5, owner_id=5)
    assert refused.value.code == "own_producer"


def test_unclaimed_producer_has_no_owner_to_confuse_with_the_actor():
    assert rules.check_decision("approve", "submitted", None, actor_id=5, owner_id=None).name == "approve"


def test_fingerprint_covers_every_shown_field_and_the_version():
    base = version()
    for change in (dict(id=8), dict(version=3), dict(values=("970436", "3100205123456", "HTX NONG SAN")),
                   dict(values=("970405", "3100205123457", "HTX NONG SAN")),
                   dict(values=("970405", "3100205123456", "HTX NONG SAN MOI")),
                   dict(values=("https://buy.stripe.com/a",))):
        assert version(**change).fingerprint != base.fingerprint, change
    assert version().fingerprint == base.fingerprint
    assert len(base.fingerprint) == 64


def test_fingerprint_fields_cannot_be_shifted_into_each_other():
    shifted = rules.payment_fingerprint(1, 1, "970405", "123", "A")
    assert rules.payment_fingerprint(1, 1, "970405", "12", "3A") != shifted


def test_payment_approval_of_the_version_seen():
    latest = version()
    rules.check_payment_approval(seen_of(latest), latest, actor_id=3, producer_status="verified")


@pytest.mark.parametrize("seen", [
    SeenPayment("6", version(id=6, version=1).fingerprint),  # an older version
    SeenPayment("7", version(values=("970405", "999", "HTX NONG SAN")).fingerprint),  # same id, other digits
    SeenPayment("7", ""),
    SeenPayment("", ""),
    None,
])
def test_stale_or_missing_approvals_are_refused(seen):
    with pytest.raises(DecisionRefused) as refused:
        rules.check_payment_approval(seen, version(), actor_id=3, producer_status="verified")
    assert refused.value.code == "stale_payment"


def test_the_editor_cannot_approve_their_own_change():
    latest = version(created_by_id=3)
    with pytest.raises(DecisionRefused) as refused:
        rules.check_payment_approval(seen_of(latest), latest, actor_id=3, producer_status="verified")
    assert refused.value.code == "own_payment"


@pytest.mark.parametrize("status", ["approved", "rejected", "superseded"])
def test_only_a_pending_version_can_be_decided(status):
    latest = version(status=status)
    with pytest.raises(DecisionRefused) as refused:
        rules.check_payment_approval(seen_of(latest), latest, actor_id=3, producer_status="verified")
    assert refused.value.code == "no_pending_payment"


def test_before_verification_bank_details_go_with_the_dossier():
    latest = version()
    with pytest.raises(DecisionRefused) as refused:
        rules.check_payment_approval(seen_of(latest), latest, actor_id=3, producer_status="submitted")
    assert refused.value.code == "payment_with_dossier"


def test_dossier_approval_checks_the_bank_details_seen():
    latest = version()
    rules.check_dossier_payment(seen_of(latest), latest)
    rules.check_dossier_payment(SeenPayment("", ""), None)
    rules.check_dossier_payment(None, version(status="approved"))
    with pytest.raises(DecisionRefused):
        rules.check_dossier_payment(SeenPayment("", ""), latest)
    with pytest.raises(DecisionRefused):
        rules.check_dossier_payment(SeenPayment("7", latest.fingerprint), None)


def test_unknown_refusal_codes_are_a_programming_error():
    with pytest.raises(ValueError):
        DecisionRefused("made_up")
