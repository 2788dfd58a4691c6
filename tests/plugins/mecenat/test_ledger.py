"""The year's ledger a company and the region read: each employee's months (completed
interventions and minutes, approved corrections included, proposed ones not) and the value
at cost of the minutes, with the employees whose cost is missing named."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tremplin.interventions.models import Intervention
from tremplin.plugins.mecenat import employers, ledger, service
from tremplin.plugins.mecenat.i18n import _
from tremplin.plugins.mecenat.models import Correction, Costing, Entry
from tremplin.plugins.mecenat.valuation import value_of_time

from .conftest import moment

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)


def _marc(year):
    """A second employee, counted, whose cost the company has not entered."""
    marc = year.net.ambassador("Marc", "Petit")
    account = year.net.account_of(marc)
    year.net.run(employers.set_employer, account, {"organisation": year.company.id})
    year.net.run(employers.give_consent, account)
    return marc


def _correct(year, employee, day: str, minutes: int, outcome: str | None) -> None:
    correction = year.net.run(
        ledger.propose_correction,
        year.manager,
        year.convention.id,
        {"ambassador": employee.id, "day": day, "minutes": minutes, "reason": "Forum du bassin"},
    )
    if outcome is not None:
        year.net.run(ledger.decide_correction, year.admin, correction.id, {"outcome": outcome})


def test_the_statement_counts_each_employees_month_with_the_approved_corrections(year):
    marc = _marc(year)
    year.clock.pin(moment("2025-01-06T09:00"))
    year.talk(year.ines, "2025-03-20")
    year.talk(year.ines, "2025-05-06")
    year.talk(marc, "2025-04-08")
    year.talk(year.ines, "2026-02-03")  # another year
    year.clock.pin(moment("2026-01-12T09:00"))
    _correct(year, year.ines, "2025-05-10", 90, "approved")
    _correct(year, marc, "2025-04-15", -30, "refused")
    _correct(year, marc, "2025-04-16", 60, None)  # waiting for the region

    lines = year.net.run(ledger.statement, year.manager, year.company.id, START, END)

    # A class talk of 45 minutes and its hour of preparation: 105 minutes.
    assert [
        (line.month, line.ambassador_id, line.name, line.interventions, line.minutes)
        for line in lines
    ] == [
        ("2025-03", year.ines.id, "Inès Boulanger", 2, 210),
        ("2025-04", marc.id, "Marc Petit", 1, 105),
        ("2025-05", year.ines.id, "Inès Boulanger", 1, 195),
    ]


def test_the_valuation_values_each_employees_minutes_and_names_those_without_cost(year):
    marc = _marc(year)
    year.clock.pin(moment("2025-01-06T09:00"))
    year.talk(year.ines, "2025-05-06")
    year.talk(marc, "2025-04-08")
    year.clock.pin(moment("2026-01-12T09:00"))
    _correct(year, year.ines, "2025-05-10", 90, "approved")

    valuation = year.net.run(ledger.valuation, year.company.id, START, END)

    # Inès: 105 + 105 + 90 = 300 minutes at 3,700 € a month of 151.67 hours.
    assert valuation.minutes == 405
    assert valuation.by_employee == {year.ines.id: 300, marc.id: 105}
    assert valuation.amount == Decimal("121.98")
    assert valuation.without_cost == [marc.id]


def test_the_employees_own_data_holds_their_consent_and_their_hours_day_by_day(year):
    from tremplin.plugins.mecenat import privacy

    year.clock.pin(moment("2025-01-06T09:00"))
    year.talk(year.ines, "2025-05-06")
    year.clock.pin(moment("2026-01-12T09:00"))

    data = year.net.run(privacy.personal_data, year.net.account_of(year.ines))

    consents, hours, costs = data.values()
    assert [row["organisation"] for row in consents] == ["Forges de l'Escaut"]
    assert consents[0]["revoked_at"] is None
    assert hours == [
        {
            "day": day,
            "intervention_type": "class_talk",
            "minutes": 45,
            "preparation_minutes": 60,
        }
        for day in ("2025-03-04", "2025-05-06")
    ]
    # Amounts to the cent on both databases (SQLite gave back "2600" and "1100").
    assert [
        (cost["year"], cost["monthly_salary"], cost["monthly_charges"], cost["monthly_hours"])
        for cost in costs
    ] == [(2025, "2600.00", "1100.00", "151.67")]


# The statement and the valuation against a straightforward reading of the ledger

SPAN = (datetime.date(2024, 11, 1), datetime.date(2026, 2, 28))  # periods across years
DAYS = st.dates(min_value=datetime.date(2024, 10, 1), max_value=datetime.date(2026, 3, 31))
PERIODS = st.tuples(DAYS, DAYS).map(sorted)


def _reference_statement(organisation_id, start, end):
    """Every entry and approved correction read as a model, grouped in Python by month."""
    names = {e.ambassador_id: e.name for e in employers.employees_of(organisation_id)}
    months = defaultdict(lambda: [0, 0])
    for item in _reference_given(organisation_id, start, end):
        ambassador_id, day, minutes, counted = item
        totals = months[(day.strftime("%Y-%m"), ambassador_id)]
        totals[0] += counted
        totals[1] += minutes
    return sorted(
        (
            (month, ambassador_id, names.get(ambassador_id, _("Former employee")), *totals)
            for (month, ambassador_id), totals in months.items()
        ),
        key=_line_key,
    )


def _line_key(line):
    return line[0], line[1] or 0


def _reference_valuation(organisation_id, start, end):
    """Each employee's minutes of each calendar year valued at the cost in force that year."""
    by_year = defaultdict(int)
    by_employee = defaultdict(int)
    for ambassador_id, day, minutes, _counted in _reference_given(organisation_id, start, end):
        by_year[(ambassador_id, day.year)] += minutes
        by_employee[ambassador_id] += minutes
    amount, missing = Decimal("0.00"), set()
    for (ambassador_id, year), minutes in by_year.items():
        if minutes <= 0:
            continue
        costs = [
            cost
            for cost in Costing.select().where(Costing.ambassador == ambassador_id)
            if cost.year <= year
        ]
        if not costs:
            missing.add(ambassador_id)
            continue
        cost = max(costs, key=lambda cost: cost.year)
        amount += value_of_time(
            year,
            cost.monthly_salary,
            cost.monthly_charges,
            cost.monthly_hours * 60,
            minutes,
            pss=service.settings()["pss"],
        )
    return (
        sum(by_employee.values()),
        amount,
        dict(by_employee),
        sorted(missing - {None}),
    )


