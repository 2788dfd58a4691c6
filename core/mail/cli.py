"""``tremplin mail deliver|status|retry`` and ``tremplin worker``, which runs the task queue."""

from __future__ import annotations

import sys

import click

from .. import db, logs, runtime
from ..clock import now
from ..errors import CliError
from ..i18n import _, ngettext
from . import delivery, service

FAILED_SHOWN = 20


@click.group("mail")
def mail_group():
    """The outbox of emails."""


@mail_group.command("deliver")
def deliver_command():
    """Send every pending email now, even those waiting to retry; failures stay queued.

    Exit code 1 when an email could not be sent (the mail server named if it did not answer).
    """
    sent, failed, unreachable = delivery.deliver_pending_now()
    service.take_queued()  # every message was just tried: nothing left to send after the command
    click.echo(_("%(sent)d email(s) sent, %(failed)d still waiting.", sent=sent, failed=failed))
    if unreachable is not None:
        click.echo(
            _(
                "The mail server %(server)s does not answer ([mail] host and port): %(reason)s",
                server=delivery.server_address(),
                reason=unreachable,
            ),
            err=True,
        )
    if failed:
        sys.exit(1)


@mail_group.command("status")
@click.option(
    "--check",
    is_flag=True,
    help="Exit with code 1 when an email has failed or waits longer than --max-wait.",
)
@click.option(
    "--max-wait",
    default=15,
    show_default=True,
    type=click.IntRange(1),
    help="Minutes an email due may wait before --check complains (is the worker running?).",
)
def status_command(check: bool, max_wait: int) -> None:
    """Count pending, failed and sent emails; list the failed ones."""
    moment = now()
    summary = service.summary(moment)
    click.echo(
        _(
            "Pending: %(pending)d (%(retrying)d waiting for their next attempt), "
            "failed: %(failed)d, sent: %(sent)d.",
            pending=summary.pending,
            retrying=summary.retrying,
            failed=summary.failed,
            sent=summary.sent,
        )
    )
    waited = None
    if summary.oldest_due is not None:
        waited = int((moment - summary.oldest_due).total_seconds() // 60)
        click.echo(
            ngettext(
                "The oldest email due was queued %(num)d minute ago.",
                "The oldest email due was queued %(num)d minutes ago.",
                waited,
            )
        )
    if summary.failed:
        click.echo(_("Failed emails (`tremplin mail retry` puts them back in the queue):"))
        for message in service.failed(FAILED_SHOWN):
            click.echo(
                f"  #{message.id} {message.created_at.isoformat(timespec='minutes')} "
                f"{message.template} ({message.attempts}): {message.last_error}"
            )
    if check and (summary.failed or (waited is not None and waited >= max_wait)):
        sys.exit(1)


@mail_group.command("retry")
def retry_command() -> None:
    """Put the failed emails back in the queue, for a new series of attempts."""
    ids = service.retry_failed()
    click.echo(
        ngettext(
            "%(num)d failed email put back in the queue.",
            "%(num)d failed emails put back in the queue.",
            len(ids),
        )
    )
    service.dispatch(ids)


@click.command("worker")
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 32),
    help="How many tasks run at the same time (threads).",
)
@click.option(
    "--periodic/--no-periodic",
    default=True,
    show_default=True,
    help="Also start the periodic tasks (email retries, reminders); one worker is enough.",
)
@click.option(
    "--burst",
    is_flag=True,
    help="Run what is due now (waiting tasks, this minute's periodic tasks), then stop.",
)
def worker_command(workers: int, periodic: bool, burst: bool) -> None:
    """Run the instance's background tasks (emails, reminders...) until stopped."""
    current = runtime.current()
    queue = current.queue
    if queue.immediate:
        raise CliError(
            _("this instance runs its tasks as soon as they are queued: it needs no worker")
        )
    if burst:
        count = queue.run_due()
        click.echo(ngettext("%(num)d task run.", "%(num)d tasks run.", count))
        return
    logs.configure(current.region.log)
    click.echo(
        _(
            "Worker of %(name)s on %(url)s, %(workers)d thread(s); stop it with Ctrl+C.",
            name=current.region.name,
            url=db.redact(current.region.queue_url),
            workers=workers,
        )
    )
    queue.create_consumer(workers=workers, periodic=periodic, worker_type="thread").run()
