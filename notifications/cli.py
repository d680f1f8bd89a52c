"""`flask notifications …`: run these from cron (and `flask verification remind-expiring` daily).

    flask notifications send-due          # every few minutes: queue rows whose time has come
    flask notifications send-due --here   # send them in this process (no worker running)
"""

import click
from flask.cli import AppGroup

from extensions import db
from notifications import outbox

cli_group = AppGroup("notifications", help="Messages to producers and officers (the outbox).")


@cli_group.command("send-due")
@click.option("--here", is_flag=True, help="Send in this process instead of queuing for the worker.")
def send_due_command(here):
    """Send the messages that wait: new ones the queue lost and failed ones whose retry time came."""
    released = outbox.release_stale_claims()
    db.session.commit()
    ids = outbox.due_ids()
    if here:
        outcomes = [outbox.deliver(notification_id).outcome for notification_id in ids]
        click.echo(f"{outcomes.count('sent')} sent, {outcomes.count('failed')} failed, "
                   f"{len(ids) - outcomes.count('sent') - outcomes.count('failed')} left "
                   f"({released} stale claims released).")
    else:
        click.echo(f"{outbox.enqueue(ids)} queued ({released} stale claims released).")


@cli_group.command("officer-email")
@click.argument("phone")
@click.argument("email", required=False)
def officer_email_command(phone, email):
    """Where an officer's messages go: EMAIL (leave it out to send them by SMS to the phone)."""
    import re

    from accounts.models import Role, User
    from accounts.phones import normalise_phone

    number = normalise_phone(phone)
    user = db.session.scalar(db.select(User).where(User.phone == number)) if number else None
    if user is None or user.role not in (Role.OFFICER, Role.ADMIN):
        raise click.BadParameter("no officer or admin has this phone number", param_hint="PHONE")
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise click.BadParameter("not an e-mail address", param_hint="EMAIL")
    user.email = email or None
    db.session.commit()
    click.echo(f"{user.name}: messages by {'e-mail to ' + email if email else 'SMS to ' + user.phone}.")
