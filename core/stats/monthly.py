"""Monthly aggregates of the interventions: the key figures read them, the workflow keeps them.

One row (``MonthlyFigures``) per calendar month of the region, territory, school, type,
mode and event holds what the key figures add up (docs/statistics.md, "How the figures
are kept"); ``MonthlyTotals`` holds their sums without the school and the event (a few
thousand rows for a region's year, where the school rows are nearly as many as the
interventions); ``ResponseTime`` the time each answered request took. ``counts`` reads a
territory's figures over whole months from a few queries over these rows, and
``median_hours`` the middle response times through their index, whatever the number of
interventions.

They are kept exact by recounting from the interventions: ``refresh`` recounts every row
of one school, and runs after each workflow transition (the ``intervention_changed``
hook) and each survey answer given or withdrawn (``survey_answers_changed``) inside its
own transaction, which also adds the difference between the school's rows before and
after to ``MonthlyTotals``; ``rebuild`` recounts everything (``tremplin stats rebuild``,
after the demo generator and after the migrations). A recount does not depend on what the
school's rows held before, so a transition whose hook did not run (a crash just after its
commit) is made good by the school's next change or a rebuild, and the totals with it.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import peewee

from ..db import database, insert_rows, is_sqlite
from ..interventions import times
from ..interventions.models import AudienceLevel, EventSlot, Feedback, Intervention, Reach, Status
from ..organisations.models import EDUCATIONAL_KINDS, Organisation
from ..people.models import InterventionType
from .models import (
    BUCKET_HOURS,
    NO_TERRITORY,
    MonthlyFigures,
    MonthlyResponseTimes,
    MonthlyTotals,
    ResponseTime,
)

# Interventions that meet a group of young people (a class, a visit, an internship), as
# opposed to forums, fairs and webinars addressed to a wide public: their young people
# are those "made aware" (the seed counts 13,828 of them beside 191,036 beneficiaries).
GROUP_TYPES = (
    InterventionType.CLASS_TALK,
    InterventionType.COMPANY_VISIT,
    InterventionType.INTERNSHIP,
)
# Audiences of the reports that are not young people.
ADULT_AUDIENCES = (AudienceLevel.FAMILIES, AudienceLevel.EDUCATIONAL_TEAMS)
MEASURES = (
    "completed",
    "pupils",
    "event_public",
    "young_people",
    "requested",
    "addressed",
    "answered",
    "surveys",
    "ratings",
)
# What ``MonthlyTotals`` adds up (the public of an event is a largest value, not a sum).
SUMMED = tuple(name for name in MEASURES if name != "event_public")
# Written in the SQL, not a parameter: PostgreSQL does not see two parameterised
# ``COALESCE`` (of the select and of the ``GROUP BY``) as the same expression.
NO_TERRITORY_SQL = peewee.SQL(str(NO_TERRITORY))
TOTALS_KEY = ("month", "territory", "intervention_type", "mode")
RESPONSE_TIMES_KEY = ("month", "territory", "bucket")
BATCH = 1000


@dataclass(frozen=True)
class Counts:
    """What the key figures about interventions are made of, for a territory and period."""

    done: dict[tuple[str, str], tuple[int, int]]  # (type, mode): (completed, pupils)
    event_public: int  # the public of events, each counted once
    young_people: int
    requested: dict[tuple[str, str], int]
    addressed: int
    answered: int
    schools: tuple[int, int, int]  # reached, priority, priority reached
    by_month: dict[str, int]  # YYYY-MM: completed (months without any left out)
    surveys: tuple[int, int]  # survey answers about the completed, sum of their marks


def within(column: peewee.Field, scope: set[int] | None) -> peewee.Node:
    """SQL condition: ``column`` is one of the territories of ``scope`` (``None``: all)."""
    if scope is None:
        return peewee.SQL("1 = 1")
    return column.in_(sorted(scope)) if scope else peewee.SQL("1 = 0")


PRIORITY = Organisation.qpv | Organisation.rep | Organisation.rep_plus | Organisation.rural


# Reading


def counts(scope: set[int] | None, months: list[str]) -> Counts:
    """The counts of the territories ``scope`` over ``months`` (consecutive ``YYYY-MM``)."""
    totals = (MonthlyTotals.month >= months[0]) & (MonthlyTotals.month <= months[-1])
    totals &= within(MonthlyTotals.territory, scope)
    done, requested = {}, {}
    young_people = addressed = answered = surveys = ratings = 0
    query = (
        MonthlyTotals.select(
            MonthlyTotals.intervention_type,
            MonthlyTotals.mode,
            *(peewee.fn.SUM(getattr(MonthlyTotals, name)) for name in SUMMED),
        )
        .where(totals)
        .group_by(MonthlyTotals.intervention_type, MonthlyTotals.mode)
        .tuples()
    )
    for kind, mode, completed, pupils, young, asked, reached, replied, given, marks in query:
        if completed:
            done[(kind, mode)] = (int(completed), int(pupils or 0))
        if asked:
            requested[(kind, mode)] = int(asked)
        young_people += int(young or 0)
        addressed += int(reached or 0)
        answered += int(replied or 0)
        surveys += int(given or 0)
        ratings += int(marks or 0)
    by_month = dict(
        MonthlyTotals.select(MonthlyTotals.month, peewee.fn.SUM(MonthlyTotals.completed))
        .where(totals, MonthlyTotals.completed > 0)
        .group_by(MonthlyTotals.month)
        .tuples()
    )
    cells = (MonthlyFigures.month >= months[0]) & (MonthlyFigures.month <= months[-1])
    cells &= within(MonthlyFigures.territory, scope)
    return Counts(
        done=done,
        event_public=_event_public(cells),
        young_people=young_people,
        requested=requested,
        addressed=addressed,
        answered=answered,
        schools=_schools(scope, cells),
        by_month={month: int(count) for month, count in by_month.items() if count},
        surveys=(surveys, ratings),
    )


def median_hours(scope: set[int] | None, months: list[str], answered: int) -> float | None:
    """The median response time of the requests ``counts`` finds ``answered`` over ``months``:
    the middle one (or the mean of the two). The counts by bucket tell which buckets hold
    the middle ranks; only their answers are read, in the order of their index."""
    if not answered:
        return None
    ranks = [(answered - 1) // 2] if answered % 2 else [answered // 2 - 1, answered // 2]
    buckets = (
        MonthlyResponseTimes.select(
            MonthlyResponseTimes.bucket, peewee.fn.SUM(MonthlyResponseTimes.answered)
        )
        .where(
            MonthlyResponseTimes.month >= months[0],
            MonthlyResponseTimes.month <= months[-1],
            within(MonthlyResponseTimes.territory, scope),
        )
        .group_by(MonthlyResponseTimes.bucket)
        .order_by(MonthlyResponseTimes.bucket)
        .tuples()
    )
    below = skipped = 0
    first = last = None
    for bucket, count in buckets:
        count = int(count or 0)
        if first is None and below + count > ranks[0]:
            first, skipped = bucket, below
        if below + count > ranks[-1]:
            last = bucket
            break
        below += count
    if first is None or last is None:
        return None
    middle = (
        ResponseTime.select(ResponseTime.hours)
        .where(
            ResponseTime.bucket >= first,
            ResponseTime.bucket <= last,
            ResponseTime.month >= months[0],
            ResponseTime.month <= months[-1],
            within(ResponseTime.territory, scope),
        )
        .order_by(ResponseTime.bucket, ResponseTime.hours, ResponseTime.intervention)
        .offset(ranks[0] - skipped)
        .limit(len(ranks))
        .tuples()
    )
    values = [float(value) for (value,) in middle]
    return round(sum(values) / len(values), 2) if values else None


def _event_public(cells: peewee.Node) -> int:
    per_event = (
        MonthlyFigures.select(peewee.fn.MAX(MonthlyFigures.event_public).alias("public"))
        .where(cells, MonthlyFigures.event.is_null(False), MonthlyFigures.completed > 0)
        .group_by(MonthlyFigures.event)
    ).alias("per_event")
    total = (
        peewee.Select(from_list=[per_event], columns=[peewee.fn.SUM(per_event.c.public)])
        .bind(database)
        .scalar()
    )
    return int(total or 0)


def _schools(scope: set[int] | None, cells: peewee.Node) -> tuple[int, int, int]:
    reached = peewee.fn.EXISTS(
        MonthlyFigures.select(peewee.SQL("1")).where(
            MonthlyFigures.organisation == Organisation.id, cells, MonthlyFigures.completed > 0
        )
    )
    row = (
        Organisation.select(
            peewee.fn.SUM(peewee.Case(None, [(reached, 1)], 0)),
            peewee.fn.SUM(peewee.Case(None, [(PRIORITY, 1)], 0)),
            peewee.fn.SUM(peewee.Case(None, [(PRIORITY & reached, 1)], 0)),
        )
        .where(
            Organisation.kind.in_(sorted(EDUCATIONAL_KINDS)),
            within(Organisation.territory, scope),
        )
        .tuples()
        .first()
    )
    return tuple(int(value or 0) for value in row)  # type: ignore[return-value]


# Keeping


def rebuild() -> int:
    """Recount every aggregate from the interventions; return how many school rows it holds."""
    with database.atomic():
        for model in (MonthlyFigures, MonthlyTotals, ResponseTime, MonthlyResponseTimes):
            model.delete().execute()
        cells, times = _cells(_rows(Intervention.select(), every=True))
        _write(MonthlyFigures, _named(cells))
        _write(ResponseTime, times)
        _sum_into(MonthlyTotals, MonthlyFigures, TOTALS_KEY, SUMMED)
        _sum_into(MonthlyResponseTimes, ResponseTime, RESPONSE_TIMES_KEY, ("answered",))
        if not is_sqlite(database):
            # Every row is new: PostgreSQL's planner learns their number and spread now
            # rather than at autovacuum's next pass (SQLite's picks these indexes without).
            for model in (MonthlyFigures, MonthlyTotals, ResponseTime, MonthlyResponseTimes):
                database.execute_sql(f'ANALYZE "{model._meta.table_name}"')
        return len(cells)


def refresh(organisation_id: int) -> int:
    """Recount the aggregates of one school from its interventions; return its rows.

    The totals and the counts of response times get the difference between the school's
    rows before and after, in the same transaction. The school's row is locked first, so
    that two recounts of one school follow each other (each reads what the other wrote).
    """
    with database.atomic():
        Organisation.update(name=Organisation.name).where(
            Organisation.id == organisation_id
        ).execute()
        school = MonthlyFigures.organisation == organisation_id
        answers = ResponseTime.organisation == organisation_id
        totals: dict[tuple[Any, ...], list[int]] = {}
        counted: dict[tuple[Any, ...], list[int]] = {}
        fields = [getattr(MonthlyFigures, name) for name in (*TOTALS_KEY, *SUMMED)]
        for row in MonthlyFigures.select(*fields).where(school).tuples():
            _add(totals, row[: len(TOTALS_KEY)], row[len(TOTALS_KEY) :], -1)
        fields = [getattr(ResponseTime, name) for name in RESPONSE_TIMES_KEY]
        for row in ResponseTime.select(*fields).where(answers).tuples():
            _add(counted, row, (1,), -1)
        MonthlyFigures.delete().where(school).execute()
        ResponseTime.delete().where(answers).execute()
        cells, times = _cells(
            _rows(Intervention.select().where(Intervention.organisation == organisation_id))
        )
        _write(MonthlyFigures, _named(cells))
        _write(ResponseTime, times)
        summed = [MEASURES.index(name) for name in SUMMED]
        for (month, territory, _school, kind, mode, _event), values in cells.items():
            _add(totals, (month, territory, kind, mode), [values[i] for i in summed], 1)
        for answer in times:
            _add(counted, tuple(answer[name] for name in RESPONSE_TIMES_KEY), (1,), 1)
        _add_to(MonthlyTotals, TOTALS_KEY, SUMMED, totals)
        _add_to(MonthlyResponseTimes, RESPONSE_TIMES_KEY, ("answered",), counted)
        return len(cells)


def _sum_into(
    target: type[peewee.Model],
    source: type[peewee.Model],
    key: tuple[str, ...],
    measures: tuple[str, ...],
) -> None:
    """Fill ``target`` with the rows of ``source`` summed by ``key`` (a ``measures`` of
    ``source`` that it lacks is counted: one per row)."""
    keys = [
        peewee.fn.COALESCE(getattr(source, name), NO_TERRITORY_SQL)
        if name == "territory"
        else getattr(source, name)
        for name in key
    ]
    values = [
        peewee.fn.SUM(getattr(source, name))
        if name in source._meta.fields
        else peewee.fn.COUNT(peewee.SQL("*"))
        for name in measures
    ]
    target.insert_from(
        source.select(*keys, *values).group_by(*keys),
        [getattr(target, name) for name in (*key, *measures)],
    ).execute()


def _add(
    difference: dict[tuple[Any, ...], list[int]],
    key: tuple[Any, ...],
    values: Iterable[int],
    sign: int,
) -> None:
    """Add ``values`` times ``sign`` to ``difference[key]`` (its territory ``NO_TERRITORY``
    when ``None``, its second part)."""
    month, territory, *rest = key
    values = [int(value or 0) for value in values]
    total = difference.setdefault(
        (month, NO_TERRITORY if territory is None else territory, *rest), [0] * len(values)
    )
    for position, value in enumerate(values):
        total[position] += sign * value


def _add_to(
    model: type[peewee.Model],
    key: tuple[str, ...],
    measures: tuple[str, ...],
    difference: dict[tuple[Any, ...], list[int]],
) -> None:
    """Add ``difference`` to ``model`` (rows created as needed), in the order of the keys,
    so that concurrent recounts of two schools lock the rows they share in one order."""
    rows = [
        dict(zip((*key, *measures), (*values_key, *values), strict=True))
        for values_key, values in sorted(difference.items())
        if any(values)
    ]
    added = {
        getattr(model, name): getattr(model, name) + getattr(peewee.EXCLUDED, name)
        for name in measures
    }
    target = [getattr(model, name) for name in key]
    for start in range(0, len(rows), BATCH):
        model.insert_many(rows[start : start + BATCH]).on_conflict(
            conflict_target=target, update=added
        ).execute()


def _rows(query: peewee.ModelSelect, every: bool = False) -> Iterator[tuple[Any, ...]]:
    """The facts of each intervention of ``query`` the aggregates count, with its young people.

    ``every``: ``query`` reads every intervention (a rebuild). Its young people and survey
    answers are then summed in one pass over each table and joined, rather than looked up
    for each intervention: at a million interventions, three million lookups, which kept
    PostgreSQL busy for minutes. A school's few interventions are looked up: the same sums
    kept to the school's interventions and joined (one shape for both) took 0.3 ms more per
    school, on either database (1.2 → 1.5 ms on SQLite, 1.7 → 2.0 ms on PostgreSQL, 50
    interventions a school), on each step of the workflow.
    """
    adults = [str(level) for level in ADULT_AUDIENCES]
    if every:
        reach = (
            Reach.select(Reach.intervention, peewee.fn.SUM(Reach.pupils).alias("young"))
            .where(Reach.audience_level.not_in(adults))
            .group_by(Reach.intervention)
            .alias("reach")
        )
        answers = (
            Feedback.select(
                Feedback.intervention,
                peewee.fn.COUNT(Feedback.id).alias("surveys"),
                peewee.fn.SUM(Feedback.rating).alias("ratings"),
            )
            .group_by(Feedback.intervention)
            .alias("answers")
        )
        young: peewee.Node = reach.c.young
        surveys: peewee.Node = peewee.fn.COALESCE(answers.c.surveys, 0)
        ratings: peewee.Node = answers.c.ratings
    else:
        young = Reach.select(peewee.fn.SUM(Reach.pupils)).where(
            Reach.intervention == Intervention.id, Reach.audience_level.not_in(adults)
        )
        surveys = Feedback.select(peewee.fn.COUNT(Feedback.id)).where(
            Feedback.intervention == Intervention.id
        )
        ratings = Feedback.select(peewee.fn.SUM(Feedback.rating)).where(
            Feedback.intervention == Intervention.id
        )
    selected = query.select(
        Intervention.id,
        Intervention.territory,
        Intervention.organisation,
        Intervention.intervention_type,
        Intervention.mode,
        EventSlot.event,
        Intervention.status,
        Intervention.starts_at,
        Intervention.created_at,
        Intervention.assigned_at,
        Intervention.answered_at,
        Intervention.pupils_reached,
        young.alias("young"),
        surveys.alias("surveys"),
        ratings.alias("ratings"),
    ).join(EventSlot, peewee.JOIN.LEFT_OUTER, on=(Intervention.event_slot == EventSlot.id))
    if every:
        selected = (
            selected.switch(Intervention)
            .join(reach, peewee.JOIN.LEFT_OUTER, on=(reach.c.intervention_id == Intervention.id))
            .switch(Intervention)
            .join(
                answers, peewee.JOIN.LEFT_OUTER, on=(answers.c.intervention_id == Intervention.id)
            )
        )
    return iter(selected.order_by(Intervention.id).tuples().iterator())


def _cells(
    rows: Iterable[tuple[Any, ...]],
) -> tuple[dict[tuple[Any, ...], list[int]], list[dict[str, Any]]]:
    """``{(month, territory, school, type, mode, event): [measures]}`` of ``rows``, and the
    ``ResponseTime`` rows of those answered."""
    zone = times.zone()
    cells: dict[tuple[Any, ...], list[int]] = {}
    answers: list[dict[str, Any]] = []

    def month_of(stored: Any) -> str:
        moment = _moment(stored)
        if 2 <= moment.day <= 27:  # no time zone (UTC ± 14 h) moves it to another month
            return f"{moment.year:04d}-{moment.month:02d}"
        return times.to_local(moment, zone).strftime("%Y-%m")

    def cell(moment: Any, key: tuple[Any, ...]) -> list[int]:
        return cells.setdefault((month_of(moment), *key), [0] * len(MEASURES))

    group = {str(kind) for kind in GROUP_TYPES}
    for (
        intervention, territory, organisation, kind, mode, event, status, starts_at,
        created_at, assigned_at, answered_at, pupils, young, surveys, ratings,
    ) in rows:  # fmt: skip
        key = (territory, organisation, kind, mode, event)
        cell(created_at, key)[4] += 1
        if status == Status.COMPLETED:
            counted = cell(starts_at, key)
            counted[0] += 1
            if event is None:
                counted[1] += pupils or 0
            else:
                counted[2] = max(counted[2], pupils or 0)
            if kind in group:
                counted[3] += int(young or 0)
            counted[7] += int(surveys or 0)
            counted[8] += int(ratings or 0)
        if assigned_at is not None and not (status == Status.CANCELLED and answered_at is None):
            counted = cell(assigned_at, key)
            counted[5] += 1
            if answered_at is not None:
                counted[6] += 1
                hours = (_moment(answered_at) - _moment(assigned_at)).total_seconds() / 3600
                answers.append(
                    {
                        "intervention": intervention,
                        "organisation": organisation,
                        "month": month_of(assigned_at),
                        "territory": territory,
                        "hours": hours,
                        "bucket": math.floor(hours / BUCKET_HOURS),
                    }
                )
    return cells, answers


def _named(cells: dict[tuple[Any, ...], list[int]]) -> list[dict[str, Any]]:
    names = ("month", "territory", "organisation", "intervention_type", "mode", "event")
    return [
        dict(zip(names + MEASURES, (*key, *values), strict=True)) for key, values in cells.items()
    ]


def _write(model: type[peewee.Model], rows: list[dict[str, Any]]) -> None:
    # Every column given, in the same order: the driver's bulk insert, not a node per value.
    insert_rows(model, rows)


def _moment(value: Any) -> datetime.datetime:
    """A stored timestamp (SQLite may give it as text)."""
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.fromisoformat(str(value))
