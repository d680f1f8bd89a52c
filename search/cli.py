"""`flask --app app search …`: the search index for operators.

    flask --app app search rebuild [--if-needed]   build a new index version and swap it in
    flask --app app search status                  what the index holds, what is pending

`make run` calls `rebuild --if-needed`: nothing happens when the index is sound,
complete and has no pending work; pending work alone is applied, not rebuilt.
"""
import time

import click
from flask.cli import AppGroup

from search import sync

cli_group = AppGroup("search", help="Search index: rebuild it and see its state.")


@cli_group.command("rebuild")
@click.option("--if-needed", is_flag=True,
              help="Only when the index is missing, damaged, incomplete or has pending changes.")
def rebuild_command(if_needed):
    """Index every public product into a new directory, then swap it in."""
    if if_needed:
        reason = sync.needs_rebuild()
        if not reason:
            if sync.pending_count():
                sync.catch_up()
                click.echo(f"Applied pending changes; {sync.pending_count()} still pending.")
            click.echo(f"The search index is up to date ({sync.store().health().doc_count} products).")
            return
        click.echo(f"Rebuilding the search index: {reason}.")
    started = time.monotonic()
    try:
        with click.progressbar(length=sync.public_count(), label="Indexing products",
                               show_pos=True) as bar:
            count = sync.rebuild(progress=bar.update)
    except sync.RebuildRunning:
        raise click.ClickException("Another process is rebuilding the search index; try again later.")
    click.echo(f"Indexed {count} public products in {time.monotonic() - started:.1f} s.")


@cli_group.command("status")
def status_command():
    """Health, size and pending work of the search index."""
    health = sync.store().health()
    click.echo(f"Index: {'ok' if health.ok else 'NOT USABLE (' + health.reason + ')'}")
    click.echo(f"Version: {health.path or '-'}")
    click.echo(f"Indexed products: {health.doc_count}")
    click.echo(f"Public products in the database: {sync.public_count()}")
    click.echo(f"Pending changes: {sync.pending_count()}")
    click.echo(f"Rebuild running: {'yes' if sync.rebuild_running() else 'no'}")
