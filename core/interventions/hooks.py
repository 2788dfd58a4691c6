"""The interventions area as a core plugin."""

from pathlib import Path

from ..hookkinds import hookimpl
from ..i18n import _
from ..mail import service as mail
from ..privacy.service import ProcessingActivity
from . import (
    announcements,
    api,
    departures,
    event_views,
    models,
    preparation_views,
    survey_views,
    surveys,
    views,
)
from . import cli as cli_module


@hookimpl
def register_models():
    """Interventions, their slots, reports and feedback, surveys; events and their slots."""
    return [
        models.Event,
        models.EventSlot,
        models.Intervention,
        models.Announcement,
        models.Slot,
        models.Reach,
        models.Feedback,
        models.MeetingLink,
        models.VisitSafety,
        models.SurveyInvitation,
        models.SurveyRefusal,
    ]


@hookimpl
def register_migrations():
    """The interventions area's migrations."""
    return [("interventions", Path(__file__).parent / "migrations")]


@hookimpl
def register_blueprints(app):
    """Request, answer, matching, agenda and event pages, and their API."""
    return [
        views.blueprint,
        event_views.blueprint,
        preparation_views.blueprint,
        survey_views.blueprint,
        api.interventions_api,
        api.events_api,
    ]


@hookimpl
def register_commands(cli):
    """``tremplin interventions expire``."""
    cli.add_command(cli_module.interventions_group)


@hookimpl
def register_tasks(queue):
    """Announce transitions as they are made, and every minute what is left."""
    announcements.register_tasks(queue)


@hookimpl
def startup(app):
    """The announcements a request recorded leave for the worker once it has answered."""

    @app.before_request
    def forget_earlier_announcements():
        # Only what this request records leaves with its response; the rest is the worker's.
        announcements.take_recorded()

    @app.after_request
    def dispatch_announcements(response):
        announcements.dispatch_recorded()
        return response


@hookimpl
def command_finished():
    """Hand the announcements a command recorded to the task queue, as after a request."""
    announcements.dispatch_recorded()


@hookimpl
def account_leaving(person, reason):
    """An ambassador who leaves: their upcoming interventions and event places are cancelled."""
    departures.close_for(person, reason)


@hookimpl
def may_contact(person, purpose):
    """No surveys to a person who declined them in their notification settings."""
    if purpose == mail.SURVEY and surveys.refuses_surveys(person):
        return False
    return None


@hookimpl
def personal_data(person):
    """The person's survey answers, the surveys sent to them, their choice about surveys."""
    return surveys.personal_data(person) or None


@hookimpl
def erase_personal_data(person):
    """Empty the person's survey comments; forget their survey links and choice."""
    surveys.erase(person)


@hookimpl
def menu_links(user):
    """My agenda, the matching queue, events; the public agenda for visitors."""
    return views.menu_links(user) + event_views.visitor_menu_links(user)


@hookimpl
def dashboard_panels(user):
    """ "To do": requests to answer, dates to fix, reports to write, matches to make."""
    return views.dashboard_panels(user)


@hookimpl
def processing_activities():
    """Interventions in the register of processing activities."""
    return [
        ProcessingActivity(
            name=_("Interventions"),
            purpose=_(
                "Organise ambassadors' interventions with schools: requests, answers, "
                "dates, reports, feedback and satisfaction surveys, and count them for the "
                "region's key figures."
            ),
            legal_basis=_("Public interest task of the region (information on occupations)."),
            data=_(
                "The school, who asked, the ambassador, dates, audience, reasons for "
                "declining or cancelling, number of young people reached, feedback (a mark "
                "and a comment), surveys sent and whether a person declined them."
            ),
            retention=_(
                "Kept for the statistics; the names of people whose account is deleted are "
                "removed from them."
            ),
        )
    ]
