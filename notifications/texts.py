"""The short texts of each notice kind (English msgids; Vietnamese in the catalogue)."""
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
}
