"""`flask --app app search …`: the search index for operators.

    flask --app app search rebuild [--if-needed] [--lang vi|en]   build a new index version, swap it in
    flask --app app search status [--lang vi|en]                  health, content check, changes not applied
    flask --app app search prune [--days N] [--lang vi|en]        delete old rows of the change log

`make run` calls `rebuild --if-needed`: the index first catches up with the
database's change log; it is rebuilt only when it is missing, damaged, or its
documents still differ from the database by content (per-product digests).
"""
import time

import click
from flask.cli import AppGroup
from flask_babel import force_locale, gettext

from search import sync
from search.engine import IndexUnavailable

cli_group = AppGroup("search", help="Search index: rebuild it and see its state.")
LANG = click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
                    help="Language of the output.")
KEEP_DAYS = 30


@cli_group.command("rebuild")
@click.option("--if-needed", is_flag=True,
              help="Only when the index is missing, damaged, or differs from the database once caught up.")
@LANG
def rebuild_command(if_needed, lang):
    """Index every public product into a new directory, then swap it in."""
    with force_locale(lang):
        if if_needed:
            reason = sync.needs_rebuild()
            if reason is None:
                click.echo(gettext("The search index is up to date (%(count)s products).",
                                   count=sync.store().health().doc_count))
                return
            click.echo(gettext("Rebuilding the search index: %(reason)s.", reason=_reason_text(reason)))
        started = time.monotonic()
        try:
            with click.progressbar(length=sync.public_count(), label=gettext("Indexing products"),
                                   show_pos=True) as bar:
                count = sync.rebuild(progress=bar.update)
        except sync.RebuildRunning:
            raise click.ClickException(
                gettext("Another process is rebuilding the search index; try again later.")) from None
        click.echo(gettext("Indexed %(count)s public products in %(seconds).1f s.", count=count,
                           seconds=time.monotonic() - started))


def _reason_text(reason) -> str:
    if reason.code == sync.NO_POSITION:
        return gettext("it has no change-log position")
    if reason.code == sync.PRUNED:
        return gettext("the change log was pruned past it")
    if reason.code == sync.DIFFERENT:
        return gettext("%(count)s products differ from the database", count=reason.differences)
    return reason.code  # the index's own health reason: missing or damaged


@cli_group.command("status")
@LANG
def status_command(lang):
    """Health and size of the index, how far it is behind the change log, and
    whether its documents match the database by content."""
    with force_locale(lang):
        health = sync.store().health()
        lag = sync.lag()
        if health.ok:
            click.echo(gettext("Index: ok"))
        else:
            click.echo(gettext("Index: NOT USABLE (%(reason)s)", reason=health.reason))
        click.echo(gettext("Version: %(path)s", path=health.path or "-"))
        click.echo(gettext("Indexed products: %(count)s", count=health.doc_count))
        click.echo(gettext("Public products in the database: %(count)s", count=sync.public_count()))
        applied = lag.position.seq if lag.position is not None else "-"
        click.echo(gettext("Change log: newest change %(latest)s, index applied up to %(applied)s",
                           latest=lag.latest, applied=applied))
        click.echo(gettext("Changes not applied: %(count)s", count="-" if lag.behind is None else lag.behind))
        if health.ok:
            try:
                comparison = sync.compare()
            except IndexUnavailable as error:
                comparison = None
                click.echo(gettext("Content: not readable (%(reason)s)", reason=error.reason))
            if comparison is not None and comparison:
                click.echo(gettext("Content: every product matches the database"))
            elif comparison is not None:
                click.echo(gettext("Content: %(count)s products differ (%(missing)s missing, %(extra)s not "
                                   "public any more, %(stale)s out of date)", count=comparison.differences,
                                   missing=len(comparison.missing), extra=len(comparison.extra),
                                   stale=len(comparison.stale)))
        click.echo(gettext("Rebuild running: yes") if sync.rebuild_running() else gettext("Rebuild running: no"))


@cli_group.command("prune")
@click.option("--days", type=click.IntRange(min=1), default=KEEP_DAYS, show_default=True,
              help="Keep the changes of this many days.")
@LANG
def prune_command(days, lang):
    """Delete change-log rows older than DAYS days (an index that has not applied
    them by then is rebuilt by `rebuild --if-needed`)."""
    with force_locale(lang):
        click.echo(gettext("Deleted %(count)s old rows of the change log.", count=sync.prune_changes(days)))
