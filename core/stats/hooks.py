"""The stats area as a core plugin."""

from pathlib import Path

from ..hookkinds import hookimpl
from . import cli as stats_cli
from . import models, monthly, schemas, views


@hookimpl
def register_models():
    """The aggregates of the key figures: monthly ones, and the region's people."""
    return [
        models.MonthlyFigures,
        models.MonthlyTotals,
        models.ResponseTime,
        models.MonthlyResponseTimes,
        models.PeopleTotals,
    ]


@hookimpl
def register_migrations():
    """The stats area's migrations."""
    return [("stats", Path(__file__).parent / "migrations")]


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
    """``tremplin stats`` and ``tremplin stats rebuild``."""
    cli.add_command(stats_cli.stats_command)


@hookimpl
def intervention_changed(intervention, old_status, new_status):
    """Recount the monthly aggregates of the intervention's school."""
    monthly.refresh(intervention.organisation_id)


@hookimpl
def survey_answers_changed(intervention):
    """Recount the aggregates of the intervention's school: its survey answers changed."""
    monthly.refresh(intervention.organisation_id)


@hookimpl
def menu_links(user):
    """Key figures for everybody; statistics and alerts for referents and admins."""
    return views.menu_links(user)


@hookimpl
def dashboard_panels(user):
    """This school year's main figures and the alerts, for referents and admins."""
    return views.dashboard_panels(user)
