"""Write notices to the outbox and read a user's in-app notices. Services change the
session and never commit: a notice is committed with the change it reports, or not at all."""
from flask import current_app
from flask_babel import force_locale

from core.clock import utcnow
from core.i18n import format_day
from extensions import db
from notifications import rules
from notifications.constants import Channel, DeliveryStatus, NoticeKind
from notifications.models import Notification
from notifications.texts import NOTICE_TEXTS

CHANGED_KINDS = {"bank_account": NoticeKind.BANK_ACCOUNT_CHANGED, "payment_link": NoticeKind.PAYMENT_LINK_CHANGED}
REJECTED_KINDS = {"bank_account": NoticeKind.BANK_ACCOUNT_REJECTED,
                  "payment_link": NoticeKind.PAYMENT_LINK_REJECTED}
RECENT_NOTICES = 20


def _texts(kind, **params):
    texts = {}
    for language in ("vi", "en"):
        with force_locale(language):
            texts[language] = str(NOTICE_TEXTS[kind]) % params
    return texts


def _act_link():
    """Where the owner acts: the producer's home (absolute, on the public address). Built
    from the URL map, so a notice can be written outside a request too (CLI, jobs)."""
    path = current_app.url_map.bind("localhost").build("producers.dashboard")
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def _add(kind, producer, *, user_id=None, phone=None, channel=Channel.SMS, detail=None, link=None, texts=None,
         **params):
    texts = texts or _texts(kind, **params)
    notice = Notification(kind=kind, producer_id=producer.id, recipient_user_id=user_id, recipient_phone=phone,
                          channel=channel, text_vi=texts["vi"], text_en=texts["en"], detail=detail,
                          link=link or _act_link())
    db.session.add(notice)
    return notice


def notify_payment_change(producer, detail_kind, version):
    """Warn the contact on record before the change (phone, Zalo; else the owner's login phone).
    The owner also sees the first notice in the app. Returns the notices added."""
    owner = producer.owner
    contacts = rules.previous_contacts(producer.phone, producer.zalo, owner.phone if owner else None)
    params = {"last4": rules.last_digits(getattr(version, "account_number", ""))}
    kind = CHANGED_KINDS[detail_kind]
    notices = []
    for index, (channel, number) in enumerate(contacts):
        user_id = producer.owner_id if index == 0 else None
        notices.append(_add(kind, producer, user_id=user_id, phone=number, channel=Channel(channel), **params))
    if not contacts and producer.owner_id is not None:
        notices.append(_add(kind, producer, user_id=producer.owner_id, **params))
    return notices


def notify_rejection(producer, detail_kind, reason):
    """Tell the owner that an officer refused a change (the last approved version stays in force)."""
    if producer.owner is None:
        return None
    return _add(REJECTED_KINDS[detail_kind], producer, user_id=producer.owner_id, phone=producer.owner.phone,
                detail=reason)


def claim_code_texts(code, phone_display, valid_until):
    """The claim-code message in both languages (the date in each language's form)."""
    texts = {}
    for language in ("vi", "en"):
        with force_locale(language):
            texts[language] = str(NOTICE_TEXTS[NoticeKind.CLAIM_CODE]) % {
                "code": code, "phone": phone_display, "date": format_day(valid_until)}
    return texts


def send_claim_code(producer, phone, texts, link):
    """Queue the claim code for the farmer's mobile number (the later SMS sender delivers it).
    Undelivered messages carrying an earlier code are dropped: that code no longer works."""
    db.session.execute(db.delete(Notification).where(
        Notification.producer_id == producer.id, Notification.kind == NoticeKind.CLAIM_CODE,
        Notification.status == DeliveryStatus.PENDING))
    return _add(NoticeKind.CLAIM_CODE, producer, phone=phone, channel=Channel.SMS, link=link, texts=texts)


def number_on_record(producer, detail_kind, since):
    """The number warned of the change made at `since` (the contact on record before it),
    which the officer calls before approving; None when no warning was written."""
    return db.session.scalar(
        db.select(Notification.recipient_phone)
        .where(Notification.producer_id == producer.id, Notification.kind == CHANGED_KINDS[detail_kind],
               Notification.recipient_phone.is_not(None), Notification.created_at >= since)
        .order_by(Notification.id).limit(1))


def take_unseen(user):
    """The user's notices not shown yet, oldest first, now marked as shown (once after a log-in)."""
    notices = db.session.scalars(
        db.select(Notification).where(Notification.recipient_user_id == user.id, Notification.shown_at.is_(None))
        .order_by(Notification.created_at, Notification.id)).all()
    now = utcnow()
    for notice in notices:
        notice.shown_at = now
    return notices


def recent_for(user, producer_id=None, limit=RECENT_NOTICES):
    query = db.select(Notification).where(Notification.recipient_user_id == user.id)
    if producer_id is not None:
        query = query.where(Notification.producer_id == producer_id)
    return db.session.scalars(query.order_by(Notification.created_at.desc(), Notification.id.desc())
                              .limit(limit)).all()
