"""The stages plugin: what it adds to a Tremplin instance."""

from __future__ import annotations

import logging

from tremplin import hookimpl

from . import api, conventions, models, overview, plugin, privacy, schemas, views
from .demo import populate
from .i18n import domain

logger = logging.getLogger(__name__)


@hookimpl
def register_settings_schema():
    """``[plugins.stages]``: the convention's model, the holidays' zone, caps, retention."""
    return schemas.SettingsSchema


@hookimpl
def register_models():
    """Offers, placements, legal guardians, conventions, school classes."""
    return [
        models.Offer,
        models.Placement,
        models.Guardian,
        models.Convention,
        models.SchoolClass,
    ]


@hookimpl
def register_migrations():
    """The plugin's migrations."""
    return [plugin.migrations()]


@hookimpl
def register_blueprints(app):
    """The pages of offers, placements, conventions and classes, and the JSON API."""
    return [views.blueprint, api.api]


@hookimpl
def register_translations():
    """The ``stages`` translation domain."""
    return [domain]


@hookimpl
def menu_links(user):
    """Internships for teachers, hosts and referents."""
    return views.menu_links(user)


@hookimpl
def dashboard_panels(user):
    """Pupils waiting for the host's answer; conventions waiting for signatures."""
    return views.dashboard_panels(user)


@hookimpl
def signature_circuit_changed(circuit, event):
    """A convention signed by every party is issued: the internship may start."""
    document = circuit.document
    if document.owner != plugin.name or event != "completed":
        return
    kind, _sep, number = document.subject.partition(":")
    if kind != "convention":
        return
    try:
        conventions.signed(int(number))
    except Exception:  # the step is committed; the school can ask for the links again
        logger.exception("%s: circuit %s (%s) not followed", plugin.name, circuit.id, event)


@hookimpl
def key_figures(period, territory):
    """Placements by level, gender, host's sector and school's priority flags; offers."""
    return overview.key_figures(period, territory)


@hookimpl
def populate_demo(demo):
    """Offers of internships of the demo's companies."""
    populate(demo)


@hookimpl
def personal_data(person):
    """Offers the person published and placements they proposed (without the pupils)."""
    return privacy.personal_data(person) or None


@hookimpl
def erase_personal_data(person):
    """Unlink the person from offers and placements: they stay the host's and school's."""
    privacy.erase(person)


@hookimpl
def processing_activities():
    """Offers; pupils' placements and conventions."""
    return privacy.processing_activities()


@hookimpl
def purge_expired(now):
    """Placements with their documents, offers and classes after ``kept_days``."""
    privacy.purge(now)