def _reference_given(organisation_id, start, end):
    """``(ambassador, day, minutes, 1 for an intervention)`` of every entry and approved
    correction of the period, each row read as a model."""
    for entry in Entry.select().where(Entry.organisation == organisation_id):
        if start <= entry.day <= end:
            yield entry.ambassador_id, entry.day, entry.minutes + entry.preparation_minutes, 1
    for correction in Correction.select().where(Correction.organisation == organisation_id):
        if correction.status == "approved" and start <= correction.day <= end:
            yield correction.ambassador_id, correction.day, correction.minutes, 0


class Ledgers:
    """The year's company with three more people: Marc (counted, costed from 2026 only),
    Zoé (counted before, consent revoked) and Paul (never counted), Inès's cost raised in
    2026, and interventions for the entries an example writes."""

    def __init__(self, year):
        self.year = year
        marc = _marc(year)
        year.cost(marc, "3100", "1200", year="2026")
        year.cost(year.ines, "2800", "1150", year="2026")
        zoe = year.net.ambassador("Zoé", "Lemaire")
        account = year.net.account_of(zoe)
        year.net.run(employers.set_employer, account, {"organisation": year.company.id})
        year.net.run(employers.give_consent, account)
        year.net.run(employers.revoke_consent, year.net.account_of(zoe))
        paul = year.net.ambassador("Paul", "Renard")
        self.people = [year.ines.id, marc.id, zoe.id, paul.id, None]

        def interventions():
            return [
                Intervention.create(
                    intervention_type="class_talk",
                    mode="on_site",
                    organisation=year.school.id,
                    audience_level="college_3",
                    group_size=20,
                    duration_minutes=45,
                    starts_at=datetime.datetime(2025, 1, 1, 9),
                ).id
                for _ in range(MOST_ENTRIES)
            ]

        self.interventions = year.net.run(interventions)

    def write(self, entries, corrections):
        """Replace the company's entries and corrections with those of an example."""
        year = self.year

        def write():
            Entry.delete().where(Entry.organisation == year.company.id).execute()
            Correction.delete().where(Correction.organisation == year.company.id).execute()
            for intervention, (person, day, minutes, preparation) in zip(
                self.interventions, entries, strict=False
            ):
                Entry.create(
                    intervention=intervention,
                    ambassador=self.people[person],
                    organisation=year.company.id,
                    convention=year.convention.id,
                    day=day,
                    intervention_type="class_talk",
                    minutes=minutes,
                    preparation_minutes=preparation,
                )
            for person, day, minutes, status in corrections:
                Correction.create(
                    organisation=year.company.id,
                    convention=year.convention.id,
                    ambassador=self.people[person],
                    day=day,
                    minutes=minutes,
                    reason="Forum",
                    status=status,
                )

        year.net.run(write)


MOST_ENTRIES = 12
PEOPLE = st.integers(min_value=0, max_value=4)
ENTRIES = st.lists(
    st.tuples(PEOPLE, DAYS, st.sampled_from([45, 60, 120]), st.sampled_from([0, 60])),
    max_size=MOST_ENTRIES,
)
CORRECTIONS = st.lists(
    st.tuples(
        PEOPLE,
        DAYS,
        st.integers(min_value=-200, max_value=200),
        st.sampled_from(["approved", "proposed", "refused"]),
    ),
    max_size=4,
)


@pytest.fixture
def ledgers(year):
    return Ledgers(year)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(entries=ENTRIES, corrections=CORRECTIONS, period=PERIODS)
def test_the_statement_and_the_valuation_equal_a_plain_reading_of_the_ledger(
    ledgers, entries, corrections, period
):
    start, end = period
    ledgers.write(entries, corrections)
    company = ledgers.year.company.id

    def both():
        lines = ledger.statement_of(company, start, end)
        valuation = ledger.valuation(company, start, end)
        return (
            [(x.month, x.ambassador_id, x.name, x.interventions, x.minutes) for x in lines],
            (valuation.minutes, valuation.amount, valuation.by_employee, valuation.without_cost),
            _reference_statement(company, start, end),
            _reference_valuation(company, start, end),
        )

    lines, valuation, expected_lines, expected_valuation = ledgers.year.net.run(both)
    assert sorted(lines, key=_line_key) == expected_lines
    # By month, then by name, former employees first.
    order = [(line[0], "" if line[2] == "Ancien salarié" else line[2]) for line in lines]
    assert order == sorted(order)
    assert valuation == expected_valuation
