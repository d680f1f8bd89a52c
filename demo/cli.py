"""`flask --app app demo load`: demo accounts, producers and products for a first run."""
import click
from flask.cli import AppGroup

from demo.data import demo_logins, load_demo_data
from extensions import db

cli_group = AppGroup("demo", help="Demo data for trying the site.")


@cli_group.command("load")
def load_command():
    """Load demo producers, officers and an admin (only once)."""
    created = load_demo_data()
    db.session.commit()
    click.echo("Demo data loaded." if created else "Demo data already present; nothing changed.")
    click.echo("Demo log-ins (phone / password):")
    for role, phone, password, place in demo_logins():
        click.echo(f"  {role:<9} {phone}  {password}  {place}")
