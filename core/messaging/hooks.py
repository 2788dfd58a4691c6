"""The messaging area as a core plugin."""

from pathlib import Path

from ..hookkinds import hookimpl
from ..i18n import _
from ..privacy.service import ProcessingActivity
from . import api, models, notifications, privacy, reminders, views


@hookimpl
def register_models():
    """Messages, contact shares, notifications, the reminders sent, referents' email choice."""
    return [
        models.Message,
        models.ContactShare,
        models.Notification,
        reminders.ReminderSent,
        models.ThreadEmails,
    ]


@hookimpl
def register_migrations():
    """The messaging area's migrations."""
    return [("messaging", Path(__file__).parent / "migrations")]


@hookimpl
def register_settings_schema():
    """``[plugins.messaging]``: the delays of reminders, escalation and expiry."""
    return reminders.ReminderSettingsSchema


@hookimpl
def register_tasks(queue):
    """``messaging.reminders``, every hour: reminders, escalations, expiry."""
    reminders.register_tasks(queue)


@hookimpl
def register_blueprints(app):
    """Threads, contact sharing and notification pages, and their API."""
    return [views.blueprint, api.messages_api, api.notifications_api]


@hookimpl
def menu_links(user):
    """ "Notifications", with the number unread."""
    return views.menu_links(user)


@hookimpl
def dashboard_panels(user):
    """The latest notifications."""
    return views.dashboard_panels(user)


@hookimpl
def intervention_announced(intervention, old_status, new_status):
    """Tell the right people of each transition, in the platform and by email (worker)."""
    notifications.intervention_announced(intervention, old_status, new_status)


@hookimpl
def personal_data(person):
    """The person's messages, notifications and contact details shared."""
    return privacy.personal_data(person) or None


@hookimpl
def erase_personal_data(person):
    """Delete the person's notifications and shares; empty the bodies of their messages."""
    privacy.erase(person)


@hookimpl
def purge_expired(now):
    """Messages a year after their intervention; notifications after six months once read."""
    privacy.purge(now)


@hookimpl
def processing_activities():
    """Messages and notifications, in the register of processing activities."""
    return [
        ProcessingActivity(
            name=_("Messages and notifications"),
            purpose=_(
                "Let the ambassador, the educational team and the referents of an "
                "intervention write to each other without revealing their email or phone, "
                "and tell each of them what to do next, in the platform and by email."
            ),
            legal_basis=_("Public interest task of the region (information on occupations)."),
            data=_(
                "Messages with their author and date; notifications and when they were "
                "read; the contact details an ambassador chose to share with a school."
            ),
            retention=_(
                "Messages and shared contact details: one year after the intervention's "
                "date. Notifications: six months once read, one year otherwise. A deleted "
                "account's notifications go at once and its messages are emptied."
            ),
        )
    ]
