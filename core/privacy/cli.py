"""``tremplin purge``: apply retention periods now."""

import click

from ..i18n import _
from . import service


@click.command("purge")
def purge_command():
    """Delete or anonymise what has outlived its retention period."""
    when = service.purge()
    click.echo(
        _("Retention periods applied as of %(when)s.", when=when.isoformat(timespec="seconds"))
    )
