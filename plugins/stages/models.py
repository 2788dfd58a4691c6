"""The plugin's tables: offers, placements and their legal guardians, conventions, classes.

Tables are prefixed with the plugin's name (``stages_``). Moments are UTC without a time
zone (``tremplin.clock.now``); days (``first_day``...) are the region's dates. A pupil is a
minor: a placement keeps only what the convention needs (name, class, birth date, an
optional email to sign, the legal guardians' names and contacts), seen by the school and
the host only (``access``).
"""

import datetime
import json
from enum import StrEnum

import peewee

from tremplin.auth.models import Account
from tremplin.clock import now
from tremplin.db import BaseModel
from tremplin.documents.models import Document
from tremplin.organisations.models import Organisation
from tremplin.territories.models import Territory

from . import plugin


class Level(StrEnum):
    """The kinds of stay, as ``rules.check_periods`` names them."""

    FOURTH = "4e"
    THIRD = "3e"
    SECONDE = "2de"
    HOLIDAYS = "holidays"


class Offer(BaseModel):
    """A host's offer of discovery internships: an occupation, a place, periods, places."""

    host = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
    territory = peewee.ForeignKeyField(Territory, on_delete="RESTRICT", index=True)
    occupation = peewee.CharField(max_length=200)
    rome_code = peewee.CharField(max_length=5, null=True, index=True)
    place = peewee.CharField(max_length=300)  # address or town of the workplace
    levels = peewee.CharField(max_length=40)  # "3e 2de": the levels hosted, space-separated
    # The periods the host receives pupils in: JSON [["2026-03-16", "2026-03-20"], ...];
    # ``first_day`` and ``last_day`` are their bounds, for search.
    periods = peewee.TextField(default="[]")
    first_day = peewee.DateField()
    last_day = peewee.DateField()
    places = peewee.IntegerField()  # pupils hosted at once
    activities = peewee.TextField()  # what the pupil will see and do
    internal_rules_allow = peewee.BooleanField(default=False)
    safety_rules = peewee.TextField(default="")
    # Stems of the occupation, ROME code, place and host, for search (``search``).
    search_text = peewee.CharField(max_length=1000, default="")
    highlighted_at = peewee.DateTimeField(null=True, index=True)
    highlighted_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    closed_at = peewee.DateTimeField(null=True)
    created_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=now)

    def spans(self) -> list[tuple[datetime.date, datetime.date]]:
        """The periods the host receives pupils in, in order."""
        return [
            (datetime.date.fromisoformat(first), datetime.date.fromisoformat(last))
            for first, last in json.loads(self.periods or "[]")
        ] or [(self.first_day, self.last_day)]

    class Meta:
        table_name = plugin.table("offer")


class PlacementStatus(StrEnum):
    """Where a placement stands."""

    PROPOSED = "proposed"  # by the school, waiting for the host
    ACCEPTED = "accepted"  # the host takes the pupil; the convention is prepared and signed
    DECLINED = "declined"
    STARTED = "started"  # the convention is signed by everyone: the internship began
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# Placements that hold a place of their offer and count towards the host's cap.
HOLDING = (PlacementStatus.ACCEPTED, PlacementStatus.STARTED, PlacementStatus.COMPLETED)


class Placement(BaseModel):
    """A pupil proposed by a teacher for an offer, with the dates and weekly schedule."""

    offer = peewee.ForeignKeyField(Offer, on_delete="CASCADE", index=True)
    host = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True, backref="+")
    school = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True, backref="+")
    teacher = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    level = peewee.CharField(max_length=10, index=True)
    pupil_first_name = peewee.CharField(max_length=100)
    pupil_last_name = peewee.CharField(max_length=100)
    pupil_class = peewee.CharField(max_length=50)  # "3e B"
    pupil_birth_date = peewee.DateField()
    pupil_email = peewee.CharField(max_length=254, null=True)  # to sign the convention
    pupil_gender = peewee.CharField(max_length=20, null=True)  # optional: equality figures
    first_day = peewee.DateField(index=True)
    last_day = peewee.DateField()
    # {"Mon": [["09:00", "12:00"], ["13:30", "17:00"]], ...}: the weekly schedule (JSON).
    schedule = peewee.TextField(default="{}")
    status = peewee.CharField(max_length=20, default=PlacementStatus.PROPOSED, index=True)
    answered_at = peewee.DateTimeField(null=True)
    decline_reason = peewee.TextField(default="")
    started_at = peewee.DateTimeField(null=True)
    completed_at = peewee.DateTimeField(null=True)
    cancelled_at = peewee.DateTimeField(null=True)
    cancel_reason = peewee.TextField(default="")
    evaluation = peewee.TextField(default="")  # the host's short evaluation
    evaluation_rating = peewee.IntegerField(null=True)  # 1 to 4
    report = peewee.TextField(default="")  # the pupil's optional report
    created_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = plugin.table("placement")


class Guardian(BaseModel):
    """A legal guardian of the pupil of a placement (one or two): they sign the convention."""

    placement = peewee.ForeignKeyField(Placement, backref="guardians", on_delete="CASCADE")
    position = peewee.IntegerField()
    name = peewee.CharField(max_length=200)
    email = peewee.CharField(max_length=254)
    phone = peewee.CharField(max_length=30, default="")

    class Meta:
        table_name = plugin.table("guardian")
        indexes = ((("placement", "position"), True),)


class ConventionStatus(StrEnum):
    """Where a placement's convention stands."""

    SIGNING = "signing"  # its document's signatures are being collected
    SIGNED = "signed"  # everyone signed the current content; the document is issued
    CANCELLED = "cancelled"


class Convention(BaseModel):
    """The convention of a placement: the parties' details beyond the placement, its document."""

    placement = peewee.ForeignKeyField(Placement, unique=True, on_delete="CASCADE")
    head_name = peewee.CharField(max_length=200)  # the head of school
    head_email = peewee.CharField(max_length=254)
    representative_name = peewee.CharField(max_length=200)  # for the host
    representative_email = peewee.CharField(max_length=254)
    tutor_name = peewee.CharField(max_length=200)
    tutor_email = peewee.CharField(max_length=254)
    school_insurance = peewee.CharField(max_length=300)
    host_insurance = peewee.CharField(max_length=300)
    emergency_contact = peewee.CharField(max_length=300)
    status = peewee.CharField(max_length=20, default=ConventionStatus.SIGNING, index=True)
    document = peewee.ForeignKeyField(Document, null=True, on_delete="SET NULL", backref="+")
    amendments = peewee.IntegerField(default=0)  # amendments signed again after a signature
    created_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=now)
    signed_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = plugin.table("convention")


class SchoolClass(BaseModel):
    """A class of a school and the dates of its observation sequence, for the referents' list."""

    school = peewee.ForeignKeyField(Organisation, on_delete="CASCADE", index=True)
    name = peewee.CharField(max_length=50)  # "3e B"
    level = peewee.CharField(max_length=10, default=Level.THIRD)
    pupils = peewee.IntegerField()
    first_day = peewee.DateField(index=True)
    last_day = peewee.DateField()

    class Meta:
        table_name = plugin.table("class")
        indexes = ((("school", "name"), True),)
