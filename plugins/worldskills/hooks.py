"""The worldskills plugin: what it adds to a Tremplin instance."""

from __future__ import annotations

from tremplin import hookimpl
from tremplin.imports import Importer

from . import api, candidates, figures, models, plugin, privacy, schemas, views
from .demo import populate
from .i18n import _, domain


@hookimpl
def register_settings_schema():
    """``[plugins.worldskills]``: the scale, medallions, selection, consents, retention."""
    return schemas.SettingsSchema


@hookimpl
def register_models():
    """Competitions, skills, aspects, candidates, judges, links, marks, results, invitations."""
    return [
        models.Competition,
        models.Skill,
        models.Aspect,
        models.Candidate,
        models.Judge,
        models.Link,
        models.Score,
        models.MarkChange,
        models.Result,
        models.Invitation,
    ]


@hookimpl
def register_migrations():
    """The plugin's migrations."""
    return [plugin.migrations()]


@hookimpl
def register_blueprints(app):
    """The competitions' pages, the public results and the JSON API."""
    return [views.blueprint, api.api]


@hookimpl
def register_translations():
    """The ``worldskills`` translation domain."""
    return [domain]


@hookimpl
def menu_links(user):
    """The competitions and their results."""
    return views.menu_links(user)


@hookimpl
def register_importers():
    """``tremplin import worldskills-candidates FILE``: candidates of a competition, the
    competition by its number in a ``competition`` column."""
    return [
        Importer(
            name=f"{plugin.name}-candidates",
            description=_("WorldSkills candidates"),
            columns=("competition", *candidates.COLUMNS),
            load=candidates.load_rows,
        )
    ]


@hookimpl
def key_figures(period, territory):
    """Candidates by skill, gender, pathway and territory; medals and medallions."""
    return figures.key_figures(period, territory)


@hookimpl
def populate_demo(demo):
    """A regional selection with two skills and invented candidates."""
    populate(demo)


@hookimpl
def personal_data(person):
    """The person's registrations and results, and their places in marking teams."""
    return privacy.personal_data(person) or None


@hookimpl
def erase_personal_data(person):
    """Registrations anonymised; links declared deleted."""
    privacy.erase(person)


@hookimpl
def processing_activities():
    """Candidates, marking teams, invitations."""
    return privacy.processing_activities()


@hookimpl
def purge_expired(now):
    """Candidates anonymised ``kept_years`` after their competition; expired invitations."""
    privacy.purge(now)
