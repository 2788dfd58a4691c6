"""The stats area as a core plugin."""

from ..hookspecs import hookimpl
from . import cli as stats_cli
from . import schemas, views


@hookimpl
def register_settings_schema():
    """``[plugins.stats]``: the public threshold, and when ambassadors and requests alert."""
    return schemas.SettingsSchema


@hookimpl
def register_blueprints(app):
    """Public key figures, referents' statistics and alerts, and the key figures API."""
    return [views.blueprint, views.api]


@hookimpl
def register_commands(cli):
    """``tremplin stats``."""
    cli.add_command(stats_cli.stats_command)


@hookimpl
def menu_links(user):
    """Key figures for everybody; statistics and alerts for referents and admins."""
    return views.menu_links(user)


@hookimpl
def dashboard_panels(user):
    """This school year's main figures and the alerts, for referents and admins."""
    return views.dashboard_panels(user)
