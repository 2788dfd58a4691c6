"""Ambassador profiles: what they offer, where, how often, and what holds them back."""

import datetime
from enum import StrEnum

import peewee

from ..auth.models import Account
from ..clock import now
from ..db import BaseModel
from ..organisations.models import Organisation
from ..territories.models import Territory


class AmbassadorKind(StrEnum):
    """The three ambassador profiles of the network."""

    YOUNG = "young"  # pupil, apprentice or student
    PROFESSIONAL = "professional"  # occupation ambassador
    TRAINER = "trainer"  # training-body ambassador


class InterventionType(StrEnum):
    """Kinds of intervention an ambassador may offer."""

    CLASS_TALK = "class_talk"  # 45 minutes at most
    FORUM = "forum"  # forum, fair or open-day stand
    COMPANY_VISIT = "company_visit"
    INTERNSHIP = "internship"  # discovery internship
    WEBINAR = "webinar"


class Mode(StrEnum):
    """Where an ambassador meets young people."""

    ON_SITE = "on_site"  # in the school, the structure, or at the workplace
    REMOTE = "remote"  # by video


class Ambassador(BaseModel):
    """An ambassador's public profile and availability. Contact details stay on the account."""

    account = peewee.ForeignKeyField(
        Account, unique=True, backref="ambassador", on_delete="CASCADE"
    )
    kind = peewee.CharField(max_length=20, index=True)
    occupation = peewee.CharField(max_length=200)
    rome_code = peewee.CharField(max_length=5, null=True, index=True)
    sector = peewee.CharField(max_length=100, null=True, index=True)
    # Where the ambassador works or studies: employer, school or training body.
    organisation = peewee.ForeignKeyField(Organisation, null=True, on_delete="SET NULL")
    organisation_name = peewee.CharField(max_length=200, null=True)
    # Occupation, sector and ROME code without accents or case, for search.
    search_text = peewee.CharField(max_length=500, index=True)
    on_site = peewee.BooleanField(default=True)
    remote = peewee.BooleanField(default=False)
    home_territory = peewee.ForeignKeyField(Territory, null=True, on_delete="SET NULL")
    latitude = peewee.FloatField(null=True)
    longitude = peewee.FloatField(null=True)
    max_distance_km = peewee.IntegerField(null=True)
    monthly_capacity = peewee.IntegerField(default=2)
    paused_until = peewee.DateField(null=True)
    presentation = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=now)
    last_solicited_at = peewee.DateTimeField(null=True)

    class Meta:
        # The key figures count the ambassadors registered before a date from this index
        # alone, joined to the accounts' (0005).
        indexes = ((("account", "created_at"), False),)

    def is_paused(self, today: datetime.date) -> bool:
        """Whether the ambassador asked not to be solicited on ``today``."""
        return self.paused_until is not None and self.paused_until >= today


class AmbassadorOffer(BaseModel):
    """An intervention type an ambassador accepts."""

    ambassador = peewee.ForeignKeyField(Ambassador, backref="offers", on_delete="CASCADE")
    intervention_type = peewee.CharField(max_length=30)

    class Meta:
        indexes = (
            (("ambassador", "intervention_type"), True),
            (("intervention_type", "ambassador"), False),
        )


class AmbassadorZone(BaseModel):
    """A territory an ambassador covers (with everything inside it)."""

    ambassador = peewee.ForeignKeyField(Ambassador, backref="zones", on_delete="CASCADE")
    territory = peewee.ForeignKeyField(Territory, on_delete="CASCADE")

    class Meta:
        indexes = (
            (("ambassador", "territory"), True),
            (("territory", "ambassador"), False),
        )


class AmbassadorHold(BaseModel):
    """Why an ambassador is kept out of search and requests, set by a plugin or the core.

    Materialised so that search filters holds in SQL; ``tremplin holds rebuild`` recomputes
    them from the ``ambassador_holds`` hook, asked about a batch of ambassadors at a time.
    """

    ambassador = peewee.ForeignKeyField(Ambassador, backref="holds", on_delete="CASCADE")
    source = peewee.CharField(max_length=100)  # the plugin or area that set it
    code = peewee.CharField(max_length=100)
    reason = peewee.CharField(max_length=300)
    since = peewee.DateTimeField(default=now)

    class Meta:
        indexes = ((("ambassador", "source", "code"), True),)


class ImageRightsDecision(BaseModel):
    """An ambassador's choice about the region using photos and videos of them (charter
    article 7): given or withdrawn, when, and the version of the text it answered.

    Rows are only added: the latest one is the choice in force, the others its history.
    Without a row, the ambassador has not consented (the default).
    """

    ambassador = peewee.ForeignKeyField(
        Ambassador, backref="image_rights_decisions", on_delete="CASCADE"
    )
    consented = peewee.BooleanField()
    text_version = peewee.CharField(max_length=20)
    decided_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = "image_rights_decision"
        indexes = ((("ambassador", "decided_at"), False),)
