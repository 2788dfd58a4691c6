"""The thread of an intervention and the contact details an ambassador chooses to share.

The participants of a thread are exactly the sides of its intervention
(``tremplin.interventions.access.can_view``): the ambassador, the school side (the person
who asked and the educators of the school), the referents of the school's territory and
the admins. To anyone else the thread does not exist (``NotFound``).

Nobody's email or phone is part of a thread: people write through the platform. An
ambassador may show their email and/or phone to the school side of one intervention
(``share_contacts``) and take it back (``revoke_contacts``); referents and other schools
never see them through here.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import peewee

from ..auth.models import Account, AccountStatus
from ..clock import now
from ..db import database
from ..errors import Invalid, NotAllowed, NotFound
from ..i18n import _, lazy_gettext
from ..interventions import access, times
from ..interventions.models import Intervention
from ..interventions.service import get_visible
from ..organisations.models import Organisation
from ..pagination import PAGE_SIZE, Page
from ..people.labels import INTERVENTION_LABELS, label
from ..people.models import Ambassador
from ..validation import validated
from . import notifications, schemas
from .models import AuthorSide, ContactShare, Message, Notification, NotificationKind
from .notifications import public_name

MAX_PAGE_SIZE = 100
# Messages are kept a year after the intervention's date; read notifications six months.
MESSAGE_RETENTION = datetime.timedelta(days=365)
READ_NOTIFICATION_RETENTION = datetime.timedelta(days=183)
NOTIFICATION_RETENTION = datetime.timedelta(days=365)


@dataclass(frozen=True)
class ThreadMessage:
    """A message as a participant reads it: the author's public name and side only."""

    id: int
    author_name: str  # empty when the author's account is gone
    side: str
    body: str  # empty once erased
    erased: bool
    created_at: datetime.datetime
    mine: bool


@dataclass(frozen=True)
class Contacts:
    """The ambassador's contact details a reader may see; ``None`` where not shared."""

    email: str | None = None
    phone: str | None = None

    def __bool__(self) -> bool:
        return self.email is not None or self.phone is not None


# The thread


def side_of(account: Account | None, intervention: Intervention) -> AuthorSide | None:
    """The side ``account`` writes from in the thread of ``intervention``, if any."""
    if access.is_ambassador_of(account, intervention):
        return AuthorSide.AMBASSADOR
    if access.is_school_side(account, intervention):
        return AuthorSide.SCHOOL
    if access.is_referent_of(account, intervention):
        return AuthorSide.REFERENT
    return None


def message_count(viewer: Account | None, intervention_id: int) -> int:
    """How many messages the thread of ``intervention_id`` holds (``NotFound`` if not a side)."""
    intervention = get_visible(viewer, intervention_id)
    return Message.select().where(Message.intervention == intervention.id).count()


def messages_page(
    viewer: Account | None,
    intervention_id: int,
    page: int | None = None,
    page_size: int = PAGE_SIZE,
) -> Page:
    """A page of the thread, oldest first; the last page (the latest messages) by default.

    Raise ``NotFound`` when ``viewer`` is not a side of the intervention.
    """
    intervention = get_visible(viewer, intervention_id)
    query = Message.select().where(Message.intervention == intervention.id)
    total = query.count()
    pages = max(1, math.ceil(total / page_size))
    page = pages if page is None else page
    rows = (
        Message.select(Message, Account)
        .join(Account, peewee.JOIN.LEFT_OUTER, on=(Message.author == Account.id))
        .where(Message.intervention == intervention.id)
        .order_by(Message.created_at, Message.id)
        .paginate(page, page_size)
    )
    viewer_id = viewer.id if viewer else None
    items = [
        ThreadMessage(
            id=row.id,
            author_name=public_name(row.author),
            side=row.side,
            body="" if row.erased_at else row.body,
            erased=row.erased_at is not None,
            created_at=row.created_at,
            mine=row.author_id is not None and row.author_id == viewer_id,
        )
        for row in rows
    ]
    return Page(items=items, total=total, page=page, page_size=page_size)


def post_message(actor: Account | None, intervention_id: int, raw: Mapping[str, Any]) -> Message:
    """Write ``raw["body"]`` in the thread; the other participants are told (in-app and email).

    Raise ``NotFound`` when ``actor`` is not a side, ``Invalid`` for an empty or too long body.
    """
    intervention = get_visible(actor, intervention_id)
    side = side_of(actor, intervention)
    data = validated(schemas.MessageSchema, raw)
    with database.atomic():
        message = Message.create(
            intervention=intervention.id, author=actor.id, side=side, body=data["body"]
        )
        notifications.message_written(message, intervention, actor)
    return message


# Contact details


def _share_of(intervention: Intervention) -> ContactShare | None:
    if intervention.ambassador_id is None:
        return None
    return ContactShare.get_or_none(
        ContactShare.intervention == intervention.id,
        ContactShare.ambassador == intervention.ambassador_id,
    )


def contacts_for(viewer: Account | None, intervention_id: int) -> Contacts:
    """The ambassador's email and phone ``viewer`` may see on this intervention.

    The school side sees what the ambassador shared with it; the ambassador sees what they
    share; everyone else (referents included) sees nothing. ``NotFound`` if not a side.
    """
    intervention = get_visible(viewer, intervention_id)
    share = _share_of(intervention)
    if share is None:
        return Contacts()
    if not (
        access.is_ambassador_of(viewer, intervention) or access.is_school_side(viewer, intervention)
    ):
        return Contacts()
    account = Account.get_by_id(intervention.ambassador.account_id)
    if account.status != AccountStatus.ACTIVE:
        return Contacts()
    return Contacts(
        email=account.email if share.email else None,
        phone=account.phone if share.phone and account.phone else None,
    )


