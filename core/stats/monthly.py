"""Monthly aggregates of the interventions: the key figures read them, the workflow keeps them.

One row (``MonthlyFigures``) per calendar month of the region, territory, school, type,
mode and event holds what the key figures add up (docs/statistics.md, "How figures are
kept"). ``counts`` reads a territory's figures over whole months from a few ``SUM``
queries over these rows, whatever the number of interventions.

They are kept exact by recounting from the interventions: ``refresh`` recounts every row
of one school, and runs after each workflow transition (the ``intervention_changed``
hook) inside its own transaction; ``rebuild`` recounts everything (``tremplin stats
rebuild``, after the demo generator and after the migration that creates the table). A
recount does not depend on what the rows held before, so a transition whose hook did not
run (a crash just after its commit) is made good by the school's next change or a rebuild.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import peewee

from ..db import database
from ..interventions import times
from ..interventions.models import AudienceLevel, EventSlot, Intervention, Reach, Status
from ..organisations.models import EDUCATIONAL_KINDS, Organisation
from ..people.models import InterventionType
from .models import MonthlyFigures

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
)
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


def within(column: peewee.Field, scope: set[int] | None) -> peewee.Node:
    """SQL condition: ``column`` is one of the territories of ``scope`` (``None``: all)."""
    if scope is None:
        return peewee.SQL("1 = 1")
    return column.in_(sorted(scope)) if scope else peewee.SQL("1 = 0")


PRIORITY = Organisation.qpv | Organisation.rep | Organisation.rep_plus | Organisation.rural


# Reading


def counts(scope: set[int] | None, months: list[str]) -> Counts:
    """The counts of the territories ``scope`` over ``months`` (consecutive ``YYYY-MM``)."""
    cells = (MonthlyFigures.month >= months[0]) & (MonthlyFigures.month <= months[-1])
    cells &= within(MonthlyFigures.territory, scope)
    done, requested = {}, {}
    young_people = addressed = answered = 0
    query = (
        MonthlyFigures.select(
            MonthlyFigures.intervention_type,
            MonthlyFigures.mode,
            *(
                peewee.fn.SUM(getattr(MonthlyFigures, name))
                for name in MEASURES
                if name != "event_public"
            ),
        )
        .where(cells)
        .group_by(MonthlyFigures.intervention_type, MonthlyFigures.mode)
        .tuples()
    )
    for kind, mode, completed, pupils, young, asked, reached, replied in query:
        if completed:
            done[(kind, mode)] = (int(completed), int(pupils or 0))
        if asked:
            requested[(kind, mode)] = int(asked)
        young_people += int(young or 0)
        addressed += int(reached or 0)
        answered += int(replied or 0)
    by_month = dict(
        MonthlyFigures.select(MonthlyFigures.month, peewee.fn.SUM(MonthlyFigures.completed))
        .where(cells, MonthlyFigures.completed > 0)
        .group_by(MonthlyFigures.month)
        .tuples()
    )
    return Counts(
        done=done,
        event_public=_event_public(cells),
        young_people=young_people,
        requested=requested,
        addressed=addressed,
        answered=answered,
        schools=_schools(scope, cells),
        by_month={month: int(count) for month, count in by_month.items()},
    )


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
    """Recount every aggregate from the interventions; return how many rows it holds."""
    with database.atomic():
        MonthlyFigures.delete().execute()
        return _write(_cells(_rows(Intervention.select())))


def refresh(organisation_id: int) -> int:
    """Recount the aggregates of one school from its interventions; return its rows."""
    with database.atomic():
        MonthlyFigures.delete().where(MonthlyFigures.organisation == organisation_id).execute()
        return _write(
            _cells(_rows(Intervention.select().where(Intervention.organisation == organisation_id)))
        )


def _rows(query: peewee.ModelSelect) -> Iterator[tuple[Any, ...]]:
    """The facts of each intervention of ``query`` the aggregates count, with its young people.

    As the driver gives them (``_cells`` reads timestamps in either form): peewee's
    conversion of each value took longer than counting.
    """
    young = Reach.select(peewee.fn.SUM(Reach.pupils)).where(
        Reach.intervention == Intervention.id,
        Reach.audience_level.not_in([str(level) for level in ADULT_AUDIENCES]),
    )
    return iter(
        database.execute(
            query.select(
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
            )
            .join(EventSlot, peewee.JOIN.LEFT_OUTER, on=(Intervention.event_slot == EventSlot.id))
            .order_by(Intervention.id)
        )
    )


def _cells(rows: Iterable[tuple[Any, ...]]) -> dict[tuple[Any, ...], list[int]]:
    """``{(month, territory, school, type, mode, event): [measures]}`` of ``rows``."""
    zone = times.zone()
    cells: dict[tuple[Any, ...], list[int]] = {}

    def cell(moment: Any, key: tuple[Any, ...]) -> list[int]:
        moment = _moment(moment)
        if 2 <= moment.day <= 27:  # no time zone (UTC ± 14 h) moves it to another month
            month = f"{moment.year:04d}-{moment.month:02d}"
        else:
            month = times.to_local(moment, zone).strftime("%Y-%m")
        return cells.setdefault((month, *key), [0] * len(MEASURES))

    group = {str(kind) for kind in GROUP_TYPES}
    for (
        territory, organisation, kind, mode, event, status, starts_at, created_at,
        assigned_at, answered_at, pupils, young,
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
        if assigned_at is not None and not (status == Status.CANCELLED and answered_at is None):
            counted = cell(assigned_at, key)
            counted[5] += 1
            counted[6] += answered_at is not None
    return cells


def _write(cells: dict[tuple[Any, ...], list[int]]) -> int:
    """Insert ``cells`` as rows; return how many.

    Multi-row ``INSERT``s whose text is written here: peewee's ``insert_many`` builds a node
    per value, most of the time of a school's refresh after each transition. Every value
    is a plain text, integer or ``NULL``, stored as it is.
    """
    names = ("month", "territory", "organisation", "intervention_type", "mode", "event")
    opening, closing = database.quote
    columns = ", ".join(f"{opening}{name}{closing}" for name in names + MEASURES)
    group = "(" + ", ".join([database.param] * (len(names) + len(MEASURES))) + ")"
    head = f"INSERT INTO {opening}{MonthlyFigures._meta.table_name}{closing} ({columns}) VALUES "
    rows = [(*key, *values) for key, values in cells.items()]
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        database.execute_sql(
            head + ", ".join([group] * len(chunk)), [value for row in chunk for value in row]
        )
    return len(rows)


def _moment(value: Any) -> datetime.datetime:
    """A stored timestamp (SQLite may give it as text)."""
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.fromisoformat(str(value))
