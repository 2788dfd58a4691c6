"""Messages of an intervention's thread, contact details an ambassador shares, notifications.

Timestamps are UTC without a time zone (``tremplin.clock.now``). What a notification says
is not stored: it is written when it is read, in the reader's language, from its ``kind``
and its intervention.
"""

from enum import StrEnum

import peewee

from ..auth.models import Account
from ..clock import now
from ..db import BaseModel
from ..interventions.models import Intervention
from ..people.models import Ambassador


class AuthorSide(StrEnum):
    """Which side of the intervention a message comes from."""

    AMBASSADOR = "ambassador"
    SCHOOL = "school"  # the educational team, or whoever made the request
    REFERENT = "referent"  # a referent of the school's territory, or an admin


class NotificationKind(StrEnum):
    """What a notification tells its reader."""

    MESSAGE = "message"  # someone wrote in the thread
    REQUESTED = "requested"  # a request waits for the ambassador's answer
    TO_MATCH = "to_match"  # a request waits for a referent to find an ambassador
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SCHEDULED = "scheduled"  # the date is fixed
    RESCHEDULED = "rescheduled"  # the date changed
    CANCELLED = "cancelled"
    COMPLETED = "completed"  # thanks, and an invitation to give feedback
    EXPIRED = "expired"
    CONTACTS_SHARED = "contacts_shared"  # the ambassador shared their email or phone


class Message(BaseModel):
    """A message of the thread of an intervention, in plain text."""

    intervention = peewee.ForeignKeyField(Intervention, backref="messages", on_delete="CASCADE")
    author = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    side = peewee.CharField(max_length=20)  # AuthorSide when it was written
    body = peewee.TextField()
    created_at = peewee.DateTimeField(default=now)
    # Set when the author had their personal data erased: the body is emptied.
    erased_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("intervention", "created_at"), False),)


class ContactShare(BaseModel):
    """The ambassador's choice to show their email and/or phone to the school of one intervention.

    The details themselves stay on the account: the school reads them as they are now, and
    deleting the row stops showing them.
    """

    intervention = peewee.ForeignKeyField(Intervention, on_delete="CASCADE")
    ambassador = peewee.ForeignKeyField(Ambassador, on_delete="CASCADE")
    email = peewee.BooleanField(default=False)
    phone = peewee.BooleanField(default=False)
    created_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = "contact_share"
        indexes = ((("intervention", "ambassador"), True),)


class Notification(BaseModel):
    """Something a person is told in the platform (and often by email too)."""

    account = peewee.ForeignKeyField(Account, backref="notifications", on_delete="CASCADE")
    kind = peewee.CharField(max_length=30)
    intervention = peewee.ForeignKeyField(Intervention, null=True, on_delete="CASCADE")
    # Who caused it (the author of a message, the ambassador who answered...), if anyone.
    actor = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=now)
    read_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = (
            (("account", "read_at"), False),
            (("account", "created_at"), False),
        )


class ThreadEmails(BaseModel):
    """Whether a referent is emailed for each message of the threads they follow.

    Without a row, they are (the default). The people of an intervention itself (its
    ambassador and school side) are always emailed; this choice is a referent's, who
    follows every thread of their territory and may prefer the notifications alone.
    """

    account = peewee.ForeignKeyField(Account, unique=True, on_delete="CASCADE")
    each_message = peewee.BooleanField(default=True)

    class Meta:
        table_name = "thread_emails"
