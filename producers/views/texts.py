"""Plain-language wording for statuses and missing items, shared by the wizard's pages."""
from flask_babel import lazy_gettext as _l

from producers import rules
from producers.constants import ProducerKind, ProducerStatus

# The labels themselves are defined once, in producers.constants.
STATUS_LABELS = {status: _l(status.producer_label) for status in ProducerStatus}

STATUS_EXPLANATIONS = {
    rules.DRAFT: _l("Your profile is saved but not sent. Complete the steps and send it to the officer "
                     "of your commune."),
    rules.SUBMITTED: _l("The officer of your commune is checking your profile and papers. You will see "
                         "the result here."),
    rules.CHANGES_REQUESTED: _l("The officer asked you to correct something. Read the note below, make the "
                                 "changes and send the profile again."),
    rules.VERIFIED: _l("Your business is verified. Buyers can see it and your products on Chợ Quê."),
    ProducerStatus.REJECTED: _l("The officer did not accept this profile. The reason is below. Please contact your "
                        "commune office if you have questions."),
    ProducerStatus.SUSPENDED: _l("Your business is hidden from buyers for now. The reason is below. Please contact "
                         "your commune office."),
}

LOCKED_MESSAGES = {
    rules.SUBMITTED: _l("Your profile is with the officer now, so it cannot be changed. You will be able to "
                         "edit it if the officer asks for changes."),
    rules.VERIFIED: _l("Your business is verified. To change these details, please contact the officer of "
                        "your commune. You can still change your bank account."),
}
LOCKED_DEFAULT = _l("This profile cannot be changed now.")

MISSING_LABELS = {
    "legal_name": _l("the name of the business"),
    "tax_code": _l("the tax code (or, for a household business, the representative's personal ID)"),
    "representative": _l("the representative's name"),
    "commune_code": _l("the commune"),
    "address": _l("the address"),
    "phone": _l("a phone number"),
    "business_registration": _l("a photo of the business registration"),
    "certificate": _l("at least one OCOP certificate"),
    "valid_certificate": _l("an OCOP certificate that has not expired"),
    "payment_account": _l("the bank account for payments"),
}

STEP_NAMES = {
    rules.ACCOUNT: _l("Account"),
    rules.PROFILE: _l("Business"),
    rules.DOCUMENTS: _l("Papers"),
    rules.BANK: _l("Bank"),
    rules.REVIEW: _l("Send"),
}

KIND_SHORT_LABELS = {kind: _l(kind.label) for kind in ProducerKind}


def locked_message(status):
    return str(LOCKED_MESSAGES.get(status, LOCKED_DEFAULT))