def own_share(actor: Account | None, intervention_id: int) -> ContactShare | None:
    """What the ambassador ``actor`` shares on this intervention; ``NotAllowed`` for others."""
    intervention = get_visible(actor, intervention_id)
    if not access.is_ambassador_of(actor, intervention):
        raise NotAllowed(_("Only the ambassador can stop sharing their contact details."))
    return _share_of(intervention)


def share_contacts(actor: Account | None, intervention_id: int, raw: Mapping[str, Any]) -> Contacts:
    """The ambassador shows their email and/or phone to the school side of this intervention.

    What was already shared stays shared. Raise ``NotAllowed`` for anyone but the
    ambassador, ``Invalid`` when nothing is chosen or the account has no phone.
    """
    intervention = get_visible(actor, intervention_id)
    if not access.is_ambassador_of(actor, intervention):
        raise NotAllowed(_("Only the ambassador can share their contact details."))
    data = validated(schemas.ShareSchema, raw)
    if not (data["email"] or data["phone"]):
        raise Invalid({"share": [_("Choose what you share: your email, your phone, or both.")]})
    if data["phone"] and not actor.phone:
        raise Invalid(
            {"share": [_("Your account has no phone number: add it in your account first.")]}
        )
    chosen = {name: True for name in ("email", "phone") if data[name]}
    with database.atomic():
        # Write first (SQLite): a transaction that reads first cannot wait for another writer.
        ContactShare.insert(
            intervention=intervention.id, ambassador=intervention.ambassador_id
        ).on_conflict_ignore().execute()
        ContactShare.update(**chosen).where(
            ContactShare.intervention == intervention.id,
            ContactShare.ambassador == intervention.ambassador_id,
        ).execute()
        notifications.contacts_shared(intervention, actor)
    return contacts_for(actor, intervention_id)


def revoke_contacts(actor: Account | None, intervention_id: int) -> None:
    """The ambassador stops showing their contact details on this intervention."""
    intervention = get_visible(actor, intervention_id)
    if not access.is_ambassador_of(actor, intervention):
        raise NotAllowed(_("Only the ambassador can stop sharing their contact details."))
    with database.atomic():
        ContactShare.delete().where(
            ContactShare.intervention == intervention.id,
            ContactShare.ambassador == intervention.ambassador_id,
        ).execute()


# Notifications, as their reader sees them

NOTIFICATION_LEADS = {
    NotificationKind.MESSAGE: lazy_gettext("New message from %(name)s"),
    NotificationKind.REQUESTED: lazy_gettext("A request waits for your answer"),
    NotificationKind.TO_MATCH: lazy_gettext("A request waits for an ambassador"),
    NotificationKind.ACCEPTED: lazy_gettext("%(name)s accepted the request: fix the date together"),
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


# Personal data (GDPR)


def personal_data(person: Account) -> dict[str, Any]:
    """The person's messages, notifications and contact shares, JSON-ready."""
    messages = [
        {
            "intervention": row.intervention_id,
            "written_at": row.created_at.isoformat(),
            "body": row.body,
        }
        for row in Message.select()
        .where(Message.author == person.id, Message.erased_at.is_null())
        .order_by(Message.created_at, Message.id)
    ]
    received = [
        {
            "kind": row.kind,
            "intervention": row.intervention_id,
            "created_at": row.created_at.isoformat(),
            "read_at": row.read_at.isoformat() if row.read_at else None,
        }
        for row in Notification.select()
        .where(Notification.account == person.id)
        .order_by(Notification.created_at, Notification.id)
    ]
    shares = [
        {
            "intervention": row.intervention_id,
            "email": row.email,
            "phone": row.phone,
            "shared_at": row.created_at.isoformat(),
        }
        for row in ContactShare.select()
        .where(ContactShare.ambassador.in_(_ambassador_ids(person)))
        .order_by(ContactShare.created_at, ContactShare.id)
    ]
    data = {}
    if messages:
        data[_("Messages written")] = messages
    if received:
        data[_("Notifications")] = received
    if shares:
        data[_("Contact details shared")] = shares
    return data


def _ambassador_ids(person: Account) -> peewee.ModelSelect:
    return Ambassador.select(Ambassador.id).where(Ambassador.account == person.id)


def erase(person: Account) -> None:
    """Erase what messaging holds about ``person``.

    Their notifications and contact shares go; the bodies of their messages are emptied
    (the thread shows that a message was erased, so the answers still make sense).
    """
    Notification.delete().where(Notification.account == person.id).execute()
    ContactShare.delete().where(ContactShare.ambassador.in_(_ambassador_ids(person))).execute()
    Message.update(body="", erased_at=now()).where(
        Message.author == person.id, Message.erased_at.is_null()
    ).execute()


def purge(moment: datetime.datetime) -> dict[str, int]:
    """Apply the retention periods as of ``moment`` (aware or stored UTC); return counts.

    Messages and contact shares go a year after their intervention's date; notifications
    six months after they were made once read, a year after if never read.
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    past = Intervention.select(Intervention.id).where(
        Intervention.starts_at < moment - MESSAGE_RETENTION
    )
    with database.atomic():
        messages = Message.delete().where(Message.intervention.in_(past)).execute()
        shares = ContactShare.delete().where(ContactShare.intervention.in_(past)).execute()
        read = Notification.read_at.is_null(False) & (
            Notification.created_at < moment - READ_NOTIFICATION_RETENTION
        )
        old = Notification.created_at < moment - NOTIFICATION_RETENTION
        purged = Notification.delete().where(read | old).execute()
    return {"messages": messages, "contact_shares": shares, "notifications": purged}
