"""`flask --app app catalog …`: catalogue data in and out of spreadsheets.

    flask --app app catalog import PATH [--verify] [--dry-run] [--admin PHONE] [--lang vi|en]
    flask --app app catalog export --format FORMAT [--output PATH] [--province P] [--producer P]
                                   [--template PATH] [--lang vi|en]
        (--format zip: our CSV and the photo files it names, for an import into another site)
    flask --app app catalog feeds

More commands join the same group with `@cli_group.command(...)`.
"""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale, gettext

from accounts.models import Role, User
from accounts.phones import normalise_mobile
from catalog.exporters import EXPORTERS, ExportError
from catalog.feeds import FEED_FORMATS, cached_feed, channel_options, current_state
from catalog.importer.apply import ImportOptions, run_import
from catalog.importer.messages import ImportFileError
from catalog.importer.scope import Scope
from catalog.importer.sheet import open_sheet
from catalog.importer.texts import SEVERITY_LABELS, SUMMARY_LABELS, file_error_message, issue_message, where
from catalog.listings import ExportScope, find_producers, problem_message, run_export
from extensions import db
from media.storage import image_store_for
from places import units

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
    """Import producers and products from PATH: CSV (UTF-8), XLSX, JSON (our JSON export), or a
    ZIP holding one of them and its photos (our ZIP export). Photos named in the `images` column
    are looked for beside the file."""
    admin = _administrator(admin_phone, required=verify)
    options = ImportOptions(actor=admin, scope=Scope.all(), verify=verify, dry_run=dry_run,
                            source_name=path.name)
    store = image_store_for(current_app.config)
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


@cli_group.command("export")
@click.option("--format", "format_name", required=True, type=click.Choice(sorted(EXPORTERS)),
              help="Output format.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the file here (default: standard output).")
@click.option("--province", metavar="NAME|CODE", help="Only producers of this province.")
@click.option("--producer", metavar="NAME|ID", help="Only this producer.")
@click.option("--template", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="shopee-xlsx, tiktok-xlsx, lazada-xlsx: fill a copy of this mass-upload template.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Language of the report.")
def export_command(format_name: str, output: Path | None, province: str | None, producer: str | None,
                   template: Path | None, lang: str):
    """Export the published products (all producers, as an administrator) in FORMAT.

    The report (exported, left out and why) goes to standard error, so standard output holds
    only the file. Listings left out are not an error: the exit status is 0."""
    exporter = EXPORTERS[format_name]
    if template is not None and not exporter.accepts_template:
        raise click.UsageError("--template is only for --format shopee-xlsx, tiktok-xlsx or lazada-xlsx")
    province_code = _province_code(province)
    scope = ExportScope(province_code=province_code)
    if producer:
        found = find_producers(scope, producer)
        if len(found) != 1:
            names = "; ".join(f"{item.id} {item.legal_name}" for item in found)
            raise click.BadParameter(f"{len(found)} producers match{': ' + names if names else ''}",
                                     param_hint="--producer")
        scope = ExportScope(province_code=province_code, producer_id=found[0].id)
    with force_locale(lang):
        options = channel_options(exporter.name)
        if template is not None:
            options["template"] = template
        try:
            with click.open_file(str(output) if output else "-", "wb") as out:  # "-": stdout, left open
                report = run_export(exporter, scope, out, **options)
        except ExportError as error:
            _discard(output)
            raise click.UsageError(problem_message(error.problem)) from None
        except (zipfile.BadZipFile, KeyError, ValueError) as error:
            _discard(output)
            if template is None:
                raise
            raise click.BadParameter(f"not a usable .xlsx file ({type(error).__name__})",
                                     param_hint="--template") from None
        _print_export_report(report)


def _discard(output: Path | None) -> None:
    """Leave no half-written file behind an export that failed."""
    if output is not None:
        output.unlink(missing_ok=True)


def _province_code(text: str | None) -> int | None:
    if not text:
        return None
    found = units.province(int(text)) if text.strip().isdigit() else units.match_province(text)
    if found is None:
        raise click.BadParameter(f"unknown province {text!r}", param_hint="--province")
    return found.code


def _print_export_report(report) -> None:
    def echo(line):
        click.echo(line, err=True)

    for label, issues in ((gettext("Left out"), report.skipped), (gettext("Note"), report.warnings)):
        for issue in issues:
            reasons = " ".join(problem_message(problem) for problem in issue.problems)
            echo(f"{issue.listing_id} [{label}]: {reasons}")
    for notice in report.notices:
        echo(f"[{gettext('Note')}] {problem_message(notice)}")
    echo(gettext("Exported: %(count)s", count=report.exported))
    echo(gettext("Left out: %(count)s", count=len(report.skipped)))


@cli_group.command("feeds")
def feeds_command():
    """Write the public feeds (/feeds/google.xml, /feeds/meta.csv) for the current catalogue now,
    so that the next fetch is served at once. Nothing is written when they are up to date."""
    state = current_state()
    for name in FEED_FORMATS:
        with force_locale("vi"):
            feed = cached_feed(name, state, wait=True)
        click.echo(f"/feeds/{name}: {feed.exported} listings, {feed.skipped} left out ({feed.path.name})")
