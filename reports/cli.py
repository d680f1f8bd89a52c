from datetime import date

import click
from flask.cli import AppGroup

from extensions import db
from reports import snapshots

reports_cli = AppGroup("reports", help="Commune and province reports.")


@reports_cli.command("snapshot")
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day to record (default: today).")
def snapshot_command(day):
    """Record today's stock figures per commune, so reports can show how they moved."""
    chosen = day.date() if day else date.today()
    written = snapshots.take(chosen)
    db.session.commit()
    click.echo(f"{written} figures recorded for {chosen.isoformat()}.")
cli_group = reports_cli
