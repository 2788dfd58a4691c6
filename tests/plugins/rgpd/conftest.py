"""An independent reference for the rgpd rules, written differently from the plugin.

Months are counted by walking day by day; Easter comes from the anonymous Gregorian
algorithm (Meeus/Jones/Butcher) rather than dateutil; the holidays are spelled out as
literal dates; the days a suspended period had left are counted one by one and counted
again from the day the proof arrived, instead of moving its end by a difference of dates.
"""

from __future__ import annotations

import datetime

ONE_DAY = datetime.timedelta(days=1)

# Code du travail L3133-1, as (month, day) of the fixed ones.
FIXED = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}


def date(text: str) -> datetime.date:
    """``date("2025-04-21")``: test data reads as the dates of the documentation."""
    return datetime.date.fromisoformat(text)


def easter_sunday(year: int) -> datetime.date:
    """Easter Sunday by the anonymous Gregorian algorithm (Meeus, Astronomical Algorithms)."""
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    correction = (century + 8) // 25
    moon = (century - correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - moon + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    weekday = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    shift = (golden + 11 * epact + 22 * weekday) // 451
    month, day = divmod(epact + weekday - 7 * shift + 114, 31)
    return datetime.date(year, month, day + 1)


def holidays(year: int, alsace_moselle: bool = False) -> set[datetime.date]:
    """The French public holidays of ``year``, and Alsace-Moselle's two if asked."""
    easter = easter_sunday(year)
    found = {datetime.date(year, month, day) for month, day in FIXED}
    found |= {easter + datetime.timedelta(days=days) for days in (1, 39, 50)}
    if alsace_moselle:
        found |= {easter - 2 * ONE_DAY, datetime.date(year, 12, 26)}
    return found


def working(day: datetime.date, alsace_moselle: bool = False) -> bool:
    """Neither Saturday, Sunday nor a public holiday."""
    return day.isoweekday() not in (6, 7) and day not in holidays(day.year, alsace_moselle)


def next_working(day: datetime.date, alsace_moselle: bool = False) -> datetime.date:
    """``day`` or the first working day after it."""
    while not working(day, alsace_moselle):
        day += ONE_DAY
    return day


def months_later(start: datetime.date, months: int) -> datetime.date:
    """Walk from ``start`` one day at a time into the month ``months`` later; stop on the
    same date, or on the last day of that month when the date does not exist in it."""
    target = start.year * 12 + start.month - 1 + months
    day, last_seen = start, None
    while True:
        month = day.year * 12 + day.month - 1
        if month == target and day.day == start.day:
            return day
        if month > target:
            return last_seen
        if month == target:
            last_seen = day
        day += ONE_DAY


def due(
    received: datetime.date,
    months: int,
    asked: datetime.date | None = None,
    arrived: datetime.date | None = None,
    alsace_moselle: bool = False,
) -> tuple[datetime.date, datetime.date]:
    """(calendar, legal) end of a period of ``months`` from ``received``.

    With a suspension: count, one by one, the days the period still had after the day
    proof was ``asked`` (none when asked on or after its last day), then count as many
    from the day it ``arrived``.
    """
    end = months_later(received, months)
    if asked is not None:
        days_left, day = 0, asked
        while day < end:
            day += ONE_DAY
            days_left += 1
        end = arrived
        for _ in range(days_left):
            end += ONE_DAY
    return end, next_working(end, alsace_moselle)


# Fixtures of the plugin's tests beyond the rules: an app with the plugin, its network.

import pytest  # noqa: E402
from flask import Flask  # noqa: E402

from .network import SETTINGS, Mailbox, Network  # noqa: E402


@pytest.fixture(autouse=True)
def quick_passwords(fast_passwords):
    """Many accounts are made and signed in: cheap hashing."""


@pytest.fixture
def make_rgpd_app(make_app):
    """``make_rgpd_app(plugins=[...], **settings)``: an app with rgpd last, test settings."""

    def make(plugins=(), **settings) -> Flask:
        return make_app(plugins=[*plugins, "rgpd"], settings={"rgpd": {**SETTINGS, **settings}})

    return make


@pytest.fixture
def app(make_rgpd_app) -> Flask:
    """An app with the rgpd plugin and the test settings."""
    return make_rgpd_app()


@pytest.fixture
def net(app) -> Network:
    """The network of ``app``."""
    return Network(app)


@pytest.fixture
def mailbox(app) -> Mailbox:
    """The emails of ``app``."""
    return Mailbox(app)
