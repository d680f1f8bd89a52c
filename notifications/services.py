"""Write notices to the outbox and read a user's in-app notices. Services change the
session and never commit: a notice is committed with the change it reports, or not at all."""
from flask import current_app
from flask_babel import force_locale

from core.clock import utcnow
from core.i18n import format_day
from extensions import db
from accounts.models import CommuneAssignment, Role, User
from notifications import channels, rules
from notifications.constants import Channel, DeliveryStatus, NoticeKind
from notifications.models import Notification
from notifications.texts import NAME_PARAMS, NOTICE_TEXTS

CHANGED_KINDS = {"bank_account": NoticeKind.BANK_ACCOUNT_CHANGED, "payment_link": NoticeKind.PAYMENT_LINK_CHANGED}
REJECTED_KINDS = {"bank_account": NoticeKind.BANK_ACCOUNT_REJECTED,
                  "payment_link": NoticeKind.PAYMENT_LINK_REJECTED}
RECENT_NOTICES = 20
# Not shown as flash messages after a log-in: the page each links to lists them already (the
# orders, the officer's queue), and a busy day would bury the other notices.
NOT_FLASHED = frozenset({NoticeKind.NEW_ORDER, NoticeKind.PAYMENT_RECEIVED, NoticeKind.DOSSIER_SUBMITTED})


def _texts(kind, link="", **params):
    """The notice in both languages; long names are cut so each fits one SMS with its link."""
    texts = {}
    for language in ("vi", "en"):
        with force_locale(language):
            template = str(NOTICE_TEXTS[kind])
            # A value may be a function of the language (a date in each language's form).
            values = {key: value() if callable(value) else value for key, value in params.items()}
            keys = [key for key in NAME_PARAMS if key in values]
            texts[language] = rules.shorten_to_fit(lambda found: template % found, values, keys, link)
    return texts


def page_link(endpoint, **values):
    """An absolute link (on the public address) to the page where the reader acts. Built from
    the URL map, so a notice can be written outside a request too (CLI, jobs)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def _act_link():
    """Where the owner acts: the producer's home."""
    return page_link("producers.dashboard")


def _add(kind, producer, *, user_id=None, phone=None, email=None, channel=Channel.SMS, detail=None, link=None,
         texts=None, language="vi", dedupe_key=None, certificate_id=None, **params):
    link = link or _act_link()
    texts = texts or _texts(kind, link, **params)
    notice = Notification(kind=kind, producer_id=producer.id if producer is not None else None,
                          recipient_user_id=user_id, recipient_phone=phone, recipient_email=email,
                          channel=channel, language=language, text_vi=texts["vi"], text_en=texts["en"],
                          detail=detail, link=link, dedupe_key=dedupe_key,
                          certificate_id=certificate_id, shown_at=utcnow() if kind in NOT_FLASHED else None)
    db.session.add(notice)
    return notice


def producer_route(producer):
    """(channel, address) for messages to the producer: its choice in the profile; else Zalo
    where a Zalo number is known and Zalo ZNS works, else e-mail, else SMS (rules.choose_route)."""
    owner = producer.owner
    return rules.choose_route(producer.notify_channel, email=producer.email,
                              phone=producer.phone or (owner.phone if owner else None), zalo=producer.zalo,
                              configured=channels.configured(current_app.config))


def notify_producer(kind, producer, *, link, detail=None, dedupe_key=None, certificate_id=None, **params):
    """One message to the producer by its channel (and in its language); in the app for its owner."""
    route = producer_route(producer)
    if route is None and producer.owner_id is None:
        return None
    channel, address = route or (Channel.SMS, None)
    return _add(kind, producer, user_id=producer.owner_id, channel=Channel(channel), detail=detail, link=link,
                phone=address if channel != Channel.EMAIL else None,
                email=address if channel == Channel.EMAIL else None,
                language=producer.notify_language or "vi", dedupe_key=dedupe_key,
                certificate_id=certificate_id, **params)


def _name(producer):
    return producer.legal_name or "—"


# --- events -------------------------------------------------------------------------------------

