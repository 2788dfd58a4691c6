"""A pupil's week at a host, checked against the protection of young workers' time.

A pupil in a discovery internship keeps school status but is protected like a young
worker: the Code du travail's rules on young workers' time apply to the young who are in
the workplace as part of their schooling (L3161-1). They cover the hours a day and a week,
the longest stretch without a break, night, daily and weekly rest. The limits are data
(``Limits``), with their sources; ``check_week`` reads a weekly timetable against them.

How the timetable is read (docs/plugins/stages.md says why):

- A timetable is one week, Monday to Sunday, that repeats for as long as the stay lasts:
  Sunday is followed by Monday, for the daily rest, for the stretches of work and for the
  two consecutive rest days (a week worked Tuesday to Saturday rests Sunday and Monday).
- An interval lies within its day: it ends after it starts. A presence across midnight is
  night work for any pupil and is refused as input rather than guessed.
- Touching intervals (08:00-12:00 and 12:00-14:00) are one continuous presence;
  overlapping ones are an error of input.
- A stretch of work ends with a gap of 30 minutes or more; shorter gaps do not count as
  the break the law asks for, and the work on either side adds up.
- The daily rest is read as the Code du travail's consecutive rest in every 24 hours: from
  the last end of a day to the first start of the next worked day, and within a day, whose
  span (first start to last end) leaves the rest in its 24 hours (10 hours at most under
  16, 12 from 16).
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# The codes check_week returns, in the order it returns them.
WEEK_CODES = ("daily_hours", "weekly_hours", "break", "night_work", "daily_rest", "weekly_rest")

_MICROSECOND = datetime.timedelta(microseconds=1)
_DAY = datetime.timedelta(days=1) // _MICROSECOND
_WEEK = 7 * _DAY

Interval = tuple[datetime.time, datetime.time]


@dataclass(frozen=True)
class AgeBand:
    """What changes with age: the daily rest and the hours of night."""

    daily_rest: datetime.timedelta
    night_starts: datetime.time
    night_ends: datetime.time


@dataclass(frozen=True)
class Limits:
    """The limits a pupil's week must keep, with their sources.

    - at most 7 hours of presence a day: circulaire n° 2003-134 of 8 September 2003
      (pupils under 16 hosted in the workplace) and the model conventions of the
      observation sequences (3e; seconde, BO n° 13 of 28 March 2024), stricter than the
      8 hours of young workers (Code du travail L3162-1);
    - at most 35 hours a week: L3162-1 and the same conventions;
    - no stretch of work over 4 h 30, a break of at least 30 consecutive minutes: L3162-3;
    - daily rest of 14 consecutive hours under 16, 12 from 16: L3164-1;
    - two consecutive days of rest a week: L3164-2;
    - no work from 20:00 to 06:00 under 16, from 22:00 to 06:00 from 16: L3163-1, L3163-2.

    From 18, a pupil is no longer a young worker; the conventions keep the same limits and
    so does ``check_week``, with the band of 16 and over.
    """

    max_daily: datetime.timedelta = datetime.timedelta(hours=7)
    max_weekly: datetime.timedelta = datetime.timedelta(hours=35)
    max_stretch: datetime.timedelta = datetime.timedelta(hours=4, minutes=30)
    min_break: datetime.timedelta = datetime.timedelta(minutes=30)
    rest_days: int = 2
    older_from_age: int = 16
    younger: AgeBand = field(
        default=AgeBand(datetime.timedelta(hours=14), datetime.time(20, 0), datetime.time(6, 0))
    )
    older: AgeBand = field(
        default=AgeBand(datetime.timedelta(hours=12), datetime.time(22, 0), datetime.time(6, 0))
    )

    def band(self, age: int) -> AgeBand:
        """The rules of rest and night for a pupil of ``age``."""
        return self.younger if age < self.older_from_age else self.older


YOUNG_WORKERS = Limits()


def broken_week_rules(
    age: int,
    days: Iterable[tuple[str, Iterable[Interval]]],
    *,
    limits: Limits = YOUNG_WORKERS,
) -> list[str]:
    """The codes of ``WEEK_CODES`` ``days`` breaks at ``age``: ``rules.check_week``."""
    band = limits.band(_checked_age(age))
    schedule = _schedule(days)
    worked = sorted(day for day, intervals in schedule.items() if intervals)
    broken = set()
    day_lengths = [sum(end - start for start, end in schedule[day]) for day in worked]
    if any(length > _length(limits.max_daily) for length in day_lengths):
        broken.add("daily_hours")
    if sum(day_lengths) > _length(limits.max_weekly):
        broken.add("weekly_hours")
    if _longest_stretch(schedule, _length(limits.min_break)) > _length(limits.max_stretch):
        broken.add("break")
    if _works_at_night(schedule, band):
        broken.add("night_work")
    if _rest_too_short(schedule, worked, _length(band.daily_rest)):
        broken.add("daily_rest")
    if not _has_rest_days(worked, limits.rest_days):
        broken.add("weekly_rest")
    return [code for code in WEEK_CODES if code in broken]


def _checked_age(age: object) -> int:
    if isinstance(age, bool) or not isinstance(age, int):
        raise ValueError(f"the age is a whole number of years, got {age!r}")
    if age < 0:
        raise ValueError(f"the age cannot be negative, got {age}")
    return age


def _schedule(days: object) -> dict[int, list[tuple[int, int]]]:
    """``{weekday index: sorted [(start, end)]}`` in microseconds since midnight."""
    if isinstance(days, str | bytes) or not isinstance(days, Iterable):
        raise ValueError(f"days is a list of (weekday, intervals) pairs, got {days!r}")
    schedule: dict[int, list[tuple[int, int]]] = {}
    for entry in days:
        try:
            weekday, intervals = entry
        except (TypeError, ValueError):
            raise ValueError(f"a day is a (weekday, intervals) pair, got {entry!r}") from None
        if not isinstance(weekday, str) or weekday not in WEEKDAYS:
            raise ValueError(f"unknown weekday {weekday!r}: use one of {', '.join(WEEKDAYS)}")
        index = WEEKDAYS.index(weekday)
        if index in schedule:
            raise ValueError(f"{weekday} is given twice: give each day once with all its intervals")
        schedule[index] = _day(weekday, intervals)
    return schedule


def _day(weekday: str, intervals: object) -> list[tuple[int, int]]:
    if isinstance(intervals, str | bytes) or not isinstance(intervals, Iterable):
        raise ValueError(
            f"the intervals of {weekday} are a list of (start, end), got {intervals!r}"
        )
    bounds = []
    for interval in intervals:
        try:
            start, end = interval
        except (TypeError, ValueError):
            raise ValueError(
                f"an interval of {weekday} is a (start, end) pair, got {interval!r}"
            ) from None
        for bound in (start, end):
            if not isinstance(bound, datetime.time) or bound.tzinfo is not None:
                raise ValueError(
                    f"the bounds of {weekday}'s intervals are times of day without time "
                    f"zone (datetime.time), got {bound!r}"
                )
        if end <= start:
            raise ValueError(
                f"on {weekday}, {start.isoformat()}-{end.isoformat()} does not end after it "
                "starts: an interval lies within its day (a presence across midnight is "
                "night work, never lawful for a pupil)"
            )
        bounds.append((_moment(start), _moment(end)))
    bounds.sort()
    for (_, end), (start, _) in itertools.pairwise(bounds):
        if start < end:
            raise ValueError(f"on {weekday}, two intervals overlap: give each moment once")
    return bounds


def _moment(moment: datetime.time) -> int:
    since_midnight = datetime.timedelta(
        hours=moment.hour,
        minutes=moment.minute,
        seconds=moment.second,
        microseconds=moment.microsecond,
    )
    return since_midnight // _MICROSECOND


def _length(duration: datetime.timedelta) -> int:
    return duration // _MICROSECOND


def _on_the_week(schedule: dict[int, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Every interval in microseconds since Monday 00:00, in order."""
    return [
        (day * _DAY + start, day * _DAY + end)
        for day in sorted(schedule)
        for start, end in schedule[day]
    ]


