"""``tremplin rgpd officer add|remove EMAIL``, ``tremplin rgpd remind``: the plugin's commands."""

from __future__ import annotations

import click

from tremplin.errors import CliError, Invalid

from . import officers, reminders
from .i18n import _


@click.group("rgpd")
def rgpd_group() -> None:
    """People's data protection rights."""


@rgpd_group.group("officer")
def officer_group() -> None:
    """The data protection officers, who handle the requests."""


@officer_group.command("add")
@click.argument("email")
def add(email: str) -> None:
    """Make the account of EMAIL a data protection officer."""
    try:
        officers.add(email)
    except Invalid as error:
        raise CliError(" ".join(str(m) for ms in error.errors.values() for m in ms)) from error
    click.echo(_("%(email)s is a data protection officer.", email=email))


@officer_group.command("remove")
@click.argument("email")
def remove(email: str) -> None:
    """EMAIL is no longer a data protection officer."""
    if not officers.remove(email):
        raise CliError(_("%(email)s is not a data protection officer.", email=email))
    click.echo(_("%(email)s is no longer a data protection officer.", email=email))


@rgpd_group.command("remind")
def remind() -> None:
    """Remind the officers now of the requests due soon."""
    count = reminders.remind()
    click.echo(_("%(count)d request(s) reminded.", count=count))
