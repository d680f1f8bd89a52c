"""Issue 9, finding 5: nobody decides on a dossier they created, filled in as a helper or edited.
Where no other officer of the commune is free to decide, the dossier goes up to the province
administrator, and the officer's page says why they cannot decide. Dossiers are made through
the same doors people use (/nha-san-xuat/tao-ho and the wizard)."""
from accounts.models import Role
from tests.conftest import Auth
from tests import factories as w
from tests.factories import GIA_PHU, Wizard, text

ESCALATED_VI = "chuyển lên quản trị viên cấp tỉnh"
OTHER_OFFICER_VI = "Một cán bộ khác của xã sẽ quyết định."


def dossier(producer_id):
    return f"/can-bo/ho-so/{producer_id}"


def approve(auth, app, producer_id):
    version_id, fingerprint = w.pending_fields(app, producer_id)
    return auth.post(f"{dossier(producer_id)}/duyet", {"payment_version_id": version_id,
                                                        "payment_fingerprint": fingerprint},
                     form_page=dossier(producer_id))


def on_behalf_dossier(client, auth, phone):
    """A farm's dossier walked through the wizard by `phone` (a helper or an officer) and sent."""
    auth.login(phone)
    wizard = Wizard(client, auth)
    response = wizard.post("/nha-san-xuat/tao-ho", {
        "kind": "cooperative", "legal_name": "HTX Chè Gia Phú", "tax_code": "0100233488",
        "representative": "Lò Văn Pó", "province": "15", "commune": str(GIA_PHU),
        "address": "Bản Nậm", "phone": "0987 654 321", "zalo": "", "action": "save"})
    assert response.status_code == 302, text(response)[:2000]
    producer_id = int(response.headers["Location"].split("/")[-2])
    assert wizard.registration(producer_id).status_code == 302
    assert wizard.certificate(producer_id).status_code == 302
    assert wizard.documents_done(producer_id).status_code == 302
    assert wizard.bank(producer_id).status_code == 302
    assert wizard.submit(producer_id).status_code == 302
    return producer_id


def test_the_only_officer_cannot_verify_what_they_created_and_the_admin_decides(app, client, auth, make_user):
    _officer_id, officer = make_user(role=Role.OFFICER, communes=(GIA_PHU,))
    _admin_id, admin = make_user(role=Role.ADMIN)
    producer_id = on_behalf_dossier(client, auth, officer)
    before = w.snapshot(app, producer_id)

    page = client.get(dossier(producer_id))
    assert page.status_code == 200
    assert "/duyet" not in text(page) and ESCALATED_VI in text(page)
    response = approve(auth, app, producer_id)
    assert response.status_code == 403
    assert "đã tạo, điền hộ hoặc sửa hồ sơ này" in text(response)
    assert w.snapshot(app, producer_id) == before

    admin_auth = Auth(app.test_client())
    admin_auth.login(admin)
    queue = text(admin_auth.client.get("/can-bo?tab=submitted"))
    assert "HTX Chè Gia Phú" in queue
    assert 'id="escalated"' in text(admin_auth.client.get(dossier(producer_id)))
    assert approve(admin_auth, app, producer_id).status_code == 302
    assert w.producer_status(app, producer_id) == "verified"


def test_an_officer_who_edited_a_helpers_dossier_leaves_it_to_another_officer(app, client, auth, make_user):
    _helper_id, helper = make_user(role=Role.HELPER, communes=(GIA_PHU,))
    _editor_id, editor = make_user(role=Role.OFFICER, communes=(GIA_PHU,))
    _other_id, other = make_user(role=Role.OFFICER, communes=(GIA_PHU,))
    producer_id = w.make_dossier(app, None, GIA_PHU, 15, name="HTX Mận Gia Phú",
                                  status="changes_requested", created_by_id=_helper_id)
    auth.login(editor)
    wizard = Wizard(client, auth)
    assert wizard.profile(producer_id, legal_name="HTX Mận Gia Phú", address="Thôn Mới").status_code == 302
    assert wizard.submit(producer_id).status_code == 302

    page = text(client.get(dossier(producer_id)))
    assert "/duyet" not in page and OTHER_OFFICER_VI in page
    before = w.snapshot(app, producer_id)
    assert approve(auth, app, producer_id).status_code == 403
    assert w.snapshot(app, producer_id) == before

    auth.login(helper)
    assert approve(auth, app, producer_id).status_code == 403, "helpers never decide"
    auth.login(other)
    assert approve(auth, app, producer_id).status_code == 302
    assert w.producer_status(app, producer_id) == "verified"
