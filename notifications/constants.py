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
    # To the commune's officers: a dossier waits for them.
    DOSSIER_SUBMITTED = "dossier_submitted"
    # To the producer: an officer's decision on the dossier.
    CHANGES_REQUESTED = "changes_requested"
    VERIFIED = "verified"
    REJECTED = "rejected"
    SUSPENDED = "suspended"
    # To the producer's contact of today (the contact before the change gets *_CHANGED).
    PAYMENT_DETAILS_CHANGED = "payment_details_changed"
    PAYMENT_DETAILS_APPROVED = "payment_details_approved"
    NEW_ORDER = "new_order"
    PAYMENT_RECEIVED = "payment_received"
    # Re-evaluation is due 36 months after the decision: 90, 30 and 0 days before, or an officer's "Remind".
    CERTIFICATE_EXPIRING = "certificate_expiring"
    CERTIFICATE_EXPIRED = "certificate_expired"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for the outbox sender (next_attempt_at: not before then)
    SENDING = "sending"  # claimed by one sender; nobody else sends it
    SENT = "sent"
    FAILED = "failed"  # gave up after MAX_ATTEMPTS
    SKIPPED = "skipped"  # no way to send it: the channel is not configured, or no address (in the app only)


class Channel(StrEnum):
    """How the sender reaches the recipient (the in-app copy goes by recipient_user_id)."""
    EMAIL = "email"
    SMS = "sms"
    ZALO = "zalo"


# Days before a certificate's re-evaluation date when the producer is reminded.
EXPIRY_REMINDER_DAYS = (90, 30, 0)
MAX_ATTEMPTS = 6  # then the row is marked failed (visible to the officer and the producer)
SMS_TEXT_MAX = 200  # stored text; the rules keep the sent SMS within one segment
