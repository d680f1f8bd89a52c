"""Messages' web side: the notices a user has not seen are shown once, right after the log-in
(accounts announces it with `accounts.signals.logged_in`), and the outbox task is registered
with the queue. The pages that list messages belong to their readers: the producer's under
producers/views/messages.py, the officer's under verification/views/messages.py."""
from flask import flash
from flask_babel import get_locale
from flask_babel import gettext as _

from accounts.signals import logged_in
from jobs.queue import register_task
from notifications import services
from notifications.outbox import DELIVER_TASK, deliver_task

register_task(DELIVER_TASK, deliver_task)


def init_app(app):
    logged_in.connect(show_unseen_notices, sender=app, weak=False)


def show_unseen_notices(app, user, **extra):
    """Each notice once, in the language of this session; marked shown in the log-in's transaction."""
    locale = get_locale()
    for notice in services.take_unseen(user):
        message = notice.text(locale)
        if notice.detail:
            message = f"{message} {_('Reason:')} {notice.detail}"
        flash(message, "notice")
