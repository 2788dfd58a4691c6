"""The plugin's tables: partners, consents, charters, conventions, costs, hours, receipts.

Tables are prefixed with the plugin's name (``mecenat_``). Moments are UTC without a time
zone (``tremplin.clock.now``); days (``day``, ``starts_on``...) are the region's dates.
Money is ``Decimal`` in euros and cents; hours are kept in minutes (integers), so that sums
are exact. The hourly costs of employees (``Costing``) are personal data that only the
company's partner managers see.
"""

from enum import StrEnum

import peewee

from tremplin.auth.models import Account
from tremplin.clock import now
from tremplin.db import BaseModel
from tremplin.documents.models import Document
from tremplin.interventions.models import Intervention
from tremplin.organisations.models import Organisation
from tremplin.people.models import Ambassador

from . import plugin


def money() -> peewee.DecimalField:
    """A column of euros and cents."""
    return peewee.DecimalField(max_digits=14, decimal_places=2, auto_round=True)


class Partner(BaseModel):
    """What a receipt says of a donor that the core's organisation does not hold."""

    organisation = peewee.ForeignKeyField(Organisation, unique=True, on_delete="CASCADE")
    legal_form = peewee.CharField(max_length=100)  # SA, SAS, SARL, association...
    address = peewee.CharField(max_length=300)
    # The month its financial year closes in (12: the calendar year).
    closing_month = peewee.IntegerField(default=12)
    updated_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = plugin.table("partner")


class Consent(BaseModel):
    """An ambassador's choice that their interventions count for their employer's convention.

    Given (``given_at``) and revocable (``revoked_at``); one row per ambassador and employer,
    given again after a revocation.
    """

    ambassador = peewee.ForeignKeyField(Ambassador, on_delete="CASCADE")
    organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
    given_at = peewee.DateTimeField(default=now)
    revoked_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = plugin.table("consent")
        indexes = ((("ambassador", "organisation"), True),)


class CharterVersion(BaseModel):
    """A version of the region's partnership charter: Markdown, in force from ``effective_on``."""

    version = peewee.CharField(max_length=50, unique=True)
    title = peewee.CharField(max_length=200)
    text = peewee.TextField()
    effective_on = peewee.DateField(index=True)
    published_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = plugin.table("charter_version")


class SigningStatus(StrEnum):
    """Where a charter or a convention stands."""

    DRAFT = "draft"  # a convention being prepared by the company
    SIGNING = "signing"  # its document's signatures are being collected
    SIGNED = "signed"  # every party signed; the document is issued
    CANCELLED = "cancelled"


class PartnershipCharter(BaseModel):
    """An organisation's partnership charter: a version signed with its commitments for a year."""

    organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
    version = peewee.ForeignKeyField(CharterVersion, on_delete="RESTRICT")
    year = peewee.IntegerField()  # the calendar year of the commitments
    employees = peewee.IntegerField()  # employees mobilised as ambassadors
    hours = peewee.IntegerField()  # hours of intervention
    visits = peewee.IntegerField()  # company visits hosted
    internships = peewee.IntegerField()  # discovery internships hosted
    status = peewee.CharField(max_length=20, default=SigningStatus.SIGNING, index=True)
    document = peewee.ForeignKeyField(Document, null=True, on_delete="SET NULL", backref="+")
    created_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=now)
    signed_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = plugin.table("charter")


class Convention(BaseModel):
    """A skills-sponsorship convention between a company and the region."""

    organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
    starts_on = peewee.DateField()
    ends_on = peewee.DateField()
    committed_interventions = peewee.IntegerField()
    timetable = peewee.TextField(default="")
    status = peewee.CharField(max_length=20, default=SigningStatus.DRAFT, index=True)
    document = peewee.ForeignKeyField(Document, null=True, on_delete="SET NULL", backref="+")
    created_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=now)
    signed_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = plugin.table("convention")


class Costing(BaseModel):
    """What one counted employee costs the company a month from a calendar year of the
    convention on (until the next year entered): seen by its partner managers only."""

    convention = peewee.ForeignKeyField(Convention, on_delete="CASCADE")
    ambassador = peewee.ForeignKeyField(Ambassador, on_delete="CASCADE")
    year = peewee.IntegerField()  # the first calendar year this cost applies to
    monthly_salary = money()
    monthly_charges = money()
    monthly_hours = peewee.DecimalField(max_digits=6, decimal_places=2, auto_round=True)
    updated_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = plugin.table("costing")
        indexes = ((("convention", "ambassador", "year"), True),)


class Entry(BaseModel):
    """Hours given by a counted employee: a completed intervention, its preparation included.

    An intervention of a locked period (its receipt issued) reported late counts on the
    first day of the next period that is not locked.
    """

    intervention = peewee.ForeignKeyField(Intervention, unique=True, on_delete="CASCADE")
    ambassador = peewee.ForeignKeyField(Ambassador, null=True, on_delete="SET NULL")
    organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
    convention = peewee.ForeignKeyField(Convention, on_delete="CASCADE")
    day = peewee.DateField(index=True)  # the day it counts on
    # The day it took place, when that day's period was locked: it counts on the next
    # period's first day (``day``).
    held_on = peewee.DateField(null=True)
    intervention_type = peewee.CharField(max_length=30)
    minutes = peewee.IntegerField()  # the intervention's duration
    preparation_minutes = peewee.IntegerField()
    created_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = plugin.table("entry")


class CorrectionStatus(StrEnum):
    """Where a correction of the hours stands."""

    PROPOSED = "proposed"  # by the company, waiting for the region
    APPROVED = "approved"
    REFUSED = "refused"


class Correction(BaseModel):
    """Minutes added (or removed, when negative) by the company, with a reason."""

    organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
    convention = peewee.ForeignKeyField(Convention, on_delete="CASCADE")
    ambassador = peewee.ForeignKeyField(Ambassador, null=True, on_delete="SET NULL")
    day = peewee.DateField()
    minutes = peewee.IntegerField()
    reason = peewee.TextField()
    status = peewee.CharField(max_length=20, default=CorrectionStatus.PROPOSED, index=True)
    proposed_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    proposed_at = peewee.DateTimeField(default=now)
    decided_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    decided_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = plugin.table("correction")


class ReceiptStatus(StrEnum):
    """A receipt in force, or cancelled by its correction."""

    ISSUED = "issued"
    CANCELLED = "cancelled"


class Receipt(BaseModel):
    """The receipt (form 2041-MEC-SD) of a company's donations of one financial year.

    Its figures are frozen when it is issued: the period it covers is locked. At most one
    receipt of a company's year is in force (a partial unique index).
    """

    organisation = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
    financial_year = peewee.IntegerField()  # the closing year
    period_start = peewee.DateField()
    period_end = peewee.DateField()
    minutes = peewee.IntegerField()
    amount = money()
    status = peewee.CharField(max_length=20, default=ReceiptStatus.ISSUED, index=True)
    document = peewee.ForeignKeyField(Document, null=True, on_delete="SET NULL", backref="+")
    issued_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    issued_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = plugin.table("receipt")


Receipt.add_index(
    Receipt.index(
        Receipt.organisation,
        Receipt.financial_year,
        unique=True,
        where=Receipt.status == ReceiptStatus.ISSUED,
        name="mecenat_receipt_one_in_force",
    )
)
