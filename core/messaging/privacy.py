"""What messaging holds about a person (GDPR): their data, its erasure, retention periods.

Messages are kept a year after their intervention's date, with the contact details shared
on it; notifications six months after they were made once read, a year if never read.
"""

from __future__ import annotations

import datetime
from typing import Any

import peewee

from ..auth.models import Account
from ..clock import now
from ..db import database
from ..i18n import _
from ..interventions.models import Intervention
from ..people.models import Ambassador
from .models import ContactShare, Message, Notification

MESSAGE_RETENTION = datetime.timedelta(days=365)
READ_NOTIFICATION_RETENTION = datetime.timedelta(days=183)
NOTIFICATION_RETENTION = datetime.timedelta(days=365)


def personal_data(person: Account) -> dict[str, Any]:
    """The person's messages, notifications and contact shares, JSON-ready.

    An active ambassador has thousands of rows here: they are read as tuples of the columns
    given, not as model instances (W8 in docs/performance.md).
    """
    messages = [
        {"intervention": intervention, "written_at": at.isoformat(), "body": body}
        for intervention, at, body in Message.select(
            Message.intervention, Message.created_at, Message.body
        )
        .where(Message.author == person.id, Message.erased_at.is_null())
        .order_by(Message.created_at, Message.id)
        .tuples()
    ]
    received = [
        {
            "kind": kind,
            "intervention": intervention,
            "created_at": at.isoformat(),
            "read_at": read_at.isoformat() if read_at else None,
        }
        for kind, intervention, at, read_at in Notification.select(
            Notification.kind,
            Notification.intervention,
            Notification.created_at,
            Notification.read_at,
        )
        .where(Notification.account == person.id)
        .order_by(Notification.created_at, Notification.id)
        .tuples()
    ]
    shares = [
        {"intervention": intervention, "email": email, "phone": phone, "shared_at": at.isoformat()}
        for intervention, email, phone, at in ContactShare.select(
            ContactShare.intervention,
            ContactShare.email,
            ContactShare.phone,
            ContactShare.created_at,
        )
        .where(ContactShare.ambassador.in_(_ambassador_ids(person)))
        .order_by(ContactShare.created_at, ContactShare.id)
        .tuples()
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
