"""``tremplin mail deliver``: send what waits in the outbox."""

import click

from ..i18n import _
from . import delivery, service


@click.group("mail")
def mail_group():
    """The outbox of emails."""


@mail_group.command("deliver")
def deliver_command():
    """Send every email waiting in the outbox; failures stay queued for the next run."""
    sent, failed = delivery.deliver_pending()
    service.take_queued()  # every message was just tried: nothing left to send after the command
    click.echo(_("%(sent)d email(s) sent, %(failed)d still waiting.", sent=sent, failed=failed))
