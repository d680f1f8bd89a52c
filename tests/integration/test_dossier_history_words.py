"""The officer reads the dossier's history like a person, in either language, and sees what
the producer changed after a request for changes. Driven through the real pages: the farmer's
wizard, the officer's decision form and the dossier."""
import html as html_module
import re

import pytest

from accounts.models import Role
from extensions import db
from producers.models import Producer
from tests.conftest import TEST_PASSWORD
from tests import factories as vw
from tests import factories as ww
from verification.history import FIELD_LABELS

VIETCOMBANK = "970436"
BAN_HO = 3046  # Xã Bản Hồ, Lào Cai
NEW_ACCOUNT = "0071000123456"


def owner_phone(app, producer_id):
    with app.app_context():
        return db.session.get(Producer, producer_id).owner.phone


def section(html, section_id):
    match = re.search(rf'<section[^>]*id="{section_id}".*?</section>', html, re.S)
    assert match, section_id
    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))))


@pytest.fixture
def returned_dossier(app, client, auth, make_user):
    """A dossier sent, sent back with a request for changes, corrected and sent again."""
    farmer = make_user(name="Nguyễn Văn An")
    officer = make_user(role=Role.OFFICER, communes=(ww.GIA_PHU, BAN_HO), name="Cán bộ xã")
    wizard = ww.Wizard(client, auth)
    auth.login(farmer[1])
    producer_id = wizard.complete()
    assert wizard.submit(producer_id).status_code == 302
    auth.logout()

    auth.login(officer[1])
    dossier = f"/can-bo/ho-so/{producer_id}"
    response = auth.post(f"{dossier}/yeu-cau-bo-sung", {"reason": "Sai xã và số tài khoản."}, form_page=dossier)
    assert response.status_code == 302
    auth.logout()

    auth.login(farmer[1])
    assert wizard.profile(producer_id, kind="household", commune=str(BAN_HO),
                          legal_name="Hộ Nguyễn Văn An").status_code == 302
    assert wizard.bank(producer_id, bank_bin=VIETCOMBANK, account_number=NEW_ACCOUNT,
                       proof=ww.photo("the.jpg"), current_password=TEST_PASSWORD).status_code == 302
    assert wizard.submit(producer_id).status_code == 302
    auth.logout()
    auth.login(officer[1])
    return dossier


def test_the_returned_dossier_says_what_changed_since_the_request(client, returned_dossier):
    box = section(client.get(returned_dossier).get_data(as_text=True), "since-request")
    assert "Loại hình: Hợp tác xã → Hộ kinh doanh" in box
    assert "Xã Gia Phú, Lào Cai → Xã Bản Hồ, Lào Cai" in box
    assert "Ngân hàng: Agribank → Vietcombank" in box
    assert "HTX Mật ong Gia Phú → Hộ Nguyễn Văn An" in box
    assert "0071" not in box  # the log keeps only the last digits
    assert "• •••• •••• 3456" in box


def test_the_bank_review_groups_the_number_and_shows_the_photo_sent(client, returned_dossier):
    html = client.get(returned_dossier).get_data(as_text=True)
    bank = section(html, "bank")
    assert "0071 0001 2345 6" in bank
    assert "giấy tờ" not in bank.lower() and "paper" not in bank.lower()
    assert "Thẻ ngân hàng hoặc phần đầu sao kê" in bank
    image = re.search(r'id="bank-proof".*?<img src="([^"]+)"', html, re.S).group(1)
    response = client.get(image)
    status, mimetype, size = response.status_code, response.mimetype, len(response.get_data())
    response.close()
    assert status == 200 and mimetype == "image/webp" and size > 0


def test_a_file_that_is_no_photo_is_refused_and_nothing_is_saved(app, client, auth, make_user):
    farmer = make_user(name="Lò Thị Mai")
    wizard = ww.Wizard(client, auth)
    auth.login(farmer[1])
    producer_id = wizard.complete()
    before = ww.get_producer(app, producer_id).payment_accounts
    response = wizard.bank(producer_id, bank_bin=VIETCOMBANK, account_number=NEW_ACCOUNT,
                           proof=ww.photo("sao-ke.jpg", b"not an image"))
    assert response.status_code == 400
    assert 'id="bank_proof-error"' in response.get_data(as_text=True)
    assert NEW_ACCOUNT in response.get_data(as_text=True), "the typed number stays in the form"
    after = ww.get_producer(app, producer_id).payment_accounts
    assert [(a.version, a.account_number) for a in after] == [(a.version, a.account_number) for a in before]


def test_a_bank_change_after_verification_asks_for_a_call_to_the_grouped_number(
        app, client, auth, make_user, returned_dossier):
    producer_id = int(returned_dossier.rsplit("/", 1)[1])
    version_id, fingerprint = vw.pending_fields(app, producer_id)
    assert auth.post(f"{returned_dossier}/duyet", {"payment_version_id": version_id,
                                                   "payment_fingerprint": fingerprint},
                     form_page=returned_dossier).status_code == 302
    auth.logout()
    auth.login(owner_phone(app, producer_id))
    assert ww.Wizard(client, auth).bank(producer_id, account_number="1903 6547 0000",
                                        current_password=TEST_PASSWORD).status_code == 302
    auth.logout()
    second_officer = make_user(role=Role.OFFICER, communes=(BAN_HO,), name="Cán bộ thứ hai")
    auth.login(second_officer[1])
    bank = section(client.get(returned_dossier).get_data(as_text=True), "bank")
    assert "1903 6547 0000" in bank
    assert "0912 345 678" in bank and "tel:+84912345678" in client.get(returned_dossier).get_data(as_text=True)


RAW = re.compile(r"[a-z]+_[a-z]+|\b(True|False|None)\b|\b97\d{4}\b|\b14701\b")


def test_no_raw_key_or_english_word_in_the_vietnamese_history(client, returned_dossier):
    html = client.get(returned_dossier).get_data(as_text=True)
    for section_id in ("history", "since-request"):
        text = section(html, section_id)
        assert not RAW.search(text), RAW.search(text)
        for label in FIELD_LABELS.values():
            english = label._args[0] if hasattr(label, "_args") else str(label)
            if english not in ("Zalo",):
                assert not re.search(rf"\b{re.escape(english)}\b", text), english
        for word in ("yes", "no", "Household", "Cooperative", "Submitted", "Bank"):
            assert not re.search(rf"\b{word}\b", text), word


def test_the_english_history_reads_as_english(client, auth, returned_dossier):
    ww.use_english(client, auth)
    html = client.get(returned_dossier).get_data(as_text=True)
    history = section(html, "history")
    assert not RAW.search(history), RAW.search(history)
    assert "Type: Cooperative → Household business" in history
    assert "Bank: Agribank → Vietcombank" in history
    assert "Must be approved again: no" in history
    assert "Loại hình" not in history
    box = section(html, "since-request")
    assert "Xã Gia Phú, Lào Cai → Xã Bản Hồ, Lào Cai" in box