DECISION_KINDS = {"approve": NoticeKind.VERIFIED, "request_changes": NoticeKind.CHANGES_REQUESTED,
                  "reject": NoticeKind.REJECTED, "suspend": NoticeKind.SUSPENDED}


def commune_officers(commune_code):
    return db.session.scalars(
        db.select(User).join(CommuneAssignment, CommuneAssignment.user_id == User.id)
        .where(CommuneAssignment.commune_code == commune_code, User.role == Role.OFFICER,
               User.is_active.is_(True)).order_by(User.id)).all()


def notify_submitted(producer):
    """A dossier waits: each officer of the producer's commune (e-mail, else SMS to the phone)."""
    link = page_link("verification.dossier", producer_id=producer.id)
    notices = []
    for officer in commune_officers(producer.commune_code):
        channel = Channel.EMAIL if officer.email else Channel.SMS
        notices.append(_add(NoticeKind.DOSSIER_SUBMITTED, producer, user_id=officer.id, channel=channel,
                            email=officer.email or None, phone=None if officer.email else officer.phone,
                            link=link, name=_name(producer)))
    return notices


def notify_decision(producer, decision_name):
    """The officer decided: the producer is told, with the officer's note in the app and e-mail."""
    kind = DECISION_KINDS.get(decision_name)
    if kind is None:
        return None
    return notify_producer(kind, producer, link=page_link("producers.step_review", producer_id=producer.id),
                           detail=producer.status_reason, name=_name(producer))


def notify_payment_approved(producer, detail_kind):
    return notify_producer(NoticeKind.PAYMENT_DETAILS_APPROVED, producer,
                           link=page_link("producers.step_review", producer_id=producer.id), name=_name(producer))


def _amount(value):
    return f"{int(value or 0):,}".replace(",", ".")


def notify_new_order(order):
    return notify_producer(NoticeKind.NEW_ORDER, order.producer,
                           link=page_link("payments.producer_order", code=order.code), code=order.code,
                           quantity=order.quantity, product=order.product_name, amount=_amount(order.amount_vnd))


def notify_payment_received(order):
    return notify_producer(NoticeKind.PAYMENT_RECEIVED, order.producer,
                           link=page_link("payments.producer_order", code=order.code), code=order.code,
                           amount=_amount(order.received_vnd or order.amount_vnd))


def notify_payment_change(producer, detail_kind, version):
    """Warn the contact on record before the change (phone, Zalo; else the owner's login phone).
    The owner also sees the first notice in the app. Returns the notices added."""
    owner = producer.owner
    contacts = rules.previous_contacts(producer.phone, producer.zalo, owner.phone if owner else None)
    params = {"last4": rules.last_digits(getattr(version, "account_number", ""))}
    kind = CHANGED_KINDS[detail_kind]
    notices = []
    configured = channels.configured(current_app.config)
    for index, (channel, number) in enumerate(contacts):
        user_id = producer.owner_id if index == 0 else None
        if channel == Channel.ZALO and Channel.ZALO not in configured:
            channel = Channel.SMS  # the warning must reach the number: by SMS while Zalo ZNS is not set up
        notices.append(_add(kind, producer, user_id=user_id, phone=number, channel=Channel(channel), **params))
    if not contacts and producer.owner_id is not None:
        notices.append(_add(kind, producer, user_id=producer.owner_id, **params))
    # ... and the producer's contact of today, when it is another address (say, a new e-mail).
    route = producer_route(producer)
    if route is not None and route[1] not in [number for _channel, number in contacts]:
        notices.append(notify_producer(NoticeKind.PAYMENT_DETAILS_CHANGED, producer,
                                       link=page_link("producers.step_review", producer_id=producer.id),
                                       name=_name(producer)))
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
    query = db.select(Notification).where(Notification.recipient_user_id == user.id,
                                          Notification.kind.not_in(NOT_FLASHED))
    if producer_id is not None:
        query = query.where(Notification.producer_id == producer_id)
    return db.session.scalars(query.order_by(Notification.created_at.desc(), Notification.id.desc())
                              .limit(limit)).all()
