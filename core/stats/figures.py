"""The key figures of a territory over a period, computed in SQL.

A fixed, small number of aggregate queries, whatever the size of the data: the totals of
completed interventions by type and mode, the public of events, the young people of the
reports, the requests by type and mode, the answers, the middle answers for the median,
the ambassadors by gender, the educators, the schools and the completed interventions by
month. docs/statistics.md defines every figure; this module is its implementation.

Scope: a territory stands for itself and everything below it (``descendants``). The top
of the tree (the region) takes everything, including rows without a territory.
Interventions belong to the territory of their school (``Intervention.territory``);
ambassadors to the territories of their home and of their zones; educators to the
territory of their school. Periods are dates of the region's calendar, both included.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import peewee
from babel.dates import format_date

from .. import db
from ..auth.models import Account, AccountStatus, Role, RoleGrant
from ..auth.permissions import descendants
from ..i18n import _, get_locale
from ..interventions import times
from ..interventions.models import EventSlot, Feedback, Intervention, Reach, Status
from ..organisations.models import EDUCATIONAL_KINDS, Organisation
from ..people import image_rights
from ..people.labels import GENDER_LABELS, INTERVENTION_LABELS, MODE_LABELS, label
from ..people.models import Ambassador, AmbassadorZone, InterventionType, Mode
from ..runtime import hooks
from ..territories.models import Territory
from . import monthly, registered
from .monthly import ADULT_AUDIENCES, GROUP_TYPES, within
from .registered import GENDERS, Registered

COUNT = "count"
PERCENT = "percent"  # a fraction between 0 and 1
HOURS = "hours"
MARK = "mark"  # an average mark out of 5

SCHOOL_YEAR_START_MONTH = 9  # French school years run from 1 September to 31 August


class Period(NamedTuple):
    """Dates of the region's calendar, both included: ``start, end = period``."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def school_year(cls, year: int) -> Period:
        """The school year that starts in September ``year`` (2026: 2026-09-01 to 2027-08-31)."""
        return cls(
            datetime.date(year, SCHOOL_YEAR_START_MONTH, 1),
            datetime.date(year + 1, SCHOOL_YEAR_START_MONTH, 1) - datetime.timedelta(days=1),
        )

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The stored (UTC) moments from the first day's midnight to the day after the last."""
        return _midnight(self.start), _midnight(self.end + datetime.timedelta(days=1))

    def whole_months(self) -> bool:
        """Whether the period runs from the first day of a month to the last of a month."""
        return self.start.day == 1 and (self.end + datetime.timedelta(days=1)).day == 1

    def months(self) -> list[tuple[str, datetime.datetime, datetime.datetime]]:
        """``("YYYY-MM", stored start, stored end)`` of each calendar month the period meets."""
        months = []
        first = self.start.replace(day=1)
        while first <= self.end:
            following = (first + datetime.timedelta(days=32)).replace(day=1)
            low = _midnight(max(first, self.start))
            high = _midnight(min(following - datetime.timedelta(days=1), self.end))
            months.append((first.strftime("%Y-%m"), low, high + datetime.timedelta(days=1)))
            first = following
        return months


def school_year_of(day: datetime.date) -> int:
    """The year the school year holding ``day`` started in (November 2026: 2026)."""
    return day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1


