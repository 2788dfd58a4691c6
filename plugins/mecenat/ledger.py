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
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tremplin import clock
from tremplin.auth.models import Account
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
    names = {e.ambassador_id: e.name for e in employers.employees_of(organisation_id)}
    months: dict[tuple[str, int | None], list[int]] = defaultdict(lambda: [0, 0])
    for item in given(organisation_id, start, end):
        totals = months[(item.day.strftime("%Y-%m"), item.ambassador_id)]
        totals[0] += 1 if item.intervention else 0
        totals[1] += item.minutes
    return [
        StatementLine(month, ambassador_id, names.get(ambassador_id, _("Former employee")), *totals)
        for (month, ambassador_id), totals in sorted(
            months.items(), key=lambda item: (item[0][0], names.get(item[0][1], ""))
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
    items = given(organisation_id, start, end)
    grouped: dict[tuple[int, int | None, int], int] = defaultdict(int)
    by_employee: dict[int | None, int] = defaultdict(int)
    for item in items:
        grouped[(item.convention_id, item.ambassador_id, item.day.year)] += item.minutes
        by_employee[item.ambassador_id] += item.minutes
    costs: dict[tuple[int, int | None], list[Costing]] = defaultdict(list)
    for cost in Costing.select().where(Costing.convention.in_({key[0] for key in grouped} or {0})):
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
        minutes=sum(item.minutes for item in items),
        amount=amount,
        by_employee=dict(by_employee),
        without_cost=sorted(m for m in missing if m is not None),
    )


def convention_progress(convention: Convention) -> int:
    """How many completed interventions count for the convention."""
    return Entry.select().where(Entry.convention == convention.id).count()
