"""`flask verification …`: run `remind-expiring` daily from cron (docs/MESSAGES.md)."""
from datetime import date

import click
from flask.cli import AppGroup

from extensions import db
from verification import reminders

cli_group = AppGroup("verification", help="Commune verification: certificates due for re-evaluation.")


@cli_group.command("remind-expiring")
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="As if today were this day.")
def remind_expiring_command(day):
    """Remind producers whose OCOP certificate is due for re-evaluation (once per threshold)."""
    today = day.date() if day else date.today()
    written = reminders.remind_expiring(today)
    db.session.commit()
    click.echo(f"{written} reminders written for {today.isoformat()}.")
