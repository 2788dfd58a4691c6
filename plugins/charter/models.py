"""The charter's versions and acceptances, record checks, declarations and the decisions log.

Tables are prefixed with the plugin's name (``charter_``). Timestamps are UTC without a time zone
(``tremplin.clock.now``). No table ever holds the content of an extract of the criminal
record: only whether a referent saw it, its date of issue, when and who.
"""

from enum import StrEnum

import peewee

from tremplin.auth.models import Account
from tremplin.clock import now
from tremplin.db import BaseModel
from tremplin.people.models import Ambassador

from . import plugin


class CharterVersion(BaseModel):
    """A version of the region's charter: its Markdown text, in force from ``effective_on``."""

    version = peewee.CharField(max_length=50, unique=True)
    title = peewee.CharField(max_length=200)
    text = peewee.TextField()  # Markdown, shown without any HTML it may contain
    effective_on = peewee.DateField(index=True)
    published_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = plugin.table("version")


class Acceptance(BaseModel):
    """A person accepted a version of the charter, at a moment."""

    account = peewee.ForeignKeyField(Account, on_delete="CASCADE")
    version = peewee.ForeignKeyField(CharterVersion, on_delete="CASCADE")
    accepted_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = plugin.table("acceptance")
        indexes = ((("account", "version"), True),)


class CheckStatus(StrEnum):
    """Where a check of the criminal record is."""

    PENDING = "pending"  # the ambassador sent or showed the extract; a referent must look
    VERIFIED = "verified"
    REFUSED = "refused"


class Delivery(StrEnum):
    """How the extract reaches the referent."""

    SENT = "sent"  # sent to or shown to the referent, outside the platform
    UPLOADED = "uploaded"  # uploaded for viewing, encrypted until the decision


class RecordCheck(BaseModel):
    """A check of an ambassador's extract of the criminal record (bulletin n°3).

    The uploaded file, if any, is encrypted on disk (``extracts``) under ``file_name``
    until the decision or ``upload_kept_days``; the database knows only its name, type
    and size, and forgets them when the file is deleted.
    """

    ambassador = peewee.ForeignKeyField(Ambassador, on_delete="CASCADE", index=False)
    status = peewee.CharField(max_length=20, default=CheckStatus.PENDING, index=True)
    delivery = peewee.CharField(max_length=20, default=Delivery.SENT)
    declared_at = peewee.DateTimeField(default=now)
    extract_issued_on = peewee.DateField(null=True)
    decided_at = peewee.DateTimeField(null=True)
    decided_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    valid_until = peewee.DateField(null=True, index=True)
    reminded_at = peewee.DateTimeField(null=True)
    file_name = peewee.CharField(max_length=64, null=True)
    file_type = peewee.CharField(max_length=50, null=True)
    file_size = peewee.IntegerField(null=True)
    uploaded_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = plugin.table("record_check")
        # An ambassador's checks, the latest first from one index (migration 0002).
        indexes = ((("ambassador", "id"), False),)


class Declaration(BaseModel):
    """What an ambassador declares: acting as an employee, the employer's agreement, insurance."""

    ambassador = peewee.ForeignKeyField(Ambassador, unique=True, on_delete="CASCADE")
    salaried = peewee.BooleanField(null=True)  # None: not declared yet
    employer_agreement_on = peewee.DateField(null=True)
    insurance_on = peewee.DateField(null=True)
    updated_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = plugin.table("declaration")


class DecisionKind(StrEnum):
    """What a line of the decisions log records."""

    VERSION_PUBLISHED = "version_published"
    CHECK_VERIFIED = "check_verified"
    CHECK_REFUSED = "check_refused"
    EXTRACT_DELETED = "extract_deleted"  # an upload nobody decided on, deleted after N days


class Decision(BaseModel):
    """The log of every decision: who (``actor``, ``None`` for the platform), what, when,
    about whom, and its outcome."""

    at = peewee.DateTimeField(default=now, index=True)
    actor = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    ambassador = peewee.ForeignKeyField(Ambassador, null=True, on_delete="SET NULL")
    kind = peewee.CharField(max_length=30)
    version = peewee.CharField(max_length=50, null=True)
    extract_issued_on = peewee.DateField(null=True)

    class Meta:
        table_name = plugin.table("decision")
