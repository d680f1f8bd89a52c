"""The producer's message settings (channel, address, language) and the messages it received."""
from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from accounts.auth import login_required
from extensions import db
from notifications.labels import CHANNEL_LABELS, KIND_LABELS, STATUS_LABELS
from producers.views.message_form import MessageSettingsForm
from producers import messages
from producers.models import Producer
from producers.views import bp

MESSAGE_LABELS = {"kind_labels": KIND_LABELS, "channel_labels": CHANNEL_LABELS, "status_labels": STATUS_LABELS}


@bp.route("/ho-so/<int:producer_id>/tin-nhan", methods=["GET", "POST"])
@login_required
def producer_messages(producer_id):
    """The owner's own: how it wants to be told, and what it was told."""
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
        return redirect(url_for("producers.producer_messages", producer_id=producer.id))
    return render_template("notifications/producer_messages.html", producer=producer, form=form,
                           messages=messages.for_owner(g.user, producer.id), **MESSAGE_LABELS)
