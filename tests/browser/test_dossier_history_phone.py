"""An officer reads a returned dossier's history on a 360-px phone: field names and values in
words, and the box of what changed since the request, without sideways scrolling."""
import os

from accounts.models import Role
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_verification_flow import fits_the_phone, log_in
from tests.integration.test_dossier_history_words import BAN_HO, returned_dossier  # noqa: F401 (fixture)


def test_returned_dossier_history_on_a_phone(app, live_server, phone, make_user, returned_dossier):  # noqa: F811
    _officer_id, officer_phone = make_user(role=Role.OFFICER, communes=(BAN_HO,), name="Cán bộ Bản Hồ")
    log_in(phone, live_server, officer_phone)
    phone.goto(live_server + returned_dossier)
    box = phone.inner_text("#since-request")
    assert "Agribank → Vietcombank" in box and "Hợp tác xã → Hộ kinh doanh" in box
    history = phone.inner_text("#history")
    assert "bank_bin" not in history and "commune_code" not in history and "True" not in history
    assert fits_the_phone(phone)
    folder = os.path.join(ARTIFACTS, "dossier_history_phone")
    os.makedirs(folder, exist_ok=True)
    for section in ("since-request", "history"):
        phone.locator(f"#{section}").screenshot(path=os.path.join(folder, f"{section}-360.png"))
