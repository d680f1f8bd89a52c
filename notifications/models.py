"""The outbox: one row per message to one recipient."""
from core.clock import utcnow
from extensions import db
from notifications.constants import SMS_TEXT_MAX, Channel, DeliveryStatus, NoticeKind


class Notification(db.Model):
    __tablename__ = "notifications"

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(40), nullable=False)
    producer_id = db.Column(db.Integer, db.ForeignKey("producers.id", ondelete="CASCADE"), index=True)
    certificate_id = db.Column(db.Integer, db.ForeignKey("certificates.id", ondelete="CASCADE"), index=True)
    recipient_user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    recipient_phone = db.Column(db.String(16))  # E.164
    recipient_email = db.Column(db.String(254))
    channel = db.Column(db.String(8), nullable=False, default=Channel.SMS)
    language = db.Column(db.String(2), nullable=False, default="vi", server_default="vi")  # the text sent
    text_vi = db.Column(db.String(SMS_TEXT_MAX), nullable=False)
    text_en = db.Column(db.String(SMS_TEXT_MAX), nullable=False)
    detail = db.Column(db.Text)  # shown in the app only (e.g. the officer's reason), never sent by SMS
    link = db.Column(db.String(500), nullable=False, default="")
    status = db.Column(db.String(8), nullable=False, default=DeliveryStatus.PENDING, index=True)
    # One message per event and recipient however often the event is reported (e.g. "cert:12:30:+8490…").
    dedupe_key = db.Column(db.String(120), unique=True)
    attempts = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    next_attempt_at = db.Column(db.DateTime)  # a failed attempt waits until then (exponential back-off)
    claimed_at = db.Column(db.DateTime)  # when a sender took it (a crashed sender's claim expires)
    last_error = db.Column(db.String(300))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime)
    shown_at = db.Column(db.DateTime)  # first shown in the app, after a log-in

    __table_args__ = (
        db.CheckConstraint("recipient_user_id IS NOT NULL OR recipient_phone IS NOT NULL "
                           "OR recipient_email IS NOT NULL", name="has_recipient"),
        db.CheckConstraint("status IN ({})".format(", ".join(f"'{s}'" for s in DeliveryStatus)),
                           name="status_known"),
        db.CheckConstraint("kind IN ({})".format(", ".join(f"'{k}'" for k in NoticeKind)), name="kind_known"),
        db.CheckConstraint("channel IN ({})".format(", ".join(f"'{c}'" for c in Channel)), name="channel_known"),
        db.Index("ix_notifications_due", "status", "next_attempt_at"),
    )

    def text(self, locale) -> str:
        return self.text_en if str(locale).startswith("en") else self.text_vi

    @property
    def address(self) -> str | None:
        """Where the channel sends it: the e-mail address, or the phone number (SMS, Zalo)."""
        return self.recipient_email if self.channel == Channel.EMAIL else self.recipient_phone
