"""When a request to exercise a data-protection right must be answered (GDPR art. 12(3))."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from tremplin.plugins.rgpd.deadlines import (
    ALSACE_MOSELLE,
    Deadline,
    can_extend,
    deadline,
    is_working_day,
    months_after,
)

from .conftest import date, due, months_later

received_days = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2199, 9, 30))
offsets = st.integers(min_value=0, max_value=100)


def later(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


# Worked examples: received -> (calendar, legal), the dates of docs/plugins/rgpd.md.
ONE_MONTH = [
    ("2025-03-05", "2025-04-05", "2025-04-07"),  # EDPB's 5 March -> 5 April, a Saturday
    ("2025-01-15", "2025-02-15", "2025-02-17"),  # a Saturday -> Monday
    ("2025-01-31", "2025-02-28", "2025-02-28"),  # no 31 February: the month's last day
    ("2024-01-31", "2024-02-29", "2024-02-29"),  # a leap year
    ("2023-01-29", "2023-02-28", "2023-02-28"),  # no 29 February in 2023
    ("2024-01-29", "2024-02-29", "2024-02-29"),
    ("2025-03-31", "2025-04-30", "2025-04-30"),  # no 31 April
    ("2025-05-31", "2025-06-30", "2025-06-30"),
    ("2025-08-31", "2025-09-30", "2025-09-30"),
    ("2025-07-31", "2025-08-31", "2025-09-01"),  # a 31st exists in August: a Sunday
    ("2025-03-19", "2025-04-19", "2025-04-22"),  # Saturday, Sunday, Easter Monday
    ("2025-04-29", "2025-05-29", "2025-05-30"),  # Ascension Thursday
    ("2025-05-07", "2025-06-07", "2025-06-10"),  # Saturday, Sunday, Whit Monday
    ("2026-04-01", "2026-05-01", "2026-05-04"),  # Labour Day on a Friday, then a weekend
    ("2025-06-14", "2025-07-14", "2025-07-15"),  # National Day on a Monday
    ("2025-07-15", "2025-08-15", "2025-08-18"),  # Assumption on a Friday, then a weekend
    ("2025-10-11", "2025-11-11", "2025-11-12"),  # Armistice on a Tuesday
    ("2025-12-01", "2026-01-01", "2026-01-02"),  # New Year's Day, into the next year
    ("2025-11-25", "2025-12-25", "2025-12-26"),  # Christmas on a Thursday
]

THREE_MONTHS = [
    ("2025-01-15", "2025-04-15", "2025-04-15"),
    ("2025-01-31", "2025-04-30", "2025-04-30"),  # three months from receipt, not 28 April
    ("2024-11-30", "2025-02-28", "2025-02-28"),
    ("2023-11-30", "2024-02-29", "2024-02-29"),  # into a leap year's February
    ("2024-12-31", "2025-03-31", "2025-03-31"),  # into the next year
    ("2025-02-01", "2025-05-01", "2025-05-02"),  # Labour Day
    ("2025-03-07", "2025-06-07", "2025-06-10"),  # Saturday, Sunday, Whit Monday
]


@pytest.mark.parametrize(("received", "calendar", "legal"), ONE_MONTH)
def test_a_request_is_due_one_month_after_receipt(received, calendar, legal):
    due_dates = deadline(date(received))
    assert (due_dates.calendar, due_dates.legal) == (date(calendar), date(legal))
    assert due_dates.suspended_days == 0
    assert not due_dates.awaiting_identity


@pytest.mark.parametrize(("received", "calendar", "legal"), THREE_MONTHS)
def test_an_extended_request_is_due_three_months_after_receipt(received, calendar, legal):
    due_dates = deadline(date(received), extended=True)
    assert (due_dates.calendar, due_dates.legal) == (date(calendar), date(legal))
    assert due_dates.extended


def test_the_extension_must_be_told_by_the_legal_end_of_the_first_month():
    due_dates = deadline(date("2025-03-05"), extended=True)
    assert due_dates.legal == date("2025-06-05")
    assert due_dates.extension_notice_by == date("2025-04-07")


def test_alsace_moselle_moves_a_deadline_past_its_own_holidays():
    christmas = deadline(date("2025-11-25"), extra_holidays=ALSACE_MOSELLE)
    assert christmas.legal == date("2025-12-29")  # St Stephen's Day, Saturday, Sunday
    good_friday = deadline(date("2025-03-18"))
    assert good_friday.legal == date("2025-04-18")
    assert deadline(date("2025-03-18"), extra_holidays=ALSACE_MOSELLE).legal == date("2025-04-22")


def test_the_result_is_a_frozen_record_of_both_dates():
    due_dates = deadline(date("2025-03-05"))
    assert due_dates == Deadline(
        received=date("2025-03-05"),
        extended=False,
        calendar=date("2025-04-05"),
        legal=date("2025-04-07"),
        extension_notice_by=date("2025-04-07"),
        suspended_days=0,
        awaiting_identity=False,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        due_dates.legal = date("2025-05-01")


# Suspension while identity proof is awaited.


def test_waiting_for_identity_proof_moves_the_deadline_by_the_days_waited():
    due_dates = deadline(
        date("2025-03-03"),
        identity_requested=date("2025-03-05"),
        identity_received=date("2025-03-17"),
    )
    assert due_dates.suspended_days == 12
    assert (due_dates.calendar, due_dates.legal) == (date("2025-04-15"), date("2025-04-15"))
    assert due_dates.extension_notice_by == date("2025-04-15")


def test_a_suspension_is_not_a_new_start():
    # Asked on the day of receipt, received ten days later: as if received on 20 March.
    due_dates = deadline(
        date("2025-03-10"),
        identity_requested=date("2025-03-10"),
        identity_received=date("2025-03-20"),
    )
    assert due_dates.calendar == date("2025-04-20")  # Easter Sunday
    assert due_dates.legal == date("2025-04-22")  # after Easter Monday
    # Asked a week in, the week already run is kept.
    kept = deadline(
        date("2025-03-10"),
        identity_requested=date("2025-03-17"),
        identity_received=date("2025-03-20"),
    )
    assert kept.calendar == date("2025-04-13")
    assert kept.legal == date("2025-04-14")


def test_proof_asked_and_received_the_same_day_moves_nothing():
    due_dates = deadline(
        date("2025-03-05"),
        identity_requested=date("2025-03-06"),
        identity_received=date("2025-03-06"),
    )
    assert (due_dates.calendar, due_dates.legal, due_dates.suspended_days) == (
        date("2025-04-05"),
        date("2025-04-07"),
        0,
    )


def test_a_suspension_moves_an_extended_deadline_and_the_notice_day():
    due_dates = deadline(
        date("2025-01-31"),
        extended=True,
        identity_requested=date("2025-02-03"),
        identity_received=date("2025-02-10"),
    )
    assert (due_dates.calendar, due_dates.legal) == (date("2025-05-07"), date("2025-05-07"))
    assert due_dates.extension_notice_by == date("2025-03-07")


def test_proof_asked_after_the_first_month_does_not_reopen_the_notice_day():
    due_dates = deadline(
        date("2025-01-15"),
        extended=True,
        identity_requested=date("2025-03-03"),
        identity_received=date("2025-03-10"),
    )
    assert due_dates.legal == date("2025-04-22")
    assert due_dates.extension_notice_by == date("2025-02-17")


def test_proof_asked_on_the_days_off_after_the_last_day_leaves_no_days():
    # The month ends on Saturday 5 April, legally on Monday 7; proof asked on the Sunday.
    due_dates = deadline(
        date("2025-03-05"),
        identity_requested=date("2025-04-06"),
        identity_received=date("2025-04-09"),
    )
    assert (due_dates.calendar, due_dates.legal) == (date("2025-04-09"), date("2025-04-09"))
    assert due_dates.suspended_days == 4


def test_proof_asked_on_the_last_day_moves_the_end_to_the_day_it_arrives():
    due_dates = deadline(
        date("2025-03-03"),
        identity_requested=date("2025-04-03"),
        identity_received=date("2025-04-07"),
    )
    assert (due_dates.calendar, due_dates.legal) == (date("2025-04-07"), date("2025-04-07"))
    assert due_dates.suspended_days == 4


def test_while_proof_is_awaited_the_deadline_is_not_known():
    due_dates = deadline(date("2025-03-05"), identity_requested=date("2025-03-06"))
    assert due_dates.awaiting_identity
    assert due_dates.calendar is None
    assert due_dates.legal is None
    assert due_dates.suspended_days is None
    assert due_dates.extension_notice_by is None


def test_while_proof_asked_after_the_first_month_is_awaited_the_notice_day_stays():
    due_dates = deadline(date("2025-01-15"), extended=True, identity_requested=date("2025-03-03"))
    assert due_dates.awaiting_identity
    assert due_dates.legal is None
    assert due_dates.extension_notice_by == date("2025-02-17")


# The extension.


@pytest.mark.parametrize(
    ("received", "notified_on", "allowed"),
    [
        ("2025-03-05", "2025-03-05", True),  # on the day of receipt
        ("2025-03-05", "2025-04-05", True),  # the calendar end, a Saturday
        ("2025-03-05", "2025-04-07", True),  # the legal end, the Monday after
        ("2025-03-05", "2025-04-08", False),
        ("2025-01-31", "2025-02-28", True),
        ("2025-01-31", "2025-03-01", False),
        ("2025-03-19", "2025-04-22", True),  # after Easter Monday
        ("2025-03-19", "2025-04-23", False),
    ],
)
def test_an_extension_is_possible_only_if_told_within_the_first_month(
    received, notified_on, allowed
):
    assert can_extend(date(received), date(notified_on)) is allowed


def test_a_suspension_within_the_first_month_leaves_more_time_to_tell():
    asked, arrived = date("2025-03-06"), date("2025-03-16")
    kwargs = {"identity_requested": asked, "identity_received": arrived}
    assert can_extend(date("2025-03-05"), date("2025-04-15"), **kwargs)
    assert not can_extend(date("2025-03-05"), date("2025-04-16"), **kwargs)


def test_while_proof_is_awaited_any_notice_is_in_time():
    assert can_extend(date("2025-03-05"), date("2025-06-30"), identity_requested=date("2025-03-06"))


# Properties, against the day-by-day reference of conftest.py.


@given(received_days)
def test_one_month_matches_the_day_by_day_reference(received):
    due_dates = deadline(received)
    assert (due_dates.calendar, due_dates.legal) == due(received, 1)
    assert due_dates.extension_notice_by == due_dates.legal
    assert due_dates.suspended_days == 0


@given(received_days)
def test_three_months_match_the_day_by_day_reference(received):
    due_dates = deadline(received, extended=True)
    assert (due_dates.calendar, due_dates.legal) == due(received, 3)
    assert due_dates.extension_notice_by == due(received, 1)[1]


@given(received_days)
def test_alsace_moselle_matches_the_reference(received):
    due_dates = deadline(received, extra_holidays=ALSACE_MOSELLE)
    assert (due_dates.calendar, due_dates.legal) == due(received, 1, alsace_moselle=True)


@given(received_days, st.integers(min_value=0, max_value=3))
def test_months_after_matches_walking_day_by_day(start, months):
    assert months_after(start, months) == months_later(start, months)


@given(received_days, st.booleans())
def test_the_legal_date_is_the_first_working_day_from_the_calendar_date(received, extended):
    due_dates = deadline(received, extended=extended)
    assert is_working_day(due_dates.legal)
    # At most Saturday, Sunday and a Monday holiday (or a Friday holiday and the weekend).
    assert 0 <= (due_dates.legal - due_dates.calendar).days <= 3
    shortest, longest = (89, 92) if extended else (28, 31)
    assert shortest <= (due_dates.calendar - received).days <= longest


@given(received_days, received_days, st.booleans())
def test_a_later_request_is_never_due_earlier(first, second, extended):
    first, second = sorted((first, second))
    assert deadline(first, extended=extended).legal <= deadline(second, extended=extended).legal


@given(received_days, st.booleans(), offsets, st.integers(min_value=0, max_value=60))
@example(datetime.date(2000, 3, 1), True, 92, 1)  # asked on the last day, Ascension 2000
@example(datetime.date(2025, 3, 5), False, 32, 3)  # asked on the Sunday after the last day
def test_a_suspension_matches_the_day_by_day_reference(received, extended, after, waited):
    months = 3 if extended else 1
    asked, arrived = later(received, after), later(received, after + waited)
    assume(asked <= due(received, months)[1])
    due_dates = deadline(
        received, extended=extended, identity_requested=asked, identity_received=arrived
    )
    assert (due_dates.calendar, due_dates.legal) == due(received, months, asked, arrived)
    assert due_dates.calendar >= arrived
    if asked <= due(received, 1)[1]:
        assert due_dates.extension_notice_by == due(received, 1, asked, arrived)[1]
    else:
        assert due_dates.extension_notice_by == due(received, 1)[1]


@given(received_days, st.booleans(), offsets, st.integers(min_value=0, max_value=60))
def test_a_suspension_moves_the_end_by_the_days_waited(received, extended, after, waited):
    months = 3 if extended else 1
    asked = later(received, after)
    assume(asked <= due(received, months)[1])
    due_dates = deadline(
        received,
        extended=extended,
        identity_requested=asked,
        identity_received=later(asked, waited),
    )
    unsuspended = deadline(received, extended=extended)
    assert due_dates.calendar == later(unsuspended.calendar, due_dates.suspended_days)
    if asked <= unsuspended.calendar:
        assert due_dates.suspended_days == waited
    else:  # asked on the days off before the legal end: it ends when the proof arrives
        assert due_dates.calendar == later(asked, waited)


@given(received_days, st.booleans(), st.integers(min_value=1, max_value=60))
def test_proof_asked_after_the_period_ended_is_refused(received, extended, late_by):
    asked = later(due(received, 3 if extended else 1)[1], late_by)
    with pytest.raises(ValueError, match="cannot revive"):
        deadline(received, extended=extended, identity_requested=asked)


@given(received_days, st.integers(min_value=0, max_value=70))
def test_an_extension_is_allowed_exactly_until_the_legal_end_of_the_month(received, days):
    notified_on = later(received, days)
    assert can_extend(received, notified_on) == (notified_on <= due(received, 1)[1])


@given(received_days, offsets, st.integers(min_value=0, max_value=40), offsets)
def test_an_extension_told_after_a_suspension_matches_the_reference(
    received, after, waited, told_after
):
    asked, arrived = later(received, after), later(received, after + waited)
    assume(asked <= due(received, 3)[1])
    notified_on = later(received, told_after)
    limit = due(received, 1, asked, arrived) if asked <= due(received, 1)[1] else due(received, 1)
    allowed = can_extend(received, notified_on, identity_requested=asked, identity_received=arrived)
    assert allowed == (notified_on <= limit[1])


# Bad input.


@pytest.mark.parametrize(
    "bad", [datetime.datetime(2025, 3, 5, 9, 30), "2025-03-05", None, 20250305]
)
def test_the_date_of_receipt_must_be_a_date(bad):
    with pytest.raises(ValueError, match="must be a date"):
        deadline(bad)
    with pytest.raises(ValueError, match="must be a date"):
        can_extend(bad, date("2025-03-10"))


def test_identity_dates_must_be_dates():
    with pytest.raises(ValueError, match="must be a date"):
        deadline(date("2025-03-05"), identity_requested=datetime.datetime(2025, 3, 6, 8, 0))
    with pytest.raises(ValueError, match="must be a date"):
        deadline(
            date("2025-03-05"),
            identity_requested=date("2025-03-06"),
            identity_received="2025-03-09",
        )


def test_proof_cannot_arrive_without_having_been_asked():
    with pytest.raises(ValueError, match="without having been asked"):
        deadline(date("2025-03-05"), identity_received=date("2025-03-09"))


def test_proof_cannot_be_asked_before_the_request_was_received():
    with pytest.raises(ValueError, match="before the request was received"):
        deadline(date("2025-03-05"), identity_requested=date("2025-03-04"))


def test_proof_cannot_arrive_before_it_was_asked():
    with pytest.raises(ValueError, match="before it was asked"):
        deadline(
            date("2025-03-05"),
            identity_requested=date("2025-03-10"),
            identity_received=date("2025-03-09"),
        )


def test_an_extension_cannot_be_told_before_the_request_was_received():
    with pytest.raises(ValueError, match="before the"):
        can_extend(date("2025-03-05"), date("2025-03-04"))
    with pytest.raises(ValueError, match="must be a date"):
        can_extend(date("2025-03-05"), datetime.datetime(2025, 3, 20, 12, 0))


def test_extended_must_be_a_boolean():
    with pytest.raises(ValueError, match="True or False"):
        deadline(date("2025-03-05"), extended="yes")


def test_a_period_must_count_whole_months():
    with pytest.raises(ValueError, match="whole number of months"):
        months_after(date("2025-03-05"), -1)
    with pytest.raises(ValueError, match="whole number of months"):
        months_after(date("2025-03-05"), 1.5)


def test_a_deadline_beyond_the_calendar_is_refused():
    with pytest.raises(ValueError, match="beyond the calendar"):
        deadline(date("9999-12-15"))
    with pytest.raises(ValueError, match="beyond the calendar"):
        deadline(
            date("9999-11-15"),
            identity_requested=date("9999-11-16"),
            identity_received=date("9999-12-31"),
        )
