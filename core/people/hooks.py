"""The people area as a core plugin."""

from pathlib import Path

from ..hookkinds import hookimpl
from ..i18n import _
from ..privacy.service import ProcessingActivity
from . import api, importer, models, privacy, registration_views, service, views
from . import cli as holds_cli


@hookimpl
def register_models():
    """Ambassador profiles, offers, zones, holds and image-rights decisions."""
    return [
        models.Ambassador,
        models.AmbassadorOffer,
        models.AmbassadorZone,
        models.AmbassadorHold,
        models.ImageRightsDecision,
    ]


@hookimpl
def register_migrations():
    """The people area's migrations."""
    return [("people", Path(__file__).parent / "migrations")]


@hookimpl
def register_blueprints(app):
    """Registration pages, the directory and profiles, and their API."""
    return [registration_views.blueprint, views.blueprint, api.api]


@hookimpl
def register_commands(cli):
    """``tremplin holds rebuild``."""
    cli.add_command(holds_cli.holds_group)


@hookimpl
def register_importers():
    """``tremplin import ambassadors FILE``."""
    return [importer.importer()]


@hookimpl
def menu_links(user):
    """Find an ambassador, my profile, or become an ambassador."""
    return views.menu_links(user)


@hookimpl
def personal_data(person):
    """The person's ambassador profile, offers and zone."""
    return privacy.personal_data(person)


@hookimpl
def erase_personal_data(person):
    """Erase the ambassador profile's personal parts when its account is deleted."""
    service.erase_profile(person)


@hookimpl
def processing_activities():
    """Ambassador profiles, the directory and image rights, in the register of processing
    activities."""
    return [
        ProcessingActivity(
            name=_("Ambassador directory"),
            purpose=_(
                "Let educational teams and referents find ambassadors to present their "
                "occupation to young people; contact details are never shown."
            ),
            legal_basis=_("Consent of the ambassador, who registers and may delete the profile."),
            data=_(
                "Occupation, sector, ROME code, employer or school, intervention types and "
                "modes, zone, monthly capacity, pause, presentation."
            ),
            retention=_(
                "As long as the account exists; its personal parts are erased when the "
                "account is deleted."
            ),
        ),
        ProcessingActivity(
            name=_("Image rights of ambassadors"),
            purpose=_(
                "Know whether the region may photograph, record or film an ambassador during "
                "interventions and use the images in its communication (charter article 7)."
            ),
            legal_basis=_(
                "Consent of the ambassador, optional and withdrawn at any time on their profile."
            ),
            data=_(
                "Consent given or withdrawn, its date and the version of the text consented to."
            ),
            retention=_(
                "As long as the account exists; the choices are erased when the account is deleted."
            ),
        ),
    ]
