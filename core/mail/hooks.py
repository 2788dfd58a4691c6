"""The outbox as a core plugin."""

from pathlib import Path

from ..hookspecs import hookimpl
from . import cli as mail_cli
from . import delivery, models


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
    """``tremplin mail deliver``."""
    cli.add_command(mail_cli.mail_group)


@hookimpl
def startup(app):
    """Configure sending and deliver what each request queued."""
    delivery.init_app(app)
