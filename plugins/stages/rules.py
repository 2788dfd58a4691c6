"""The rules of pupils' internships, as pure functions: the plugin's public contract.

- ``check_week(age, days)``: the rules of young workers' time a weekly timetable breaks
  (``WEEK_CODES``), see ``tremplin.plugins.stages.week``;
- ``check_periods(level, periods)``: the rules of dates and length a stay breaks
  (``PERIOD_CODES``), see ``tremplin.plugins.stages.periods``;
- ``explain(code)``: what a code means, its rule and source, in the reader's language.

No database, no Flask, no clock: everything the rules need is an argument, and what
changes (limits, levels, school holidays, public holidays) is data with its source that
a caller may replace. docs/plugins/stages.md is the reference for regions.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Mapping

from .messages import explain
from .periods import LEVELS, PERIOD_CODES, Level, broken_period_rules
from .school_calendar import DEFAULT_ZONE, ZONES, SchoolCalendar, calendar_of
from .week import (
    WEEK_CODES,
    WEEKDAYS,
    YOUNG_WORKERS,
    AgeBand,
    Interval,
    Limits,
    broken_week_rules,
)

__all__ = [
    "DEFAULT_ZONE",
    "LEVELS",
    "PERIOD_CODES",
    "WEEKDAYS",
    "WEEK_CODES",
    "YOUNG_WORKERS",
    "ZONES",
    "AgeBand",
    "Level",
    "Limits",
    "SchoolCalendar",
    "calendar_of",
    "check_periods",
    "check_week",
    "explain",
]


def check_week(
    age: int,
    days: Iterable[tuple[str, Iterable[Interval]]],
    *,
    limits: Limits = YOUNG_WORKERS,
) -> list[str]:
    """The rules a pupil's weekly timetable breaks, as codes of ``WEEK_CODES``, in that order.

    ``age`` is the pupil's age in whole years during the week; ``days`` lists
    ``(weekday, [(start, end), ...])`` with weekdays ``"Mon"`` to ``"Sun"``, each at most
    once, and the intervals of presence as ``datetime.time`` (a day left out, or given no
    interval, is a day of rest). An empty list means the timetable keeps every rule.
    Exactly 7 hours a day, 35 hours a week, 4 h 30 of work in a row, an end at 20:00
    (22:00 from 16) and a start at 06:00 are lawful.

    Raises ``ValueError`` on input that cannot be read: a negative or non-integer age, an
    unknown or repeated weekday, a bound that is not a time of day without time zone, an
    interval that does not end after it starts, intervals of a day that overlap.
    """
    return broken_week_rules(age, days, limits=limits)


def check_periods(
    level: str,
    periods: Iterable[tuple[datetime.date, datetime.date]],
    *,
    zone: str | None = None,
    holidays: SchoolCalendar
    | Iterable[datetime.date | tuple[datetime.date, datetime.date]]
    | None = None,
    public_holidays: Collection[datetime.date] | None = None,
    weekdays: Iterable[str] | None = None,
    levels: Mapping[str, Level] | None = None,
) -> list[str]:
    """The rules the dates of a stay break, as codes of ``PERIOD_CODES``, in that order.

    ``level`` is ``"4e"``, ``"3e"``, ``"2de"`` or ``"holidays"``; ``periods`` lists the
    ``(first_day, last_day)`` of the stay at each host, both days included. An empty list
    means the dates keep every rule.

    - ``duration``: the counted days are not as many as the level asks (5; 10; 1 to 5);
    - ``season``: a counted day is out of its season (school holidays for 4e and 3e, not
      June for 2de, school time for a holiday mini-stage);
    - ``hosts``: more hosts than the level allows (2 for 2de);
    - ``overlap``: two periods share a day;
    - ``school_year``: the counted days fall in more than one school year.

    The school holidays are those of ``zone`` (``"A"``, ``"B"`` or ``"C"``; ``"B"``, that
    of Hauts-de-France, when neither ``zone`` nor ``holidays`` is given) from the shipped
    calendar, or ``holidays``: a ``SchoolCalendar``, or days without classes as inclusive
    ``(first_day, last_day)`` ranges or single dates, every other day being a school day.
    ``public_holidays`` replaces the national list of the Code du travail (L3133-1), e.g.
    with Alsace-Moselle's. ``weekdays`` are the days of the week the pupil is hosted
    (``"Mon"`` to ``"Sun"``), Monday to Friday by default. ``levels`` replaces ``LEVELS``,
    the rules of each level, for a region whose mini-stages differ.

    Raises ``ValueError`` on input that cannot be read (unknown level, zone or weekday, a
    period that is not two dates or ends before it starts, no period at all, both ``zone``
    and ``holidays``), and when a counted day must be placed in the school calendar but
    the calendar does not cover it.
    """
    return broken_period_rules(
        level,
        periods,
        zone=zone,
        holidays=holidays,
        public_holidays=public_holidays,
        weekdays=weekdays,
        levels=levels,
    )
