"""Every event's message reaches a real SMTP server (aiosmtpd) or the local SMS / Zalo ZNS
gateway stub (tests/receivers.py names the published forms it follows):
sent once, retried after a refusal (SMTP 451 / HTTP 500) once the back-off has passed, and
never sent twice however often the task runs."""
from datetime import date, timedelta

import pytest

from accounts.models import User
from core.clock import utcnow
from extensions import db
from notifications import outbox
from verification import reminders
from notifications.constants import DeliveryStatus, NoticeKind
from notifications.models import Notification
from producers.models import Producer, ProducerStatus
from tests import factories as vw
from tests.receivers import Receivers

PRODUCER_EMAIL = "htx.matong.giaphu@example.vn"
OFFICER_EMAILS = ("canbo.a@giaphu.example.vn", "canbo.a2@giaphu.example.vn")


@pytest.fixture(scope="module")
def receivers():
    running = Receivers().start()
    yield running
    running.stop()


@pytest.fixture
def app_config(receivers):
    return receivers.config()


@pytest.fixture
def world(app, make_user, receivers):
    receivers.reset()
    return vw.build(app, make_user, with_images=True)


def prefer(app, world, channel):
    """The producer picks `channel` in its profile; officers have an e-mail address when the
    channel is e-mail (else they get an SMS on their phone)."""
    with app.app_context():
        producer = db.session.get(Producer, world.pa)
        producer.notify_channel = channel
        producer.email = PRODUCER_EMAIL if channel == "email" else None
        if channel == "email":
            for officer, address in zip((world.oa, world.oa2), OFFICER_EMAILS):
                db.session.get(User, officer[0]).email = address
        db.session.commit()


def last_id(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.max(Notification.id))) or 0


def rows_after(app, first_id):
    with app.app_context():
        db.session.expire_all()
        return db.session.scalars(db.select(Notification).where(Notification.id > first_id)
                                  .order_by(Notification.id)).all()


def in_app_context(app, work):
    with app.app_context():
        work()
        db.session.commit()


def _producer(world):
    return db.session.get(Producer, world.pa)


def _user(person):
    return db.session.get(User, person[0])


# --- the events, each done through the service its page calls ------------------------------

def submitted(app, world):
    from producers import services

    vw.set_status(app, world.pa, ProducerStatus.CHANGES_REQUESTED)
    in_app_context(app, lambda: services.submit(_producer(world), _user(world.owner_a)))


def decision(name, reason="Ảnh giấy chứng nhận bị mờ, xin chụp lại."):
    def run(app, world):
        from verification import rules, services

        if name == "suspend":
            vw.set_status(app, world.pa, ProducerStatus.VERIFIED)
        seen = rules.SeenPayment(*vw.pending_fields(app, world.pa)) if name == "approve" else None
        in_app_context(app, lambda: services.decide(_user(world.oa), _producer(world), name,
                                                    reason=None if name == "approve" else reason, seen=seen))
    return run


def payment_changed(app, world):
    vw.set_status(app, world.pa, ProducerStatus.VERIFIED)
    vw.approve_all_payments(app, world.pa, world.admin[0])
    vw.add_payment_version(app, world.pa, world.owner_a[0])


def payment_approved(app, world):
    from verification import rules, services

    payment_changed(app, world)
    start = last_id(app)
    seen = rules.SeenPayment(*vw.pending_fields(app, world.pa))
    in_app_context(app, lambda: services.approve_payment(_user(world.oa), _producer(world), seen))
    return start


def _order(app, world):
    from catalog.models import Product
    from payments import services

    vw.set_status(app, world.pa, ProducerStatus.VERIFIED)
    vw.approve_all_payments(app, world.pa, world.admin[0])
    product_id = vw.add_published_product(app, world.pa, "Mật ong bạc hà Mèo Vạc hũ thủy tinh 500 ml loại đặc biệt")
    start = last_id(app)
    with app.app_context():
        order = services.create_order(db.session.get(Product, product_id), quantity=3, buyer_name="Trần Thị Bình",
                                      buyer_phone="+84987654321", delivery_address="12 Hàng Bạc, Hà Nội")
        db.session.commit()
        return start, order.code, order.amount_vnd


