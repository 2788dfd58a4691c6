"""The plugin's tables: competitions, skills, marking schemes, candidates, judges, marks,
results and invitations into the network.

Tables are prefixed with the plugin's name (``worldskills_``). Moments are UTC without a
time zone (``tremplin.clock.now``). Candidates may be minors: only what the competition
needs is kept (names, date of birth, pathway, training centre, employer, consents), and
their email only when given, for the results and the invitation.
"""

from enum import StrEnum

import peewee

from tremplin.auth.models import Account
from tremplin.clock import now
from tremplin.db import BaseModel
from tremplin.organisations.models import Organisation
from tremplin.people.models import Ambassador
from tremplin.territories.models import Territory

from . import plugin


class Level(StrEnum):
    """What a competition is, from the region's selection to the world's."""

    REGIONAL = "regional"  # a region's selection for the national finals
    NATIONAL = "national"  # WorldSkills France's national finals
    EUROSKILLS = "euroskills"
    WORLDSKILLS = "worldskills"


class Competition(BaseModel):
    """One edition of a competition, and the competition it selects for."""

    name = peewee.CharField(max_length=200)
    level = peewee.CharField(max_length=20, index=True)
    edition = peewee.CharField(max_length=50)  # "48th edition"
    starts_on = peewee.DateField()
    ends_on = peewee.DateField()
    venues = peewee.TextField(default="")  # one a line
    # The territory whose referents check its candidates (the region for a selection).
    territory = peewee.ForeignKeyField(Territory, null=True, on_delete="SET NULL")
    selects_for = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL", backref="+")
    results_published_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = plugin.table("competition")


class Skill(BaseModel):
    """A skill of one competition: its number there (numbers change between editions)."""

    competition = peewee.ForeignKeyField(Competition, on_delete="CASCADE", backref="skills")
    number = peewee.IntegerField()
    name = peewee.CharField(max_length=200)
    team = peewee.BooleanField(default=False)  # a team counts as one competitor
    max_age = peewee.IntegerField()  # at most this age in the target competition's year
    rome_codes = peewee.CharField(max_length=100, default="")  # "I1304 H2913"
    sector = peewee.CharField(max_length=100, null=True)
    locked_at = peewee.DateTimeField(null=True)  # marks locked by the chief expert
    locked_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = plugin.table("skill")
        indexes = ((("competition", "number"), True), (("competition", "name"), True))


class AspectKind(StrEnum):
    """How an aspect is marked."""

    MEASUREMENT = "measurement"  # objective marks against a rule
    JUDGEMENT = "judgement"  # 0-3 by each of three judges


class Aspect(BaseModel):
    """One aspect of a skill's marking scheme (the aspects total 100 marks)."""

    skill = peewee.ForeignKeyField(Skill, on_delete="CASCADE", backref="aspects")
    code = peewee.CharField(max_length=20)
    title = peewee.CharField(max_length=200)
    kind = peewee.CharField(max_length=20)
    max_mark = peewee.DecimalField(max_digits=6, decimal_places=2, auto_round=True)

    class Meta:
        table_name = plugin.table("aspect")
        indexes = ((("skill", "code"), True),)


class Pathway(StrEnum):
    """Where a candidate trains."""

    APPRENTICESHIP = "apprenticeship"
    SCHOOL = "school"
    CONTINUING = "continuing"  # continuing education


class CandidateStatus(StrEnum):
    """Where a registration stands."""

    PENDING = "pending"  # waiting for a referent
    ACCEPTED = "accepted"
    REFUSED = "refused"


class Candidate(BaseModel):
    """A candidate in one skill of one competition (a member of a team in a team skill)."""

    competition = peewee.ForeignKeyField(Competition, on_delete="CASCADE", backref="+")
    skill = peewee.ForeignKeyField(Skill, on_delete="CASCADE", backref="candidates")
    first_name = peewee.CharField(max_length=100)
    last_name = peewee.CharField(max_length=100)
    identity = peewee.CharField(max_length=210)  # names normalised, for finding a row again
    birth_date = peewee.DateField()
    email = peewee.CharField(max_length=254, null=True)
    gender = peewee.CharField(max_length=10, null=True)
    pathway = peewee.CharField(max_length=20)
    training_centre = peewee.ForeignKeyField(
        Organisation, null=True, on_delete="SET NULL", backref="+"
    )
    employer = peewee.ForeignKeyField(Organisation, null=True, on_delete="SET NULL", backref="+")
    territory = peewee.ForeignKeyField(Territory, null=True, on_delete="SET NULL", backref="+")
    team = peewee.CharField(max_length=100, null=True)
    status = peewee.CharField(max_length=20, default=CandidateStatus.PENDING, index=True)
    refusal = peewee.CharField(max_length=500, null=True)
    consent_at = peewee.DateTimeField()
    guardian_name = peewee.CharField(max_length=200, null=True)
    guardian_consent_at = peewee.DateTimeField(null=True)
    registered_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    checked_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    checked_at = peewee.DateTimeField(null=True)
    selected_from = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = plugin.table("candidate")
        indexes = ((("skill", "identity", "birth_date"), True),)


