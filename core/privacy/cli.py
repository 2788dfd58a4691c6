"""``tremplin purge``: apply retention periods now."""

import click

from ..i18n import _
from . import service


@click.command("purge")
def purge_command():
    """Delete or anonymise what has outlived its retention period."""
    report = service.purge()
    when = report.moment.isoformat(timespec="seconds")
    click.echo(_("Retention periods applied as of %(when)s.", when=when))
    for name, counts in report.purged.items():
        listed = ", ".join(f"{what} {count}" for what, count in counts.items())
        click.echo(_("%(name)s: %(counts)s", name=name, counts=listed))
