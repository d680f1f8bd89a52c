"""Bank details changed after verification: approved again by another officer of the
same commune, for exactly the version seen (docs/SECURITY-REFERENCE.md §5, Y1–Y4)."""
import pytest

from extensions import db
from producers.models import AuditEvent, Producer
from tests import factories as w

APPROVE, REJECT = w.APPROVE_PAYMENT, w.REJECT_PAYMENT


@pytest.fixture
def world(app, make_user):
    return w.build_with_bank_change(app, make_user)


def post(auth, url, producer_id, **data):
    return auth.post(url.format(producer_id), data, form_page="/can-bo")


def seen(app, producer_id):
    return w.seen_payment(app, producer_id)


def test_changed_details_are_hidden_until_approved(app, world):
    with app.app_context():
        producer = db.session.get(Producer, world.pa)
        assert producer.approved_payment_account is None
        assert producer.pending_payment_account.account_number == "3100299999999"
    assert w.payment_versions(app, world.pa) == [(1, "approved"), (2, "pending")]


def test_payments_tab_lists_the_change(app, client, auth, world):
    auth.login(world.oa[1])
    page = client.get("/can-bo?tab=payments").get_data(as_text=True)
    assert "HTX Mật ong Gia Phú" in page
    assert "HTX Nông sản Yên Mô" not in page
    dossier = client.get(f"/can-bo/ho-so/{world.pa}").get_data(as_text=True)
    assert "3100 2999 9999 9" in dossier, "the officer checks the full new number"
    assert "• •••• •••• 3456" in dossier, "the old approved number is masked"
    assert f'action="{APPROVE.format(world.pa)}"' in dossier


def test_officer_of_the_commune_approves_the_version_seen(app, auth, world):
    auth.login(world.oa[1])
    response = post(auth, APPROVE, world.pa, **seen(app, world.pa))
    assert response.status_code == 302
    assert w.payment_versions(app, world.pa) == [(1, "superseded"), (2, "approved")]
    with app.app_context():
        producer = db.session.get(Producer, world.pa)
        assert producer.approved_payment_account.account_number == "3100299999999"
        assert producer.approved_payment_account.reviewed_by_id == world.oa[0]
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="payment_approved")).one()
        assert event.actor_id == world.oa[0]
        assert event.changes["account_number"] == "•••••••••9999"
        assert event.changes["version"] == 2


def test_rejecting_needs_a_reason_and_keeps_the_details_hidden(app, auth, world):
    auth.login(world.oa[1])
    before = w.snapshot(app, world.pa)
    assert post(auth, REJECT, world.pa, reason="", **seen(app, world.pa)).status_code == 400
    assert w.snapshot(app, world.pa) == before
    response = post(auth, REJECT, world.pa, reason="Tên chủ tài khoản không khớp", **seen(app, world.pa))
    assert response.status_code == 302
    assert w.payment_versions(app, world.pa) == [(1, "approved"), (2, "rejected")]
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="payment_rejected")).one()
        assert (event.reason, event.changes["account_number"]) == ("Tên chủ tài khoản không khớp", "•••••••••9999")


def test_missing_version_fields_change_nothing(app, auth, world):
    auth.login(world.oa[1])
    before = w.snapshot(app, world.pa)
    assert post(auth, APPROVE, world.pa).status_code == 400
    assert w.snapshot(app, world.pa) == before


def test_producer_owner_cannot_approve_even_as_officer(app, auth, make_user, world):
    from accounts.models import Role

    officer_id, officer_phone = make_user(role=Role.OFFICER, communes=(w.COMMUNE_A,))
    own = w.make_dossier(app, officer_id, w.COMMUNE_A, w.PROVINCE_A, name="HTX của cán bộ", with_images=False,
                          payment_by=world.owner_a[0])
    w.set_status(app, own, "verified")
    auth.login(officer_phone)
    before = w.snapshot(app, own)
    assert post(auth, APPROVE, own, **seen(app, own)).status_code == 403
    assert w.snapshot(app, own) == before


def test_helpers_and_producers_cannot_approve(app, auth, world):
    before = w.snapshot(app, world.pa)
    for phone in (world.helper_a[1], world.owner_a[1]):
        auth.login(phone)
        assert post(auth, APPROVE, world.pa, **seen(app, world.pa)).status_code == 403
        auth.logout()
    assert w.snapshot(app, world.pa) == before


def test_nothing_pending_means_nothing_to_approve(app, auth, world):
    auth.login(world.ob[1])
    version_id, fingerprint = w.pending_fields(app, world.pb)
    before = w.snapshot(app, world.pb)
    response = post(auth, APPROVE, world.pb, version_id=version_id, fingerprint=fingerprint)
    assert response.status_code == 409
    assert w.snapshot(app, world.pb) == before


def test_before_verification_the_separate_approval_is_refused(app, auth, world):
    w.set_status(app, world.pa, "changes_requested")
    auth.login(world.oa[1])
    before = w.snapshot(app, world.pa)
    assert post(auth, APPROVE, world.pa, **seen(app, world.pa)).status_code == 409
    assert w.snapshot(app, world.pa) == before