@dataclass(frozen=True)
class Figure:
    """One key figure: a stable ``key``, a translated ``label`` and its ``value``.

    ``value`` is a count, a fraction (``unit`` ``percent``) or hours (``unit`` ``hours``);
    ``None`` when it cannot be computed (a rate of nothing). ``parts`` are the counts a
    rate or a median is computed from, so that it is hidden with them when they are small.
    """

    key: str
    label: str
    value: int | float | None
    unit: str = COUNT
    parts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a key, a translated label and a count."""

    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Figures:
    """The key figures of ``territory`` over ``period``, and the series charts draw."""

    territory: Territory
    period: Period
    rows: tuple[Figure, ...]
    series: dict[str, tuple[Bar, ...]] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Figure:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def value(self, key: str) -> int | float | None:
        """The value of the figure ``key``."""
        return self[key].value


# Scope


def scope_of(territory: Territory) -> set[int] | None:
    """Ids of ``territory`` and everything below it; ``None`` at the top (everything)."""
    if territory.parent_id is None:
        return None
    return descendants({territory.id})


def ambassador_within(scope: set[int] | None) -> peewee.Node:
    """SQL condition: the ambassador lives in ``scope`` or has a zone in it.

    Written as the ids of those living there and those with a zone there, each found
    through its index, rather than a test of each ambassador's home and zones.
    """
    if scope is None:
        return peewee.SQL("1 = 1")
    territories = sorted(scope)
    living = Ambassador.alias("living")
    homes = living.select(living.id).where(living.home_territory.in_(territories))
    zones = AmbassadorZone.select(AmbassadorZone.ambassador).where(
        AmbassadorZone.territory.in_(territories)
    )
    return Ambassador.id.in_(homes | zones)


def hours_between(earlier: peewee.Field, later: peewee.Field) -> peewee.Node:
    """SQL expression: hours from ``earlier`` to ``later`` (stored UTC timestamps)."""
    if db.is_sqlite(db.database):
        return (peewee.fn.julianday(later) - peewee.fn.julianday(earlier)) * 24.0
    return peewee.fn.date_part("epoch", later - earlier) / 3600.0


# The figures


def key_figures(territory: Territory, period: Period, from_aggregates: bool = True) -> Figures:
    """Every key figure of ``territory`` over ``period``, then the plugins' rows.

    The counts about interventions come from the monthly aggregates when the period is
    made of whole months (school years, years, months), else from the interventions;
    the region's people from the numbers the database keeps (``registered``), a
    territory's from its people. ``from_aggregates=False`` always counts the interventions
    and the people (the reference the benchmarks compare with).
    """
    scope = scope_of(territory)
    low, high = period.bounds()
    months = [key for key, _start, _end in period.months()]
    aggregated = from_aggregates and period.whole_months()
    counts = monthly.counts(scope, months) if aggregated else raw_counts(scope, period)
    done, requested = counts.done, counts.requested
    addressed, answered = counts.addressed, counts.answered
    if aggregated:
        median = monthly.median_hours(scope, months, answered)
    else:
        median = _median_hours(scope, low, high, answered)
    if from_aggregates and scope is None:
        people = registered.counts(high)
    else:
        people = raw_registered(scope, high)
    genders = people.genders
    ambassadors = sum(genders.values())
    schools, priority, priority_reached = counts.schools
    completed_total = sum(count for count, _pupils in done.values())
    requested_total = sum(requested.values())
    title, share = _("Ambassadors registered"), _("Share of ambassadors")
    beneficiaries = sum(pupils for _count, pupils in done.values()) + counts.event_public

    rows = [
        Figure("beneficiaries", _("Beneficiaries reached"), beneficiaries),
        Figure("young_people", _("Young people made aware"), counts.young_people),
        Figure("ambassadors", title, ambassadors),
        Figure("educators", _("Educators registered"), people.educators),
        Figure("interventions.completed", _("Interventions completed"), completed_total),
        *_breakdown("interventions.completed", _("Interventions completed"), _counts(done)),
        Figure("interventions.requested", _("Interventions requested"), requested_total),
        *_breakdown("interventions.requested", _("Interventions requested"), requested),
        Figure(
            "response_rate",
            _("Response rate of ambassadors"),
            _ratio(answered, addressed),
            PERCENT,
            (answered, addressed),
        ),
        Figure(
            "response_time_median",
            _("Median response time"),
            median,
            HOURS,
            (answered,),
        ),
        Figure("schools.reached", _("Schools reached"), schools),
        Figure("schools.priority", _("Priority schools"), priority),
        Figure("schools.priority_reached", _("Priority schools reached"), priority_reached),
        Figure(
            "schools.priority_coverage",
            _("Share of priority schools reached"),
            _ratio(priority_reached, priority),
            PERCENT,
            (priority_reached, priority),
        ),
        Figure(
            "schools.priority_share",
            _("Share of priority schools among the schools reached"),
            _ratio(priority_reached, schools),
            PERCENT,
            (priority_reached, schools),
        ),
        *(
            Figure(
                f"ambassadors.gender.{gender}",
                f"{title} — {_gender_label(gender)}",
                genders[gender],
            )
            for gender in GENDERS
        ),
        *(
            Figure(
                f"ambassadors.gender.{gender}.share",
                f"{share} — {_gender_label(gender)}",
                _ratio(genders[gender], ambassadors),
                PERCENT,
                (genders[gender], ambassadors),
            )
            for gender in GENDERS
        ),
    ]
    consenting = people.consenting
    answers, marks = counts.surveys
    average = round(marks / answers, 2) if answers else None
    rows += [
        Figure("image_rights.consenting", _("Ambassadors consenting to image rights"), consenting),
        Figure(
            "image_rights.share",
            _("Share of ambassadors consenting to image rights"),
            _ratio(consenting, ambassadors),
            PERCENT,
            (consenting, ambassadors),
        ),
        Figure("surveys.answers", _("Satisfaction survey answers"), answers),
        Figure("surveys.satisfaction", _("Average satisfaction"), average, MARK, (answers,)),
    ]
    rows.extend(_plugin_rows(territory, period))
    series = {
        "type": _bars(_by(done, 0), INTERVENTION_LABELS, list(InterventionType)),
        "mode": _bars(_by(done, 1), MODE_LABELS, list(Mode)),
        "month": tuple(
            Bar(key, _month_label(key), counts.by_month.get(key, 0))
            for key, _start, _end in period.months()
        ),
    }
    return Figures(territory=territory, period=period, rows=tuple(rows), series=series)


def raw_counts(scope: set[int] | None, period: Period) -> monthly.Counts:
    """The counts ``monthly.counts`` reads, computed from the interventions themselves.

    For periods that do not fall on whole months, and as the reference the aggregates
    are tested against.
    """
    low, high = period.bounds()
    completed = (
        (Intervention.status == Status.COMPLETED)
        & (Intervention.starts_at >= low)
        & (Intervention.starts_at < high)
        & within(Intervention.territory, scope)
    )
    addressed, answered = _answers(scope, low, high)
    return monthly.Counts(
        done=_completed_by_type_and_mode(completed),
        event_public=_event_public(completed),
        young_people=_young_people(completed),
        requested=_requested_by_type_and_mode(scope, low, high),
        addressed=addressed,
        answered=answered,
        schools=_schools(scope, completed),
        by_month={key: count for key, count in _completed_by_month(scope, period) if count},
        surveys=_survey_answers(scope, low, high),
    )


def raw_registered(scope: set[int] | None, high: datetime.datetime) -> Registered:
    """The people ``registered.counts`` reads, counted from the people of ``scope`` present
    at ``high``: for territories, and as the reference the kept numbers are tested against."""
    genders, consenting = _ambassadors(scope, high)
    return Registered(genders=genders, consenting=consenting, educators=_educators(scope, high))


def _completed_by_type_and_mode(completed: peewee.Node) -> dict[tuple[str, str], tuple[int, int]]:
    """``{(type, mode): (interventions, pupils reached outside events)}``."""
    outside_events = peewee.Case(
        None,
        [(Intervention.event_slot.is_null(), peewee.fn.COALESCE(Intervention.pupils_reached, 0))],
        0,
    )
    query = (
        Intervention.select(
            Intervention.intervention_type,
            Intervention.mode,
            peewee.fn.COUNT(Intervention.id),
            peewee.fn.SUM(outside_events),
        )
        .where(completed)
        .group_by(Intervention.intervention_type, Intervention.mode)
        .tuples()
    )
    return {(kind, mode): (count, int(pupils or 0)) for kind, mode, count, pupils in query}


def _event_public(completed: peewee.Node) -> int:
    """Each event's public counted once: the largest number its ambassadors reported.

    The ambassadors of one forum each report the same public.
    """
    per_event = (
        Intervention.select(peewee.fn.MAX(Intervention.pupils_reached).alias("public"))
        .join(EventSlot, on=(Intervention.event_slot == EventSlot.id))
        .where(completed)
        .group_by(EventSlot.event)
    ).alias("per_event")
    events = (
        peewee.Select(from_list=[per_event], columns=[peewee.fn.SUM(per_event.c.public)])
        .bind(db.database)
        .scalar()
    )
    return int(events or 0)


def _young_people(completed: peewee.Node) -> int:
    """Young people of the reports of class talks, company visits and internships."""
    total = (
        Reach.select(peewee.fn.SUM(Reach.pupils))
        .join(Intervention)
        .where(
            completed,
            Intervention.intervention_type.in_([str(kind) for kind in GROUP_TYPES]),
            Reach.audience_level.not_in([str(level) for level in ADULT_AUDIENCES]),
        )
        .scalar()
    )
    return int(total or 0)


def _requested_by_type_and_mode(
    scope: set[int] | None, low: datetime.datetime, high: datetime.datetime
) -> dict[tuple[str, str], int]:
    """``{(type, mode): requests made in the period}`` (whatever became of them)."""
    query = (
        Intervention.select(
            Intervention.intervention_type, Intervention.mode, peewee.fn.COUNT(Intervention.id)
        )
        .where(
            Intervention.created_at >= low,
            Intervention.created_at < high,
            within(Intervention.territory, scope),
        )
        .group_by(Intervention.intervention_type, Intervention.mode)
        .tuples()
    )
    return {(kind, mode): count for kind, mode, count in query}


def _addressed(scope: set[int] | None, low: datetime.datetime, high: datetime.datetime):
    """Requests that reached an ambassador in the period, but those withdrawn unanswered."""
    return (
        (Intervention.assigned_at >= low)
        & (Intervention.assigned_at < high)
        & within(Intervention.territory, scope)
        & ~((Intervention.status == Status.CANCELLED) & Intervention.answered_at.is_null())
    )


def _answers(
    scope: set[int] | None, low: datetime.datetime, high: datetime.datetime
) -> tuple[int, int]:
    """``(requests addressed, requests answered)`` of the period."""
    addressed, answered = (
        Intervention.select(
            peewee.fn.COUNT(Intervention.id), peewee.fn.COUNT(Intervention.answered_at)
        )
        .where(_addressed(scope, low, high))
        .tuples()
        .first()
    )
    return int(addressed or 0), int(answered or 0)


def _median_hours(
    scope: set[int] | None, low: datetime.datetime, high: datetime.datetime, answered: int
) -> float | None:
    """The median time to answer, in hours: the middle answer (or the mean of the two)."""
    if not answered:
        return None
    hours = hours_between(Intervention.assigned_at, Intervention.answered_at)
    middle = (
        Intervention.select(hours)
        .where(_addressed(scope, low, high), Intervention.answered_at.is_null(False))
        .order_by(hours, Intervention.id)
        .offset((answered - 1) // 2)
        .limit(1 if answered % 2 else 2)
        .tuples()
    )
    values = [float(value) for (value,) in middle]
    return round(sum(values) / len(values), 2) if values else None


def _ambassadors(scope: set[int] | None, high: datetime.datetime) -> tuple[dict[str, int], int]:
    """Active ambassadors registered before the end of the period, by declared gender, and
    of them those whose choice in force at its end is a consent to image rights (the
    current choice, for a period not over), read from the decisions themselves: one
    statement, each ambassador found once."""
    counts = dict.fromkeys(GENDERS, 0)
    consenting = peewee.Case(None, [(image_rights.consenting_at(high), 1)], 0)
    query = (
        Ambassador.select(Account.gender, peewee.fn.COUNT(Ambassador.id), peewee.fn.SUM(consenting))
        .join(Account)
        .where(
            Account.status == AccountStatus.ACTIVE,
            Ambassador.created_at < high,
            ambassador_within(scope),
        )
        .group_by(Account.gender)
        .tuples()
    )
    consented = 0
    for gender, count, consents in query:
        key = gender if gender in counts else "unknown"
        counts[key] += count
        consented += int(consents or 0)
    return counts, consented


def _survey_answers(
    scope: set[int] | None, low: datetime.datetime, high: datetime.datetime
) -> tuple[int, int]:
    """``(answers, sum of their marks)`` of the surveys about the completed interventions of
    the period (by the intervention's date, as the other figures), read from the answers
    themselves: one withdrawn is no longer counted."""
    answers, total = (
        Feedback.select(peewee.fn.COUNT(Feedback.id), peewee.fn.SUM(Feedback.rating))
        .join(Intervention)
        .where(
            Intervention.status == Status.COMPLETED,
            Intervention.starts_at >= low,
            Intervention.starts_at < high,
            within(Intervention.territory, scope),
        )
        .tuples()
        .get()
    )
    return int(answers or 0), int(total or 0)


def _educators(scope: set[int] | None, high: datetime.datetime) -> int:
    """Active accounts holding an educator role (approved), granted before the end, for a
    school there."""
    # The account's status as an EXISTS per grant: joined, SQLite would walk every active
    # account through the (status, gender) index instead of the educators' grants.
    active = peewee.fn.EXISTS(
        Account.select(peewee.SQL("1")).where(
            Account.id == RoleGrant.account, Account.status == AccountStatus.ACTIVE
        )
    )
    return (
        RoleGrant.select(peewee.fn.COUNT(RoleGrant.account.distinct()))
        .join(Organisation, on=(RoleGrant.organisation == Organisation.id))
        .where(
            RoleGrant.role == Role.EDUCATOR,
            RoleGrant.created_at < high,
            RoleGrant.in_force(),
            active,
            within(Organisation.territory, scope),
        )
        .scalar()
    ) or 0


def _schools(scope: set[int] | None, completed: peewee.Node) -> tuple[int, int, int]:
    """``(schools reached, priority schools, priority schools reached)`` in one query."""
    reached = peewee.fn.EXISTS(
        Intervention.select(peewee.SQL("1")).where(
            Intervention.organisation == Organisation.id, completed
        )
    )
    priority = Organisation.qpv | Organisation.rep | Organisation.rep_plus | Organisation.rural
    row = (
        Organisation.select(
            peewee.fn.SUM(peewee.Case(None, [(reached, 1)], 0)),
            peewee.fn.SUM(peewee.Case(None, [(priority, 1)], 0)),
            peewee.fn.SUM(peewee.Case(None, [(priority & reached, 1)], 0)),
        )
        .where(
            Organisation.kind.in_(sorted(EDUCATIONAL_KINDS)),
            within(Organisation.territory, scope),
        )
        .tuples()
        .first()
    )
    return tuple(int(value or 0) for value in row)  # type: ignore[return-value]


def _completed_by_month(scope: set[int] | None, period: Period) -> list[tuple[str, int]]:
    """``(YYYY-MM, completed interventions)`` for every month of the period, empty ones too.

    Months are the region's calendar months: their stored bounds are computed here and the
    database only sorts interventions between them (``GROUP BY 1``, as PostgreSQL does not
    see two parameterised ``CASE`` as the same expression).
    """
    months = period.months()
    low, high = period.bounds()
    month = peewee.Case(
        None,
        [
            ((Intervention.starts_at >= start) & (Intervention.starts_at < end), index)
            for index, (_key, start, end) in enumerate(months)
        ],
    )
    query = (
        Intervention.select(month, peewee.fn.COUNT(Intervention.id))
        .where(
            Intervention.status == Status.COMPLETED,
            Intervention.starts_at >= low,
            Intervention.starts_at < high,
            within(Intervention.territory, scope),
        )
        .group_by(peewee.SQL("1"))
        .tuples()
    )
    counts = {index: count for index, count in query if index is not None}
    return [(key, counts.get(index, 0)) for index, (key, _start, _end) in enumerate(months)]


def _plugin_rows(territory: Territory, period: Period) -> list[Figure]:
    """The ``key_figures`` hook's answers: ``Figure``s, or ``(label, value)`` pairs."""
    rows = []
    for number, answer in enumerate(
        hooks().key_figures(period=period, territory=territory), start=1
    ):
        if isinstance(answer, Figure):
            rows.append(answer)
        else:
            row_label, value = answer
            rows.append(Figure(f"plugins.{number}", str(row_label), value))
    return rows


# Helpers


def _midnight(day: datetime.date) -> datetime.datetime:
    return times.to_utc(datetime.datetime.combine(day, datetime.time()))


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _counts(done: dict[tuple[str, str], tuple[int, int]]) -> dict[tuple[str, str], int]:
    return {key: count for key, (count, _pupils) in done.items()}


def _by(done: dict[tuple[str, str], tuple[int, int]], position: int) -> dict[str, int]:
    totals: dict[str, int] = {}
    for key, (count, _pupils) in done.items():
        totals[key[position]] = totals.get(key[position], 0) + count
    return totals


def _codes(known: Iterable[str], found: Iterable[str]) -> list[str]:
    """The known codes in their order, then any other code found in the data."""
    known = [str(code) for code in known]
    return known + sorted(set(found) - set(known))


def _breakdown(prefix: str, title: str, counts: dict[tuple[str, str], int]) -> list[Figure]:
    by_type: dict[str, int] = {}
    by_mode: dict[str, int] = {}
    for (kind, mode), count in counts.items():
        by_type[kind] = by_type.get(kind, 0) + count
        by_mode[mode] = by_mode.get(mode, 0) + count
    rows = [
        Figure(
            f"{prefix}.type.{kind}",
            f"{title} — {label(INTERVENTION_LABELS, kind)}",
            by_type.get(kind, 0),
        )
        for kind in _codes(InterventionType, by_type)
    ]
    rows += [
        Figure(
            f"{prefix}.mode.{mode}", f"{title} — {label(MODE_LABELS, mode)}", by_mode.get(mode, 0)
        )
        for mode in _codes(Mode, by_mode)
    ]
    return rows


def _bars(counts: dict[str, int], labels: dict[Any, Any], known: list[str]) -> tuple[Bar, ...]:
    return tuple(
        Bar(code, label(labels, code), counts.get(code, 0)) for code in _codes(known, counts)
    )


def _gender_label(gender: str) -> str:
    if gender == "unknown":
        return _("Not declared")
    return label(GENDER_LABELS, gender)


def _month_label(key: str) -> str:
    year, month = key.split("-")
    return format_date(datetime.date(int(year), int(month), 1), "MMMM y", locale=get_locale())
