"""Issue 9, findings 6 and 7: a login clears only its own account's failures, and logging out
or changing the password ends every session opened before (server-side session version)."""
from accounts.models import LoginThrottle, Role
from extensions import db
from tests.conftest import TEST_PASSWORD, Auth


def _copy_session_cookie(source, target):
    cookie = source.get_cookie("session")
    assert cookie is not None
    target.set_cookie("session", cookie.value)


def _failures(app):
    with app.app_context():
        return {row.key: row.failures for row in db.session.scalars(db.select(LoginThrottle))}


def test_logout_ends_the_old_cookie_everywhere(app, client, auth, make_user):
    _uid, phone = make_user(Role.PRODUCER)
    auth.login(phone)
    stolen = app.test_client()
    _copy_session_cookie(client, stolen)
    assert stolen.get("/nha-san-xuat").status_code == 200, "the copied cookie works before logout"
    assert auth.logout().status_code == 302
    response = stolen.get("/nha-san-xuat")
    assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"]
    assert client.get("/nha-san-xuat").status_code == 302
    # Logging in again opens a fresh, working session.
    assert auth.login(phone).status_code == 302
    assert client.get("/nha-san-xuat").status_code == 200


def test_a_password_change_ends_every_other_session(app, client, auth, runner, make_user):
    _uid, phone = make_user(Role.PRODUCER)
    auth.login(phone)
    assert client.get("/nha-san-xuat").status_code == 200
    result = runner.invoke(args=["users", "set-password", "--phone", phone, "--password", "mat-ong-rung-2026"])
    assert result.exit_code == 0, result.output
    assert client.get("/nha-san-xuat").status_code == 302
    assert auth.login(phone).status_code == 400, "the old password no longer works"
    assert auth.login(phone, "mat-ong-rung-2026").status_code == 302
    assert client.get("/nha-san-xuat").status_code == 200


def test_a_successful_login_keeps_the_address_back_off(app, client, auth, make_user):
    _victim_id, victim = make_user(Role.PRODUCER)
    _own_id, own = make_user(Role.PRODUCER)
    for _ in range(3):
        assert auth.login(victim, "doan-mo-1234").status_code == 400
    assert auth.login(own).status_code == 302, "the attacker logs in to their own account"
    failures = _failures(app)
    assert failures["ip:127.0.0.1"] == 3, "the address keeps its failures"
    assert f"user:{own}" not in failures
    auth.logout()
    assert auth.login(victim, "doan-mo-5678").status_code == 400
    # Fourth failure from this address: it now has to wait, whichever account it tries.
    response = Auth(client).login(own)
    assert response.status_code == 429
    assert _failures(app)["ip:127.0.0.1"] == 4


def test_a_successful_login_clears_that_accounts_own_failures(app, auth, make_user):
    _uid, phone = make_user(Role.PRODUCER)
    assert auth.login(phone, "sai-mat-khau-1").status_code == 400
    assert _failures(app)[f"user:{phone}"] == 1
    assert auth.login(phone, TEST_PASSWORD).status_code == 302
    assert f"user:{phone}" not in _failures(app)
