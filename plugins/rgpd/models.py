"""The plugin's tables: officers, requests and their log, export links, restrictions.

Tables are prefixed with the plugin's name (``rgpd_``). Moments are UTC without a time zone
(``tremplin.clock.now``); days (``received_on``, ``legal_due``...) are the region's dates.
No table ever holds a copy of an identity document: only whether it was checked, when, by
whom and how (décret 2019-536 art. 77; the CNIL's guidance).
"""

from enum import StrEnum

import peewee

from tremplin.auth.models import Account
from tremplin.clock import now
from tremplin.db import BaseModel

from . import plugin


class Kind(StrEnum):
    """The right a request exercises (GDPR articles 15 to 21)."""

    ACCESS = "access"  # art. 15
    RECTIFICATION = "rectification"  # art. 16
    ERASURE = "erasure"  # art. 17
    RESTRICTION = "restriction"  # art. 18
    PORTABILITY = "portability"  # art. 20
    OBJECTION = "objection"  # art. 21


class Status(StrEnum):
    """Where a request stands."""

    UNCONFIRMED = "unconfirmed"  # filed through the public form, its email link not opened
    RECEIVED = "received"
    AWAITING_IDENTITY = "awaiting_identity"  # proof asked on reasonable doubt: clock stopped
    IN_PROGRESS = "in_progress"
    EXTENDED = "extended"  # by two months, the person told why within the first month
    ANSWERED = "answered"
    REFUSED = "refused"


OPEN_STATUSES = (Status.RECEIVED, Status.AWAITING_IDENTITY, Status.IN_PROGRESS, Status.EXTENDED)


class Channel(StrEnum):
    """How the request reached the network."""

    ACCOUNT = "account"  # from the person's account
    FORM = "form"  # the public form, confirmed by an emailed link
    LETTER = "letter"  # recorded by the officer
    EMAIL = "email"  # recorded by the officer


class Officer(BaseModel):
    """An account that acts as the region's data protection officer (the plugin's role)."""

    account = peewee.ForeignKeyField(Account, unique=True, on_delete="CASCADE", backref="+")
    added_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = plugin.table("officer")


class Request(BaseModel):
    """A request to exercise a right, from its receipt to its answer.

    ``calendar_due`` and ``legal_due`` are the dates of ``deadlines.deadline`` stored so that
    the officer's dashboard sorts in SQL; they are ``None`` while identity proof is awaited.
    """

    kind = peewee.CharField(max_length=20)
    status = peewee.CharField(max_length=20, index=True)
    channel = peewee.CharField(max_length=10)
    account = peewee.ForeignKeyField(
        Account, null=True, on_delete="SET NULL", index=True, backref="+"
    )
    name = peewee.CharField(max_length=200)
    email = peewee.CharField(max_length=254)
    details = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=now)
    confirm_token = peewee.CharField(max_length=64, null=True, unique=True)  # SHA-256 hex
    received_on = peewee.DateField(null=True)
    identity_requested_on = peewee.DateField(null=True)
    identity_received_on = peewee.DateField(null=True)
    identity_checked = peewee.BooleanField(null=True)
    identity_checked_by = peewee.ForeignKeyField(
        Account, null=True, on_delete="SET NULL", backref="+"
    )
    identity_method = peewee.CharField(max_length=200, null=True)
    extended_on = peewee.DateField(null=True)
    extension_reason = peewee.TextField(null=True)
    closed_on = peewee.DateField(null=True)
    answer = peewee.TextField(null=True)  # what was done, or why it was refused
    calendar_due = peewee.DateField(null=True)
    legal_due = peewee.DateField(null=True, index=True)
    reminded_on = peewee.DateField(null=True)

    class Meta:
        table_name = plugin.table("request")


class Step(BaseModel):
    """One step of a request, for its log: who did what, when."""

    request = peewee.ForeignKeyField(Request, backref="steps", on_delete="CASCADE")
    at = peewee.DateTimeField(default=now)
    action = peewee.CharField(max_length=30)
    actor = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    note = peewee.TextField(default="")

    class Meta:
        table_name = plugin.table("step")


class ExportLink(BaseModel):
    """The single-use, expiring link to a ZIP of a person's data (stored by tremplin.storage)."""

    request = peewee.ForeignKeyField(Request, on_delete="CASCADE", index=True)
    token = peewee.CharField(max_length=64, unique=True)  # SHA-256 hex of the link's secret
    file_key = peewee.CharField(max_length=100, null=True)
    created_at = peewee.DateTimeField(default=now)
    expires_at = peewee.DateTimeField()
    used_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = plugin.table("export_link")


class LimitKind(StrEnum):
    """What a person asked the network to limit."""

    RESTRICTION = "restriction"  # art. 18: data kept, not processed, hidden from search
    OBJECTION = "objection"  # art. 21: no surveys, no communications


class Limit(BaseModel):
    """A restriction or an objection in force for an account."""

    account = peewee.ForeignKeyField(Account, on_delete="CASCADE", backref="+")
    kind = peewee.CharField(max_length=20)
    since = peewee.DateTimeField(default=now)
    request = peewee.ForeignKeyField(Request, null=True, on_delete="SET NULL")

    class Meta:
        table_name = plugin.table("limit")
        indexes = ((("account", "kind"), True),)
