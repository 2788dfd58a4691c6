"""``tremplin interventions``: workflow chores run by hand or by a scheduler."""

from __future__ import annotations

import click

from .. import runtime
from ..i18n import ngettext
from . import service


@click.group("interventions")
def interventions_group() -> None:
    """Interventions: requests, answers and their dates."""


@interventions_group.command("expire")
def expire_command() -> None:
    """Expire the requests whose every proposed date has passed without an answer."""
    with runtime.current().database.connection_context():
        count = service.expire_overdue()
    click.echo(ngettext("%(num)d request expired.", "%(num)d requests expired.", count))
