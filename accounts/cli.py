"""`flask --app app users …`: accounts made by the people who run the site."""
import getpass

import click
from flask.cli import AppGroup

from accounts import services
from accounts.constants import Role
from accounts.rules import password_problem
from accounts.phones import normalise_mobile
from extensions import db
from places import units

cli_group = AppGroup("users", help="Create administrator, officer and helper accounts.")


def _checked_phone(phone):
    normalised = normalise_mobile(phone)
    if not normalised:
        raise click.BadParameter(f"{phone!r} is not a Vietnamese mobile number", param_hint="--phone")
    return normalised


def _checked_password(password):
    if password is None:
        password = getpass.getpass("Password: ")
    problem = password_problem(password)
    if problem:
        raise click.BadParameter(f"password refused ({problem.replace('_', ' ')})", param_hint="--password")
    return password


def _resolve_communes(values):
    codes = []
    for value in values:
        if value.isdigit() and units.commune(int(value)):
            codes.append(int(value))
            continue
        province_text, _, commune_text = value.partition("/")
        province = units.match_province(province_text)
        found = units.match_commune(province.code, commune_text) if province and commune_text else None
        if found is None:
            raise click.BadParameter(
                f"unknown commune {value!r}: give its code or 'Province/Commune', e.g. 'Lào Cai/Gia Phú'",
                param_hint="--commune")
        codes.append(found.code)
    return codes


def _create(phone, password, name, role, communes=()):
    try:
        user = services.create_user(_checked_phone(phone), _checked_password(password), name, role, communes)
    except services.PhoneTaken:
        raise click.ClickException(f"an account with phone {phone} already exists")
    db.session.commit()
    return user


@cli_group.command("create-admin")
@click.option("--phone", required=True)
@click.option("--name", default="Quản trị viên", show_default=True)
@click.option("--password", help="Asked for when omitted.")
def create_admin(phone, name, password):
    """Create a site administrator."""
    user = _create(phone, password, name, Role.ADMIN)
    click.echo(f"Admin {user.name} ({user.phone}) created.")


@cli_group.command("create-officer")
@click.option("--phone", required=True)
@click.option("--commune", "communes", multiple=True, required=True,
              help="Commune code or 'Province/Commune'; repeat for several communes.")
@click.option("--name", default="Cán bộ xã", show_default=True)
@click.option("--password", help="Asked for when omitted.")
@click.option("--helper", is_flag=True, help="A community digital technology team member instead of an officer.")
def create_officer(phone, communes, name, password, helper):
    """Create a commune officer (or, with --helper, a digital team helper)."""
    codes = _resolve_communes(communes)
    role = Role.HELPER if helper else Role.OFFICER
    user = _create(phone, password, name, role, codes)
    names = ", ".join(units.commune(code).name for code in codes)
    click.echo(f"{role.capitalize()} {user.name} ({user.phone}) created for {names}.")


@cli_group.command("set-password")
@click.option("--phone", required=True)
@click.option("--password", help="Asked for when omitted.")
def set_password(phone, password):
    """Give an account a new password; every session opened with the old one ends."""
    user = db.session.scalar(db.select(services.User).filter_by(phone=_checked_phone(phone)))
    if user is None:
        raise click.ClickException(f"no account with phone {phone}")
    services.change_password(user, _checked_password(password))
    db.session.commit()
    click.echo(f"New password set for {user.name} ({user.phone}); their other sessions have ended.")
