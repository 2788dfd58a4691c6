"""The hours ledger: what counted employees gave, corrected, and valued at cost.

A completed intervention of an employee whose consent holds, on a day covered by their
employer's signed convention, adds its duration and the preparation time of its type (region
setting) to the ledger; a cancelled one removes it. The company may correct the hours (an
intervention missing, a duration wrong) with a reason; the region approves or refuses.
A period whose receipt is issued is locked: nothing in it changes any more. An intervention
of a locked period reported late counts for the next period (on its first day, the day it
took place kept); a correction of a locked period is refused.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee

from tremplin import clock
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.errors import Conflict, Invalid, NotAllowed, NotFound
from tremplin.interventions.models import Intervention, Status
from tremplin.validation import validated

from . import conventions, employers, service
from .i18n import _
from .models import (
    Convention,
    Correction,
    CorrectionStatus,
    Costing,
    Entry,
    Receipt,
    ReceiptStatus,
    SigningStatus,
)
from .schemas import CorrectionSchema, DecisionSchema
from .valuation import value_of_time

logger = logging.getLogger(__name__)


def locked(organisation_id: int, day: datetime.date) -> bool:
    """Whether ``day`` is in a period of the organisation whose receipt is issued."""
    return (
        Receipt.select()
        .where(
            Receipt.organisation == organisation_id,
            Receipt.status == ReceiptStatus.ISSUED,
            Receipt.period_start <= day,
            Receipt.period_end >= day,
        )
        .exists()
    )


def first_open_day(organisation_id: int, day: datetime.date) -> datetime.date:
    """``day``, or, when its period is locked, the first day after it that is not."""
    while True:
        receipt = (
            Receipt.select()
            .where(
                Receipt.organisation == organisation_id,
                Receipt.status == ReceiptStatus.ISSUED,
                Receipt.period_start <= day,
                Receipt.period_end >= day,
            )
            .first()
        )
        if receipt is None:
            return day
        day = receipt.period_end + datetime.timedelta(days=1)


# From interventions


def intervention_changed(intervention: Intervention, new_status: str) -> None:
    """Add a completed intervention's hours to the ledger; remove a cancelled one's."""
    if new_status == Status.COMPLETED:
        _add(intervention)
    elif new_status == Status.CANCELLED:
        _remove(intervention)


def _add(intervention: Intervention) -> None:
    if intervention.ambassador_id is None:
        return
    organisation_id = employers.counts_for(intervention.ambassador_id)
    if organisation_id is None:
        return
    day = service.local_day(intervention.starts_at)
    convention = conventions.in_force_on(organisation_id, day)
    if convention is None:
        return
    counted_on = first_open_day(organisation_id, day)
    preparation = service.settings()["preparation_minutes"].get(intervention.intervention_type, 0)
    Entry.insert(
        intervention=intervention.id,
        ambassador=intervention.ambassador_id,
        organisation=organisation_id,
        convention=convention.id,
        day=counted_on,
        held_on=day if counted_on != day else None,
        intervention_type=intervention.intervention_type,
        minutes=intervention.duration_minutes,
        preparation_minutes=preparation,
        created_at=clock.now(),
    ).on_conflict_ignore().execute()


def _remove(intervention: Intervention) -> None:
    entry = Entry.get_or_none(Entry.intervention == intervention.id)
    if entry is None:
        return
    if locked(entry.organisation_id, entry.day):
        logger.warning(
            "intervention %s cancelled in a period whose receipt is issued: kept", intervention.id
        )
        return
    Entry.delete().where(Entry.id == entry.id).execute()


# Corrections


def propose_correction(account: Account, convention_id: int, raw: Mapping[str, Any]) -> Correction:
    """The company adds or removes minutes for an employee on a day, saying why."""
    convention = conventions.get_for(account, convention_id)
    service.require_partner_manager(account, convention.organisation_id)
    if convention.status != SigningStatus.SIGNED:
        raise Conflict(_("Hours are corrected once the convention is signed."))
    data = validated(CorrectionSchema, raw)
    employers.require_employee(convention.organisation_id, data["ambassador"])
    if not convention.starts_on <= data["day"] <= convention.ends_on:
        raise Invalid({"day": [_("The day is outside the convention's period.")]})
    if locked(convention.organisation_id, data["day"]):
        raise Conflict(
            _(
                "The receipt of that period is issued: its hours no longer change. "
                "Correct a day of the next period instead."
            )
        )
    return Correction.create(
        organisation=convention.organisation_id,
        convention=convention.id,
        proposed_by=account,
        **data,
    )


def pending_corrections(account: Account) -> list[Correction]:
    """Corrections waiting for the region, the oldest first."""
    service.require_region(account)
    return list(
        Correction.select()
        .where(Correction.status == CorrectionStatus.PROPOSED)
        .order_by(Correction.proposed_at, Correction.id)
    )


def corrections_of(organisation_id: int) -> list[Correction]:
    """The organisation's corrections, the latest first."""
    return list(
        Correction.select()
        .where(Correction.organisation == organisation_id)
        .order_by(Correction.proposed_at.desc(), Correction.id.desc())
    )


