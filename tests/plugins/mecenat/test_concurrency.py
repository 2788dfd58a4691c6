"""Two administrators issuing the same receipt at the same moment, on real separate
connections (SQLite, or PostgreSQL with TREMPLIN_TEST_DATABASE_URL).

Both threads have checked the figures of the year, then meet at a barrier just before the
transaction that issues the receipt: one receipt is issued, the other request is told so.
"""

from __future__ import annotations

import threading

import peewee
import pytest

from tremplin.errors import Conflict
from tremplin.plugins.mecenat import receipts
from tremplin.plugins.mecenat.models import Receipt, ReceiptStatus
from tremplin.runtime import current


def race(app, monkeypatch, *actions):
    """Run each ``action()`` in its own thread and app context, released together once each
    has read the year's figures; return their outcomes, sorted."""
    barrier = threading.Barrier(len(actions), timeout=30)
    context = receipts._context

    def context_then_wait(*args):
        made = context(*args)
        barrier.wait()
        return made

    monkeypatch.setattr(receipts, "_context", context_then_wait)
    outcomes = [None] * len(actions)

    def run(index, action):
        with app.app_context():
            try:
                action()
                outcomes[index] = "won"
            except Conflict:
                outcomes[index] = "conflict"
            except Exception as error:  # a 500 for the user: the test shows it
                outcomes[index] = repr(error)
            finally:
                current().database.close()

    threads = [
        threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(outcomes)


def test_a_receipt_issued_twice_at_the_same_moment_is_issued_once(app, year, monkeypatch):
    outcomes = race(app, monkeypatch, year.issue, year.issue)

    assert outcomes == ["conflict", "won"]
    issued = year.net.run(
        lambda: [
            (r.financial_year, r.status, str(r.amount))
            for r in Receipt.select().where(Receipt.organisation == year.company.id)
        ]
    )
    assert issued == [(2025, ReceiptStatus.ISSUED, "42.69")]


def test_the_database_keeps_one_receipt_in_force_per_company_and_year(app, year):
    first = year.issue()

    def second_in_force():
        Receipt.create(
            organisation=first.organisation_id,
            financial_year=2025,
            period_start=first.period_start,
            period_end=first.period_end,
            minutes=first.minutes,
            amount=first.amount,
        )

    with pytest.raises(peewee.IntegrityError):
        year.net.run(second_in_force)
    with pytest.raises(Conflict, match="corrigez-le"):
        year.issue()
    corrected = year.net.run(receipts.correct, year.admin, first.id)
    assert year.net.run(lambda: Receipt.get_by_id(first.id).status) == ReceiptStatus.CANCELLED
    assert year.net.run(receipts.in_force, year.company.id, 2025).id == corrected.id
