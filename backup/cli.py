"""`flask --app app backup …`: one archive with the database and the uploads.

    flask --app app backup create [--output FILE]   default: <BACKUP_DIR>/choque-backup-<UTC time>.tar.gz,
                                                    keeping the newest BACKUP_KEEP archives there
    flask --app app backup restore FILE [--yes]     verify every checksum, then replace the site
    flask --app app backup list                     the archives in BACKUP_DIR
    flask --app app backup clean-photos [--older-than-hours 24] [--dry-run]
                                                    remove stored photos no row names (a crash's leftovers)

The search index is not in the archive: `restore` rebuilds it from the restored database.
"""
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale, gettext

from backup import orphans, services
from backup.rules import ArchiveRejected

cli_group = AppGroup("backup", help="Back up and restore the database and the uploads.")
LANG_OPTION = click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
                           help="Language of the messages.")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


@cli_group.command("create")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Archive file to write (default: a dated file in BACKUP_DIR).")
@LANG_OPTION
def create_command(output, lang):
    """Write the database dump, the uploads and a manifest with checksums into one archive."""
    with force_locale(lang):
        try:
            result = services.create_backup(output)
        except services.BackupError as error:
            raise click.ClickException(gettext("The backup failed: %(reason)s", reason=str(error)))
        members = result.manifest["members"]
        click.echo(gettext("Backup written: %(path)s", path=str(result.path)))
        click.echo(gettext("%(files)s files, %(size)s MB, %(seconds)s s; database: %(kind)s.",
                           files=len(members), size=_megabytes(result.size),
                           seconds=f"{result.seconds:.1f}", kind=result.manifest["database"]["kind"]))
        for name in result.pruned:
            click.echo(gettext("Removed old backup %(name)s", name=name))
        click.echo(gettext("The search index is not backed up: it is rebuilt from the database "
                           "after a restore."))


@cli_group.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace a site that already holds data.")
@LANG_OPTION
def restore_command(archive, yes, lang):
    """Check every checksum of ARCHIVE, then replace the database and the uploads with it.
    Stop the site (web and worker processes) first."""
    from search import sync

    with force_locale(lang):
        try:
            result = services.restore_backup(archive, overwrite=yes)
        except ArchiveRejected as error:
            raise click.ClickException(gettext(
                "The backup is damaged and was not restored; nothing was changed (%(reason)s).",
                reason=str(error)))
        except services.SiteNotEmpty as error:
            raise click.ClickException(gettext(
                "This site already holds data (%(rows)s rows, %(files)s uploaded files); nothing was "
                "changed. Run again with --yes to replace it.", rows=error.rows, files=error.files))
        except services.SiteMismatch as error:
            raise click.ClickException(gettext(
                "This backup holds a %(archive)s database but the site uses %(site)s; nothing was "
                "changed.", archive=str(error.archive_kind), site=str(error.site_kind)))
        except services.BackupError as error:
            raise click.ClickException(gettext("The restore failed: %(reason)s", reason=str(error)))
        manifest = result.manifest
        click.echo(gettext("Restored the backup of %(created)s (version %(version)s) in %(seconds)s s.",
                           created=manifest["created_at"], version=manifest["app_version"],
                           seconds=f"{result.seconds:.1f}"))
        if result.integrity:
            click.echo(gettext("Database integrity check: %(result)s", result=result.integrity))
        else:
            click.echo(gettext("PostgreSQL database restored in one transaction."))
        click.echo(gettext("The search index is not in backups; rebuilding it from the database "
                           "(or run: flask --app app search rebuild)."))
        try:
            count = sync.rebuild()
        except sync.RebuildRunning:
            raise click.ClickException(gettext(
                "Another process is rebuilding the search index; run later: "
                "flask --app app search rebuild"))
        click.echo(gettext("Search index rebuilt: %(count)s products.", count=count))


@cli_group.command("list")
@LANG_OPTION
def list_command(lang):
    """The archives in BACKUP_DIR, oldest first."""
    with force_locale(lang):
        archives = services.list_archives()
        if not archives:
            click.echo(gettext("No backups yet."))
        for path in archives:
            click.echo(f"{path}  {_megabytes(path.stat().st_size)} MB")


@cli_group.command("clean-photos")
@click.option("--older-than-hours", type=click.FloatRange(min=1), default=24, show_default=True,
              help="Leave younger files alone: they may belong to an upload still being saved.")
@click.option("--dry-run", is_flag=True, help="Only list what would be removed.")
@LANG_OPTION
def clean_photos_command(older_than_hours, dry_run, lang):
    """Remove the stored files of photos that no product, certificate or document names any more
    (left by a crash between saving a photo and saving its row). Safe to run daily from cron."""
    with force_locale(lang):
        found = orphans.remove_orphan_photos(older_than_hours * 3600, dry_run=dry_run)
        for where in found:
            click.echo(where)
        if dry_run:
            click.echo(gettext("%(count)s unused photo files would be removed.", count=len(found)))
        else:
            click.echo(gettext("%(count)s unused photo files removed.", count=len(found)))
