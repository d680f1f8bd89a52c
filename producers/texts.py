"""Plain-language wording for statuses and missing items, shared by the wizard's pages."""
from flask_babel import lazy_gettext as _l

from producers import wizard

STATUS_LABELS = {
    wizard.DRAFT: _l("Not sent yet"),
    wizard.SUBMITTED: _l("Waiting for the commune officer"),
    wizard.CHANGES_REQUESTED: _l("Changes requested"),
    wizard.VERIFIED: _l("Verified"),
    wizard.REJECTED: _l("Not accepted"),
    wizard.SUSPENDED: _l("Suspended"),
}

STATUS_EXPLANATIONS = {
    wizard.DRAFT: _l("Your profile is saved but not sent. Complete the steps and send it to the officer "
                     "of your commune."),
    wizard.SUBMITTED: _l("The officer of your commune is checking your profile and papers. You will see "
                         "the result here."),
    wizard.CHANGES_REQUESTED: _l("The officer asked you to correct something. Read the note below, make the "
                                 "changes and send the profile again."),
    wizard.VERIFIED: _l("Your business is verified. Buyers can see it and your products on Chợ Quê."),
    wizard.REJECTED: _l("The officer did not accept this profile. The reason is below. Please contact your "
                        "commune office if you have questions."),
    wizard.SUSPENDED: _l("Your business is hidden from buyers for now. The reason is below. Please contact "
                         "your commune office."),
}

LOCKED_MESSAGES = {
    wizard.SUBMITTED: _l("Your profile is with the officer now, so it cannot be changed. You will be able to "
                         "edit it if the officer asks for changes."),
    wizard.VERIFIED: _l("Your business is verified. To change these details, please contact the officer of "
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
    wizard.ACCOUNT: _l("Account"),
    wizard.PROFILE: _l("Business"),
    wizard.DOCUMENTS: _l("Papers"),
    wizard.BANK: _l("Bank"),
    wizard.REVIEW: _l("Send"),
}

KIND_SHORT_LABELS = {
    "cooperative": _l("Cooperative"),
    "cooperative_group": _l("Cooperative group"),
    "household": _l("Household business"),
    "enterprise": _l("Enterprise"),
}


def locked_message(status):
    return str(LOCKED_MESSAGES.get(status, LOCKED_DEFAULT))
