"""`flask --app app catalog …`: catalogue data in and out of spreadsheets.

    flask --app app catalog import PATH [--verify] [--dry-run] [--admin PHONE] [--lang vi|en]

More commands join the same group with `@cli_group.command(...)`.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale, gettext

from accounts.models import Role, User
from accounts.phones import normalise_mobile
from catalog.importer.apply import ImportOptions, run_import
from catalog.importer.messages import ImportFileError
from catalog.importer.scope import Scope
from catalog.importer.sheet import open_sheet
from catalog.importer.texts import SEVERITY_LABELS, SUMMARY_LABELS, file_error_message, issue_message, where
from extensions import db
from media.storage import ImageStore

cli_group = AppGroup("catalog", help="Catalogue data: import products from spreadsheets (and export them).")

CHANGES_SHOWN = 1000  # a dry run lists what would change; beyond this only the count


def _administrator(phone: str | None, required: bool) -> User | None:
    """The admin named by --admin, else the first admin; None when there is none and none is needed."""
    query = db.select(User).where(User.role == Role.ADMIN, User.is_active.is_(True))
    if phone:
        normalised = normalise_mobile(phone)
        admin = db.session.scalar(query.where(User.phone == normalised)) if normalised else None
        if admin is None:
            raise click.BadParameter(f"no active administrator has the phone number {phone}", param_hint="--admin")
        return admin
    admin = db.session.scalar(query.order_by(User.id).limit(1))
    if admin is None and required:
        raise click.UsageError("--verify needs an administrator: create one with "
                               "`flask --app app users create-admin`, or name one with --admin")
    return admin


@cli_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--verify", is_flag=True,
              help="Mark new producers verified by the administrator (an official OCOP list vouches for them), "
                   "so their products are public at once.")
@click.option("--dry-run", is_flag=True, help="Show what would change, and change nothing.")
@click.option("--admin", "admin_phone", metavar="PHONE",
              help="The administrator recorded as doing the import (default: the first one).")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Language of the report.")
def import_command(path: Path, verify: bool, dry_run: bool, admin_phone: str | None, lang: str):
    """Import producers and products from PATH: CSV (UTF-8), XLSX, or a ZIP holding one of them
    and its photos. Photos named in the `images` column are looked for beside the file."""
    admin = _administrator(admin_phone, required=verify)
    options = ImportOptions(actor=admin, scope=Scope.all(), verify=verify, dry_run=dry_run,
                            source_name=path.name)
    store = ImageStore(current_app.config["UPLOAD_DIR"])
    with force_locale(lang):
        try:
            sheet = open_sheet(path, photo_dir=path.parent)
        except ImportFileError as error:
            raise click.ClickException(file_error_message(error)) from None
        with sheet, click.progressbar(length=len(sheet.rows), label=gettext("Importing"),
                                      file=sys.stderr) as bar:
            report = run_import(sheet, options, store, progress=bar.update)
        _print_report(report)


def _print_report(report) -> None:
    for issue in sorted(report.issues, key=lambda item: item.row):
        click.echo(f"{where(issue)} [{SEVERITY_LABELS[issue.severity]}]: {issue_message(issue)}")
    if report.dry_run:
        for change in report.changes[:CHANGES_SHOWN]:
            click.echo(_change_line(change))
        if len(report.changes) > CHANGES_SHOWN:
            click.echo(gettext("… and %(count)s more changes.", count=len(report.changes) - CHANGES_SHOWN))
        click.echo(gettext("Dry run: nothing was changed."))
    for key, value in report.summary().items():
        click.echo(f"{SUMMARY_LABELS[key]}: {value}")


def _change_line(change) -> str:
    if change.action == "created":
        return gettext("Row %(row)s: would add %(ref)s %(name)s (%(producer)s)", row=change.row, ref=change.ref,
                       name=change.name, producer=change.producer)
    return gettext("Row %(row)s: would change %(ref)s %(name)s: %(fields)s", row=change.row, ref=change.ref,
                   name=change.name, fields=", ".join(change.fields))
