"""Tremplin's clock: pinned at a moment, time flows on from it; travel moves a block."""

import datetime
import threading
import zoneinfo

import pytest

from tremplin import clock

pytestmark = pytest.mark.one_database  # nothing here depends on the database

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NEW_YEAR_S_EVE = datetime.datetime(2025, 12, 31, 23, 30)  # UTC: 00:30 on 1 January in Paris


def test_a_pinned_clock_starts_at_the_moment_and_time_flows_on():
    with clock.pinned(NEW_YEAR_S_EVE):
        first = clock.now()
        second = clock.now()
    assert NEW_YEAR_S_EVE <= first <= second < NEW_YEAR_S_EVE + datetime.timedelta(minutes=1)


def test_an_aware_moment_is_pinned_in_utc():
    with clock.pinned(datetime.datetime(2026, 3, 29, 3, 30, tzinfo=PARIS)):  # summer time
        moment = clock.now()
    assert moment.tzinfo is None
    assert (
        datetime.timedelta(0)
        <= moment - datetime.datetime(2026, 3, 29, 1, 30)
        < datetime.timedelta(minutes=1)
    )


def test_today_is_the_utc_date_unless_a_time_zone_is_given():
    with clock.pinned(NEW_YEAR_S_EVE):
        assert clock.today() == datetime.date(2025, 12, 31)
        assert clock.today(PARIS) == datetime.date(2026, 1, 1)


def test_travel_moves_a_block_on_top_of_the_pin_and_comes_back():
    with clock.pinned(NEW_YEAR_S_EVE):
        with clock.travel(datetime.timedelta(days=400)):
            assert clock.today() == datetime.date(2027, 2, 4)
        assert clock.today() == datetime.date(2025, 12, 31)


def test_the_pin_holds_for_every_thread_and_travel_for_its_own_context_only():
    seen = []
    with clock.pinned(NEW_YEAR_S_EVE), clock.travel(datetime.timedelta(days=2)):
        assert clock.today() == datetime.date(2026, 1, 2)
        thread = threading.Thread(target=lambda: seen.append(clock.today()))
        thread.start()
        thread.join()
    assert seen == [datetime.date(2025, 12, 31)]


def test_pins_nest_and_the_outer_one_comes_back():
    with clock.pinned(NEW_YEAR_S_EVE):
        with clock.pinned(datetime.datetime(2030, 6, 1, 12, 0)):
            assert clock.today() == datetime.date(2030, 6, 1)
        assert clock.today() == datetime.date(2025, 12, 31)
