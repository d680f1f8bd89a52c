from datetime import date

import click
from flask.cli import AppGroup

from extensions import db
from reports import snapshots

cli_group = AppGroup("reports", help="Commune and province reports.")


@cli_group.command("snapshot")
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day to record (default: today).")
def snapshot_command(day):
    """Record today's stock figures per commune, so reports can show how they moved."""
    chosen = day.date() if day else date.today()
    written = snapshots.take(chosen)
    db.session.commit()
    click.echo(f"{written} figures recorded for {chosen.isoformat()}.")
