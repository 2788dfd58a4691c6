"""A period whose receipt is issued is locked: hours reported late count for the next period,
corrections of it are refused with a message that says why."""

from __future__ import annotations

import datetime

import pytest

from tremplin.errors import Conflict
from tremplin.plugins.mecenat import ledger, receipts
from tremplin.plugins.mecenat.models import Entry

from .conftest import moment


def test_an_intervention_reported_after_the_receipt_counts_for_the_next_period(year):
    issued = year.issue()
    year.clock.pin(moment("2025-12-01T09:00"))
    late = year.net.intervention(year.educator, year.school, year.ines, moment("2025-12-16T09:00"))
    # The school reports the December talk on 20 January, after the 2025 receipt.
    year.clock.pin(moment("2026-01-20T09:00"))
    year.net.complete(year.educator, late)

    entry = year.net.run(Entry.get, Entry.intervention == late.id)
    assert (entry.day, entry.held_on) == (datetime.date(2026, 1, 1), datetime.date(2025, 12, 16))
    assert year.net.run(lambda: receipts.in_force(year.company.id, 2025).amount) == issued.amount
    lines = year.net.run(
        ledger.statement_of,
        year.company.id,
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )
    assert [(line.month, line.name, line.interventions, line.minutes) for line in lines] == [
        ("2026-01", "Inès Boulanger", 1, 105)
    ]

    year.clock.pin(moment("2027-01-11T09:00"))
    next_year = year.issue(2026)
    # 45 minutes and 60 of preparation at 3,700 € for 151.67 hours a month.
    assert (next_year.minutes, str(next_year.amount)) == (105, "42.69")


def test_a_correction_of_a_locked_period_is_refused_with_its_reason(year):
    year.issue()
    with pytest.raises(Conflict, match="reçu de cette période est émis"):
        year.net.run(
            ledger.propose_correction,
            year.manager,
            year.convention.id,
            {"ambassador": year.ines.id, "day": "2025-06-20", "minutes": "30", "reason": "Oubli"},
        )
    assert year.net.run(ledger.corrections_of, year.company.id) == []
