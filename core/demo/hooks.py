"""The demo area: the ``tremplin demo`` command."""

from ..hookkinds import hookimpl
from . import cli as demo_cli


@hookimpl
def register_commands(cli):
    """``tremplin demo``."""
    cli.add_command(demo_cli.demo_command)
