"""Interventions, their proposed slots, reports and feedback, and events with time slots.

Every date and time is stored in UTC without a time zone (see ``tremplin.clock``); pages
and the API show and read them in the region's time zone.
"""

import datetime
from enum import StrEnum

import peewee

from ..auth.models import Account
from ..clock import now
from ..db import BaseModel
from ..organisations.models import Organisation
from ..people.models import Ambassador
from ..territories.models import Territory


class Status(StrEnum):
    """Where an intervention stands in its workflow."""

    REQUESTED = "requested"  # waiting for the ambassador's answer, or for a match
    # The ambassador said yes, the date not fixed yet: only in data of earlier versions,
    # where accepting did not fix the date (it now schedules the intervention at once).
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"  # never answered
    SCHEDULED = "scheduled"  # the date is fixed
    COMPLETED = "completed"  # it took place and was reported
    CANCELLED = "cancelled"


# Statuses where the ambassador has committed to the intervention: they use capacity.
COMMITTED = (Status.ACCEPTED, Status.SCHEDULED, Status.COMPLETED)
# Statuses that may still change.
OPEN = (Status.REQUESTED, Status.ACCEPTED, Status.SCHEDULED)


class AudienceLevel(StrEnum):
    """Who the young people are (DOMAIN.md, "Audiences")."""

    COLLEGE_4 = "college_4"  # collège, 4e
    COLLEGE_3 = "college_3"  # collège, 3e
    LYCEE_GENERAL = "lycee_general"  # lycée général et technologique
    LYCEE_PRO = "lycee_pro"  # lycée professionnel
    APPRENTICES = "apprentices"
    STUDENTS = "students"
    YOUNG_ADULTS = "young_adults"  # 16-30 without a solution, or who dropped out
    FAMILIES = "families"
    EDUCATIONAL_TEAMS = "educational_teams"


class Side(StrEnum):
    """Who proposed a slot or gave feedback."""

    SCHOOL = "school"  # the educational team (or the referent for them)
    AMBASSADOR = "ambassador"


class Event(BaseModel):
    """A forum, fair, open day or webinar gathering several ambassadors on time slots."""

    title = peewee.CharField(max_length=200)
    intervention_type = peewee.CharField(max_length=30)  # forum or webinar
    mode = peewee.CharField(max_length=20)
    # The host (a school, a structure, a company) and its territory.
    organisation = peewee.ForeignKeyField(Organisation, on_delete="RESTRICT")
    territory = peewee.ForeignKeyField(Territory, null=True, on_delete="SET NULL")
    place = peewee.CharField(max_length=300, default="")  # address, or "online"
    description = peewee.TextField(default="")
    audience_level = peewee.CharField(max_length=30, null=True)
    expected_public = peewee.IntegerField(null=True)
    starts_at = peewee.DateTimeField(index=True)
    ends_at = peewee.DateTimeField()
    created_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=now)
    cancelled_at = peewee.DateTimeField(null=True)


class EventSlot(BaseModel):
    """A time slot of an event, for which ambassadors are invited."""

    event = peewee.ForeignKeyField(Event, backref="slots", on_delete="CASCADE")
    starts_at = peewee.DateTimeField()
    ends_at = peewee.DateTimeField()
    label = peewee.CharField(max_length=200, default="")  # a stand, a round table...
    places = peewee.IntegerField(default=1)  # how many ambassadors the slot needs


class Intervention(BaseModel):
    """A request for an ambassador to meet young people, and what became of it."""

    intervention_type = peewee.CharField(max_length=30, index=True)
    mode = peewee.CharField(max_length=20)
    status = peewee.CharField(max_length=20, default=Status.REQUESTED, index=True)
    # The school or structure the young people come from, and its territory (copied so
    # that referents' queues and figures filter without joining organisations).
    organisation = peewee.ForeignKeyField(Organisation, on_delete="RESTRICT")
    territory = peewee.ForeignKeyField(Territory, null=True, on_delete="SET NULL", index=True)
    requested_by = peewee.ForeignKeyField(
        Account, null=True, on_delete="SET NULL", backref="requested_interventions"
    )
    # None while the request waits for a referent to match it with an ambassador.
    ambassador = peewee.ForeignKeyField(
        Ambassador, null=True, on_delete="SET NULL", backref="interventions"
    )
    event_slot = peewee.ForeignKeyField(EventSlot, null=True, on_delete="SET NULL")
    topic = peewee.CharField(max_length=200, default="")  # occupation or field wished for
    message = peewee.TextField(default="")  # the educator's words to the ambassador
    audience_level = peewee.CharField(max_length=30)
    group_size = peewee.IntegerField()
    accompanying_adults = peewee.IntegerField(null=True)
    duration_minutes = peewee.IntegerField()
    # The date the intervention is planned for: the first proposed slot, then the slot
    # the ambassador chose when accepting, which fixes it, then any date it is moved to.
    starts_at = peewee.DateTimeField(index=True)
    created_at = peewee.DateTimeField(default=now)
    assigned_at = peewee.DateTimeField(null=True)  # when it reached the ambassador
    answered_at = peewee.DateTimeField(null=True)
    scheduled_at = peewee.DateTimeField(null=True)
    completed_at = peewee.DateTimeField(null=True)
    decline_reason = peewee.CharField(max_length=30, null=True)
    decline_message = peewee.TextField(default="")
    cancelled_at = peewee.DateTimeField(null=True)
    cancelled_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    cancel_reason = peewee.TextField(default="")
    pupils_reached = peewee.IntegerField(null=True)  # total of the report, for figures

    class Meta:
        indexes = (
            (("ambassador", "status", "starts_at"), False),
            (("territory", "status"), False),
            (("organisation", "status"), False),
        )

    @property
    def ends_at(self) -> datetime.datetime:
        """When the intervention ends."""
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)


