"""An employee's cost is entered per year of the convention: a salary raised in 2026 values
the hours of 2026, not those of 2025; a year outside the convention is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tremplin.errors import Invalid
from tremplin.plugins.mecenat.models import Costing
from tremplin.testing import csrf_token_from

from .conftest import moment, sign_in


def test_each_year_of_the_convention_is_valued_with_the_cost_entered_for_it(year):
    # Inès costs 3,700 € a month from 2025 (the fixture); 5,300 € from 2026.
    year.cost(year.ines, "4000", "1300", year="2026")
    year.talk(year.ines, "2026-03-10")

    assert str(year.issue(2025).amount) == "42.69"  # 3,700 x 1.75 h / 151.67
    year.clock.pin(moment("2027-01-11T09:00"))
    assert str(year.issue(2026).amount) == "61.15"  # 5,300 x 1.75 h / 151.67


def test_a_cost_entered_once_counts_for_every_later_year_of_the_convention(year):
    year.talk(year.ines, "2026-03-10")
    year.clock.pin(moment("2027-01-11T09:00"))

    assert str(year.issue(2026).amount) == "42.69"


def test_a_cost_for_a_year_outside_the_convention_is_refused(year):
    with pytest.raises(Invalid) as refused:
        year.cost(year.ines, "4000", "1300", year="2027")
    assert list(refused.value.errors) == ["year"]


def test_the_costs_form_with_a_mistake_is_shown_again_with_its_values(app, year):
    client = sign_in(app.test_client(), year.manager)
    page = f"/mecenat/conventions/{year.convention.id}"
    response = client.post(
        f"{page}/couts",
        data={
            "ambassador": year.ines.id,
            "year": "2026",
            "monthly_salary": "4000,555",
            "monthly_charges": "1300",
            "csrf_token": csrf_token_from(client, page),
        },
    )

    assert response.status_code == 422
    assert 'value="4000,555"' in response.text
    assert 'value="2026"' in response.text
    assert "aria-invalid" in response.text


def test_a_cost_written_the_french_way_is_read(app, year):
    client = sign_in(app.test_client(), year.manager)
    page = f"/mecenat/conventions/{year.convention.id}"
    response = client.post(
        f"{page}/couts",
        data={
            "ambassador": year.ines.id,
            "year": "2026",
            "monthly_salary": "4 000,00",
            "monthly_charges": "1\u202f300,5",
            "monthly_hours": "151,67",
            "csrf_token": csrf_token_from(client, page),
        },
    )

    assert response.status_code == 302
    costs = year.net.run(
        lambda: [
            (c.year, c.monthly_salary, c.monthly_charges, c.monthly_hours)
            for c in Costing.select().order_by(Costing.year)
        ]
    )
    assert costs == [
        (2025, Decimal("2600"), Decimal("1100"), Decimal("151.67")),
        (2026, Decimal("4000"), Decimal("1300.50"), Decimal("151.67")),
    ]
    assert "1 300,50 €" in client.get(page).text
