"""The dates of a stay by level (check_periods), the school holidays and public holidays.

The property test compares check_periods with a reference written here day by day, over
public holidays and zone B holidays typed from the official calendars rather than taken
from the plugin's data.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tremplin.plugins.stages.public_holidays import easter_sunday, public_holidays
from tremplin.plugins.stages.rules import (
    LEVELS,
    PERIOD_CODES,
    ZONES,
    Level,
    SchoolCalendar,
    check_periods,
)

D = datetime.date

# Public holidays of 2024 to 2027, from the calendars of those years.
PUBLIC_HOLIDAYS = {
    D(2024, 1, 1), D(2024, 4, 1), D(2024, 5, 1), D(2024, 5, 8), D(2024, 5, 9),
    D(2024, 5, 20), D(2024, 7, 14), D(2024, 8, 15), D(2024, 11, 1), D(2024, 11, 11),
    D(2024, 12, 25),
    D(2025, 1, 1), D(2025, 4, 21), D(2025, 5, 1), D(2025, 5, 8), D(2025, 5, 29),
    D(2025, 6, 9), D(2025, 7, 14), D(2025, 8, 15), D(2025, 11, 1), D(2025, 11, 11),
    D(2025, 12, 25),
    D(2026, 1, 1), D(2026, 4, 6), D(2026, 5, 1), D(2026, 5, 8), D(2026, 5, 14),
    D(2026, 5, 25), D(2026, 7, 14), D(2026, 8, 15), D(2026, 11, 1), D(2026, 11, 11),
    D(2026, 12, 25),
    D(2027, 1, 1), D(2027, 3, 29), D(2027, 5, 1), D(2027, 5, 6), D(2027, 5, 8),
    D(2027, 5, 17), D(2027, 7, 14), D(2027, 8, 15), D(2027, 11, 1), D(2027, 11, 11),
    D(2027, 12, 25),
}  # fmt: skip

# Zone B (Lille, Amiens): weekdays without classes, Monday to Friday, as
# "du lundi ... au vendredi ..." from the official tables.
ZONE_B_WEEKDAYS_OFF = [
    (D(2024, 7, 8), D(2024, 8, 30)),  # été 2024
    (D(2024, 10, 21), D(2024, 10, 31)),  # Toussaint (1 Nov is a public holiday)
    (D(2024, 12, 23), D(2025, 1, 3)),  # Noël
    (D(2025, 2, 10), D(2025, 2, 21)),  # hiver
    (D(2025, 4, 7), D(2025, 4, 18)),  # printemps (21 Apr is Easter Monday)
    (D(2025, 5, 30), D(2025, 5, 30)),  # pont de l'Ascension
    (D(2025, 7, 7), D(2025, 8, 29)),  # été 2025
    (D(2025, 10, 20), D(2025, 10, 31)),
    (D(2025, 12, 22), D(2026, 1, 2)),
    (D(2026, 2, 16), D(2026, 2, 27)),
    (D(2026, 4, 13), D(2026, 4, 24)),
    (D(2026, 5, 15), D(2026, 5, 15)),
    (D(2026, 7, 6), D(2026, 8, 31)),  # été 2026: classes resume on Tuesday 1 September
    (D(2026, 10, 19), D(2026, 10, 30)),
    (D(2026, 12, 21), D(2027, 1, 1)),
    (D(2027, 2, 22), D(2027, 3, 5)),
    (D(2027, 4, 19), D(2027, 4, 30)),
    (D(2027, 5, 7), D(2027, 5, 7)),
    (D(2027, 7, 5), D(2027, 8, 31)),
]


def zone_b_holiday(day: D) -> bool:
    return any(first <= day <= last for first, last in ZONE_B_WEEKDAYS_OFF)


def week_of(monday: D, days: int = 5) -> tuple[D, D]:
    return (monday, monday + datetime.timedelta(days=days - 1))


# The reference, day by day


def reference(level: str, periods) -> list[str]:
    days_of = [
        {first + datetime.timedelta(days=n) for n in range((last - first).days + 1)}
        for first, last in periods
    ]
    counted = {
        day for days in days_of for day in days if day.weekday() < 5 and day not in PUBLIC_HOLIDAYS
    }
    wanted = {"3e": range(5, 6), "2de": range(10, 11), "holidays": range(1, 6)}[level]
    broken = []
    if len(counted) not in wanted:
        broken.append("duration")
    in_season = {
        "3e": lambda day: not zone_b_holiday(day),
        "2de": lambda day: day.month == 6,
        "holidays": zone_b_holiday,
    }[level]
    if not all(in_season(day) for day in counted):
        broken.append("season")
    if level == "2de" and len(periods) > 2:
        broken.append("hosts")
    if any(a & b for i, a in enumerate(days_of) for b in days_of[i + 1 :]):
        broken.append("overlap")
    if len({day.year - (day.month < 9) for day in counted}) > 1:
        broken.append("school_year")
    return broken


FIRST, LAST = D(2024, 7, 8), D(2027, 8, 16)


@st.composite
def periods(draw):
    count = draw(st.integers(min_value=1, max_value=3))
    spans = []
    for _ in range(count):
        first = draw(st.dates(min_value=FIRST, max_value=LAST))
        length = draw(st.integers(min_value=0, max_value=15))
        spans.append((first, first + datetime.timedelta(days=length)))
    return spans


@st.composite
def short_stays(draw):
    """One or two stays of about a week, often lawful."""
    spans = []
    for _ in range(draw(st.integers(min_value=1, max_value=2))):
        first = draw(st.dates(min_value=FIRST, max_value=LAST))
        length = draw(st.sampled_from([0, 1, 2, 3, 4, 6]))
        spans.append((first, first + datetime.timedelta(days=length)))
    return spans


@st.composite
def near_june(draw):
    year = draw(st.sampled_from([2025, 2026, 2027]))
    count = draw(st.integers(min_value=1, max_value=3))
    spans = []
    for _ in range(count):
        first = draw(st.dates(min_value=D(year, 5, 25), max_value=D(year, 7, 2)))
        length = draw(st.sampled_from([0, 2, 4, 6, 11, 13]))
        spans.append((first, first + datetime.timedelta(days=length)))
    return spans


def mondays(first: D, last: D):
    return st.dates(min_value=first, max_value=last).map(
        lambda day: day - datetime.timedelta(days=day.weekday())
    )


@st.composite
def shaped_like_the_rules(draw):
    """Stays shaped as each level asks, which the calendar may still make unlawful."""
    level = draw(st.sampled_from(["3e", "2de", "holidays"]))
    if level == "3e":
        monday = draw(mondays(FIRST, LAST))
        split = draw(st.booleans())
        if not split:
            return level, [week_of(monday)]
        # Within the shipped calendar (it ends on 31 August 2027): a split stay whose
        # second part fell after it raised ValueError instead of being compared.
        soonest = monday + datetime.timedelta(days=7)
        latest = max(soonest, min(monday + datetime.timedelta(days=90), LAST))
        other = draw(mondays(soonest, latest))
        return level, [week_of(monday, 3), week_of(other, 2)]
    if level == "2de":
        year = draw(st.sampled_from([2025, 2026, 2027]))
        monday = draw(mondays(D(year, 6, 1), D(year, 6, 22)))
        if draw(st.booleans()):
            return level, [(monday, monday + datetime.timedelta(days=11))]
        return level, [week_of(monday), week_of(monday + datetime.timedelta(days=7))]
    first = draw(st.dates(min_value=FIRST, max_value=LAST))
    length = draw(st.integers(min_value=0, max_value=4))
    return level, [(first, first + datetime.timedelta(days=length))]


@settings(max_examples=300)
@given(st.sampled_from(["3e", "2de", "holidays"]), st.one_of(periods(), short_stays(), near_june()))
def test_check_periods_agrees_with_the_day_by_day_reference(level, spans):
    assert check_periods(level, spans) == reference(level, spans)


@settings(max_examples=200)
@given(shaped_like_the_rules())
def test_check_periods_agrees_with_the_reference_on_stays_shaped_like_the_rules(stay):
    level, spans = stay
    assert check_periods(level, spans) == reference(level, spans)


@given(periods())
def test_4e_follows_the_rules_of_3e(spans):
    assert check_periods("4e", spans) == check_periods("3e", spans)


@given(st.sampled_from(list(LEVELS)), periods())
def test_period_codes_come_once_each_in_the_documented_order(level, spans):
    codes = check_periods(level, spans)
    assert codes == [code for code in PERIOD_CODES if code in codes]


# 3e and 4e: five days in school time


@pytest.mark.parametrize("level", ["3e", "4e"])
def test_the_sequence_of_3e_and_4e_lasts_five_days(level):
    monday = D(2025, 1, 13)
    assert check_periods(level, [week_of(monday)]) == []
    assert check_periods(level, [week_of(monday, 4)]) == ["duration"]
    # Monday to the next Monday: six days of school, the weekend not counted.
    assert check_periods(level, [(monday, D(2025, 1, 20))]) == ["duration"]


def test_the_five_days_need_not_be_consecutive_nor_at_one_host():
    three_then_two = [(D(2025, 1, 13), D(2025, 1, 15)), (D(2025, 3, 3), D(2025, 3, 4))]
    assert check_periods("3e", three_then_two) == []
    across_a_weekend = [(D(2025, 1, 15), D(2025, 1, 21))]  # Wednesday to Tuesday
    assert check_periods("3e", across_a_weekend) == []


def test_a_day_of_the_sequence_in_the_school_holidays_is_out_of_season():
    # Tuesday 4 to Monday 10 February 2025: zone B is on holiday from Saturday 8.
    spans = [(D(2025, 2, 4), D(2025, 2, 10))]
    assert check_periods("3e", spans) == ["season"]
    assert check_periods("3e", spans, zone="A") == []


def test_a_public_holiday_is_not_a_day_of_observation():
    # Tuesday 11 November 2025 (Armistice) leaves four days in the week.
    assert check_periods("3e", [week_of(D(2025, 11, 10))]) == ["duration"]
    assert check_periods("3e", [(D(2025, 11, 10), D(2025, 11, 17))]) == []


def test_a_sequence_spread_over_two_school_years_is_refused():
    spans = [(D(2025, 6, 2), D(2025, 6, 4)), (D(2025, 9, 8), D(2025, 9, 9))]
    assert check_periods("3e", spans) == ["school_year"]


def test_two_hosts_the_same_day_overlap():
    spans = [(D(2025, 1, 13), D(2025, 1, 15)), (D(2025, 1, 15), D(2025, 1, 17))]
    assert check_periods("3e", spans) == ["overlap"]


# Seconde: two weeks in June, one or two hosts


def test_the_seconde_spends_two_weeks_of_june_at_one_or_two_hosts():
    assert check_periods("2de", [(D(2025, 6, 16), D(2025, 6, 27))]) == []
    split = [week_of(D(2025, 6, 16)), week_of(D(2025, 6, 23))]
    assert check_periods("2de", split) == []


def test_a_week_of_seconde_ending_on_the_first_of_july_is_out_of_season():
    split = [week_of(D(2025, 6, 16)), (D(2025, 6, 25), D(2025, 7, 1))]
    assert check_periods("2de", split) == ["season"]
    late = [(D(2025, 6, 23), D(2025, 7, 4))]
    assert check_periods("2de", late) == ["season"]


def test_one_week_of_seconde_is_not_enough_and_three_hosts_are_too_many():
    assert check_periods("2de", [week_of(D(2025, 6, 16))]) == ["duration"]
    three = [week_of(D(2025, 6, 16)), week_of(D(2025, 6, 23), 3), (D(2025, 6, 26), D(2025, 6, 27))]
    assert check_periods("2de", three) == ["hosts"]


def test_whit_monday_in_june_leaves_nine_days():
    assert check_periods("2de", [(D(2025, 6, 2), D(2025, 6, 13))]) == ["duration"]


def test_the_seconde_needs_no_school_calendar():
    assert check_periods("2de", [(D(2031, 6, 16), D(2031, 6, 27))]) == []


# Holiday mini-stages: one to five days in the school holidays


def test_a_mini_stage_lasts_one_to_five_days_of_the_holidays():
    assert check_periods("holidays", [(D(2024, 10, 22), D(2024, 10, 22))]) == []
    assert check_periods("holidays", [week_of(D(2024, 10, 21))]) == []
    six = [(D(2024, 10, 21), D(2024, 10, 28))]
    assert check_periods("holidays", six) == ["duration"]
    assert check_periods("holidays", [(D(2025, 7, 7), D(2025, 7, 11))]) == []


def test_a_mini_stage_over_a_weekend_only_has_no_day():
    assert check_periods("holidays", [(D(2024, 10, 26), D(2024, 10, 27))]) == ["duration"]


def test_a_school_day_inside_a_mini_stage_is_out_of_season():
    # Thursday 31 October to Monday 4 November 2024: 1 November is a public holiday and
    # classes resume on Monday 4.
    assert check_periods("holidays", [(D(2024, 10, 31), D(2024, 11, 4))]) == ["season"]


def test_the_bridge_of_ascension_is_a_holiday():
    assert check_periods("holidays", [(D(2025, 5, 30), D(2025, 5, 30))]) == []
    # Monday 26 May to Monday 2 June 2025: Thursday 29 is Ascension, Friday 30 the bridge.
    assert check_periods("3e", [(D(2025, 5, 26), D(2025, 6, 2))]) == ["season"]


# What a region replaces


def test_a_region_gives_its_own_holidays():
    own = [(D(2025, 1, 13), D(2025, 1, 19))]
    assert check_periods("holidays", [week_of(D(2025, 1, 13))], holidays=own) == []
    assert check_periods("3e", [week_of(D(2025, 1, 13))], holidays=own) == ["season"]
    calendar = SchoolCalendar("academy", ((D(2025, 1, 13), D(2025, 1, 19)),))
    assert check_periods("3e", [week_of(D(2025, 1, 13))], holidays=calendar) == ["season"]
    single_days = [D(2025, 1, 13), D(2025, 1, 14)]
    assert check_periods("3e", [week_of(D(2025, 1, 13))], holidays=single_days) == ["season"]
    assert check_periods("3e", [(D(2025, 1, 15), D(2025, 1, 21))], holidays=single_days) == []


def test_a_zone_is_named_by_its_letter():
    spans = [(D(2025, 2, 4), D(2025, 2, 10))]
    assert check_periods("3e", spans, zone="a") == check_periods("3e", spans, zone="A") == []
    assert check_periods("3e", spans, zone="B") == check_periods("3e", spans) == ["season"]


def test_a_region_gives_its_own_public_holidays():
    armistice_week = [week_of(D(2025, 11, 10))]
    assert check_periods("3e", armistice_week, public_holidays=[]) == []
    good_friday = [D(2025, 1, 17)]
    assert check_periods("3e", [week_of(D(2025, 1, 13))], public_holidays=good_friday) == [
        "duration"
    ]


def test_a_host_open_tuesday_to_saturday_counts_its_saturday():
    tuesday_to_saturday = [(D(2025, 1, 14), D(2025, 1, 18))]
    assert check_periods("3e", tuesday_to_saturday) == ["duration"]
    days = ["Tue", "Wed", "Thu", "Fri", "Sat"]
    assert check_periods("3e", tuesday_to_saturday, weekdays=days) == []


def test_a_region_gives_its_own_levels():
    shorter = {**LEVELS, "holidays": Level(1, 3, "holidays", None, "the region's rule")}
    week = [week_of(D(2024, 10, 21))]
    assert check_periods("holidays", week, levels=shorter) == ["duration"]


# The data


def test_the_shipped_zones_are_those_of_metropolitan_france():
    assert sorted(ZONES) == ["A", "B", "C"]
    for calendar in ZONES.values():
        assert calendar.first_day == D(2024, 7, 7)
        assert calendar.last_day == D(2027, 8, 31)
        assert "MENE2229099A" in calendar.source


@pytest.mark.parametrize(
    ("zone", "winter_2026", "spring_2027"),
    [
        ("A", D(2026, 2, 9), D(2027, 4, 12)),
        ("B", D(2026, 2, 16), D(2027, 4, 19)),
        ("C", D(2026, 2, 23), D(2027, 4, 5)),
    ],
)
def test_each_zone_has_its_winter_and_spring(zone, winter_2026, spring_2027):
    calendar = ZONES[zone]
    for monday in (winter_2026, spring_2027):
        assert calendar.is_holiday(monday)
        assert not calendar.is_holiday(monday - datetime.timedelta(days=3))  # the Friday
        assert calendar.is_holiday(monday + datetime.timedelta(days=11))  # the next Friday
        assert not calendar.is_holiday(monday + datetime.timedelta(days=14))


def test_every_shipped_zone_agrees_with_zone_b_outside_winter_and_spring():
    for day in (D(2024, 10, 21), D(2024, 12, 23), D(2025, 5, 30), D(2026, 7, 6)):
        assert all(calendar.is_holiday(day) for calendar in ZONES.values())


def test_the_calendar_refuses_days_it_does_not_know():
    with pytest.raises(ValueError, match="covers 2024-07-07 to 2027-08-31"):
        check_periods("3e", [week_of(D(2027, 9, 6))])
    with pytest.raises(ValueError, match="covers"):
        check_periods("holidays", [week_of(D(2024, 4, 8))])


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (1818, D(1818, 3, 22)),
        (2000, D(2000, 4, 23)),
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2027, D(2027, 3, 28)),
        (2038, D(2038, 4, 25)),
    ],
)
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


def test_the_public_holidays_of_the_code_du_travail():
    computed = set().union(*(public_holidays(year) for year in (2024, 2025, 2026, 2027)))
    assert computed == PUBLIC_HOLIDAYS


# Input that cannot be read


@pytest.mark.parametrize(
    ("level", "spans", "options", "message"),
    [
        ("5e", [week_of(D(2025, 1, 13))], {}, "unknown level"),
        ("seconde", [week_of(D(2025, 1, 13))], {}, "unknown level"),
        ("3e", [], {}, "no period"),
        ("3e", [(D(2025, 1, 17), D(2025, 1, 13))], {}, "ends before it starts"),
        ("3e", [(datetime.datetime(2025, 1, 13), D(2025, 1, 17))], {}, "two dates"),
        ("3e", [("2025-01-13", "2025-01-17")], {}, "two dates"),
        ("3e", [(D(2025, 1, 13),)], {}, "pair"),
        ("3e", D(2025, 1, 13), {}, "list of"),
        ("3e", [week_of(D(2025, 1, 13))], {"zone": "D"}, "unknown zone"),
        ("3e", [week_of(D(2025, 1, 13))], {"zone": ["B"]}, "unknown zone"),
        ("3e", [week_of(D(2025, 1, 13))], {"holidays": ["2025-01-13"]}, "a date or"),
        ("3e", [week_of(D(2025, 1, 13))], {"zone": "B", "holidays": []}, "not both"),
        ("3e", [week_of(D(2025, 1, 13))], {"holidays": [(D(2025, 1, 2), D(2025, 1, 1))]}, "ends"),
        ("3e", [week_of(D(2025, 1, 13))], {"weekdays": ["Monday"]}, "unknown weekday"),
        ("3e", [week_of(D(2025, 1, 13))], {"weekdays": []}, "empty"),
        ("3e", [week_of(D(2025, 1, 13))], {"public_holidays": ["2025-01-13"]}, "dates"),
    ],
)
def test_input_that_cannot_be_read_is_refused_with_a_reason(level, spans, options, message):
    with pytest.raises(ValueError, match=message):
        check_periods(level, spans, **options)
