"""The privacy area as a core plugin."""

from ..hookspecs import hookimpl
from . import cli as purge_cli
from . import views


@hookimpl
def register_blueprints(app):
    """The register page and its API."""
    return [views.blueprint, views.api]


@hookimpl
def register_commands(cli):
    """``tremplin purge``."""
    cli.add_command(purge_cli.purge_command)
