"""The mecenat plugin: what it adds to a Tremplin instance."""

from __future__ import annotations

import logging

from tremplin import hookimpl
from tremplin.errors import Invalid
from tremplin.reports import ImportReport

from . import api, charters, conventions, ledger, models, overview, plugin, privacy, schemas, views
from .demo import populate
from .i18n import _, domain

logger = logging.getLogger(__name__)


@hookimpl
def register_settings_schema():
    """``[plugins.mecenat]``: preparation times, PSS overrides, beneficiary, signatories."""
    return schemas.SettingsSchema


@hookimpl
def register_models():
    """Partners, consents, charters, conventions, costs, hours, corrections, receipts."""
    return [
        models.Partner,
        models.Consent,
        models.CharterVersion,
        models.PartnershipCharter,
        models.Convention,
        models.Costing,
        models.Entry,
        models.Correction,
        models.Receipt,
    ]


@hookimpl
def register_migrations():
    """The plugin's migrations."""
    return [plugin.migrations()]


@hookimpl
def register_blueprints(app):
    """The partners' pages, the region's, the simulator and the JSON API."""
    return [views.blueprint, api.api]


@hookimpl
def register_translations():
    """The ``mecenat`` translation domain."""
    return [domain]


@hookimpl
def menu_links(user):
    """Sponsorship pages of ambassadors, partner managers and the region."""
    return views.menu_links(user)


@hookimpl
def load_region_data(region):
    """Publish the versions of the partnership charter found in the region's ``texts``."""
    folder = region.path / plugin.settings()["texts"]
    if not folder.is_dir():
        return None
    report = ImportReport(subject=_("Partnership charter versions"))
    for line, path in enumerate(sorted(folder.glob("*.md")), start=1):
        try:
            _version, created = charters.publish_text(path.read_text(encoding="utf-8"))
        except Invalid as error:
            reason = "; ".join(" ".join(map(str, m)) for m in error.errors.values())
            report.reject(line, _("%(file)s: %(reason)s", file=path.name, reason=reason))
            continue
        if created:
            report.created += 1
        else:
            report.unchanged += 1
    return report


@hookimpl
def intervention_changed(intervention, old_status, new_status):
    """A completed intervention of a counted employee adds hours; a cancelled one removes them."""
    try:
        ledger.intervention_changed(intervention, new_status)
    except Exception:  # the transition is committed: never undo it for the ledger's sake
        logger.exception("%s: intervention %s not recorded", plugin.name, intervention.id)


@hookimpl
def signature_circuit_changed(circuit, event):
    """A charter or convention signed by every party is issued; a cancelled one goes back."""
    document = circuit.document
    if document.owner != plugin.name:
        return
    kind, _sep, number = document.subject.partition(":")
    try:
        if event == "completed" and kind == "charter":
            charters.signed(int(number))
        elif event == "completed" and kind == "convention":
            conventions.signed(int(number))
        elif event == "cancelled" and kind == "convention":
            conventions.cancelled(int(number))
    except Exception:  # the step is committed; the region can issue the document by hand
        logger.exception("%s: circuit %s (%s) not followed", plugin.name, circuit.id, event)


@hookimpl
def key_figures(period, territory):
    """Hours given by partners' employees, in all and by sector."""
    return overview.key_figures(period, territory)


@hookimpl
def populate_demo(demo):
    """A few companies with charters, conventions, counted employees and hours."""
    populate(demo)


@hookimpl
def personal_data(person):
    """Consents, hours given and, for the person themselves, the costs their employer entered."""
    return privacy.personal_data(person) or None


@hookimpl
def erase_personal_data(person):
    """Delete consents and costs; hours stay, no longer linked to the person."""
    privacy.erase(person)


@hookimpl
def processing_activities():
    """Employer link and consent, employees' costs, hours, receipts."""
    return privacy.processing_activities()


@hookimpl
def purge_expired(now):
    """Costs after ``costing_kept_days``; records after ``records_kept_years``."""
    privacy.purge(now)
