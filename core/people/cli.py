"""``tremplin holds``: recompute the holds that keep ambassadors out of the directory."""

from __future__ import annotations

import sys

import click

from .. import runtime
from ..i18n import _
from . import holds
from .models import Ambassador


@click.group("holds")
def holds_group() -> None:
    """Holds keeping ambassadors out of search and requests."""


@holds_group.command("rebuild")
def rebuild_command() -> None:
    """Recompute every ambassador's holds from the plugins (ambassador_holds, per batch)."""
    with runtime.current().database.connection_context():
        total = Ambassador.select().count()
        with click.progressbar(length=total, label=_("Ambassadors"), file=sys.stderr) as progress:
            try:
                outcome = holds.rebuild(progress=progress.update)
            except holds.HookFailed as error:
                # The batch being rebuilt is rolled back: its stored holds stay as they were.
                raise click.ClickException(str(error)) from error
    click.echo(
        _(
            "Holds rebuilt for %(ambassadors)d ambassador(s): %(added)d added, "
            "%(removed)d removed, %(kept)d kept.",
            ambassadors=outcome.ambassadors,
            added=outcome.added,
            removed=outcome.removed,
            kept=outcome.kept,
        )
    )
