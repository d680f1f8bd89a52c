"""The terms of the notification outbox."""
from enum import StrEnum


class NoticeKind(StrEnum):
    # To the contact on record before the change (docs/SECURITY-REFERENCE.md §5: notify the old
    # verified contact).
    BANK_ACCOUNT_CHANGED = "bank_account_changed"
    PAYMENT_LINK_CHANGED = "payment_link_changed"
    # To the owner: an officer refused a change; the last approved version stays in force.
    BANK_ACCOUNT_REJECTED = "bank_account_rejected"
    PAYMENT_LINK_REJECTED = "payment_link_rejected"
    # To the farmer's mobile number a helper typed: the code that makes the profile theirs.
    CLAIM_CODE = "claim_code"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for the outbox sender
    SENT = "sent"


class Channel(StrEnum):
    """How the sender reaches recipient_phone (the in-app copy goes by recipient_user_id)."""
    SMS = "sms"
    ZALO = "zalo"


SMS_TEXT_MAX = 200  # stored text; the rules keep the sent SMS within one segment
