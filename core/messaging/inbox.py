"""The notifications a person reads: the list in their language, unread ones, marking read.

Notifications are made by ``notifications`` as the workflow moves; here they are read:
each in the reader's language, with where to act on it (the thread or the intervention).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import peewee

from ..auth.models import Account
from ..clock import now
from ..db import database
from ..errors import NotFound
from ..i18n import _, lazy_gettext
from ..interventions import times
from ..interventions.models import Intervention
from ..organisations.models import Organisation
from ..pagination import PAGE_SIZE, Page
from ..people.labels import INTERVENTION_LABELS, label
from .models import Notification, NotificationKind, ThreadEmails
from .notifications import public_name

NOTIFICATION_LEADS = {
    NotificationKind.MESSAGE: lazy_gettext("New message from %(name)s"),
    NotificationKind.REQUESTED: lazy_gettext("A request waits for your answer"),
    NotificationKind.TO_MATCH: lazy_gettext("A request waits for an ambassador"),
    NotificationKind.ACCEPTED: lazy_gettext("%(name)s accepted the request: the date is fixed"),
    NotificationKind.DECLINED: lazy_gettext("%(name)s declined the request"),
    NotificationKind.SCHEDULED: lazy_gettext("The date is fixed"),
    NotificationKind.RESCHEDULED: lazy_gettext("The date has changed"),
    NotificationKind.CANCELLED: lazy_gettext("The intervention is cancelled"),
    NotificationKind.COMPLETED: lazy_gettext("Thank you! Give your feedback"),
    NotificationKind.EXPIRED: lazy_gettext(
        "The request expired without an answer: ask another ambassador"
    ),
    NotificationKind.CONTACTS_SHARED: lazy_gettext("%(name)s shared their contact details"),
}
# Kinds whose place to act is the thread rather than the intervention's page.
IN_THREAD = (NotificationKind.MESSAGE, NotificationKind.CONTACTS_SHARED)


@dataclass(frozen=True)
class ShownNotification:
    """A notification in its reader's language, and where to act on it."""

    id: int
    kind: str
    text: str
    intervention_id: int | None
    created_at: datetime.datetime
    read: bool

    @property
    def in_thread(self) -> bool:
        """Whether it is answered in the intervention's thread (else on its page)."""
        return self.kind in IN_THREAD


def _text(notification: Notification) -> str:
    lead = NOTIFICATION_LEADS.get(notification.kind)
    name = public_name(notification.actor) if notification.actor_id else ""
    text = str(lead) % {"name": name or _("a participant")} if lead else notification.kind
    intervention = notification.intervention if notification.intervention_id else None
    if intervention is None:
        return text
    subject = _(
        "%(type)s on %(date)s, %(school)s.",
        type=label(INTERVENTION_LABELS, intervention.intervention_type),
        date=times.shown(intervention.starts_at),
        school=intervention.organisation.name,
    )
    return f"{text} — {subject}"


def _notifications(account: Account) -> peewee.ModelSelect:
    actor = Account.alias()
    return (
        Notification.select(Notification, Intervention, Organisation, actor)
        .join(Intervention, peewee.JOIN.LEFT_OUTER)
        .join(Organisation, peewee.JOIN.LEFT_OUTER)
        .switch(Notification)
        .join(actor, peewee.JOIN.LEFT_OUTER, on=(Notification.actor == actor.id))
        .where(Notification.account == account.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def _shown(row: Notification) -> ShownNotification:
    return ShownNotification(
        id=row.id,
        kind=row.kind,
        text=_text(row),
        intervention_id=row.intervention_id,
        created_at=row.created_at,
        read=row.read_at is not None,
    )


def notifications_page(account: Account, page: int = 1, page_size: int = PAGE_SIZE) -> Page:
    """A page of ``account``'s notifications, latest first."""
    total = Notification.select().where(Notification.account == account.id).count()
    rows = _notifications(account).paginate(page, page_size)
    return Page([_shown(row) for row in rows], total=total, page=page, page_size=page_size)


def latest_notifications(account: Account, limit: int = 5) -> list[ShownNotification]:
    """The ``limit`` latest notifications of ``account``."""
    return [_shown(row) for row in _notifications(account).limit(limit)]


def unread_count(account: Account | None) -> int:
    """How many notifications ``account`` has not read yet."""
    if account is None:
        return 0
    return (
        Notification.select()
        .where(Notification.account == account.id, Notification.read_at.is_null())
        .count()
    )


def mark_read(account: Account, notification_id: int) -> ShownNotification:
    """Mark one of ``account``'s notifications read; ``NotFound`` for anyone else's."""
    notification = Notification.get_or_none(
        Notification.id == notification_id, Notification.account == account.id
    )
    if notification is None:
        raise NotFound(_("No notification has this number."))
    with database.atomic():
        Notification.update(read_at=now()).where(
            Notification.id == notification.id, Notification.read_at.is_null()
        ).execute()
    return _shown(_notifications(account).where(Notification.id == notification.id).get())


def mark_all_read(account: Account) -> int:
    """Mark every notification of ``account`` read; return how many were unread."""
    with database.atomic():
        return (
            Notification.update(read_at=now())
            .where(Notification.account == account.id, Notification.read_at.is_null())
            .execute()
        )


# Emails for each message


def emailed_each_message(account: Account) -> bool:
    """Whether ``account``, as a referent, is emailed for each message of the threads they
    follow (yes unless they said no)."""
    choice = ThreadEmails.get_or_none(ThreadEmails.account == account.id)
    return True if choice is None else choice.each_message


def choose_each_message_emails(account: Account, each_message: bool) -> None:
    """Record whether ``account`` is emailed for each message of the threads they follow."""
    with database.atomic():
        ThreadEmails.insert(account=account.id, each_message=each_message).on_conflict(
            conflict_target=[ThreadEmails.account],
            update={ThreadEmails.each_message: each_message},
        ).execute()