class JudgeRole(StrEnum):
    """What a member of a skill's marking team does."""

    CHIEF_EXPERT = "chief_expert"  # leads the marking and locks it
    EXPERT = "expert"
    JUDGE = "judge"


class Judge(BaseModel):
    """A person who marks a skill: its chief expert, an expert or a judge."""

    skill = peewee.ForeignKeyField(Skill, on_delete="CASCADE", backref="judges")
    account = peewee.ForeignKeyField(Account, on_delete="CASCADE", backref="+")
    role = peewee.CharField(max_length=20)

    class Meta:
        table_name = plugin.table("judge")
        indexes = ((("skill", "account"), True),)


class Link(BaseModel):
    """A link a judge declared with a candidate (trainer, employer, relative): they never mark
    that candidate."""

    judge = peewee.ForeignKeyField(Judge, on_delete="CASCADE", backref="links")
    candidate = peewee.ForeignKeyField(Candidate, on_delete="CASCADE", backref="+")
    nature = peewee.CharField(max_length=200)
    declared_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = plugin.table("link")
        indexes = ((("judge", "candidate"), True),)


class Score(BaseModel):
    """A mark entered: a measurement aspect's marks, or one judge's 0-3 on a judgement aspect.

    ``candidate`` is the competitor: in a team skill, the team's first member.
    """

    aspect = peewee.ForeignKeyField(Aspect, on_delete="CASCADE", backref="+")
    candidate = peewee.ForeignKeyField(Candidate, on_delete="CASCADE", backref="+")
    judge = peewee.ForeignKeyField(Judge, on_delete="CASCADE", backref="+")
    value = peewee.DecimalField(max_digits=6, decimal_places=2, auto_round=True)
    entered_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = plugin.table("score")
        indexes = ((("aspect", "candidate", "judge"), True),)


class MarkChange(BaseModel):
    """Every change to the marks of a skill: a mark entered or changed, the marks locked."""

    skill = peewee.ForeignKeyField(Skill, on_delete="CASCADE", backref="+")
    aspect = peewee.ForeignKeyField(Aspect, null=True, on_delete="CASCADE", backref="+")
    candidate = peewee.ForeignKeyField(Candidate, null=True, on_delete="CASCADE", backref="+")
    judge = peewee.ForeignKeyField(Judge, null=True, on_delete="SET NULL", backref="+")
    old_value = peewee.DecimalField(max_digits=6, decimal_places=2, null=True)
    new_value = peewee.DecimalField(max_digits=6, decimal_places=2, null=True)
    action = peewee.CharField(max_length=20)  # "entered", "changed", "locked"
    changed_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    changed_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = plugin.table("mark_change")


class Result(BaseModel):
    """A candidate's result in a skill, computed when its marks are locked."""

    skill = peewee.ForeignKeyField(Skill, on_delete="CASCADE", backref="results")
    candidate = peewee.ForeignKeyField(Candidate, on_delete="CASCADE", unique=True, backref="+")
    competitor = peewee.CharField(max_length=120)  # "c12" or "t:Team name": one per entry
    marks = peewee.DecimalField(max_digits=7, decimal_places=2, auto_round=True)
    scale_score = peewee.DoubleField()  # REAL on PostgreSQL would round it
    rank = peewee.IntegerField()
    award = peewee.CharField(max_length=20, null=True)
    selected_at = peewee.DateTimeField(null=True)  # chosen for the next level

    class Meta:
        table_name = plugin.table("result")


class Invitation(BaseModel):
    """A medallist's or finalist's invitation to become an ambassador: a single-use,
    expiring link, kept as a hash."""

    candidate = peewee.ForeignKeyField(Candidate, on_delete="CASCADE", unique=True, backref="+")
    token_hash = peewee.CharField(max_length=64, unique=True)
    sent_at = peewee.DateTimeField(default=now)
    expires_at = peewee.DateTimeField()
    used_at = peewee.DateTimeField(null=True)
    ambassador = peewee.ForeignKeyField(Ambassador, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = plugin.table("invitation")
