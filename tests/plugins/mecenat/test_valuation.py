"""The value of an employee's hours given in skills sponsorship, capped at 3 x the PSS."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin.plugins.mecenat.valuation import value_of_time

# The monthly PSS as DOMAIN.md and the arrêtés give them, typed out again here.
PSS = {2019: 3377, 2020: 3428, 2021: 3428, 2022: 3428, 2023: 3666, 2024: 3864, 2025: 3925}
PSS |= {2026: 4005}


def expected_value(year, salary, charges, monthly_hours, hours_given) -> Decimal:
    """The reference: with 80 significant digits, then half a cent up."""
    with localcontext() as context:
        context.prec = 80
        monthly_cost = min(salary + charges, 3 * Decimal(PSS[year]))
        exact = monthly_cost * hours_given / monthly_hours
        return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_the_domain_example_a_monthly_cost_of_13050_euros_in_2025_counts_as_11775():
    # 10,000 € gross + 3,050 € charges = 13,050 €, capped at 3 x 3,925 = 11,775 €.
    assert value_of_time(2025, 10_000, 3_050, "151.67", "151.67") == Decimal("11775.00")
    # Ten hours of a 151.67-hour month: 11,775 x 10 / 151.67 = 776.3566...
    assert value_of_time(2025, 10_000, 3_050, "151.67", 10) == Decimal("776.36")


def test_a_cost_under_the_cap_counts_in_full():
    # 3,000 € + 1,200 € = 4,200 €: 3 hours of a 151.67-hour month.
    assert value_of_time(2024, 3_000, 1_200, "151.67", 3) == Decimal("83.08")


def test_the_cap_follows_the_pss_of_the_year():
    assert value_of_time(2024, 20_000, 0, 100, 100) == Decimal("11592.00")  # 3 x 3,864
    assert value_of_time(2026, 20_000, 0, 100, 100) == Decimal("12015.00")  # 3 x 4,005


def test_the_value_is_rounded_once_at_the_end():
    # 100 € a month of 3 hours, all 3 given: 100 €, not 3 x 33.33 = 99.99 €.
    assert value_of_time(2025, 100, 0, 3, 3) == Decimal("100.00")


def test_half_a_cent_is_rounded_up():
    assert value_of_time(2025, 1, 0, 8, 1) == Decimal("0.13")  # 0.125


def test_a_region_gives_the_pss_of_a_year_not_shipped():
    with pytest.raises(ValueError, match="no monthly social-security ceiling"):
        value_of_time(2027, 20_000, 0, 100, 100)
    assert value_of_time(2027, 20_000, 0, 100, 100, pss={2027: 4100}) == Decimal("12300.00")
    # As read from the region's TOML: [plugins.mecenat] pss = {2027 = 4100}
    assert value_of_time(2027, 20_000, 0, 100, 10, pss={"2027": 4100}) == Decimal("1230.00")


def test_the_region_s_pss_replaces_the_shipped_one_and_keeps_the_others():
    assert value_of_time(2025, 20_000, 0, 1, 1, pss={2025: "4000"}) == Decimal("12000.00")
    assert value_of_time(2024, 20_000, 0, 1, 1, pss={2025: "4000"}) == Decimal("11592.00")


MONEY = st.integers(0, 5_000_000).map(lambda c: Decimal(c) / 100)
HOURS = st.integers(1, 25_000).map(lambda h: Decimal(h) / 100)


@given(
    st.sampled_from(sorted(PSS)),
    MONEY,
    MONEY,
    HOURS,
    st.integers(0, 200_000).map(lambda h: Decimal(h) / 100),
)
def test_the_value_is_the_capped_monthly_cost_per_hour_times_the_hours(
    year, salary, charges, monthly_hours, hours_given
):
    assert value_of_time(year, salary, charges, monthly_hours, hours_given) == expected_value(
        year, salary, charges, monthly_hours, hours_given
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((2025, -1, 0, 151, 1), "monthly_gross_salary must not be negative"),
        ((2025, 1000, "-0.01", 151, 1), "monthly_employer_charges must not be negative"),
        ((2025, 1000, 0, 0, 1), "monthly_hours must be greater than zero"),
        ((2025, 1000, 0, -151, 1), "monthly_hours must not be negative"),
        ((2025, 1000, 0, 151, -1), "hours_given must not be negative"),
        ((2025, 1000.0, 0, 151, 1), "float"),
        ((2025, 1000, 0, 151.67, 1), "float"),
        ((2025, "1000.001", 0, 151, 1), "two decimals"),
        ((2018, 1000, 0, 151, 1), "no monthly social-security ceiling .* 2018"),
        (("2025", 1000, 0, 151, 1), "year must be an int"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(arguments, message):
    with pytest.raises(ValueError, match=message):
        value_of_time(*arguments)
