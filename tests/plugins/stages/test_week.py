"""A pupil's weekly timetable against the rules on young workers' time (check_week).

The property tests compare check_week with a reference written here minute by minute: the
week is the set of minutes the pupil is present, and each rule is checked by walking
those minutes, not by the interval arithmetic of the plugin.
"""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tremplin.plugins.stages.rules import WEEK_CODES, WEEKDAYS, check_week

T = datetime.time
DAY = 24 * 60
WEEK = 7 * DAY


def at(minute: int) -> datetime.time:
    return T(minute // 60, minute % 60)


def minute_of(moment: datetime.time) -> int:
    return moment.hour * 60 + moment.minute


# The reference, minute by minute


def present_minutes(days) -> set[int]:
    """Minutes of the week (0 = Monday 00:00) the pupil is present."""
    return {
        WEEKDAYS.index(weekday) * DAY + minute
        for weekday, intervals in days
        for start, end in intervals
        for minute in range(minute_of(start), minute_of(end))
    }


def reference(age: int, days) -> list[str]:
    present = present_minutes(days)
    broken = []
    per_day = Counter(minute // DAY for minute in present)
    if any(count > 7 * 60 for count in per_day.values()):
        broken.append("daily_hours")
    if len(present) > 35 * 60:
        broken.append("weekly_hours")
    if worked_without_break(present) > 4 * 60 + 30:
        broken.append("break")
    night_from = 20 * 60 if age < 16 else 22 * 60
    if any(minute % DAY < 6 * 60 or minute % DAY >= night_from for minute in present):
        broken.append("night_work")
    if any(rest_after(day, present) < (14 if age < 16 else 12) * 60 for day in per_day):
        broken.append("daily_rest")
    resting = [day not in per_day for day in range(7)]
    if not any(resting[day] and resting[(day + 1) % 7] for day in range(7)):
        broken.append("weekly_rest")
    return broken


def worked_without_break(present: set[int]) -> int:
    """The most minutes worked with no 30 free minutes in a row, walking the week twice."""
    if not present:
        return 0
    free_run = worked = longest = 0
    breaks = 0
    for step in range(2 * WEEK):
        if step % WEEK in present:
            if free_run >= 30:
                worked = 0
                breaks += 1
            free_run = 0
            worked += 1
            if step >= WEEK:
                longest = max(longest, worked)
        else:
            free_run += 1
    # Without any break, the week repeating is one single stretch of all its minutes.
    return longest if breaks else len(present)


def rest_after(day: int, present: set[int]) -> int:
    """Free minutes from the day's last minute of presence, within the 24 hours that begin
    at its first: the consecutive rest the day leaves."""
    minutes = [minute for minute in present if minute // DAY == day]
    window_end = min(minutes) + DAY
    minute = max(minutes) + 1
    rest = 0
    while minute < window_end and minute % WEEK not in present:
        rest += 1
        minute += 1
    return rest


# Timetables

THRESHOLDS = [0, 359, 360, 361, 480, 720, 1199, 1200, 1201, 1319, 1320, 1321, 1439]


def points():
    return st.one_of(st.integers(min_value=0, max_value=DAY - 1), st.sampled_from(THRESHOLDS))


@st.composite
def cut_day(draw):
    """Intervals from sorted cut points, touching ones included."""
    cuts = sorted(draw(st.lists(points(), max_size=6)))
    pairs = zip(cuts[::2], cuts[1::2], strict=False)
    return [(at(start), at(end)) for start, end in pairs if end > start]


@st.composite
def office_day(draw):
    """A morning and an afternoon whose lengths and gap sit around the thresholds."""
    start = draw(st.sampled_from([355, 360, 420, 480, 540, 600]))
    near = st.sampled_from([120, 209, 210, 211, 240, 269, 270, 271])
    morning, afternoon = draw(near), draw(near)
    gap = draw(st.sampled_from([0, 15, 29, 30, 31, 60, 90]))
    end = min(start + morning + gap + afternoon, DAY - 1)
    if start + morning + gap >= end:
        return [(at(start), at(start + morning))]
    return [(at(start), at(start + morning)), (at(start + morning + gap), at(end))]


@st.composite
def weeks(draw):
    day = st.one_of(cut_day(), office_day(), st.just([]))
    chosen = draw(st.lists(st.sampled_from(WEEKDAYS), unique=True, max_size=7))
    return [(weekday, draw(day)) for weekday in chosen]


AGES = st.integers(min_value=12, max_value=19)


@settings(max_examples=400)
@given(AGES, weeks())
def test_check_week_agrees_with_the_minute_by_minute_reference(age, days):
    assert check_week(age, days) == reference(age, days)


@given(AGES, weeks(), st.randoms())
def test_the_order_of_days_and_intervals_does_not_matter(age, days, random):
    shuffled = [(weekday, random.sample(intervals, len(intervals))) for weekday, intervals in days]
    random.shuffle(shuffled)
    assert check_week(age, shuffled) == check_week(age, days)


@given(AGES, weeks())
def test_codes_come_once_each_in_the_documented_order(age, days):
    codes = check_week(age, days)
    assert codes == [code for code in WEEK_CODES if code in codes]


# Boundaries

FIVE_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri"]


def every(weekdays, *intervals):
    return [(weekday, list(intervals)) for weekday in weekdays]


@pytest.mark.parametrize("age", [15, 16])
def test_exactly_seven_hours_a_day_and_thirty_five_a_week_are_lawful(age):
    days = every(FIVE_DAYS, (T(8), T(11, 30)), (T(12), T(15, 30)))
    assert check_week(age, days) == []


def test_a_minute_over_seven_hours_in_a_day_is_too_long():
    days = [("Mon", [(T(8), T(11, 30)), (T(12), T(15, 31))])]
    assert check_week(15, days) == ["daily_hours"]


def test_a_minute_over_thirty_five_hours_in_the_week_is_too_long():
    days = [*every(FIVE_DAYS, (T(8), T(11, 30)), (T(12), T(15, 30))), ("Sat", [(T(9), T(9, 1))])]
    # Working on Saturday also leaves Sunday as the only day of rest.
    assert check_week(15, days) == ["weekly_hours", "weekly_rest"]


def test_exactly_four_and_a_half_hours_of_work_in_a_row_are_lawful():
    assert check_week(15, [("Mon", [(T(8), T(12, 30)), (T(13), T(15))])]) == []
    assert check_week(15, [("Mon", [(T(8), T(12, 31)), (T(13), T(15))])]) == ["break"]


def test_a_pause_shorter_than_thirty_minutes_does_not_break_the_work():
    # 2 h, 29 minutes off, 2 h 30: 4 h 30 of work in one stretch, still lawful.
    assert check_week(15, [("Mon", [(T(8), T(10)), (T(10, 29), T(12, 59))])]) == []
    # One more minute of work after the short pause is one too many.
    assert check_week(15, [("Mon", [(T(8), T(10)), (T(10, 29), T(13))])]) == ["break"]
    # Thirty minutes off are a break: the stretches start again.
    assert check_week(15, [("Mon", [(T(8), T(11)), (T(11, 30), T(14, 30))])]) == []


def test_touching_intervals_are_one_stretch_of_work():
    assert check_week(15, [("Mon", [(T(8), T(11)), (T(11), T(13))])]) == ["break"]


def test_under_sixteen_a_pupil_leaves_at_eight_pm_at_the_latest():
    assert check_week(15, [("Mon", [(T(15, 30), T(20))])]) == []
    assert check_week(15, [("Mon", [(T(15, 31), T(20, 1))])]) == ["night_work"]
    assert check_week(15, [("Mon", [(T(18), T(22))])]) == ["night_work"]


def test_from_sixteen_a_pupil_leaves_at_ten_pm_at_the_latest():
    assert check_week(16, [("Mon", [(T(17, 30), T(22))])]) == []
    assert check_week(16, [("Mon", [(T(17, 31), T(22, 1))])]) == ["night_work"]


@pytest.mark.parametrize("age", [15, 16])
def test_a_pupil_arrives_at_six_am_at_the_earliest(age):
    assert check_week(age, [("Mon", [(T(6), T(10, 30))])]) == []
    assert check_week(age, [("Mon", [(T(5, 59), T(10, 29))])]) == ["night_work"]


def test_fourteen_hours_of_rest_between_two_days_under_sixteen_twelve_from_sixteen():
    evening_to_morning = [("Mon", [(T(13), T(17, 30))]), ("Tue", [(T(7, 30), T(12))])]
    # 17:30 to 07:30 is 14 hours of rest.
    assert check_week(15, evening_to_morning) == []
    shorter = [("Mon", [(T(13), T(17, 30))]), ("Tue", [(T(7, 29), T(11, 59))])]
    assert check_week(15, shorter) == ["daily_rest"]
    # 13 h 59 of rest is enough from 16.
    assert check_week(16, shorter) == []
    twelve_hours = [("Mon", [(T(16), T(20, 30))]), ("Tue", [(T(8, 30), T(13))])]
    assert check_week(16, twelve_hours) == []
    less = [("Mon", [(T(16), T(20, 30))]), ("Tue", [(T(8, 29), T(12, 59))])]
    assert check_week(16, less) == ["daily_rest"]


def test_a_day_spans_ten_hours_at_most_under_sixteen_twelve_from_sixteen():
    ten_hours = [("Wed", [(T(8), T(11)), (T(15), T(18))])]
    assert check_week(15, ten_hours) == []
    longer = [("Wed", [(T(8), T(11)), (T(15), T(18, 1))])]
    assert check_week(15, longer) == ["daily_rest"]
    twelve_hours = [("Wed", [(T(8), T(11)), (T(17), T(20))])]
    assert check_week(16, twelve_hours) == []
    assert check_week(15, twelve_hours) == ["daily_rest"]
    assert check_week(16, [("Wed", [(T(8), T(11)), (T(17), T(20, 1))])]) == ["daily_rest"]


def test_the_age_of_sixteen_is_the_boundary_of_the_bands():
    late = [("Mon", [(T(17), T(21))])]
    assert check_week(15, late) == ["night_work"]
    assert check_week(16, late) == []
    assert check_week(17, late) == []


def test_the_week_repeats_sunday_is_followed_by_monday():
    # Sunday until 19:00 and Monday from 08:00 leave 13 hours of rest.
    days = [("Sun", [(T(14, 30), T(19))]), ("Mon", [(T(8), T(12))])]
    assert check_week(15, days) == ["daily_rest"]
    assert check_week(16, days) == []


def test_a_week_worked_tuesday_to_saturday_rests_on_sunday_and_monday():
    days = every(["Tue", "Wed", "Thu", "Fri", "Sat"], (T(9), T(12)), (T(13), T(17)))
    assert check_week(15, days) == []


def test_six_days_of_work_leave_no_two_days_of_rest_in_a_row():
    days = every(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"], (T(9), T(12)))
    assert check_week(15, days) == ["weekly_rest"]
    alternate = every(["Mon", "Wed", "Fri", "Sun"], (T(9), T(12)))
    assert check_week(15, alternate) == ["weekly_rest"]


# Worked examples


def test_an_office_week_of_the_seconde_keeps_every_rule():
    # 9:00-12:00 and 13:30-17:00, Monday to Friday: 32 h 30.
    days = every(FIVE_DAYS, (T(9), T(12)), (T(13, 30), T(17)))
    assert check_week(15, days) == []


def test_a_full_time_adult_week_breaks_several_rules():
    # 8:00-12:00 and 13:00-18:00 on five days: 9 hours a day, 5 hours in a row.
    days = every(FIVE_DAYS, (T(8), T(12)), (T(13), T(18)))
    assert check_week(15, days) == ["daily_hours", "weekly_hours", "break"]


def test_a_bakery_morning_is_night_work_and_its_afternoon_leaves_too_little_rest():
    # The day spans 13 hours, 11 hours of rest are left before the next one.
    days = every(["Tue", "Wed"], (T(4), T(8)), (T(14), T(17)))
    assert check_week(17, days) == ["night_work", "daily_rest"]


def test_a_week_without_presence_keeps_every_rule():
    assert check_week(14, []) == []
    assert check_week(14, [("Mon", []), ("Tue", [])]) == []


# Input that cannot be read


@pytest.mark.parametrize(
    ("age", "days", "message"),
    [
        (-1, [], "negative"),
        (15.5, [], "whole number"),
        (True, [], "whole number"),
        ("15", [], "whole number"),
        (15, [("Monday", [])], "unknown weekday"),
        (15, [("mon", [])], "unknown weekday"),
        (15, [("Mon", []), ("Mon", [(T(9), T(10))])], "given twice"),
        (15, [("Mon", [(T(9), T(9))])], "does not end after it starts"),
        (15, [("Mon", [(T(22), T(2))])], "does not end after it starts"),
        (15, [("Mon", [(T(9), T(12)), (T(11), T(13))])], "overlap"),
        (15, [("Mon", [("09:00", "12:00")])], "datetime.time"),
        (15, [("Mon", [(datetime.datetime(2025, 1, 6, 9), T(12))])], "datetime.time"),
        (15, [("Mon", [(T(9, tzinfo=datetime.UTC), T(12, tzinfo=datetime.UTC))])], "time zone"),
        (15, [("Mon", [(T(9),)])], "(start, end) pair"),
        (15, [("Mon",)], "(weekday, intervals) pair"),
        (15, "Mon", "list of (weekday, intervals)"),
        (15, [("Mon", "09:00-12:00")], "list of (start, end)"),
    ],
)
def test_input_that_cannot_be_read_is_refused_with_a_reason(age, days, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_week(age, days)
