"""Officer forms and the labels officers read. Each decision is its own small POST form;
nothing in them names a status, commune or producer: those come from the URL and the query."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from producers.constants import DocumentKind, ProducerStatus, VersionStatus
from verification.constants import PAYMENTS_TAB, PAYMENTS_TAB_LABEL, Decision

REASON_MAX = 2000

# The labels themselves are defined once, in producers.constants and verification.constants.
STATUS_LABELS = {status: _l(status.label) for status in ProducerStatus} | {PAYMENTS_TAB: _l(PAYMENTS_TAB_LABEL)}
DOCUMENT_LABELS = {kind: _l(kind.label) for kind in DocumentKind}
PAYMENT_STATUS_LABELS = {status: _l(status.label) for status in VersionStatus}

AUDIT_LABELS = {
    "created": _l("Profile created"),
    "profile_updated": _l("Profile changed"),
    "document_added": _l("Document added"),
    "certificate_added": _l("Certificate added"),
    "certificate_removed": _l("Certificate removed"),
    "certificate_changed": _l("Certificate corrected"),
    "certificate_replaced_photo": _l("Certificate photo replaced"),
    "payment_details_changed": _l("Bank details changed"),
    "submitted": _l("Submitted for verification"),
    "claim_code_issued": _l("Claim code issued"),
    "claimed": _l("Profile claimed by the producer"),
    "approved": _l("Dossier approved"),
    "changes_requested": _l("Changes requested"),
    "rejected": _l("Dossier rejected"),
    "suspended": _l("Producer suspended"),
    "reinstated": _l("Producer reinstated"),
    "payment_approved": _l("Bank details approved"),
    "payment_rejected": _l("Bank details rejected"),
    "payment_link_set": _l("Payment link changed"),
    "payment_link_removed": _l("Payment link removed"),
    "payment_link_approved": _l("Payment link approved"),
    "payment_link_rejected": _l("Payment link rejected"),
    "order_status_changed": _l("Order status changed"),
    "producer_imported": _l("Producer created from a spreadsheet"),
    "product_created": _l("Product added"),
    "product_updated": _l("Product changed"),
    "product_duplicated": _l("Product duplicated"),
    "product_photos_changed": _l("Product photos changed"),
    "product_status_changed": _l("Product published or hidden"),
    "bank_feed_connected": _l("Bank notifications connected (SePay or Casso)"),
    "bank_feed_disconnected": _l("Bank notifications disconnected"),
    "payment_matched_by_hand": _l("Bank transfer matched to an order by hand"),
}

DECISION_LABELS = {decision: _l(decision.label) for decision in Decision}
DECISION_DONE = {decision: _l(decision.done_message) for decision in Decision}

REFUSAL_MESSAGES = {
    "not_allowed": _l("This decision is not possible for a producer in this state. Nothing was changed."),
    "reason_required": _l("Please write the reason: the producer needs to know what to do."),
    "own_producer": _l("You cannot decide on a producer you own."),
    "own_dossier": _l("You created, filled in or edited this dossier, so another officer of the commune "
                      "must decide on it. Nothing was changed."),
    "stale_payment": _l("The bank details changed after you opened this page. Nothing was approved: "
                        "please check the new details below."),
    "own_payment": _l("You entered these bank details yourself, so another officer of the commune "
                      "must approve them."),
    "no_pending_payment": _l("No bank details are waiting for approval."),
    "payment_with_dossier": _l("Before verification, bank details are approved together with the dossier."),
}


# The same refusals about a payment link, named as such.
LINK_REFUSAL_MESSAGES = {
    "stale_payment": _l("The payment link changed after you opened this page. Nothing was approved: "
                        "please check the new link below."),
    "own_payment": _l("You entered this payment link yourself, so another officer of the commune must approve it."),
    "no_pending_payment": _l("No payment link is waiting for approval."),
}


def refusal_message(code, kind="bank_account"):
    if kind == "payment_link" and code in LINK_REFUSAL_MESSAGES:
        return LINK_REFUSAL_MESSAGES[code]
    return REFUSAL_MESSAGES[code]


class ReasonForm(FlaskForm):
    """Request changes, reject or suspend: the reason is shown to the producer."""
    reason = TextAreaField(_l("Reason (the producer will see it)"), validators=[
        DataRequired(_l("Please write the reason: the producer needs to know what to do.")),
        Length(max=REASON_MAX)])


class NoteForm(FlaskForm):
    """Reinstate: a note is optional."""
    reason = TextAreaField(_l("Note (optional)"), validators=[Length(max=REASON_MAX)])


class ApproveForm(FlaskForm):
    """Approve a dossier, with the bank-details version the officer was shown (if any)."""
    payment_version_id = HiddenField()
    payment_fingerprint = HiddenField()


class PaymentApproveForm(FlaskForm):
    version_id = HiddenField(validators=[DataRequired()])
    fingerprint = HiddenField(validators=[DataRequired()])


class PaymentRejectForm(PaymentApproveForm):
    reason = TextAreaField(_l("Reason (the producer will see it)"), validators=[
        DataRequired(_l("Please write the reason: the producer needs to know what to do.")),
        Length(max=REASON_MAX)])


def decision_form_class(name):
    if name == "approve":
        return ApproveForm
    if name == "reinstate":
        return NoteForm
    return ReasonForm
