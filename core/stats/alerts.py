"""Coverage gaps a referent should act on, in their territories (everywhere for an admin).

- priority schools (QPV, REP, REP+, rural) without any intervention accepted, scheduled or
  completed this school year;
- ambassadors without any intervention accepted or taking place for N months (6 by
  default), who registered before that;
- requests sent to an ambassador and unanswered for more than D days (7 by default).

Each list is one query filtered in SQL and paginated; the counts of the dashboard are
three ``COUNT`` queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import peewee

from ..auth import permissions
from ..auth.models import Account, AccountStatus
from ..clock import now
from ..errors import NotAllowed
from ..i18n import _
from ..interventions import agenda
from ..interventions.models import COMMITTED, Intervention
from ..organisations.models import EDUCATIONAL_KINDS, Organisation
from ..pagination import PAGE_SIZE, Page
from ..people.models import Ambassador, AmbassadorZone
from ..territories.models import Territory
from .figures import Period, school_year_of, within


@dataclass(frozen=True)
class UncoveredSchool:
    """A priority school nobody has met this school year."""

    id: int
    name: str
    city: str | None
    territory: str | None
    flags: tuple[str, ...]  # qpv, rep, rep_plus, rural
    last_intervention_at: datetime.datetime | None  # the last one ever, if any


@dataclass(frozen=True)
class IdleAmbassador:
    """An ambassador without any intervention for months."""

    id: int
    display_name: str
    occupation: str
    registered_at: datetime.datetime
    last_intervention_at: datetime.datetime | None
    paused_until: datetime.date | None


@dataclass(frozen=True)
class AlertCounts:
    """How many items each list holds, for the dashboard."""

    schools: int
    ambassadors: int
    requests: int

    @property
    def total(self) -> int:
        """Every alert together."""
        return self.schools + self.ambassadors + self.requests


def territories_of(viewer: Account | None) -> set[int] | None:
    """The territories ``viewer`` watches (``None``: all); ``NotAllowed`` for other people."""
    covered = permissions.covered_territories(viewer)
    if covered is not None and not covered:
        raise NotAllowed(_("Only referents and administrators see the alerts."))
    return covered


# Priority schools


def _uncovered_schools(covered: set[int] | None, moment: datetime.datetime) -> peewee.ModelSelect:
    low, high = Period.school_year(school_year_of(moment.date())).bounds()
    met = Intervention.select(peewee.SQL("1")).where(
        Intervention.organisation == Organisation.id,
        Intervention.status.in_([str(status) for status in COMMITTED]),
        Intervention.starts_at >= low,
        Intervention.starts_at < high,
    )
    priority = Organisation.qpv | Organisation.rep | Organisation.rep_plus | Organisation.rural
    return Organisation.select().where(
        Organisation.kind.in_(sorted(EDUCATIONAL_KINDS)),
        priority,
        within(Organisation.territory, covered),
        ~peewee.fn.EXISTS(met),
    )


def uncovered_schools(viewer: Account | None, page: int = 1) -> Page:
    """Priority schools of ``viewer``'s territories nobody has met this school year, by name."""
    covered = territories_of(viewer)
    query = _uncovered_schools(covered, now())
    total = query.count()
    last = (
        Intervention.select(peewee.fn.MAX(Intervention.starts_at))
        .where(
            Intervention.organisation == Organisation.id,
            Intervention.status.in_([str(status) for status in COMMITTED]),
        )
        .alias("last_intervention_at")
    )
    rows = (
        query.select_extend(last, Territory.name.alias("territory_name"))
        .join(Territory, peewee.JOIN.LEFT_OUTER, on=(Organisation.territory == Territory.id))
        .order_by(Organisation.name, Organisation.id)
        .paginate(page, PAGE_SIZE)
        .objects()
    )
    items = [
        UncoveredSchool(
            id=row.id,
            name=row.name,
            city=row.city,
            territory=row.territory_name,
            flags=tuple(flag for flag in ("qpv", "rep", "rep_plus", "rural") if getattr(row, flag)),
            last_intervention_at=_moment(row.last_intervention_at),
        )
        for row in rows
    ]
    return Page(items=items, total=total, page=page)


