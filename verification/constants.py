"""The words of commune verification: the decisions an officer takes and the queue's tabs, with
their labels (one source). Producer statuses, document kinds and payment-version statuses are the
producers' words (producers.constants).

Labels are English msgids marked with `N_` (Babel extracts it by default), translated where they
are shown, so this module needs no Flask."""
from enum import StrEnum

from producers.constants import ProducerStatus


def N_(message):
    """Marks a message for translation without translating it here."""
    return message


class Decision(StrEnum):
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"

    @property
    def label(self):
        """On the decision's button: 'Approve the dossier'."""
        return DECISION_LABELS[self]

    @property
    def done_message(self):
        """Said to the officer once the decision is saved."""
        return DECISION_DONE[self]


DECISION_LABELS = {
    Decision.APPROVE: N_("Approve the dossier"),
    Decision.REQUEST_CHANGES: N_("Request changes"),
    Decision.REJECT: N_("Reject the dossier"),
    Decision.SUSPEND: N_("Suspend"),
    Decision.REINSTATE: N_("Reinstate"),
}
DECISION_DONE = {
    Decision.APPROVE: N_("The producer is verified and now public."),
    Decision.REQUEST_CHANGES: N_("Changes requested. The producer will see your reason."),
    Decision.REJECT: N_("The dossier was rejected."),
    Decision.SUSPEND: N_("The producer is suspended and hidden from buyers."),
    Decision.REINSTATE: N_("The producer is reinstated and public again."),
}

# The officer's queue has a tab per producer status, and one for payment details to approve.
PAYMENTS_TAB = "payments"
PAYMENTS_TAB_LABEL = N_("Payment details to approve")
QUEUE_TABS = (*ProducerStatus, PAYMENTS_TAB)
