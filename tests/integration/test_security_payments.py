"""Payment-detail tampering and the append-only audit log (docs/SECURITY-REFERENCE.md §5, §6 Y1–Y4, Y7).
Each test asserts the status and that the database did not change."""
import pytest
from sqlalchemy.exc import DBAPIError

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


def test_y1_a_change_hides_the_details_and_is_logged_masked(app, world):
    with app.app_context():
        producer = db.session.get(Producer, world.pa)
        assert producer.approved_payment_account is None
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="payment_details_changed")).one()
        assert event.actor_id == world.owner_a[0]
        assert "3100299999999" not in str(event.changes)
        assert "9999" in str(event.changes)


def test_y2_officer_of_another_commune_gets_404(app, auth, world):
    auth.login(world.ob[1])
    before = w.snapshot(app, world.pa)
    for url in (APPROVE, REJECT):
        assert post(auth, url, world.pa, reason="x", **seen(app, world.pa)).status_code == 404
    assert w.snapshot(app, world.pa) == before


def test_y3_stale_approval_is_refused_and_the_new_version_stays_pending(app, client, auth, world):
    auth.login(world.oa[1])
    seen_v2 = seen(app, world.pa)
    w.add_payment_version(app, world.pa, world.owner_a[0], bank=(w.VIETCOMBANK, "0071000999888", "HTX MOI HON"))
    before = w.snapshot(app, world.pa)
    response = post(auth, APPROVE, world.pa, **seen_v2)
    assert response.status_code == 409
    assert "0071 0009 9988 8" in response.get_data(as_text=True)
    assert w.snapshot(app, world.pa) == before
    assert w.payment_versions(app, world.pa) == [(1, "approved"), (2, "superseded"), (3, "pending")]


def test_y3_forged_fingerprint_for_the_right_version_is_refused(app, auth, world):
    auth.login(world.oa[1])
    before = w.snapshot(app, world.pa)
    version_id, _fingerprint = w.pending_fields(app, world.pa)
    response = post(auth, APPROVE, world.pa, version_id=version_id, fingerprint="0" * 64)
    assert response.status_code == 409
    assert w.snapshot(app, world.pa) == before


def test_y4_editor_cannot_approve_their_own_change(app, client, auth, world):
    """An officer who typed new bank details on the producer's behalf."""
    w.add_payment_version(app, world.pa, world.oa[0], bank=(w.AGRIBANK, "3100211112222", "HTX NONG SAN"))
    auth.login(world.oa[1])
    page = client.get(f"/can-bo/ho-so/{world.pa}").get_data(as_text=True)
    assert f'action="{APPROVE.format(world.pa)}"' not in page
    before = w.snapshot(app, world.pa)
    assert post(auth, APPROVE, world.pa, **seen(app, world.pa)).status_code == 403
    assert w.snapshot(app, world.pa) == before
    auth.logout()
    auth.login(world.oa2[1])
    assert post(auth, APPROVE, world.pa, **seen(app, world.pa)).status_code == 302
    assert w.payment_versions(app, world.pa)[-1] == (3, "approved")


# --- Y7: the audit log cannot be edited or deleted ------------------------------------------------

def test_y7_no_route_writes_to_the_audit_log(app):
    for rule in app.url_map.iter_rules():
        if "nhat-ky" in rule.rule or "audit" in rule.endpoint:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_y7_writing_methods_on_audit_urls_are_refused(app, client, auth, world, method):
    auth.login(world.oa[1])
    with app.app_context():
        event_id = db.session.scalars(db.select(AuditEvent.id).limit(1)).one()
    before = w.snapshot(app, world.pa)
    token = auth.token("/can-bo")
    for path, expected in ((f"/can-bo/ho-so/{world.pa}/nhat-ky", 405),
                           (f"/can-bo/ho-so/{world.pa}/nhat-ky/{event_id}", 404),
                           (f"/can-bo/nhat-ky/{event_id}", 404),
                           (f"/can-bo/nhat-ky/{event_id}/xoa", 404)):
        response = client.open(path, method=method, data={"csrf_token": token, "reason": "sửa"})
        assert response.status_code == expected, (method, path)
    assert w.snapshot(app, world.pa) == before


def _audit_rows(app):
    with app.app_context():
        return db.session.execute(db.select(AuditEvent.id, AuditEvent.action, AuditEvent.reason,
                                            AuditEvent.changes).order_by(AuditEvent.id)).all()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET reason = 'đã sửa'",
    "UPDATE audit_events SET changes = '{}' WHERE action = 'payment_details_changed'",
    "DELETE FROM audit_events",
    "DELETE FROM audit_events WHERE id = (SELECT MIN(id) FROM audit_events)",
])
def test_y7_the_database_refuses_update_and_delete(app, world, statement):
    before = _audit_rows(app)
    assert before
    with app.app_context():
        with pytest.raises(DBAPIError) as refused:
            db.session.execute(db.text(statement))
        assert "append-only" in str(refused.value)
        db.session.rollback()
    assert _audit_rows(app) == before


def test_y7_the_orm_cannot_change_an_event_either(app, world):
    before = _audit_rows(app)
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).limit(1)).one()
        event.reason = "viết lại lịch sử"
        with pytest.raises(DBAPIError):
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.scalars(db.select(AuditEvent).limit(1)).one())
        with pytest.raises(DBAPIError):
            db.session.commit()
        db.session.rollback()
    assert _audit_rows(app) == before


def test_y7_appending_still_works(app, world):
    from producers import audit

    with app.app_context():
        audit.record("reinstated", db.session.get(Producer, world.pa), {"status": {"from": "a", "to": "b"}})
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).filter_by(action="reinstated")) == 1