def new_order(app, world):
    start, _code, _amount = _order(app, world)
    return start


def payment_received(app, world):
    from reconcile.notifications import Incoming
    from reconcile.services import record_incoming
    from reconcile.constants import Source

    _start, code, amount = _order(app, world)
    start = last_id(app)
    in_app_context(app, lambda: record_incoming(
        _producer(world), Incoming(Source.SEPAY, "FT2509123", amount, f"{code} thanh toan don hang")))
    return start


def certificate(days_before):
    def run(app, world):
        # The certificate of make_producer: decision 10/05/2024, re-evaluation due 10/05/2027.
        today = date(2027, 5, 10) - timedelta(days=days_before)
        vw.set_status(app, world.pa, ProducerStatus.VERIFIED)
        vw.set_status(app, world.pb, ProducerStatus.DRAFT)  # same certificate; drafts are not reminded
        with app.app_context():
            assert reminders.remind_expiring(today) == 1
            db.session.commit()
            assert reminders.remind_expiring(today) == 0, "the daily run may go twice: one message"
            assert reminders.remind_expiring(today + timedelta(days=1)) == 0
    return run


EVENTS = {
    "dossier submitted": (submitted, {NoticeKind.DOSSIER_SUBMITTED}),
    "changes requested": (decision("request_changes"), {NoticeKind.CHANGES_REQUESTED}),
    "verified": (decision("approve"), {NoticeKind.VERIFIED, NoticeKind.PAYMENT_DETAILS_APPROVED}),
    "rejected": (decision("reject"), {NoticeKind.REJECTED}),
    "suspended": (decision("suspend"), {NoticeKind.SUSPENDED}),
    "payment details changed": (payment_changed, {NoticeKind.BANK_ACCOUNT_CHANGED,
                                                  NoticeKind.PAYMENT_DETAILS_CHANGED}),
    "payment details approved": (payment_approved, {NoticeKind.PAYMENT_DETAILS_APPROVED}),
    "new order": (new_order, {NoticeKind.NEW_ORDER}),
    "payment received": (payment_received, {NoticeKind.PAYMENT_RECEIVED}),
    "certificate in 90 days": (certificate(60), {NoticeKind.CERTIFICATE_EXPIRING}),
    "certificate in 30 days": (certificate(12), {NoticeKind.CERTIFICATE_EXPIRING}),
    "certificate due today": (certificate(0), {NoticeKind.CERTIFICATE_EXPIRING}),
}
CASES = [(event, channel) for event in EVENTS for channel in ("email", "sms", "zalo")
         if not (event == "dossier submitted" and channel == "zalo")]  # officers have e-mail or SMS


def happen(app, world, event):
    start = last_id(app)
    trigger, kinds = EVENTS[event]
    start = trigger(app, world) or start
    rows = rows_after(app, start)
    assert rows and {row.kind for row in rows} <= kinds | {NoticeKind.PAYMENT_DETAILS_CHANGED}, (
        [row.kind for row in rows])
    assert {row.kind for row in rows} & kinds
    return rows


def expected_channel(event, channel, row):
    if row.kind == NoticeKind.BANK_ACCOUNT_CHANGED:
        return "sms"  # the number on record before the change is warned by SMS
    if event == "dossier submitted":
        return "email" if channel == "email" else "sms"
    return channel


def assert_delivered_once(app, receivers, rows, event, channel):
    for row in rows:
        assert row.channel == expected_channel(event, channel, row), (row.kind, row.channel)
        assert receivers.delivered(row.channel).count(str(row.id)) == 1, (row.kind, row.channel)