def correction_for(account: Account, correction_id: int) -> Correction:
    """Correction ``correction_id``, for the region; ``NotFound`` if there is none such."""
    service.require_region(account)
    correction = Correction.get_or_none(Correction.id == correction_id)
    if correction is None:
        raise NotFound(_("No correction has this number."))
    return correction


def decide_correction(account: Account, correction_id: int, raw: Mapping[str, Any]) -> Correction:
    """The region approves or refuses a correction proposed by a company."""
    correction = correction_for(account, correction_id)
    data = validated(DecisionSchema, raw)
    if locked(correction.organisation_id, correction.day):
        raise Conflict(_("The receipt of that period is issued: its hours no longer change."))
    decided = (
        Correction.update(status=data["outcome"], decided_by=account, decided_at=clock.now())
        .where(Correction.id == correction.id, Correction.status == CorrectionStatus.PROPOSED)
        .execute()
    )
    if not decided:
        raise Conflict(_("This correction was already decided."))
    return Correction.get_by_id(correction.id)


# What was given


@dataclass(frozen=True)
class Given:
    """Minutes one employee gave on one day, for one convention (an entry or a correction)."""

    convention_id: int
    ambassador_id: int | None
    day: datetime.date
    minutes: int
    intervention: bool  # a completed intervention (not a correction)


def given(organisation_id: int, start: datetime.date, end: datetime.date) -> list[Given]:
    """Every entry and approved correction of the organisation from ``start`` to ``end``.

    Only the columns counted are read, as tuples: a company's year is thousands of entries,
    and a model instance of each cost ten times the query (W8 in docs/performance.md).
    """
    entries = (
        Entry.select(
            Entry.convention, Entry.ambassador, Entry.day, Entry.minutes, Entry.preparation_minutes
        )
        .where(Entry.organisation == organisation_id, Entry.day >= start, Entry.day <= end)
        .tuples()
    )
    corrections = (
        Correction.select(
            Correction.convention, Correction.ambassador, Correction.day, Correction.minutes
        )
        .where(
            Correction.organisation == organisation_id,
            Correction.status == CorrectionStatus.APPROVED,
            Correction.day >= start,
            Correction.day <= end,
        )
        .tuples()
    )
    return [
        Given(convention, ambassador, day, minutes + preparation, True)
        for convention, ambassador, day, minutes, preparation in entries
    ] + [
        Given(convention, ambassador, day, minutes, False)
        for convention, ambassador, day, minutes in corrections
    ]


@dataclass(frozen=True)
class StatementLine:
    """One employee's month: completed interventions and minutes (corrections included)."""

    month: str  # "2025-03"
    ambassador_id: int | None
    name: str
    interventions: int
    minutes: int


def statement(
    account: Account, organisation_id: int, start: datetime.date, end: datetime.date
) -> list[StatementLine]:
    """The monthly statement of the hours given to the organisation, by employee."""
    if not service.may_see_organisation(account, service.organisation(organisation_id)):
        raise NotAllowed(_("You may not see these hours."))
    return statement_of(organisation_id, start, end)


def statement_of(
    organisation_id: int, start: datetime.date, end: datetime.date
) -> list[StatementLine]:
    """The monthly statement, without permission check (receipts, exports)."""
    bounds = _firsts(start, end, _next_month)
    labels = [day.strftime("%Y-%m") for day in [start, *bounds]]
    months: dict[tuple[int, int | None], list[int]] = {}
    for ambassador_id, period, interventions, minutes in _grouped(
        organisation_id, start, end, bounds
    ):
        totals = months.setdefault((period, ambassador_id), [0, 0])
        totals[0] += interventions
        totals[1] += minutes
    givers = Entry.select(Entry.ambassador).where(
        Entry.organisation == organisation_id, Entry.day >= start, Entry.day <= end
    ) | Correction.select(Correction.ambassador).where(
        Correction.organisation == organisation_id,
        Correction.status == CorrectionStatus.APPROVED,
        Correction.day >= start,
        Correction.day <= end,
    )
    names = employers.names_of(organisation_id, givers)
    former = _("Former employee")
    return [
        StatementLine(labels[period], ambassador_id, names.get(ambassador_id, former), *totals)
        for (period, ambassador_id), totals in sorted(
            months.items(),
            key=lambda item: (item[0][0], names.get(item[0][1], ""), item[0][1] or 0),
        )
    ]


@dataclass(frozen=True)
class Valuation:
    """The value at cost of what was given in a period, and what it could not value."""

    minutes: int
    amount: Decimal
    by_employee: dict[int | None, int]  # minutes by ambassador
    without_cost: list[int]  # ambassadors with minutes and no cost entered


