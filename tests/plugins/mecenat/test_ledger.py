"""The year's ledger a company and the region read: each employee's months (completed
interventions and minutes, approved corrections included, proposed ones not) and the value
at cost of the minutes, with the employees whose cost is missing named."""

from __future__ import annotations

import datetime
from decimal import Decimal

from tremplin.plugins.mecenat import employers, ledger

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
