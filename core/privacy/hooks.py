"""The privacy area as a core plugin."""

from huey import crontab

from ..hookkinds import hookimpl
from . import cli as purge_cli
from . import service, views

PURGE_TASK = "privacy.purge"


@hookimpl
def register_blueprints(app):
    """The register page and its API."""
    return [views.blueprint, views.api]


@hookimpl
def register_commands(cli):
    """``tremplin purge``."""
    cli.add_command(purge_cli.purge_command)


@hookimpl
def register_tasks(queue):
    """Apply every retention period each night at 3:00 (``purge_expired``)."""
    queue.periodic_task(crontab(minute="0", hour="3"), name=PURGE_TASK)(service.nightly_purge)