def _longest_stretch(schedule: dict[int, list[tuple[int, int]]], min_break: int) -> int:
    """The most work done with no gap of ``min_break`` or more, the week repeating."""
    intervals = _on_the_week(schedule)
    if not intervals:
        return 0
    # gaps[i] is the time off before intervals[i]; the first follows last week's last.
    gaps = [
        start - (intervals[i - 1][1] - (_WEEK if i == 0 else 0))
        for i, (start, _) in enumerate(intervals)
    ]
    breaks = [i for i, gap in enumerate(gaps) if gap >= min_break]
    if not breaks:
        return sum(end - start for start, end in intervals)
    longest = stretch = 0
    for step in range(len(intervals)):
        i = (breaks[0] + step) % len(intervals)
        if gaps[i] >= min_break:
            stretch = 0
        stretch += intervals[i][1] - intervals[i][0]
        longest = max(longest, stretch)
    return longest


def _works_at_night(schedule: dict[int, list[tuple[int, int]]], band: AgeBand) -> bool:
    night_starts, night_ends = _moment(band.night_starts), _moment(band.night_ends)
    return any(
        start < night_ends or end > night_starts
        for intervals in schedule.values()
        for start, end in intervals
    )


def _rest_too_short(
    schedule: dict[int, list[tuple[int, int]]], worked: list[int], rest: int
) -> bool:
    for position, day in enumerate(worked):
        first_start = day * _DAY + schedule[day][0][0]
        last_end = day * _DAY + schedule[day][-1][1]
        following = worked[(position + 1) % len(worked)]
        next_start = following * _DAY + schedule[following][0][0]
        if following <= day:  # the next worked day is in next week
            next_start += _WEEK
        if last_end - first_start > _DAY - rest or next_start - last_end < rest:
            return True
    return False


def _has_rest_days(worked: list[int], rest_days: int) -> bool:
    resting = [day not in worked for day in range(len(WEEKDAYS))]
    return any(
        all(resting[(first + offset) % len(WEEKDAYS)] for offset in range(rest_days))
        for first in range(len(WEEKDAYS))
    )
