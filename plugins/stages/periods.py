"""The dates of a pupil's stay, by level: how many days, when, at how many hosts.

- 4e and 3e: an observation sequence of five days, consecutive or not, in school time
  (Code de l'éducation D332-14 for 3e; D331-6 allows it from 4e);
- seconde (général et technologique): two weeks in June (D333-3-1), which may be split
  between two hosts (circulaire of 28 March 2024, BO n° 13);
- holiday mini-stages: one to five days during the school holidays.

How the dates are read (docs/plugins/stages.md says why):

- A period is ``(first_day, last_day)``, both included, one per host.
- A day counts when the pupil can be hosted on it: one of the weekdays given (Monday to
  Friday unless told otherwise, the days of school a sequence replaces) that is not a
  public holiday (young workers do not work on them, Code du travail L3164-6). Weekends
  and public holidays inside a period are neither counted nor faults.
- The periods of a stay add up: their counted days are pooled, a day shared by two
  periods counting once (and being an ``overlap``).
- Two weeks of seconde are ten counted days; "in June" means every counted day from 1 to
  30 June.
- Every counted day of a stay falls in one school year, 1 September to 31 August.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from .public_holidays import public_holidays as national_public_holidays
from .school_calendar import DEFAULT_ZONE, ZONES, SchoolCalendar, calendar_of
from .week import WEEKDAYS

Date = datetime.date

# The codes check_periods returns, in the order it returns them.
PERIOD_CODES = ("duration", "season", "hosts", "overlap", "school_year")

SCHOOL_TIME = "school_time"
JUNE = "june"
HOLIDAYS = "holidays"

WORKING_WEEK = ("Mon", "Tue", "Wed", "Thu", "Fri")


@dataclass(frozen=True)
class Level:
    """What a level allows, and where the rule comes from.

    ``min_days`` to ``max_days`` counted days; every counted day in ``season``
    (``SCHOOL_TIME``, ``JUNE`` or ``HOLIDAYS``); at most ``max_hosts`` periods (``None``:
    no limit).
    """

    min_days: int
    max_days: int
    season: str
    max_hosts: int | None
    source: str


LEVELS: dict[str, Level] = {
    "4e": Level(5, 5, SCHOOL_TIME, None, "Code de l'éducation D331-6, D332-14"),
    "3e": Level(5, 5, SCHOOL_TIME, None, "Code de l'éducation D332-14"),
    "2de": Level(
        10, 10, JUNE, 2, "Code de l'éducation D333-3-1; circulaire du 28 mars 2024 (BO n° 13)"
    ),
    "holidays": Level(1, 5, HOLIDAYS, None, "the network's holiday mini-stages"),
}


def broken_period_rules(
    level: str,
    periods: Iterable[tuple[Date, Date]],
    *,
    zone: str | None = None,
    holidays: SchoolCalendar | Iterable[Date | tuple[Date, Date]] | None = None,
    public_holidays: Collection[Date] | None = None,
    weekdays: Iterable[str] | None = None,
    levels: Mapping[str, Level] | None = None,
) -> list[str]:
    """The codes of ``PERIOD_CODES`` ``periods`` breaks: ``rules.check_periods``."""
    rule = _level(level, LEVELS if levels is None else levels)
    spans = _periods(periods)
    calendar = _calendar(zone, holidays)
    hosted = _weekdays(weekdays)
    is_public_holiday = _public_holidays(public_holidays)
    counted = sorted(
        {
            day
            for first, last in spans
            for day in _days(first, last)
            if day.weekday() in hosted and not is_public_holiday(day)
        }
    )
    broken = set()
    if not rule.min_days <= len(counted) <= rule.max_days:
        broken.add("duration")
    if any(not _in_season(day, rule.season, calendar) for day in counted):
        broken.add("season")
    if rule.max_hosts is not None and len(spans) > rule.max_hosts:
        broken.add("hosts")
    if _overlap(spans):
        broken.add("overlap")
    if len({_school_year(day) for day in counted}) > 1:
        broken.add("school_year")
    return [code for code in PERIOD_CODES if code in broken]


def _level(level: object, levels: Mapping[str, Level]) -> Level:
    if not isinstance(level, str) or level not in levels:
        raise ValueError(f"unknown level {level!r}: use one of {', '.join(levels)}")
    return levels[level]


def _is_date(value: object) -> bool:
    # A datetime is a date too, but a period is made of whole days.
    return isinstance(value, Date) and not isinstance(value, datetime.datetime)


def _periods(periods: object) -> list[tuple[Date, Date]]:
    if isinstance(periods, str | bytes) or not isinstance(periods, Iterable):
        raise ValueError(f"periods is a list of (first_day, last_day) pairs, got {periods!r}")
    spans = []
    for period in periods:
        try:
            first, last = period
        except (TypeError, ValueError):
            raise ValueError(f"a period is a (first_day, last_day) pair, got {period!r}") from None
        if not (_is_date(first) and _is_date(last)):
            raise ValueError(f"a period is made of two dates (datetime.date), got {period!r}")
        if last < first:
            raise ValueError(f"the period {first} to {last} ends before it starts")
        spans.append((first, last))
    if not spans:
        raise ValueError("no period given: a stay has at least one (first_day, last_day)")
    return spans


def _calendar(
    zone: object, holidays: SchoolCalendar | Iterable[Date | tuple[Date, Date]] | None
) -> SchoolCalendar:
    if holidays is not None:
        if zone is not None:
            raise ValueError("give either zone or holidays, not both")
        if isinstance(holidays, SchoolCalendar):
            return holidays
        if isinstance(holidays, str | bytes) or not isinstance(holidays, Iterable):
            raise ValueError(
                "holidays is a SchoolCalendar or a list of dates and (first_day, last_day) "
                f"pairs, got {holidays!r}"
            )
        return calendar_of("holidays given", holidays)
    zone = DEFAULT_ZONE if zone is None else zone
    if not isinstance(zone, str) or zone.upper() not in ZONES:
        raise ValueError(f"unknown zone {zone!r}: use one of {', '.join(ZONES)}")
    return ZONES[zone.upper()]


def _weekdays(weekdays: Iterable[str] | None) -> frozenset[int]:
    names = WORKING_WEEK if weekdays is None else weekdays
    if isinstance(names, str | bytes) or not isinstance(names, Iterable):
        raise ValueError(f"weekdays is a list of weekday names, got {weekdays!r}")
    indexes = set()
    for name in names:
        if not isinstance(name, str) or name not in WEEKDAYS:
            raise ValueError(f"unknown weekday {name!r}: use one of {', '.join(WEEKDAYS)}")
        indexes.add(WEEKDAYS.index(name))
    if not indexes:
        raise ValueError("weekdays is empty: give the days of the week the pupil is hosted")
    return frozenset(indexes)


def _public_holidays(days: Collection[Date] | None) -> Callable[[Date], bool]:
    if days is None:
        return lambda day: day in national_public_holidays(day.year)
    if isinstance(days, str | bytes) or not isinstance(days, Iterable):
        raise ValueError(f"public_holidays is a collection of dates, got {days!r}")
    chosen = frozenset(days)
    if not all(_is_date(day) for day in chosen):
        raise ValueError(f"public_holidays is a collection of dates, got {days!r}")
    return chosen.__contains__


def _days(first: Date, last: Date) -> Iterable[Date]:
    for offset in range((last - first).days + 1):
        yield first + datetime.timedelta(days=offset)


def _in_season(day: Date, season: str, calendar: SchoolCalendar) -> bool:
    if season == JUNE:
        return day.month == 6
    return calendar.is_holiday(day) == (season == HOLIDAYS)


def _overlap(spans: list[tuple[Date, Date]]) -> bool:
    ordered = sorted(spans)
    return any(later[0] <= earlier[1] for earlier, later in itertools.pairwise(ordered))


def _school_year(day: Date) -> int:
    """The year in which the school year of ``day`` begins (1 September)."""
    return day.year if day.month >= 9 else day.year - 1
