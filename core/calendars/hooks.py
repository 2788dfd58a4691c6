"""The calendars area as a core plugin."""

from pathlib import Path

from ..hookkinds import hookimpl
from ..i18n import _
from ..privacy.service import ProcessingActivity
from . import models, service, views


@hookimpl
def register_models():
    """Invitations' sequence numbers and private calendar addresses."""
    return [models.Invitation, models.CalendarFeed]


@hookimpl
def register_migrations():
    """The calendars area's migrations."""
    return [("calendars", Path(__file__).parent / "migrations")]


@hookimpl
def register_blueprints(app):
    """The private calendar page and the feeds."""
    return [views.blueprint]


@hookimpl
def menu_links(user):
    """My calendar."""
    return views.menu_links(user)


@hookimpl
def intervention_announced(intervention, old_status, new_status):
    """Send the invitation of a scheduled intervention, its updates and its cancellation
    (worker)."""
    service.send_invitations(intervention, old_status, new_status, views.intervention_link)


@hookimpl
def erase_personal_data(person):
    """Delete the person's private calendar addresses."""
    service.erase_feeds(person)


@hookimpl
def purge_expired(now):
    """Delete calendar addresses revoked more than 30 days ago."""
    service.purge_revoked(now)


@hookimpl
def processing_activities():
    """Calendar invitations and private calendar addresses in the register."""
    return [
        ProcessingActivity(
            name=_("Calendar invitations and private calendar addresses"),
            purpose=_(
                "Put interventions in the calendars of the ambassador and of who asked for "
                "them: an invitation by email when a date is fixed, changed or cancelled, and "
                "a private address where each person's calendar app reads their interventions."
            ),
            legal_basis=_("Public interest task of the region (information on occupations)."),
            data=_(
                "In invitations: the recipient's own email address and public name, the "
                "intervention's date, place, school and the ambassador's public name and "
                "occupation. For the address: a secret key, when it was made and revoked."
            ),
            retention=_(
                "Invitations are emails of the outbox. An address works until it is revoked; "
                "revoked addresses are deleted after 30 days, and every address when the "
                "account is deleted."
            ),
        )
    ]
