"""Message pages: the producer's message settings and history, and the officer's view of the
messages a producer received. The outbox task is registered here (the factory loads views)."""
from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from accounts.auth import login_required, roles_required
from extensions import db
from jobs.queue import register_task
from notifications import history
from notifications.forms import MessageSettingsForm
from notifications.outbox import DELIVER_TASK, deliver_task
from notifications.labels import CHANNEL_LABELS, KIND_LABELS, STATUS_LABELS

bp = Blueprint("notifications", __name__)
register_task(DELIVER_TASK, deliver_task)


def _labels():
    return {"kind_labels": KIND_LABELS, "channel_labels": CHANNEL_LABELS, "status_labels": STATUS_LABELS}


@bp.route("/nha-san-xuat/ho-so/<int:producer_id>/tin-nhan", methods=["GET", "POST"])
@login_required
def producer_messages(producer_id):
    """The owner's own: how it wants to be told, and what it was told."""
    from producers.models import Producer

    producer = db.first_or_404(db.select(Producer).where(Producer.id == producer_id,
                                                         Producer.owner_id == g.user.id))
    form = MessageSettingsForm(data={"channel": producer.notify_channel or "", "email": producer.email,
                                     "language": producer.notify_language or "vi"})
    if form.validate_on_submit():
        producer.notify_channel = form.channel.data or None
        producer.email = form.email.data
        producer.notify_language = form.language.data
        db.session.commit()
        flash(_("Saved. Messages will reach you this way."), "success")
        return redirect(url_for("notifications.producer_messages", producer_id=producer.id))
    return render_template("notifications/producer_messages.html", producer=producer, form=form,
                           messages=history.for_owner(g.user, producer.id), **_labels())


@bp.get("/can-bo/ho-so/<int:producer_id>/tin-nhan")
@roles_required("officer", "admin")
def officer_messages(producer_id):
    from verification.services import producer_or_404, visible_producers

    producer = producer_or_404(g.user, producer_id)
    return render_template("notifications/officer_messages.html", producer=producer,
                           messages=history.for_officer(visible_producers(g.user), producer.id), **_labels())
