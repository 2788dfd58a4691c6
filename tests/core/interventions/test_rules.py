"""Property tests of the rules: durations by type, proposed dates, months of capacity."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from tremplin.interventions import rules, times

NOW = datetime.datetime(2026, 11, 22, 9, 0)
PARIS = ZoneInfo("Europe/Paris")
FUTURE = st.datetimes(
    min_value=NOW + datetime.timedelta(minutes=1), max_value=datetime.datetime(2030, 1, 1)
)


def errors_for(
    intervention_type="class_talk", mode="on_site", minutes=45, group=25, adults=None, slots=None
):
    return rules.violations(
        intervention_type,
        mode,
        minutes,
        group,
        adults,
        slots or [NOW + datetime.timedelta(days=3)],
        NOW,
    )


@given(st.integers(min_value=1, max_value=2400))
def test_a_class_talk_lasts_one_lesson_of_45_minutes_at_most(minutes):
    refused = "duration_minutes" in errors_for(minutes=minutes)
    assert refused == (minutes > 45 or minutes < rules.RULES["class_talk"].min_minutes)


@given(st.integers(min_value=0, max_value=20), st.integers(min_value=1, max_value=60))
def test_a_company_visit_needs_at_least_one_accompanying_adult(adults, group):
    errors = errors_for("company_visit", minutes=120, group=group, adults=adults)
    assert ("accompanying_adults" in errors) == (adults == 0)


@given(st.sampled_from(["on_site", "remote"]))
def test_a_webinar_is_remote_and_a_visit_on_site(mode):
    assert ("mode" in errors_for("webinar", mode=mode, minutes=60)) == (mode == "on_site")
    assert ("mode" in errors_for("company_visit", mode=mode, minutes=60, adults=2)) == (
        mode == "remote"
    )


@given(st.lists(FUTURE, min_size=1, max_size=3, unique=True))
def test_up_to_three_distinct_future_dates_are_accepted(slots):
    assert "slots" not in errors_for(slots=slots)


@given(st.lists(FUTURE, min_size=1, max_size=3), st.datetimes(max_value=NOW))
def test_a_date_in_the_past_is_refused_wherever_it_is(slots, past):
    for position in range(len(slots) + 1):
        with_past = [*slots[:position], past, *slots[position:]]
        assert "slots" in rules.violations("class_talk", "on_site", 45, 25, None, with_past, NOW)


@given(
    st.datetimes(min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2100, 1, 1))
)
def test_a_moment_falls_in_its_local_month_which_ends_where_the_next_begins(moment):
    start, end = times.month_bounds(moment, PARIS)
    assert start <= moment < end
    local_start = times.to_local(start, PARIS)
    local_moment = times.to_local(moment, PARIS)
    assert (local_start.day, local_start.hour, local_start.minute) == (1, 0, 0)
    assert (local_start.year, local_start.month) == (local_moment.year, local_moment.month)
    assert times.month_bounds(end, PARIS)[0] == end
    assert datetime.timedelta(days=28) <= end - start <= datetime.timedelta(days=31, hours=1)


def test_the_first_of_the_month_just_after_midnight_in_paris_belongs_to_that_month():
    # 1 March 2027, 00:30 in Paris is 28 February, 23:30 UTC.
    start, end = times.month_bounds(datetime.datetime(2027, 2, 28, 23, 30), PARIS)
    assert start == datetime.datetime(2027, 2, 28, 23, 0)
    assert end == datetime.datetime(2027, 3, 31, 22, 0)  # summer time from 28 March