@pytest.mark.parametrize("event,channel", CASES)
def test_sent_once_when_all_goes_well(app, world, receivers, event, channel):
    prefer(app, world, channel)
    rows = happen(app, world, event)  # the task runs right after the event's commit (JOBS_IMMEDIATE)
    assert [row.status for row in rows] == [DeliveryStatus.SENT] * len(rows)
    assert all(row.attempts == 1 and row.sent_at for row in rows)
    with app.app_context():
        for row in rows:  # the task runs again (a duplicate on the queue, a second worker)
            assert outbox.deliver_task(row.id) == "not_due"
            assert outbox.deliver(row.id).outcome == "not_due"
    assert_delivered_once(app, receivers, rows, event, channel)


@pytest.mark.parametrize("event,channel", CASES)
def test_retried_after_a_refusal_and_never_sent_twice(app, world, receivers, monkeypatch, event, channel):
    prefer(app, world, channel)
    receivers.reset(refuse_first=True)
    rows = happen(app, world, event)
    for row in rows:
        assert (row.status, row.attempts, row.sent_at) == (DeliveryStatus.PENDING, 1, None)
        assert row.last_error and row.next_attempt_at > utcnow()
        assert receivers.delivered(row.channel).count(str(row.id)) == 0
    with app.app_context():
        assert all(outbox.deliver(row.id).outcome == "not_due" for row in rows), "not before the back-off"
        assert not {row.id for row in rows} & set(outbox.due_ids())
    monkeypatch.setattr(outbox, "utcnow", lambda: utcnow() + timedelta(minutes=5))
    with app.app_context():
        assert {row.id for row in rows} <= set(outbox.due_ids())
        assert [outbox.deliver_task(row.id) for row in rows] == ["sent"] * len(rows)
        assert [outbox.deliver_task(row.id) for row in rows] == ["not_due"] * len(rows)
    rows = rows_after(app, rows[0].id - 1)
    assert all(row.status == DeliveryStatus.SENT and row.attempts == 2 and row.last_error is None for row in rows)
    assert_delivered_once(app, receivers, rows, event, channel)


def test_what_each_channel_carries(app, world, receivers):
    """E-mail: the Vietnamese text with diacritics, the officer's note and the link; SMS: folded
    to ASCII within one segment, link included; Zalo: the approved template with the text."""
    prefer(app, world, "email")
    [row] = happen(app, world, "changes requested")
    [message] = receivers.inbox.to(PRODUCER_EMAIL)
    body = message.get_content()
    assert "cán bộ xã đề nghị sửa hồ sơ HTX Mật ong Gia Phú" in body
    assert "Ảnh giấy chứng nhận bị mờ" in body
    assert f"https://choque.example/nha-san-xuat/ho-so/{world.pa}/buoc-5" in body
    assert f"notice-{row.id}" in message["Message-ID"]

    prefer(app, world, "sms")
    vw.set_status(app, world.pa, ProducerStatus.SUBMITTED)
    [row] = happen(app, world, "rejected")
    [sms] = receivers.gateway.bodies("/sms")
    assert sms["Phone"] == "84912345678" and sms["SmsType"] == "2" and sms["RequestId"] == str(row.id)
    assert sms["Content"].startswith("Cho Que: ho so HTX Mat ong Gia Phu khong duoc duyet")
    assert sms["Content"].endswith(f"/nha-san-xuat/ho-so/{world.pa}/buoc-5") and len(sms["Content"]) <= 160

    prefer(app, world, "zalo")
    vw.set_status(app, world.pa, ProducerStatus.VERIFIED)
    [row] = happen(app, world, "suspended")
    [zns] = receivers.gateway.bodies("/zns")
    assert zns["phone"] == "84912345678" and zns["template_id"] == "301234" and zns["tracking_id"] == str(row.id)
    assert "bị tạm ngừng" in zns["template_data"]["content"] and zns["template_data"]["link"] == row.link


