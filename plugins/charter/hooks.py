"""The charter plugin: what it adds to a Tremplin instance."""

from __future__ import annotations

import logging

import peewee

from tremplin import hookimpl, runtime
from tremplin.errors import Invalid
from tremplin.reports import ImportReport

from . import (
    api,
    models,
    plugin,
    privacy,
    registration,
    reminders,
    requirements,
    schemas,
    versions,
    views,
)
from . import cli as commands
from .demo import populate as populate_demo_network
from .i18n import _, domain

logger = logging.getLogger(__name__)


@hookimpl
def register_settings_schema():
    """``[plugins.charter]``: what the region requires, and for how long."""
    return schemas.SettingsSchema


@hookimpl
def register_models():
    """Versions, acceptances, record checks, declarations and the decisions log."""
    return [
        models.CharterVersion,
        models.Acceptance,
        models.RecordCheck,
        models.Declaration,
        models.Decision,
    ]


@hookimpl
def register_migrations():
    """The charter's migrations."""
    return [plugin.migrations()]


@hookimpl
def register_blueprints(app):
    """The charter, the ambassador's file, the referents' queue and log, and the API."""
    return [views.blueprint, api.api]


@hookimpl
def register_commands(cli):
    """``tremplin charter publish|versions``."""
    cli.add_command(commands.charter_group)


@hookimpl
def register_translations():
    """The ``charter`` translation domain."""
    return [domain]


@hookimpl
def register_tasks(queue):
    """``charter.hourly``: holds of the day, renewal reminders."""
    reminders.register_tasks(queue)


@hookimpl
def menu_links(user):
    """The ambassador's file; the referents' checks to do."""
    return views.menu_links(user)


@hookimpl
def dashboard_panels(user):
    """What an ambassador still has to do; the checks waiting for a referent."""
    return views.dashboard_panels(user)


@hookimpl
def startup(app):
    """Bring the holds up to date once the plugin's tables exist (it was enabled again)."""
    try:
        if not plugin.migrated():
            return  # ``tremplin db upgrade`` first; the next start or hourly task syncs
        with runtime.current().database.connection_context():
            requirements.sync()
    except peewee.DatabaseError as error:  # the database away: the hourly task will do it
        logger.warning("%s: holds not brought up to date at start-up: %s", plugin.name, error)


@hookimpl
def load_region_data(region):
    """Publish the versions of the charter found in the region's folder (``texts``)."""
    folder = region.path / requirements.settings()["texts"]
    if not folder.is_dir():
        return None
    report = ImportReport(subject=_("Charter versions"))
    for line, path in enumerate(sorted(folder.glob("*.md")), start=1):
        try:
            _version, created = versions.publish_text(path.read_text(encoding="utf-8"))
        except Invalid as error:
            reason = versions.explain(error)
            report.reject(line, _("%(field)s: %(message)s", field=path.name, message=reason))
            continue
        if created:
            report.created += 1
        else:
            report.unchanged += 1
    return report


@hookimpl
def ambassador_holds(ambassadors):
    """Charter not accepted, record check missing, waiting, refused or expired, declarations
    missing: what the region requires and each of ``ambassadors`` has not done yet."""
    return requirements.holds_for_each(ambassadors)


@hookimpl
def registration_terms():
    """The version of the charter in force, accepted on the registration's last step."""
    return registration.terms()


@hookimpl
def ambassador_registered(ambassador, accepted_terms):
    """The new ambassador accepted the charter in force while registering: record it."""
    registration.record(ambassador, accepted_terms)


@hookimpl
def populate_demo(demo):
    """Most demo ambassadors accepted the charter and were checked; a few wait."""
    populate_demo_network(demo)


@hookimpl
def personal_data(person):
    """Acceptances, checks, declarations, and decisions made as a referent."""
    return privacy.personal_data(person) or None


@hookimpl
def erase_personal_data(person):
    """Delete acceptances, checks (and any extract on disk) and declarations; anonymise the
    decisions log."""
    privacy.erase(person)


@hookimpl
def processing_activities():
    """The charter, the checks of the criminal record, the employer's agreement and insurance."""
    return privacy.processing_activities()


@hookimpl
def purge_expired(now):
    """Uploaded extracts after ``upload_kept_days``; old checks and decisions after
    ``history_kept_days``."""
    privacy.purge(now)
