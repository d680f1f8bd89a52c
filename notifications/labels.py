"""The words the message pages use."""
from flask_babel import lazy_gettext as _l

from notifications.constants import Channel, DeliveryStatus, NoticeKind

CHANNEL_CHOICES = [("", _l("Automatically (Zalo if I have it, else e-mail, else SMS)")),
                   (Channel.EMAIL, _l("E-mail")), (Channel.SMS, _l("SMS")), (Channel.ZALO, _l("Zalo"))]
CHANNEL_LABELS = {Channel.EMAIL: _l("E-mail"), Channel.SMS: _l("SMS"), Channel.ZALO: _l("Zalo")}
STATUS_LABELS = {DeliveryStatus.PENDING: _l("Waiting to be sent"), DeliveryStatus.SENDING: _l("Sending"),
                 DeliveryStatus.SENT: _l("Sent"), DeliveryStatus.FAILED: _l("Could not be sent"),
                 DeliveryStatus.SKIPPED: _l("In the app only")}
KIND_LABELS = {
    NoticeKind.BANK_ACCOUNT_CHANGED: _l("Bank account changed"),
    NoticeKind.PAYMENT_LINK_CHANGED: _l("Payment link changed"),
    NoticeKind.BANK_ACCOUNT_REJECTED: _l("Bank account not approved"),
    NoticeKind.PAYMENT_LINK_REJECTED: _l("Payment link not approved"),
    NoticeKind.CLAIM_CODE: _l("Claim code"),
    NoticeKind.DOSSIER_SUBMITTED: _l("Dossier sent"),
    NoticeKind.CHANGES_REQUESTED: _l("Changes requested"),
    NoticeKind.VERIFIED: _l("Verified"),
    NoticeKind.REJECTED: _l("Rejected"),
    NoticeKind.SUSPENDED: _l("Suspended"),
    NoticeKind.PAYMENT_DETAILS_CHANGED: _l("Payment details changed"),
    NoticeKind.PAYMENT_DETAILS_APPROVED: _l("Payment details approved"),
    NoticeKind.NEW_ORDER: _l("New order"),
    NoticeKind.PAYMENT_RECEIVED: _l("Payment received"),
    NoticeKind.CERTIFICATE_EXPIRING: _l("Certificate expiring"),
    NoticeKind.CERTIFICATE_EXPIRED: _l("Certificate expired"),
}
