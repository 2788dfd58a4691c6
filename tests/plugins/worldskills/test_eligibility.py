"""Age limits: at most N years old in the calendar year of the competition, N per skill and
per competition."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tremplin.i18n import using_locale
from tremplin.plugins.worldskills.eligibility import (
    EUROSKILLS,
    WORLDSKILLS_LYON_2024,
    AgeLimits,
    age_in_year,
    earliest_birth_year,
    eligible,
    refusal,
)

date = datetime.date


def age_on_new_year_s_eve(birth_date, year):
    """Age on 31 December of ``year``, counted the usual way: years passed, minus one if the
    birthday has not come yet that year."""
    age = year - birth_date.year
    if (birth_date.month, birth_date.day) > (12, 31):
        age -= 1
    return age


# The limit year: with at most 22 in 2026, the oldest allowed were born in 2004.


@pytest.mark.parametrize(
    ("birth_date", "allowed"),
    [
        (date(2004, 1, 1), True),  # 22 in 2026, from New Year's Day
        (date(2004, 12, 31), True),  # 22 in 2026 too, on its last day
        (date(2005, 1, 1), True),
        (date(2008, 6, 15), True),
        (date(2003, 12, 31), False),  # 23 on 31 December 2026
        (date(2003, 1, 1), False),
    ],
)
def test_at_most_22_in_2026_means_born_in_2004_or_later(birth_date, allowed):
    assert eligible(birth_date, 2026, 22) is allowed
    assert (refusal(birth_date, 2026, 22) is None) is allowed


def test_the_age_counts_on_31_december_not_on_the_day_of_the_competition():
    # Born on 20 December 2001: still 22 at WorldSkills Lyon (10-15 September 2024), but 23
    # in 2024, so over a limit of 22.
    assert age_in_year(date(2001, 12, 20), 2024) == 23
    assert not eligible(date(2001, 12, 20), 2024, 22)
    assert eligible(date(2002, 1, 1), 2024, 22)


def test_a_refusal_says_from_which_birth_date_candidates_may_compete():
    with using_locale("en"):
        assert refusal(date(2003, 12, 31), 2026, 22) == (
            "Over the age limit: born before 1 January 2004 (at most 22 years old in 2026)."
        )
    with using_locale("fr"):
        assert refusal(date(1999, 3, 8), 2025, 25) == (
            "Limite d’âge dépassée : naissance avant le 1er janvier 2000 (25 ans au plus en 2025)."
        )


def test_the_earliest_birth_year_allowed():
    assert earliest_birth_year(2026, 22) == 2004
    assert earliest_birth_year(2025, 25) == 2000


# No deadline: the machine running the tests may be busy, and time is not the point.
@settings(deadline=None)
@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=1990, max_value=2040),
    st.integers(min_value=0, max_value=40),
)
def test_eligible_exactly_when_the_age_on_31_december_is_within_the_limit(birth_date, year, limit):
    allowed = age_on_new_year_s_eve(birth_date, year) <= limit
    assert eligible(birth_date, year, limit) is allowed
    assert (refusal(birth_date, year, limit) is None) is allowed
    assert allowed is (birth_date >= date(earliest_birth_year(year, limit), 1, 1))


@settings(deadline=None)
@given(st.integers(min_value=1990, max_value=2040), st.integers(min_value=14, max_value=30))
def test_the_limit_year_is_allowed_whole_and_the_year_before_refused_whole(year, limit):
    first = year - limit
    assert eligible(date(first, 1, 1), year, limit)
    assert eligible(date(first, 12, 31), year, limit)
    assert not eligible(date(first - 1, 12, 31), year, limit)
    assert not eligible(date(first - 1, 1, 1), year, limit)


def test_a_datetime_counts_as_its_date():
    assert eligible(datetime.datetime(2004, 1, 1, 0, 0), 2026, 22)


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (("2004-01-01", 2026, 22), "date of birth must be a date"),
        ((None, 2026, 22), "date of birth must be a date"),
        ((date(2004, 1, 1), "2026", 22), "year must be a whole number"),
        ((date(2004, 1, 1), 2026.0, 22), "year must be a whole number"),
        ((date(2004, 1, 1), True, 22), "year must be a whole number"),
        ((date(2004, 1, 1), 2026, -1), "age limit cannot be negative"),
        ((date(2004, 1, 1), 2026, 22.5), "age limit must be a whole number"),
        ((date(2004, 1, 1), 2026, None), "age limit must be a whole number"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_error(arguments, error):
    with pytest.raises(ValueError, match=error):
        eligible(*arguments)
    with pytest.raises(ValueError, match=error):
        refusal(*arguments)


# Limits as data.


def test_worldskills_lyon_2024_allowed_22_for_most_skills_and_25_for_four():
    assert WORLDSKILLS_LYON_2024.for_skill("Bricklaying") == 22
    assert WORLDSKILLS_LYON_2024.for_skill("Mechatronics") == 25
    assert WORLDSKILLS_LYON_2024.for_skill("Aircraft Maintenance") == 25
    assert EUROSKILLS.for_skill("Bricklaying") == 25
    assert WORLDSKILLS_LYON_2024.source


def test_a_region_sets_its_own_limits_per_skill():
    limits = AgeLimits(default=23, by_skill={"Cuisine": 21}, source="Règlement régional")
    assert limits.for_skill("Cuisine") == 21
    assert limits.for_skill("Coiffure") == 23
    with pytest.raises(TypeError):
        limits.by_skill["Cuisine"] = 30


@pytest.mark.parametrize("limits", [{"default": -1}, {"default": 22, "by_skill": {"X": "25"}}])
def test_a_broken_limit_is_refused(limits):
    with pytest.raises(ValueError, match="age limit"):
        AgeLimits(**limits)