def valuation(organisation_id: int, start: datetime.date, end: datetime.date) -> Valuation:
    """The value of the minutes given from ``start`` to ``end``: each employee's minutes of
    each calendar year valued with ``value_of_time`` (that year's PSS), with the cost
    entered for their convention that applies in that year."""
    grouped: dict[tuple[int, int | None, int], int] = defaultdict(int)
    by_employee: dict[int | None, int] = defaultdict(int)
    bounds = _firsts(start, end, _next_year)
    for convention_id, ambassador_id, period, minutes in _grouped(
        organisation_id, start, end, bounds, by_convention=True
    ):
        grouped[(convention_id, ambassador_id, start.year + period)] += minutes
        by_employee[ambassador_id] += minutes
    costs: dict[tuple[int, int | None], list[Costing]] = defaultdict(list)
    read = Costing.select(
        Costing.convention,
        Costing.ambassador,
        Costing.year,
        Costing.monthly_salary,
        Costing.monthly_charges,
        Costing.monthly_hours,
    )
    for cost in read.where(Costing.convention.in_({key[0] for key in grouped} or {0})):
        costs[(cost.convention_id, cost.ambassador_id)].append(cost)
    pss = service.settings()["pss"]
    amount, missing = Decimal("0.00"), set()
    for (convention_id, ambassador_id, year), minutes in sorted(
        grouped.items(), key=lambda item: (item[0][0], item[0][1] or 0, item[0][2])
    ):
        if minutes <= 0:
            continue
        cost = conventions.cost_in(costs.get((convention_id, ambassador_id), []), year)
        if cost is None:
            missing.add(ambassador_id)
            continue
        # Minutes over monthly minutes: the same ratio as hours over monthly hours, exact.
        amount += value_of_time(
            year,
            cost.monthly_salary,
            cost.monthly_charges,
            cost.monthly_hours * 60,
            minutes,
            pss=pss,
        )
    return Valuation(
        minutes=sum(by_employee.values()),
        amount=amount,
        by_employee=dict(by_employee),
        without_cost=sorted(m for m in missing if m is not None),
    )


def _grouped(
    organisation_id: int,
    start: datetime.date,
    end: datetime.date,
    bounds: list[datetime.date],
    *,
    by_convention: bool = False,
) -> Iterator[tuple[int, ...]]:
    """What ``given`` holds, summed in SQL by ambassador (and convention) and by period.

    The periods are cut at ``bounds`` (see ``_period``). Rows: ``(ambassador, period,
    interventions, minutes)``, or ``(convention, ambassador, period, minutes)`` with
    ``by_convention``, entries and approved corrections apart, in one statement (a
    company's year is thousands of entries: one row per employee's month, or year, is what
    is counted).
    Every column is a whole number on both databases: the rows are read as the driver
    gives them, without peewee converting each value.
    """
    queries = []
    for model, minutes, counted, where in (
        (
            Entry,
            Entry.minutes + Entry.preparation_minutes,
            peewee.fn.COUNT(Entry.id),
            [],
        ),
        (
            Correction,
            Correction.minutes,
            peewee.Value(0),
            [Correction.status == CorrectionStatus.APPROVED],
        ),
    ):
        period = _period(model.day, bounds).alias("period")
        keys = [model.convention, model.ambassador] if by_convention else [model.ambassador]
        values = [peewee.fn.SUM(minutes)] if by_convention else [counted, peewee.fn.SUM(minutes)]
        queries.append(
            model.select(*keys, period, *values)
            .where(
                model.organisation == organisation_id, model.day >= start, model.day <= end, *where
            )
            .group_by(*keys, peewee.SQL("period"))
        )
    entries, corrections = queries
    yield from database.execute(entries.union_all(corrections)).fetchall()


def _period(day: peewee.Field, bounds: list[datetime.date]) -> peewee.Node:
    """SQL: the number of the period ``day`` falls in, 0 before ``bounds[0]``, ``i`` from
    ``bounds[i - 1]`` to the day before ``bounds[i]``, ``len(bounds)`` from the last one.

    Comparisons only: the same on every database (months and years are written
    differently by each)."""
    if not bounds:
        return peewee.Value(0)
    return peewee.Case(
        None, [(day < bound, index) for index, bound in enumerate(bounds)], len(bounds)
    )


def _firsts(
    start: datetime.date, end: datetime.date, step: Callable[[datetime.date], datetime.date]
) -> list[datetime.date]:
    """The first days of the periods (``step`` from one to the next) after ``start``'s, up
    to ``end``."""
    firsts = []
    day = step(start)
    while day <= end:
        firsts.append(day)
        day = step(day)
    return firsts


def _next_month(day: datetime.date) -> datetime.date:
    """The first day of the month after ``day``'s."""
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _next_year(day: datetime.date) -> datetime.date:
    """The first day of the year after ``day``'s."""
    return datetime.date(day.year + 1, 1, 1)


def convention_progress(convention: Convention) -> int:
    """How many completed interventions count for the convention."""
    return Entry.select().where(Entry.convention == convention.id).count()