# Idle ambassadors


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """``moment`` ``months`` calendar months earlier (31 March - 1 month: 28 or 29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (following - datetime.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def _active_since() -> peewee.Node:
    return Intervention.status.in_([str(status) for status in COMMITTED])


def _idle_ambassadors(covered: set[int] | None, since: datetime.datetime) -> peewee.ModelSelect:
    recent = Intervention.select(peewee.SQL("1")).where(
        Intervention.ambassador == Ambassador.id,
        _active_since(),
        (Intervention.answered_at >= since) | (Intervention.starts_at >= since),
    )
    query = (
        Ambassador.select(Ambassador, Account.first_name, Account.last_name)
        .join(Account)
        .where(
            Account.status == AccountStatus.ACTIVE,
            Ambassador.created_at < since,
            ~peewee.fn.EXISTS(recent),
        )
    )
    if covered is not None:
        in_zone = peewee.fn.EXISTS(
            AmbassadorZone.select(peewee.SQL("1")).where(
                AmbassadorZone.ambassador == Ambassador.id,
                AmbassadorZone.territory.in_(sorted(covered)),
            )
        )
        query = query.where(within(Ambassador.home_territory, covered) | in_zone)
    return query


def idle_ambassadors(viewer: Account | None, months: int, page: int = 1) -> Page:
    """Ambassadors of ``viewer``'s territories idle for ``months``, idle longest first."""
    covered = territories_of(viewer)
    query = _idle_ambassadors(covered, months_before(now(), months))
    total = query.count()
    last = (
        Intervention.select(peewee.fn.MAX(Intervention.starts_at))
        .where(Intervention.ambassador == Ambassador.id, _active_since())
        .alias("last_intervention_at")
    )
    rows = (
        query.select_extend(last)
        .order_by(Ambassador.created_at, Ambassador.id)
        .paginate(page, PAGE_SIZE)
    )
    items = [
        IdleAmbassador(
            id=row.id,
            display_name=row.account.display_name,
            occupation=row.occupation,
            registered_at=row.created_at,
            last_intervention_at=_moment(getattr(row, "last_intervention_at", None)),
            paused_until=row.paused_until,
        )
        for row in rows
    ]
    return Page(items=items, total=total, page=page)


# Unanswered requests


def unanswered_requests(viewer: Account | None, days: int, page: int = 1) -> Page:
    """Requests of ``viewer``'s territories waiting for the ambassador for over ``days`` days."""
    territories_of(viewer)
    return agenda.unanswered(viewer, days=days, page=page)


def ambassador_names(interventions: list[Intervention]) -> dict[int, str]:
    """Public names of the ambassadors of ``interventions``, in one query."""
    ids = sorted({item.ambassador_id for item in interventions if item.ambassador_id})
    if not ids:
        return {}
    rows = (
        Ambassador.select(Ambassador.id, Account.first_name, Account.last_name)
        .join(Account)
        .where(Ambassador.id.in_(ids))
    )
    return {row.id: row.account.display_name for row in rows}


def counts(viewer: Account | None, months: int, days: int) -> AlertCounts:
    """How many schools, ambassadors and requests each alert list holds."""
    covered = territories_of(viewer)
    moment = now()
    return AlertCounts(
        schools=_uncovered_schools(covered, moment).count(),
        ambassadors=_idle_ambassadors(covered, months_before(moment, months)).count(),
        requests=agenda.unanswered(viewer, days=days, page=1).total,
    )


def _moment(value: Any) -> datetime.datetime | None:
    """A timestamp read from a sub-query: SQLite gives it as text."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.fromisoformat(str(value))
