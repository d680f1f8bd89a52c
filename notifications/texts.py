"""The short texts of each notice kind (English msgids; Vietnamese in the catalogue).
Each must fit one SMS with its link once Vietnamese is folded to ASCII (tests/unit/
test_notice_texts.py tries them with long names); names are cut to fit when needed."""
from flask_babel import lazy_gettext as _l

from notifications.constants import NoticeKind

NOTICE_TEXTS = {
    NoticeKind.BANK_ACCOUNT_CHANGED: _l("Chợ Quê: the bank account for your payments was changed (ends "
                                        "%(last4)s). Not you? Call your commune officer now."),
    NoticeKind.PAYMENT_LINK_CHANGED: _l("Chợ Quê: your payment link was changed. Not you? "
                                        "Call your commune officer now."),
    NoticeKind.BANK_ACCOUNT_REJECTED: _l("Chợ Quê: your new bank details were not approved. Buyers still "
                                         "pay into your previous approved account."),
    NoticeKind.PAYMENT_LINK_REJECTED: _l("Chợ Quê: your new payment link was not approved. Your previous "
                                         "approved link, if any, stays in use."),
    NoticeKind.CLAIM_CODE: _l("Chợ Quê: your profile claim code is %(code)s. Open the link and register "
                              "with %(phone)s. Valid until %(date)s."),
    NoticeKind.DOSSIER_SUBMITTED: _l("Chợ Quê: %(name)s sent a dossier for verification. Please review it:"),
    NoticeKind.CHANGES_REQUESTED: _l("Chợ Quê: the officer asks for changes to %(name)s. See the note:"),
    NoticeKind.VERIFIED: _l("Chợ Quê: %(name)s is verified. Your products can go on sale:"),
    NoticeKind.REJECTED: _l("Chợ Quê: the dossier of %(name)s was not approved. See why:"),
    NoticeKind.SUSPENDED: _l("Chợ Quê: the shop of %(name)s is suspended. See why:"),
    NoticeKind.PAYMENT_DETAILS_CHANGED: _l("Chợ Quê: payment details of %(name)s changed, awaiting review. "
                                           "Not you? Call the commune:"),
    NoticeKind.PAYMENT_DETAILS_APPROVED: _l("Chợ Quê: the new payment details of %(name)s are approved:"),
    NoticeKind.NEW_ORDER: _l("Chợ Quê: new order %(code)s, %(quantity)s x %(product)s, %(amount)s đ:"),
    NoticeKind.PAYMENT_RECEIVED: _l("Chợ Quê: order %(code)s is paid (%(amount)s đ). Please ship it:"),
    NoticeKind.CERTIFICATE_EXPIRING: _l("Chợ Quê: the OCOP certificate of %(product)s expires on %(date)s. "
                                        "Ask the commune to re-evaluate:"),
    NoticeKind.CERTIFICATE_EXPIRED: _l("Chợ Quê: the OCOP certificate of %(product)s expired on %(date)s. "
                                       "Ask the commune to re-evaluate:"),
}

# The parameters that carry names people typed (cut to fit one SMS when long).
NAME_PARAMS = ("name", "product")
