"""The outbox as a core plugin; it also gives the command line ``tremplin worker``."""

from pathlib import Path

from ..hookkinds import hookimpl
from ..i18n import _
from . import cli as mail_cli
from . import delivery, models, service


@hookimpl
def register_models():
    """The outbox."""
    return [models.OutboxMessage]


@hookimpl
def register_migrations():
    """The outbox's migrations."""
    return [("mail", Path(__file__).parent / "migrations")]


@hookimpl
def register_commands(cli):
    """``tremplin mail deliver|status|retry``, and ``tremplin worker`` (emails are the
    queue's first tasks)."""
    cli.add_command(mail_cli.mail_group)
    cli.add_command(mail_cli.worker_command)


@hookimpl
def register_tasks(queue):
    """Send what requests queue, and every minute what is due (retries included)."""
    delivery.register_tasks(queue)


@hookimpl
def command_finished():
    """Hand the emails a command queued to the task queue, as after a request."""
    service.dispatch_queued()


@hookimpl
def purge_expired(now):
    """Sent emails after ``service.SENT_KEPT`` (30 days); pending and failed ones stay."""
    return {_("sent emails"): service.purge_sent(now)}


@hookimpl
def startup(app):
    """Configure sending and hand what each request queued to the task queue."""
    delivery.init_app(app)
