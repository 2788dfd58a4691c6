"""A placement's weekly schedule and dates, checked against the rules for minors.

The schedule is checked with ``rules.check_week`` for the age the pupil has on each day of
the stay: a pupil who turns 16 during the stay has two ages, and the week must keep the
rules of both (the stricter band of under 16 therefore applies to the whole stay, on the
safe side). The dates are checked with ``rules.check_periods`` on the days the schedule
has hours, in the region's zone of school holidays. A seconde's stay may be split between
two hosts: the pupil's other half (same school, name and birth date) is checked with it,
and the two weeks are only required once both halves are there.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping, Sequence

from tremplin.errors import Invalid

from .i18n import _
from .rules import PERIOD_CODES, WEEK_CODES, WEEKDAYS, check_periods, check_week, explain

Stretches = Sequence[tuple[str, str]]
SECONDE = "2de"
TWO_WEEKS = datetime.timedelta(days=13)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Whole years of a person born on ``birth_date``, on ``day`` (born 29 February: a year
    older on 1 March of common years)."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def ages_during(birth_date: datetime.date, first: datetime.date, last: datetime.date) -> list[int]:
    """The ages a pupil has on the days from ``first`` to ``last``, youngest first."""
    return sorted({age_on(birth_date, first), age_on(birth_date, last)})


def as_week(schedule: Mapping[str, Stretches]) -> list[tuple[str, list[tuple[datetime.time, ...]]]]:
    """The schedule as ``check_week`` reads it: ``(weekday, [(start, end), ...])``."""
    return [
        (
            day,
            [
                (datetime.time.fromisoformat(start), datetime.time.fromisoformat(end))
                for start, end in schedule[day]
            ],
        )
        for day in WEEKDAYS
        if schedule.get(day)
    ]


def load(text: str) -> dict[str, list[tuple[str, str]]]:
    """A stored schedule (JSON) as ``{weekday: [(start, end), ...]}``."""
    return {day: [tuple(pair) for pair in pairs] for day, pairs in json.loads(text or "{}").items()}


def dump(schedule: Mapping[str, Stretches]) -> str:
    """A schedule as stored: JSON, days in the week's order."""
    return json.dumps(
        {day: [list(pair) for pair in schedule[day]] for day in WEEKDAYS if day in schedule}
    )


def weekly_minutes(schedule: Mapping[str, Stretches]) -> int:
    """Minutes of presence in the week."""
    total = 0
    for stretches in schedule.values():
        for start, end in stretches:
            s, e = datetime.time.fromisoformat(start), datetime.time.fromisoformat(end)
            total += (e.hour * 60 + e.minute) - (s.hour * 60 + s.minute)
    return total


def week_violations(
    birth_date: datetime.date,
    first: datetime.date,
    last: datetime.date,
    schedule: Mapping[str, Stretches],
) -> list[str]:
    """Codes of ``check_week`` the schedule breaks for any age of the pupil during the stay."""
    if birth_date >= first:
        raise Invalid({"pupil_birth_date": [_("The pupil is born before the stay.")]})
    week = as_week(schedule)
    try:
        found = {
            code for age in ages_during(birth_date, first, last) for code in check_week(age, week)
        }
    except ValueError as error:  # overlapping stretches: an error of input
        raise Invalid({"schedule": [_("Two stretches of a day overlap.")]}) from error
    return [code for code in WEEK_CODES if code in found]


def period_violations(
    level: str,
    periods: Iterable[tuple[datetime.date, datetime.date]],
    schedule: Mapping[str, Stretches],
    zone: str,
) -> list[str]:
    """Codes of ``check_periods`` the stay breaks, counting the days the schedule has hours."""
    periods = sorted(periods)
    weekdays = [day for day in WEEKDAYS if schedule.get(day)]
    try:
        found = check_periods(level, periods, zone=zone, weekdays=weekdays)
    except ValueError as error:
        raise Invalid(
            {
                "first_day": [
                    _("The school calendar does not cover these dates yet: choose other dates.")
                ]
            }
        ) from error
    if level == SECONDE and len(periods) == 1 and periods[0][1] - periods[0][0] < TWO_WEEKS:
        # The first half of a split stay: the two weeks are counted once the other is there.
        found = [code for code in found if code != "duration"]
    return [code for code in PERIOD_CODES if code in found]


def require_lawful(
    level: str,
    birth_date: datetime.date,
    periods: Sequence[tuple[datetime.date, datetime.date]],
    schedule: Mapping[str, Stretches],
    zone: str,
) -> None:
    """Raise ``Invalid`` naming each rule the schedule (``schedule``) and the dates
    (``first_day``) break, with its source, in the reader's language."""
    first = min(period[0] for period in periods)
    last = max(period[1] for period in periods)
    errors = {}
    week = week_violations(birth_date, first, last, schedule)
    if week:
        errors["schedule"] = [explain(code) for code in week]
    dates = period_violations(level, periods, schedule, zone)
    if dates:
        errors["first_day"] = [explain(code, level) for code in dates]
    if errors:
        raise Invalid(errors)


def violations(
    level: str,
    birth_date: datetime.date,
    periods: Sequence[tuple[datetime.date, datetime.date]],
    schedule: Mapping[str, Stretches],
    zone: str,
) -> list[str]:
    """Every code the schedule and dates break (week's first, then dates'); empty: lawful."""
    first = min(period[0] for period in periods)
    last = max(period[1] for period in periods)
    return week_violations(birth_date, first, last, schedule) + period_violations(
        level, periods, schedule, zone
    )
