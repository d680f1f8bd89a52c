"""Claim codes: a helper hands a one-time code on paper; the farmer claims the profile."""
import re

import pytest

from accounts.models import Role
from producers import claims
from tests.factories import BANG_THANH, GIA_PHU, Wizard, audit_actions, get_producer, profile_data, \
    text, use_english

CODE_RE = re.compile(r'class="claim-code"[^>]*>([A-Z0-9]{5}-[A-Z0-9]{5})<')
FARMER_PHONE = "+84977111222"  # the number the helper types when making the code


@pytest.fixture
def helper(make_user):
    return make_user(role=Role.HELPER, communes=(GIA_PHU,))


@pytest.fixture
def farm(client, auth, helper):
    """A profile the helper started for a farmer, then the helper logs out."""
    auth.login(helper[1])
    response = Wizard(client, auth).post("/nha-san-xuat/tao-ho", profile_data(phone=""))
    producer_id = int(response.headers["Location"].split("/")[-2])
    auth.logout()
    return producer_id


def issue_code(client, auth, helper_phone, producer_id, farmer_phone="0977 111 222"):
    auth.login(helper_phone)
    path = f"/nha-san-xuat/ho-so/{producer_id}/ma-nhan"
    response = auth.post(path, {"farmer_phone": farmer_phone}, form_page=path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    match = CODE_RE.search(text(response))
    assert match, text(response)
    auth.logout()
    return match.group(1)


def claim(client, auth, phone, code, log_in=True):
    if log_in:
        auth.login(phone)
    return auth.post("/nha-san-xuat/nhan-ho-so", {"code": code}, form_page="/nha-san-xuat/nhan-ho-so")


def test_code_is_shown_once_and_stored_only_hashed(app, client, auth, helper, farm):
    code = issue_code(client, auth, helper[1], farm)
    stored = get_producer(app, farm).claim_code_hash
    assert code.replace("-", "") not in stored and code not in stored
    assert claims.matches(stored, code.replace("-", ""))
    auth.login(helper[1])
    page = text(client.get(f"/nha-san-xuat/ho-so/{farm}/ma-nhan"))
    assert code not in page and 'class="claim-code"' not in page
    assert ("claim_code_issued", helper[0]) in [(a, actor) for a, actor, _c in audit_actions(app, farm)]


def test_farmer_claims_with_the_code(app, client, auth, make_user, helper, farm):
    code = issue_code(client, auth, helper[1], farm)
    farmer_id, farmer_phone = make_user(name="Lò Văn Sáng", phone=FARMER_PHONE)
    response = claim(client, auth, farmer_phone, " " + code.lower().replace("-", " ") + " ")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/nha-san-xuat/ho-so/{farm}/buoc-3")
    producer = get_producer(app, farm)
    assert producer.owner_id == farmer_id and producer.claim_code_hash is None
    assert producer.created_by_id == helper[0]
    assert audit_actions(app, farm)[-1][:2] == ("claimed", farmer_id)
    assert "HTX Mật ong Gia Phú" in text(client.get("/nha-san-xuat"))


def test_wrong_and_reused_codes_are_refused(app, client, auth, make_user, helper, farm):
    code = issue_code(client, auth, helper[1], farm)
    _first_id, first_phone = make_user(phone=FARMER_PHONE)
    use_english(client, auth)
    wrong = claim(client, auth, first_phone, "ACDEF-GHJKM" if code != "ACDEF-GHJKM" else "MKJHG-FEDCA")
    assert wrong.status_code == 400 and "This code is not valid or has already been used" in text(wrong)
    garbage = claim(client, auth, first_phone, "'; DROP TABLE producers; --", log_in=False)
    assert garbage.status_code == 400
    assert get_producer(app, farm).owner_id is None
    assert claim(client, auth, first_phone, code, log_in=False).status_code == 302
    auth.logout()
    second_id, second_phone = make_user()
    reused = claim(client, auth, second_phone, code)
    assert reused.status_code == 400
    assert get_producer(app, farm).owner_id != second_id


def test_a_new_code_cancels_the_old_one(app, client, auth, make_user, helper, farm):
    old = issue_code(client, auth, helper[1], farm)
    new = issue_code(client, auth, helper[1], farm)
    assert old != new
    farmer_id, farmer_phone = make_user(phone=FARMER_PHONE)
    assert claim(client, auth, farmer_phone, old).status_code == 400
    assert claim(client, auth, farmer_phone, new, log_in=False).status_code == 302
    assert get_producer(app, farm).owner_id == farmer_id


def test_claimed_profile_needs_no_code(app, client, auth, make_user, helper, farm):
    code = issue_code(client, auth, helper[1], farm)
    _farmer_id, farmer_phone = make_user(phone=FARMER_PHONE)
    assert claim(client, auth, farmer_phone, code).status_code == 302
    auth.logout()
    auth.login(helper[1])
    path = f"/nha-san-xuat/ho-so/{farm}/ma-nhan"
    response = auth.post(path, {}, form_page=path)
    assert CODE_RE.search(text(response)) is None
    assert get_producer(app, farm).claim_code_hash is None


def test_officer_of_another_commune_cannot_issue_codes(app, client, auth, make_user, farm):
    _officer_id, phone = make_user(role=Role.OFFICER, communes=(BANG_THANH,))
    auth.login(phone)
    path = f"/nha-san-xuat/ho-so/{farm}/ma-nhan"
    assert client.get(path).status_code == 404
    assert auth.post(path, {}).status_code == 404
    assert get_producer(app, farm).claim_code_hash is None


def test_issuing_a_code_needs_post_with_a_token(app, client, auth, helper, farm):
    auth.login(helper[1])
    path = f"/nha-san-xuat/ho-so/{farm}/ma-nhan"
    assert client.post(path).status_code == 400
    assert get_producer(app, farm).claim_code_hash is None


def test_helpers_cannot_claim_profiles(client, auth, helper, farm):
    code = issue_code(client, auth, helper[1], farm)
    assert claim(client, auth, helper[1], code).status_code == 403


def test_claim_attempts_are_rate_limited(client, auth, make_user):
    _user_id, phone = make_user()
    auth.login(phone)
    statuses = [claim(client, auth, phone, "ACDEF-GHJKM", log_in=False).status_code for _ in range(11)]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
