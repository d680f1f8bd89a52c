"""Journey: a producer asks for its messages by e-mail on its profile; a commune officer
verifies its dossier on a phone; the producer's inbox on a real SMTP server (aiosmtpd,
started by the test) receives the Vietnamese message with a link, and the link opens the
producer's own profile page showing it is verified."""
import re

import pytest

from accounts.models import Role
from tests.browser.test_verification_flow import click_and_wait, log_in, log_out
from tests import factories as w
from tests.receivers import Receivers

pytestmark = pytest.mark.browser
INBOX = "lo.thi.mai@giaphu.example.vn"


@pytest.fixture(scope="module")
def receivers():
    running = Receivers().start()
    yield running
    running.stop()


@pytest.fixture
def app_config(receivers):
    receivers.reset()
    return receivers.config()


def test_the_verified_producer_reads_the_news_in_its_inbox_and_follows_the_link(
        app, live_server, phone, make_user, receivers):
    app.config["PUBLIC_BASE_URL"] = live_server  # links in messages point at this site
    _officer_id, officer_phone = make_user(role=Role.OFFICER, communes=(w.COMMUNE_A,), name="Cán bộ xã Gia Phú")
    owner_id, owner_phone = make_user(name="Lò Thị Mai")
    producer_id = w.make_dossier(app, owner_id, w.COMMUNE_A, w.PROVINCE_A, name="HTX Mật ong Gia Phú")

    log_in(phone, live_server, owner_phone)
    phone.goto(f"{live_server}/nha-san-xuat/ho-so/{producer_id}/buoc-5")
    click_and_wait(phone, f'a[href="/nha-san-xuat/ho-so/{producer_id}/tin-nhan"]')
    phone.check('input[name="channel"][value="email"]')
    phone.fill("#email", INBOX)
    click_and_wait(phone, "form.message-settings button[type=submit]")
    assert "Đã lưu." in phone.inner_text("main")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.shot("messages-by-email")
    log_out(phone)

    log_in(phone, live_server, officer_phone)
    phone.goto(f"{live_server}/can-bo/ho-so/{producer_id}")
    click_and_wait(phone, 'form[action$="/duyet"] button[type=submit]')
    assert w.producer_status(app, producer_id) == "verified"
    phone.goto(f"{live_server}/can-bo/ho-so/{producer_id}/tin-nhan")
    assert INBOX in phone.inner_text("main") and "Đã gửi" in phone.inner_text("main")
    phone.shot("officer-sees-the-message")
    log_out(phone)

    mails = receivers.inbox.to(INBOX)  # verified, and the bank details approved with it: one mail each
    assert len(mails) == 2 and any("thông tin nhận tiền mới" in mail.get_content() for mail in mails)
    [message] = [mail for mail in mails if "xác minh" in mail["Subject"]]
    body = message.get_content()
    assert message["Subject"] == "Chợ Quê: HTX Mật ong Gia Phú đã được xác minh"
    assert "Chợ Quê: HTX Mật ong Gia Phú đã được xác minh. Sản phẩm có thể lên chợ:" in body
    [link] = re.findall(r"https?://\S+", body)
    assert link == f"{live_server}/nha-san-xuat/ho-so/{producer_id}/buoc-5"

    phone.goto(link)  # not logged in: the log-in page, then the page the link names
    phone.fill("#phone", owner_phone)
    phone.fill("#password", "rau-sach-2025")
    click_and_wait(phone, "button.primary")
    assert phone.url == link
    assert "HTX Mật ong Gia Phú" in phone.inner_text("main") and "Đã xác minh" in phone.inner_text("main")
    phone.shot("the-link-opens-the-profile")