def test_english_speaking_producer_gets_english(app, world, receivers):
    prefer(app, world, "email")
    with app.app_context():
        db.session.get(Producer, world.pa).notify_language = "en"
        db.session.commit()
    happen(app, world, "changes requested")
    [message] = receivers.inbox.to(PRODUCER_EMAIL)
    assert "the officer asks for changes to HTX Mật ong Gia Phú" in message.get_content()


def test_an_unconfigured_channel_is_skipped_and_the_row_waits(app, world, receivers, caplog):
    prefer(app, world, "sms")
    app.config["SMS_GATEWAY_URL"] = None
    import logging

    logger = logging.getLogger("choque.notifications")  # its parent may not propagate (JSON logs)
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level("INFO", logger="choque.notifications"):
            [row] = happen(app, world, "changes requested")
    finally:
        logger.removeHandler(caplog.handler)
    assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.PENDING, 0, "channel sms not configured")
    assert "not configured" in caplog.text and receivers.gateway.requests == []
    app.config["SMS_GATEWAY_URL"] = receivers.gateway.base + "/sms"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["notifications", "send-due", "--here"])
    assert "1 sent" in result.output, result.output
    assert receivers.delivered("sms") == [str(row.id)]


def test_a_refused_message_gives_up_after_the_last_attempt(app, world, receivers, monkeypatch):
    from notifications.constants import MAX_ATTEMPTS

    prefer(app, world, "email")
    receivers.reset(refuse_first=True)
    [row] = happen(app, world, "rejected")
    moment = {"now": utcnow()}
    monkeypatch.setattr(outbox, "utcnow", lambda: moment["now"])
    with app.app_context():
        for attempt in range(2, MAX_ATTEMPTS + 1):
            receivers.inbox.refused.discard(str(row.id))  # refuses again
            moment["now"] += timedelta(hours=7)
            outcome = outbox.deliver(row.id)
            assert outcome.outcome == "failed"
        db.session.expire_all()
        failed = db.session.get(Notification, row.id)
        assert (failed.status, failed.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS)
        moment["now"] += timedelta(days=1)
        assert outbox.deliver(row.id).outcome == "not_due"
    assert receivers.inbox.messages == []


def test_two_senders_at_once_send_it_once(app, world, receivers):
    """Two workers (or a duplicate on the queue) take the same row at the same moment: the
    conditional UPDATE lets one of them have it."""
    import threading

    prefer(app, world, "email")
    app.config["MAIL_SERVER"] = None  # not configured yet: the event's own task leaves it waiting
    [row] = happen(app, world, "rejected")
    assert row.status == DeliveryStatus.PENDING
    app.config["MAIL_SERVER"] = "127.0.0.1"
    start, outcomes = threading.Barrier(4), []

    def sender():
        with app.app_context():
            start.wait()
            outcomes.append(outbox.deliver(row.id).outcome)
            db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["not_due", "not_due", "not_due", "sent"]
    assert receivers.delivered("email") == [str(row.id)]


def test_the_daily_command_reminds_once_per_threshold(app, world, receivers):
    prefer(app, world, "email")
    vw.set_status(app, world.pa, ProducerStatus.VERIFIED)
    vw.set_status(app, world.pb, ProducerStatus.DRAFT)
    runner = app.test_cli_runner()
    days = {"2027-01-01": "0", "2027-02-09": "1", "2027-02-10": "0", "2027-04-10": "1", "2027-05-10": "1",
            "2027-05-25": "0"}
    for day, written in days.items():
        result = runner.invoke(args=["verification", "remind-expiring", "--day", day])
        assert result.output.startswith(f"{written} reminders written for {day}"), (day, result.output)
    subjects = [message["Subject"] for message in receivers.inbox.to(PRODUCER_EMAIL)]
    assert subjects == ["Chợ Quê: chứng nhận OCOP Mật ong bạc hà hết hạn ngày 10/05/2027"] * 3
