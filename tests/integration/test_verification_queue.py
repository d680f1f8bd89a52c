"""The officer queue: only the officer's communes, tabs by status with counts."""
import re

import pytest

from accounts.models import Role
from tests import factories as w


@pytest.fixture
def world(app, make_user):
    return w.build(app, make_user, with_images=False)


def counts(page):
    """{tab: count} read from the tab links."""
    found = re.findall(r'href="/can-bo\?tab=(\w+)"[^>]*>[^<]*<span class="badge[^"]*">(\d+)</span>', page)
    return {tab: int(n) for tab, n in found}


def test_officer_sees_only_their_communes(client, auth, world):
    auth.login(world.oa[1])
    page = client.get("/can-bo").get_data(as_text=True)
    assert "HTX Mật ong Gia Phú" in page
    assert "HTX Nông sản Yên Mô" not in page
    assert "Xã Gia Phú, Lào Cai" in page


def test_tabs_filter_by_status_with_counts(app, client, auth, world):
    for status in ("draft", "verified", "verified", "rejected", "suspended", "changes_requested"):
        producer_id = w.make_dossier(app, None, w.COMMUNE_A, w.PROVINCE_A, name=f"Hộ {status}",
                                      created_by_id=world.helper_a[0], with_images=False, bank=None)
        w.set_status(app, producer_id, status)
    w.make_dossier(app, None, w.COMMUNE_B, w.PROVINCE_B, name="Hộ xã B", with_images=False,
                    created_by_id=world.ob[0])
    auth.login(world.oa[1])
    page = client.get("/can-bo").get_data(as_text=True)
    assert counts(page) == {"draft": 1, "submitted": 1, "changes_requested": 1, "verified": 2, "rejected": 1,
                            "suspended": 1, "payments": 0}
    verified = client.get("/can-bo?tab=verified").get_data(as_text=True)
    assert verified.count("Hộ verified") == 2
    assert "HTX Mật ong Gia Phú" not in verified
    drafts = client.get("/can-bo?tab=draft").get_data(as_text=True)
    assert "Hộ draft" in drafts and "Hộ xã B" not in drafts


def test_unknown_tab_falls_back_to_submitted(client, auth, world):
    auth.login(world.oa[1])
    response = client.get("/can-bo?tab=<script>")
    assert response.status_code == 200
    assert "HTX Mật ong Gia Phú" in response.get_data(as_text=True)


def test_payments_tab_counts_changes_after_verification(app, client, auth, world):
    w.set_status(app, world.pa, "verified")
    w.approve_all_payments(app, world.pa, world.admin[0])
    w.add_payment_version(app, world.pa, world.owner_a[0])
    auth.login(world.oa[1])
    assert counts(client.get("/can-bo").get_data(as_text=True))["payments"] == 1
    auth.logout()
    auth.login(world.ob[1])
    assert counts(client.get("/can-bo").get_data(as_text=True))["payments"] == 0


def test_admin_sees_every_commune(client, auth, world):
    auth.login(world.admin[1])
    page = client.get("/can-bo").get_data(as_text=True)
    assert "HTX Mật ong Gia Phú" in page and "HTX Nông sản Yên Mô" in page
    assert counts(page)["submitted"] == 2


def test_helper_sees_their_communes(client, auth, world):
    auth.login(world.helper_a[1])
    page = client.get("/can-bo").get_data(as_text=True)
    assert "HTX Mật ong Gia Phú" in page and "HTX Nông sản Yên Mô" not in page


def test_officer_without_commune_sees_nothing(client, auth, make_user, world):
    _id, phone = make_user(role=Role.OFFICER)
    auth.login(phone)
    page = client.get("/can-bo").get_data(as_text=True)
    assert "HTX" not in page
    assert set(counts(page).values()) == {0}


def test_pages_of_the_queue(app, client, auth, make_user):
    app.config["PAGE_SIZE"] = 2
    officer_id, phone = make_user(role=Role.OFFICER, communes=(w.COMMUNE_A,))
    for n in range(3):
        w.make_dossier(app, None, w.COMMUNE_A, w.PROVINCE_A, name=f"Hộ số {n}", created_by_id=officer_id,
                        with_images=False)
    auth.login(phone)
    first = client.get("/can-bo").get_data(as_text=True)
    second = client.get("/can-bo?tab=submitted&page=2").get_data(as_text=True)
    assert first.count("Hộ số") == 2 and second.count("Hộ số") == 1
    assert "Hộ số 0" in first, "oldest submission first"
    assert 'href="/can-bo?tab=submitted&amp;page=2"' in first
    assert 'href="/can-bo?tab=submitted&amp;page=3"' not in second
    assert 'href="/can-bo?tab=submitted&amp;page=1"' in second


def test_login_lands_officers_on_the_queue(auth, world):
    response = auth.login(world.oa[1])
    assert response.headers["Location"] == "/can-bo"


def test_producers_are_refused(client, auth, world):
    auth.login(world.owner_a[1])
    assert client.get("/can-bo").status_code == 403
    assert client.get(f"/can-bo/ho-so/{world.pa}").status_code == 403
