"""French public holidays and working days: the days that move a deadline."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tremplin.plugins.rgpd.holidays import (
    ALSACE_MOSELLE,
    EasterHoliday,
    FixedHoliday,
    first_working_day_from,
    french_public_holidays,
    is_working_day,
    public_holidays,
)

from .conftest import date, easter_sunday, holidays, next_working, working

# The official calendars (service-public.fr, "jours fériés"), written out in full.
OFFICIAL = {
    2008: "01-01 03-24 05-01 05-08 05-12 07-14 08-15 11-01 11-11 12-25",  # Ascension = 1 May
    2019: "01-01 04-22 05-01 05-08 05-30 06-10 07-14 08-15 11-01 11-11 12-25",
    2024: "01-01 04-01 05-01 05-08 05-09 05-20 07-14 08-15 11-01 11-11 12-25",
    2025: "01-01 04-21 05-01 05-08 05-29 06-09 07-14 08-15 11-01 11-11 12-25",
    2026: "01-01 04-06 05-01 05-08 05-14 05-25 07-14 08-15 11-01 11-11 12-25",
    2027: "01-01 03-29 05-01 05-08 05-06 05-17 07-14 08-15 11-01 11-11 12-25",
    2038: "01-01 04-26 05-01 05-08 06-03 06-14 07-14 08-15 11-01 11-11 12-25",  # latest Easter
}

# Easter Sundays from the published tables, including the earliest and latest possible.
EASTER_SUNDAYS = [
    "1818-03-22",
    "1943-04-25",
    "2008-03-23",
    "2011-04-24",
    "2024-03-31",
    "2025-04-20",
    "2026-04-05",
    "2038-04-25",
    "2285-03-22",
]

years = st.integers(min_value=1583, max_value=4099)  # the Gregorian computus's own range
days = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31))


def official(year: int) -> set[datetime.date]:
    return {date(f"{year}-{month_day}") for month_day in OFFICIAL[year].split()}


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_the_holidays_of_a_year_are_the_official_ones(year):
    assert french_public_holidays(year) == official(year)


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_the_reference_of_these_tests_agrees_with_the_official_calendars(year):
    assert holidays(year) == official(year)


@pytest.mark.parametrize("sunday", EASTER_SUNDAYS)
def test_easter_monday_follows_the_published_easter_sunday(sunday):
    easter = date(sunday)
    assert easter_sunday(easter.year) == easter
    assert easter + datetime.timedelta(days=1) in french_public_holidays(easter.year)
    assert easter + datetime.timedelta(days=39) in french_public_holidays(easter.year)


@given(years)
def test_every_year_has_the_holidays_of_the_reference(year):
    assert french_public_holidays(year) == holidays(year)


@given(years)
def test_every_year_has_eleven_holidays_listed_by_name(year):
    listed = public_holidays(year)
    assert len(listed) == 11
    assert [holiday.day for holiday in listed] == sorted(holiday.day for holiday in listed)
    assert {holiday.day for holiday in listed} == holidays(year)


def test_holidays_that_share_a_date_are_both_named():
    names = [holiday.name for holiday in public_holidays(2008) if holiday.day == date("2008-05-01")]
    assert sorted(names) == ["ascension", "labour_day"]


def test_the_easter_holidays_of_2025_are_named():
    named = {holiday.name: holiday.day for holiday in public_holidays(2025)}
    assert named["easter_monday"] == date("2025-04-21")
    assert named["ascension"] == date("2025-05-29")
    assert named["whit_monday"] == date("2025-06-09")


@given(years)
def test_alsace_moselle_adds_good_friday_and_st_stephens_day(year):
    assert french_public_holidays(year, extra_holidays=ALSACE_MOSELLE) == holidays(
        year, alsace_moselle=True
    )


def test_alsace_moselle_days_are_not_national():
    assert is_working_day(date("2025-04-18"))  # Good Friday
    assert is_working_day(date("2025-12-26"))  # a Friday
    assert not is_working_day(date("2025-04-18"), extra_holidays=ALSACE_MOSELLE)
    assert not is_working_day(date("2025-12-26"), extra_holidays=ALSACE_MOSELLE)


def test_a_region_overseas_adds_its_own_day():
    guadeloupe = [FixedHoliday("abolition_of_slavery", 5, 27)]
    assert is_working_day(date("2025-05-27"))
    assert not is_working_day(date("2025-05-27"), extra_holidays=guadeloupe)
    assert date("2025-05-27") in french_public_holidays(2025, extra_holidays=guadeloupe)


@given(days)
def test_a_working_day_is_neither_a_weekend_nor_a_holiday(day):
    assert is_working_day(day) == working(day)


@given(days)
def test_the_first_working_day_from_a_day_is_the_references(day):
    assert first_working_day_from(day) == next_working(day)


@given(days)
def test_the_first_working_day_from_a_day_with_alsace_moselle(day):
    assert first_working_day_from(day, extra_holidays=ALSACE_MOSELLE) == next_working(
        day, alsace_moselle=True
    )


@pytest.mark.parametrize(
    ("day", "first"),
    [
        ("2025-04-22", "2025-04-22"),  # a Tuesday is its own first working day
        ("2025-04-19", "2025-04-22"),  # Saturday, Sunday, Easter Monday
        ("2025-06-07", "2025-06-10"),  # Saturday, Sunday, Whit Monday
        ("2025-05-29", "2025-05-30"),  # Ascension Thursday
        ("2026-05-01", "2026-05-04"),  # Labour Day on a Friday, then the weekend
        ("2027-10-30", "2027-11-02"),  # Saturday, Sunday, All Saints on a Monday
        ("2022-12-31", "2023-01-02"),  # Saturday, then New Year's Day on a Sunday
    ],
)
def test_days_off_in_a_row_are_skipped_together(day, first):
    assert first_working_day_from(date(day)) == date(first)


def test_alsace_moselle_lengthens_a_chain_of_days_off():
    # Good Friday, Saturday, Sunday, Easter Monday.
    assert first_working_day_from(date("2025-04-18"), extra_holidays=ALSACE_MOSELLE) == date(
        "2025-04-22"
    )
    # Christmas, St Stephen's Day, Saturday, Sunday.
    assert first_working_day_from(date("2025-12-25")) == date("2025-12-26")
    assert first_working_day_from(date("2025-12-25"), extra_holidays=ALSACE_MOSELLE) == date(
        "2025-12-29"
    )


@pytest.mark.parametrize(
    "bad",
    [datetime.datetime(2025, 4, 21, 10, 0), "2025-04-21", None, 20250421],
)
def test_a_day_must_be_a_date(bad):
    with pytest.raises(ValueError, match="must be a date"):
        is_working_day(bad)
    with pytest.raises(ValueError, match="must be a date"):
        first_working_day_from(bad)


@pytest.mark.parametrize("bad", ["2025", 2025.0, True, 0, 10000])
def test_a_year_must_be_a_whole_number_of_the_calendar(bad):
    with pytest.raises(ValueError, match="year"):
        french_public_holidays(bad)


def test_extra_holidays_must_be_holiday_rules():
    with pytest.raises(ValueError, match="FixedHoliday or EasterHoliday"):
        french_public_holidays(2025, extra_holidays=[datetime.date(2025, 5, 27)])
    with pytest.raises(ValueError, match="FixedHoliday or EasterHoliday"):
        is_working_day(date("2025-05-27"), extra_holidays=42)


def test_a_fixed_holiday_must_exist_every_year():
    with pytest.raises(ValueError, match="exist every year"):
        FixedHoliday("leap_day", 2, 29)
    with pytest.raises(ValueError, match="exist every year"):
        FixedHoliday("nowhere", 13, 1)


def test_an_easter_holiday_stays_in_its_year():
    with pytest.raises(ValueError, match="leaves the year"):
        EasterHoliday("far", 300)
    with pytest.raises(ValueError, match="whole number"):
        EasterHoliday("half", 1.5)


def test_no_working_day_is_left_at_the_end_of_the_calendar():
    new_years_eve = [FixedHoliday("new_years_eve", 12, 31)]  # 31 December 9999 is a Friday
    with pytest.raises(ValueError, match="end of the calendar"):
        first_working_day_from(datetime.date.max, extra_holidays=new_years_eve)