class Announcement(BaseModel):
    """A transition the worker has still to announce (``tremplin.interventions.announcements``).

    Written in the transaction of the transition, deleted in the one that announces it: a
    transition committed is announced once, even if the process stops right after.
    """

    intervention = peewee.ForeignKeyField(Intervention, on_delete="CASCADE", index=True)
    old_status = peewee.CharField(max_length=20, null=True)
    new_status = peewee.CharField(max_length=20)
    created_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = "intervention_announcement"


class Slot(BaseModel):
    """A date and time proposed for an intervention, by the school or by the ambassador."""

    intervention = peewee.ForeignKeyField(Intervention, backref="slots", on_delete="CASCADE")
    starts_at = peewee.DateTimeField()
    proposed_by = peewee.CharField(max_length=20, default=Side.SCHOOL)

    class Meta:
        table_name = "intervention_slot"


class Reach(BaseModel):
    """How many young people of a level an intervention reached (the completion report)."""

    intervention = peewee.ForeignKeyField(Intervention, backref="reach", on_delete="CASCADE")
    audience_level = peewee.CharField(max_length=30)
    pupils = peewee.IntegerField()

    class Meta:
        table_name = "intervention_reach"
        indexes = ((("intervention", "audience_level"), True),)


class Feedback(BaseModel):
    """What one side thought of an intervention once it took place."""

    intervention = peewee.ForeignKeyField(Intervention, backref="feedback", on_delete="CASCADE")
    side = peewee.CharField(max_length=20)
    author = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    rating = peewee.IntegerField()  # 1 to 5
    comment = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = "intervention_feedback"
        indexes = ((("intervention", "side"), True),)


class MeetingLink(BaseModel):
    """The address of the video meeting of a remote intervention or of a webinar.

    Set on an intervention (by its school or its ambassador) or on an event (by its
    organisers); only the participants ever read it (``meeting.link_for``).
    """

    intervention = peewee.ForeignKeyField(Intervention, null=True, unique=True, on_delete="CASCADE")
    event = peewee.ForeignKeyField(Event, null=True, unique=True, on_delete="CASCADE")
    url = peewee.CharField(max_length=500)
    set_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    set_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = "meeting_link"


class VisitSafety(BaseModel):
    """What the ambassador confirmed when accepting a company visit.

    That the company's internal rules allow the visit, and the safety rules the group must
    follow there, which the school reads on the intervention and in the acceptance email.
    """

    intervention = peewee.ForeignKeyField(Intervention, unique=True, on_delete="CASCADE")
    rules_allow = peewee.BooleanField(default=False)
    safety_rules = peewee.TextField()
    confirmed_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    confirmed_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = "company_visit_safety"


class SurveyInvitation(BaseModel):
    """A satisfaction survey sent to one person about an intervention that took place.

    Its emailed link is signed, expires at ``expires_at`` and is used once: answering
    sets ``used_at`` (``surveys``). One invitation per person and intervention.
    """

    intervention = peewee.ForeignKeyField(Intervention, on_delete="CASCADE")
    account = peewee.ForeignKeyField(Account, on_delete="CASCADE")
    sent_at = peewee.DateTimeField(default=now)
    expires_at = peewee.DateTimeField()
    used_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "survey_invitation"
        indexes = ((("intervention", "account"), True),)


class SurveyRefusal(BaseModel):
    """A person who asked, in their notification settings, not to be sent surveys."""

    account = peewee.ForeignKeyField(Account, unique=True, on_delete="CASCADE")
    refused_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = "survey_refusal"
