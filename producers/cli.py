"""`flask --app app producers …`: producer profiles from the command line.

    flask --app app producers claim-letters --output FILE.pdf [--commune NAME|CODE] [--province P]
"""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale, gettext

from accounts.constants import Role
from accounts.models import User
from extensions import db
from places import units
from producers.claim_letters import issue_claim_letters, unclaimed_producers
from producers.letters import claim_letters_pdf

cli_group = AppGroup("producers", help="Producer profiles: claim letters for unclaimed producers.")


def find_commune(text: str, province_text: str | None = None):
    """A commune by code, or by name (within --province when the name is not unique)."""
    if text.strip().isdigit():
        found = units.commune(int(text))
        if found is None:
            raise click.BadParameter(f"no commune has the code {text}", param_hint="--commune")
        return found
    provinces = units.provinces()
    if province_text:
        province = units.match_province(province_text)
        if province is None:
            raise click.BadParameter(f"unknown province {province_text!r}", param_hint="--province")
        provinces = [province]
    found = [commune for province in provinces if (commune := units.match_commune(province.code, text))]
    if len(found) != 1:
        names = "; ".join(f"{item.code} {item.name} ({units.province(item.province_code).short_name})"
                          for item in found)
        raise click.BadParameter(f"{len(found)} communes match {text!r}{': ' + names if names else ''}; "
                                 "give its code or --province", param_hint="--commune")
    return found[0]


@cli_group.command("claim-letters")
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the PDF here.")
@click.option("--commune", metavar="NAME|CODE", help="Only the producers of this commune.")
@click.option("--province", metavar="NAME", help="The province of --commune, when its name is not unique.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Language of the messages (the letters are always in Vietnamese).")
def claim_letters_command(output: Path, commune: str | None, province: str | None, lang: str):
    """Print a claim letter (one A4 page) for each producer nobody has claimed yet, with a new
    claim code and a QR code opening the claim page. Earlier codes of these producers stop
    working."""
    codes = None
    if commune:
        codes = [find_commune(commune, province).code]
    producers = unclaimed_producers(codes)
    if not producers:
        with force_locale(lang):
            raise click.ClickException(gettext("Every producer of these communes has already claimed its profile."))
    actor = db.session.scalar(db.select(User).where(User.role == Role.ADMIN, User.is_active.is_(True))
                              .order_by(User.id).limit(1))
    letters = issue_claim_letters(producers, actor, current_app.config["PUBLIC_BASE_URL"])
    output.write_bytes(claim_letters_pdf(letters))
    db.session.commit()  # the codes are valid only once the letters exist
    with force_locale(lang):
        click.echo(gettext("%(count)s claim letters written to %(path)s", count=len(letters), path=output))
