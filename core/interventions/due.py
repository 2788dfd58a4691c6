"""The work waiting for each side, counted for the dashboard (in SQL, one count each).

- an ambassador: requests to answer, dates to fix;
- an educational team: dates to fix, reports to write once an intervention took place;
- a referent: requests waiting for a match, requests unanswered for too long, reports
  not written a week after the intervention.

Accepting a request fixes its date, so "dates to fix" counts only the interventions
accepted before it did (status ``accepted``, data of earlier versions); like any count,
it is not shown once it is zero.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

import peewee

from ..auth import permissions
from ..auth.models import Account, Role
from ..clock import now
from . import access, agenda
from .models import Intervention, Status

# A report still missing this long after the intervention is the referent's to chase.
REPORT_GRACE = datetime.timedelta(days=7)


class Work(StrEnum):
    """A kind of work waiting for someone."""

    ANSWER = "answer"  # an ambassador answers a request
    SCHEDULE = "schedule"  # a date to fix, accepted before accepting fixed it
    REPORT = "report"  # a report to write once it took place
    MATCH = "match"  # a referent finds an ambassador
    UNANSWERED = "unanswered"  # a referent chases or reassigns a request left unanswered
    LATE_REPORT = "late_report"  # a referent chases a report not written


@dataclass(frozen=True)
class Due:
    """``count`` pieces of ``work`` waiting, for ``side`` (ambassador, school, referent)."""

    side: str
    work: Work
    count: int


def work_due(viewer: Account | None) -> list[Due]:
    """What waits for ``viewer`` in every role they hold; only what is not zero."""
    if viewer is None:
        return []
    found: list[Due] = []
    ambassador_id = access.ambassador_id_of(viewer)
    if ambassador_id is not None:
        mine = Intervention.ambassador == ambassador_id
        found += [
            Due("ambassador", Work.ANSWER, _count(mine, Intervention.status == Status.REQUESTED)),
            Due("ambassador", Work.SCHEDULE, _count(mine, Intervention.status == Status.ACCEPTED)),
        ]
    schools = list(permissions.organisations_of(viewer, Role.EDUCATOR))
    if schools:
        ours = Intervention.organisation.in_(schools)
        found += [
            Due("school", Work.SCHEDULE, _count(ours, Intervention.status == Status.ACCEPTED)),
            Due("school", Work.REPORT, _count(ours, *_took_place())),
        ]
    if permissions.covered_territories(viewer) != set():
        found += [
            Due("referent", Work.MATCH, _count(agenda.waiting_for_match_condition(viewer))),
            Due("referent", Work.UNANSWERED, _count(agenda.unanswered_condition(viewer))),
            Due(
                "referent",
                Work.LATE_REPORT,
                _count(agenda.in_territories(viewer), *_took_place(before=now() - REPORT_GRACE)),
            ),
        ]
    return [due for due in found if due.count]


def _took_place(before: datetime.datetime | None = None) -> list[peewee.Expression]:
    return [
        Intervention.status == Status.SCHEDULED,
        Intervention.starts_at <= (before or now()),
    ]


def _count(*conditions: peewee.Expression) -> int:
    return Intervention.select(Intervention.id).where(*conditions).count()
