"""The officer's view of the messages a producer of its communes received."""
from flask import g, render_template

from accounts.auth import roles_required
from notifications.labels import CHANNEL_LABELS, KIND_LABELS, STATUS_LABELS
from producers import messages
from verification.services import producer_or_404, visible_producers
from verification.views import bp


@bp.get("/ho-so/<int:producer_id>/tin-nhan")
@roles_required("officer", "admin")
def producer_messages(producer_id):
    producer = producer_or_404(g.user, producer_id)
    return render_template("notifications/officer_messages.html", producer=producer,
                           messages=messages.for_officer(visible_producers(g.user), producer.id),
                           kind_labels=KIND_LABELS, channel_labels=CHANNEL_LABELS, status_labels=STATUS_LABELS)
