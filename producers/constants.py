"""The producers' words: kinds, statuses and document kinds, with the labels people read.

The one source of these terms: models, pure rules, the catalogue's importer and exporters and
the officers' pages all import them from here. Labels are English msgids marked with `N_`
(Babel extracts it by default) and translated where they are shown (`gettext(kind.label)`,
or `lazy_gettext` for a table built at import time), so this module needs no Flask and the
pure modules that import it stay pure.
"""
from enum import StrEnum


def N_(message):
    """Marks a message for translation without translating it here."""
    return message


class ProducerKind(StrEnum):
    COOPERATIVE = "cooperative"  # hợp tác xã
    COOPERATIVE_GROUP = "cooperative_group"  # tổ hợp tác
    HOUSEHOLD = "household"  # hộ kinh doanh
    ENTERPRISE = "enterprise"  # doanh nghiệp

    @property
    def label(self):
        """Short: 'Cooperative'."""
        return KIND_LABELS[self]

    @property
    def long_label(self):
        """With the Vietnamese legal term, for the profile form: 'Cooperative (hợp tác xã)'."""
        return KIND_LONG_LABELS[self]


KIND_LABELS = {
    ProducerKind.COOPERATIVE: N_("Cooperative"),
    ProducerKind.COOPERATIVE_GROUP: N_("Cooperative group"),
    ProducerKind.HOUSEHOLD: N_("Household business"),
    ProducerKind.ENTERPRISE: N_("Enterprise"),
}
KIND_LONG_LABELS = {
    ProducerKind.COOPERATIVE: N_("Cooperative (hợp tác xã)"),
    ProducerKind.COOPERATIVE_GROUP: N_("Cooperative group (tổ hợp tác)"),
    ProducerKind.HOUSEHOLD: N_("Household business (hộ kinh doanh)"),
    ProducerKind.ENTERPRISE: N_("Enterprise (doanh nghiệp)"),
}


class ProducerStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    VERIFIED = "verified"
    REJECTED = "rejected"
    SUSPENDED = "suspended"

    @property
    def label(self):
        """As officers read it in their queue: 'Submitted'."""
        return STATUS_LABELS[self]

    @property
    def producer_label(self):
        """As the producer reads it about their own profile: 'Waiting for the commune officer'."""
        return STATUS_PRODUCER_LABELS[self]


STATUS_LABELS = {
    ProducerStatus.DRAFT: N_("Draft"),
    ProducerStatus.SUBMITTED: N_("Submitted"),
    ProducerStatus.CHANGES_REQUESTED: N_("Changes requested"),
    ProducerStatus.VERIFIED: N_("Verified"),
    ProducerStatus.REJECTED: N_("Rejected"),
    ProducerStatus.SUSPENDED: N_("Suspended"),
}
STATUS_PRODUCER_LABELS = {
    ProducerStatus.DRAFT: N_("Not sent yet"),
    ProducerStatus.SUBMITTED: N_("Waiting for the commune officer"),
    ProducerStatus.CHANGES_REQUESTED: N_("Changes requested"),
    ProducerStatus.VERIFIED: N_("Verified"),
    ProducerStatus.REJECTED: N_("Not accepted"),
    ProducerStatus.SUSPENDED: N_("Suspended"),
}


class DocumentKind(StrEnum):
    BUSINESS_REGISTRATION = "business_registration"
    BANK_PROOF = "bank_proof"

    @property
    def label(self):
        return DOCUMENT_LABELS[self]


DOCUMENT_LABELS = {
    DocumentKind.BUSINESS_REGISTRATION: N_("Business registration"),
    DocumentKind.BANK_PROOF: N_("Bank card or statement header"),
}

class VersionStatus(StrEnum):
    """Of a version of payment details (producers.versions, models.ReviewedVersion)."""
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"

    @property
    def label(self):
        return VERSION_STATUS_LABELS[self]


VERSION_STATUS_LABELS = {
    VersionStatus.PENDING: N_("Awaiting approval"),
    VersionStatus.APPROVED: N_("Approved"),
    VersionStatus.REJECTED: N_("Rejected"),
    VersionStatus.SUPERSEDED: N_("Replaced"),
}


class PaymentDetail(StrEnum):
    """The kinds of payment details that follow one approval mechanism."""
    BANK_ACCOUNT = "bank_account"
    PAYMENT_LINK = "payment_link"


# Where a producer row came from.
SOURCE_WIZARD = "wizard"
SOURCE_IMPORT = "import"
