"""A year of interventions for the demo network: requests in every status, reports, messages.

Dates run from about ten months before today to two months after, on weekdays outside
the summer holidays. What happened to a request depends on its date: past ones were
mostly completed (with a report and feedback), some declined, cancelled or expired;
future ones wait for an answer, are accepted or scheduled. An ambassador never gets more
committed interventions in a month than their monthly capacity: when every ambassador
tried is full, the request is declined for workload, as it would be.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ..interventions.models import (
    AudienceLevel,
    Event,
    EventSlot,
    Feedback,
    Intervention,
    Reach,
    Side,
    Slot,
    Status,
)
from ..interventions.schemas import DeclineReason
from ..interventions.times import to_utc
from ..messaging.models import AuthorSide, Message
from ..organisations.models import OrganisationKind
from ..people.models import InterventionType, Mode
from . import vocabulary as words
from .network import DemoAmbassador, Network, School

DAYS_BEFORE = 290  # the window of dates: from this many days before today...
DAYS_AFTER = 70  # ...to this many days after
LOCAL_HOURS = ((8, 30), (9, 30), (10, 30), (13, 30), (14, 30), (15, 30))
PAST = ((Status.COMPLETED, 74), (Status.DECLINED, 10), (Status.CANCELLED, 8), (Status.EXPIRED, 8))
FUTURE = (
    (Status.REQUESTED, 38),
    (Status.SCHEDULED, 52),  # accepted on a proposed date, which fixes it
    (Status.DECLINED, 5),
    (Status.CANCELLED, 5),
)
TYPES = (
    (InterventionType.CLASS_TALK, 72),
    (InterventionType.FORUM, 8),
    (InterventionType.COMPANY_VISIT, 9),
    (InterventionType.INTERNSHIP, 4),
    (InterventionType.WEBINAR, 7),
)
LEVELS = {
    OrganisationKind.COLLEGE: (AudienceLevel.COLLEGE_4, AudienceLevel.COLLEGE_3),
    OrganisationKind.LYCEE: (AudienceLevel.LYCEE_GENERAL,),
    OrganisationKind.LYCEE_PRO: (AudienceLevel.LYCEE_PRO,),
    OrganisationKind.CFA: (AudienceLevel.APPRENTICES,),
    OrganisationKind.SUPPORT: (AudienceLevel.YOUNG_ADULTS,),
}
CANCEL_REASONS = (
    "Sortie scolaire déplacée, nous reprendrons contact.",
    "Empêchement professionnel de dernière minute.",
    "Classe en examen blanc ce jour-là.",
)
COMMITTED = (Status.SCHEDULED, Status.COMPLETED)


@dataclass(frozen=True)
class Plan:
    """What one intervention will be, before its dates are worked out."""

    school: School
    requester: int
    intervention_type: str
    status: str
    starts_at: datetime.datetime  # UTC
    ambassador: DemoAmbassador | None
    event_slot: int | None = None


class Activity:
    """Writes interventions with their slots, reports, feedback and messages."""

    def __init__(self, people, network: Network, now: datetime.datetime, tz):
        self.people = people
        self.writer = people.writer
        self.random: random.Random = people.random
        self.network = network
        self.now = now
        self.tz = tz
        self.pools = network.ambassadors_by_place()
        self.booked: dict[tuple[int, str], int] = defaultdict(int)  # (ambassador, month) -> n
        self.days = _school_days(now.date(), DAYS_BEFORE, DAYS_AFTER)

    def interventions(self, count: int, progress: Callable[[int], None]) -> None:
        """``count`` interventions between the network's schools and ambassadors."""
        invitations = self.events(max(1, count // 24), budget=count // 8)
        progress(invitations)
        others = count - invitations
        for done in range(1, others + 1):
            self.write(self.plan())
            if done % 1000 == 0:
                progress(1000)
        progress(others % 1000)

    def plan(self, school: School | None = None, ambassador=None, status=None, when=None) -> Plan:
        """A plausible request; any of its parts can be imposed."""
        school = school or self.random.choice(self.network.schools)
        kind = self.people.weighted(TYPES)
        starts_at = when or self.moment(self.random.choice(self.days))
        status = status or self.people.weighted(PAST if starts_at < self.now else FUTURE)
        if ambassador is None and not (status == Status.REQUESTED and self.random.random() < 0.15):
            ambassador = self.ambassador_for(school, kind, starts_at, status)
            if ambassador is None:
                status = Status.DECLINED if starts_at < self.now else Status.REQUESTED
        if ambassador is not None and kind not in ambassador.offers:
            kind = min(ambassador.offers)
        if status in COMMITTED and ambassador is not None:
            self.booked[(ambassador.id, _month(starts_at))] += 1
        return Plan(
            school=school,
            requester=self.random.choice(school.educators),
            intervention_type=kind,
            status=status,
            starts_at=starts_at,
            ambassador=ambassador,
        )

    def ambassador_for(self, school: School, kind: str, starts_at, status) -> DemoAmbassador | None:
        """An ambassador whose zone covers the school, with room left that month."""
        pool = self.pools.get(school.place.territory_id) or []
        if not pool:
            return None
        month = _month(starts_at)
        for _attempt in range(6):
            candidate = self.random.choice(pool)
            if kind not in candidate.offers and _attempt < 3:
                continue
            full = self.booked[(candidate.id, month)] >= candidate.monthly_capacity
            if status not in COMMITTED or not full:
                return candidate
        return None

    def write(self, plan: Plan) -> int:
        """Write ``plan`` as an intervention, with everything its status implies."""
        rng = self.random
        kind, status, starts_at = plan.intervention_type, plan.status, plan.starts_at
        remote = kind == InterventionType.WEBINAR or (
            kind in (InterventionType.CLASS_TALK, InterventionType.FORUM)
            and plan.ambassador is not None
            and plan.ambassador.remote
            and (not plan.ambassador.on_site or rng.random() < 0.15)
        )
        size, duration = _size_and_duration(kind, rng)
        created = max(
            starts_at - datetime.timedelta(days=rng.uniform(8, 45)),
            self.now - datetime.timedelta(days=DAYS_BEFORE + 30),
        )
        if status == Status.REQUESTED:
            created = self.now - datetime.timedelta(hours=rng.uniform(2, 12 * 24))
        created = min(created, self.now - datetime.timedelta(hours=1))
        ambassador = plan.ambassador
        assigned = created if ambassador else None
        if ambassador and rng.random() < 0.1:  # went through a referent first
            assigned = created + datetime.timedelta(hours=rng.uniform(4, 60))
        answered = None
        if status not in (Status.REQUESTED, Status.EXPIRED) and assigned is not None:
            answered = min(assigned + datetime.timedelta(hours=rng.uniform(1, 140)), self.now)
        scheduled = completed = cancelled = None
        if status in (Status.SCHEDULED, Status.COMPLETED):
            scheduled = answered  # accepting on a proposed date fixes it
        if status == Status.COMPLETED:
            completed = min(
                starts_at + datetime.timedelta(minutes=duration, days=rng.uniform(0.2, 6)),
                self.now,
            )
        if status == Status.CANCELLED:
            cancelled = min(created + (starts_at - created) * rng.uniform(0.3, 0.95), self.now)
        level = rng.choice(LEVELS[plan.school.kind])
        pupils = round(size * rng.uniform(0.82, 1.0)) if status == Status.COMPLETED else None
        by_ambassador = status == Status.CANCELLED and ambassador is not None and rng.random() < 0.3
        intervention_id = self.writer.add(
            Intervention,
            {
                "intervention_type": kind,
                "mode": Mode.REMOTE if remote else Mode.ON_SITE,
                "status": status,
                "organisation": plan.school.id,
                "territory": plan.school.place.territory_id,
                "requested_by": plan.requester,
                "ambassador": ambassador.id if ambassador else None,
                "event_slot": plan.event_slot,
                "topic": ambassador.occupation if ambassador else rng.choice(words.OCCUPATIONS)[3],
                "message": rng.choice(words.REQUEST_MESSAGES),
                "audience_level": level,
                "group_size": size,
                "accompanying_adults": rng.randint(1, 3)
                if kind == InterventionType.COMPANY_VISIT
                else None,
                "duration_minutes": duration,
                "starts_at": starts_at,
                "created_at": created,
                "assigned_at": assigned,
                "answered_at": answered,
                "scheduled_at": scheduled,
                "completed_at": completed,
                "decline_reason": self.people.weighted(
                    (
                        (DeclineReason.DATES, 50),
                        (DeclineReason.WORKLOAD, 20),
                        (DeclineReason.DISTANCE, 15),
                        (DeclineReason.FIELD, 10),
                        (DeclineReason.OTHER, 5),
                    )
                )
                if status == Status.DECLINED
                else None,
                "decline_message": "Désolé, je ne suis pas disponible à ces dates."
                if status == Status.DECLINED
                else "",
                "cancelled_at": cancelled,
                "cancelled_by": (ambassador.account_id if by_ambassador else plan.requester)
                if cancelled
                else None,
                "cancel_reason": rng.choice(CANCEL_REASONS) if cancelled else "",
                "pupils_reached": pupils,
            },
        )
        self.slots(intervention_id, starts_at, status)
        if status == Status.COMPLETED:
            self.report(intervention_id, plan, level, pupils, completed)
        if ambassador and answered and status != Status.DECLINED and rng.random() < 0.35:
            self.messages(intervention_id, plan, answered, min(starts_at, self.now))
        return intervention_id

    def slots(self, intervention_id: int, starts_at: datetime.datetime, status: str) -> None:
        """The dates the school proposed (the first is the one kept), and the ambassador's."""
        for offset in range(self.random.choice((1, 1, 2, 3))):
            self.writer.add(
                Slot,
                {
                    "intervention": intervention_id,
                    "starts_at": starts_at + datetime.timedelta(days=7 * offset),
                    "proposed_by": Side.SCHOOL,
                },
            )
        if status == Status.DECLINED and self.random.random() < 0.3:
            self.writer.add(
                Slot,
                {
                    "intervention": intervention_id,
                    "starts_at": starts_at + datetime.timedelta(days=14),
                    "proposed_by": Side.AMBASSADOR,
                },
            )

    def report(self, intervention_id, plan: Plan, level, pupils, completed) -> None:
        """The school's report (young people reached) and the feedback of both sides."""
        self.writer.add(
            Reach, {"intervention": intervention_id, "audience_level": level, "pupils": pupils}
        )
        sides = ((Side.SCHOOL, plan.requester, 0.8), (Side.AMBASSADOR, plan.ambassador, 0.5))
        for side, author, share in sides:
            if self.random.random() >= share:
                continue
            self.writer.add(
                Feedback,
                {
                    "intervention": intervention_id,
                    "side": side,
                    "author": author if side == Side.SCHOOL else author.account_id,
                    "rating": self.people.weighted(((5, 55), (4, 35), (3, 8), (2, 2))),
                    "comment": self.random.choice(words.FEEDBACK_COMMENTS),
                    "created_at": min(completed + datetime.timedelta(hours=6), self.now),
                },
            )

    def messages(self, intervention_id, plan: Plan, low, high) -> None:
        """A short exchange in the intervention's thread, turn by turn."""
        count = self.random.randint(1, 4)
        span = max((high - low).total_seconds(), 3600)
        for turn in range(count):
            school_speaks = turn % 2 == 1
            self.writer.add(
                Message,
                {
                    "intervention": intervention_id,
                    "author": plan.requester if school_speaks else plan.ambassador.account_id,
                    "side": AuthorSide.SCHOOL if school_speaks else AuthorSide.AMBASSADOR,
                    "body": self.random.choice(
                        words.THREAD_MESSAGES_SCHOOL
                        if school_speaks
                        else words.THREAD_MESSAGES_AMBASSADOR
                    ),
                    "created_at": low + datetime.timedelta(seconds=span * (turn + 1) / (count + 1)),
                },
            )

    def events(self, count: int, budget: int) -> int:
        """Forums and webinars with slots, and the invitations of ambassadors to them.

        Return how many interventions (invitations) were written, at most ``budget``.
        """
        written = 0
        for _ in range(count):
            school = self.random.choice(self.network.schools)
            kind = self.people.weighted(
                ((InterventionType.FORUM, 70), (InterventionType.WEBINAR, 30))
            )
            day = self.random.choice(self.days)
            starts = to_utc(datetime.datetime.combine(day, datetime.time(9, 0)), self.tz)
            event_id = self.writer.add(
                Event,
                {
                    "title": (
                        "Forum des métiers" if kind == InterventionType.FORUM else "Webinaire"
                    )
                    + f" — {school.place.name}",
                    "intervention_type": kind,
                    "mode": Mode.ON_SITE if kind == InterventionType.FORUM else Mode.REMOTE,
                    "organisation": school.id,
                    "territory": school.place.territory_id,
                    "place": school.place.name if kind == InterventionType.FORUM else "en ligne",
                    "description": "Des professionnels et des apprentis présentent leur métier.",
                    "audience_level": self.random.choice(LEVELS[school.kind]),
                    "expected_public": self.random.choice((80, 150, 300)),
                    "starts_at": starts,
                    "ends_at": starts + datetime.timedelta(hours=4),
                    "created_by": self.random.choice(school.educators),
                    "created_at": starts - datetime.timedelta(days=40),
                },
            )
            for hour in range(2):
                slot_starts = starts + datetime.timedelta(hours=2 * hour)
                places = self.random.randint(2, 4)
                slot_id = self.writer.add(
                    EventSlot,
                    {
                        "event": event_id,
                        "starts_at": slot_starts,
                        "ends_at": slot_starts + datetime.timedelta(hours=2),
                        "label": f"Stand {hour + 1}",
                        "places": places,
                    },
                )
                for _invitation in range(places):
                    if written >= budget:
                        return written
                    plan = self.plan(school=school, when=slot_starts)
                    self.write(
                        Plan(
                            school=school,
                            requester=plan.requester,
                            intervention_type=kind
                            if plan.ambassador is None or kind in plan.ambassador.offers
                            else plan.intervention_type,
                            status=plan.status,
                            starts_at=slot_starts,
                            ambassador=plan.ambassador,
                            event_slot=slot_id,
                        )
                    )
                    written += 1
        return written

    def moment(self, day: datetime.date) -> datetime.datetime:
        """A lesson's start on ``day``, stored in UTC."""
        hour, minute = self.random.choice(LOCAL_HOURS)
        return to_utc(datetime.datetime.combine(day, datetime.time(hour, minute)), self.tz)


def _size_and_duration(kind: str, rng: random.Random) -> tuple[int, int]:
    if kind == InterventionType.CLASS_TALK:
        return rng.randint(14, 32), rng.choice((30, 45, 45, 45))
    if kind == InterventionType.FORUM:
        return rng.randint(40, 250), rng.choice((120, 180, 240))
    if kind == InterventionType.COMPANY_VISIT:
        return rng.randint(8, 24), rng.choice((90, 120, 180))
    if kind == InterventionType.INTERNSHIP:
        return rng.randint(1, 4), rng.choice((7 * 60, 14 * 60, 21 * 60))
    return rng.randint(20, 120), rng.choice((45, 60, 90))


def _school_days(today: datetime.date, before: int, after: int) -> list[datetime.date]:
    """Weekdays from ``before`` days ago to ``after`` days ahead, without the summer break."""
    days = []
    for offset in range(-before, after + 1):
        day = today + datetime.timedelta(days=offset)
        summer = (day.month, day.day) >= (7, 8) and day.month <= 8
        if day.weekday() < 5 and not summer:
            days.append(day)
    return days


def _month(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m")
