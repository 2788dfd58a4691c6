"""The demo area: the ``tremplin demo`` command and the demo's mailbox."""

from ..hookkinds import hookimpl
from . import cli as demo_cli
from . import views


@hookimpl
def register_commands(cli):
    """``tremplin demo``."""
    cli.add_command(demo_cli.demo_command)


@hookimpl
def register_blueprints(app):
    """The demo's mailbox (``/demo/courriels``), which answers 404 outside a demo."""
    return [views.blueprint]


@hookimpl
def menu_links(user):
    """The link to the demo's emails, for its admins."""
    return views.menu_links(user)
