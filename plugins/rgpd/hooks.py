"""The rgpd plugin: what it adds to a Tremplin instance."""

from __future__ import annotations

from tremplin import hookimpl

from . import api, models, plugin, privacy, reminders, rights, schemas, views
from . import cli as commands
from .demo import populate
from .i18n import domain


@hookimpl
def register_settings_schema():
    """``[plugins.rgpd]``: the controller, its officer, the register's columns, periods."""
    return schemas.SettingsSchema


@hookimpl
def register_models():
    """Officers, requests and their steps, export links, restrictions and objections."""
    return [models.Officer, models.Request, models.Step, models.ExportLink, models.Limit]


@hookimpl
def register_migrations():
    """The plugin's migrations."""
    return [plugin.migrations()]


@hookimpl
def register_blueprints(app):
    """The person's requests, the public form and page, the officers' pages, the API."""
    return [views.blueprint, api.api]


@hookimpl
def register_commands(cli):
    """``tremplin rgpd officer add|remove``, ``tremplin rgpd remind``."""
    cli.add_command(commands.rgpd_group)


@hookimpl
def register_translations():
    """The ``rgpd`` translation domain."""
    return [domain]


@hookimpl
def register_tasks(queue):
    """``rgpd.reminders``: the officers told each morning of requests due soon."""
    reminders.register_tasks(queue)


@hookimpl
def menu_links(user):
    """My data rights, for everyone signed in; the requests, for officers."""
    return views.menu_links(user)


@hookimpl
def dashboard_panels(user):
    """The officers' open requests, overdue first."""
    return views.dashboard_panels(user)


@hookimpl
def populate_demo(demo):
    """The administrators as officers; three requests waiting on their dashboard."""
    populate(demo)


@hookimpl
def ambassador_holds(ambassadors):
    """Ambassadors whose processing is restricted (GDPR art. 18) stay out of search."""
    return privacy.holds_for(list(ambassadors))


@hookimpl
def may_contact(person, purpose):
    """No surveys or communications to a person who objected or had processing restricted."""
    return False if rights.refuses_contact(person) else None


@hookimpl
def personal_data(person):
    """The person's requests, their steps, and restrictions or objections in force."""
    return privacy.personal_data(person) or None


@hookimpl
def erase_personal_data(person):
    """Limits, officer role and export files go; the requests stay (proof of the answer)."""
    privacy.erase(person)


@hookimpl
def processing_activities():
    """The handling of requests to exercise rights."""
    return privacy.processing_activities()


@hookimpl
def purge_expired(now):
    """Expired exports, unconfirmed requests, closed requests after ``requests_kept_years``."""
    return privacy.purge(now)
