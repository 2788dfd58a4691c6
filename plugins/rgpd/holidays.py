"""French public holidays and working days: where a period that ends on a day off ends.

Regulation (EEC, Euratom) No 1182/71 art. 2: *public holidays* are the days designated as
such in the Member State where the action is to be taken, and *working days* are all days
other than public holidays, Sundays and Saturdays. In France the public holidays are the
eleven "fêtes légales" of the Code du travail, art. L3133-1 (``FRENCH_PUBLIC_HOLIDAYS``):
eight on fixed dates, three counted from Easter Sunday.

The three departments of Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle) have two more, by
art. L3134-13: Good Friday (in communes with a Protestant temple or a mixed church) and
26 December (``ALSACE_MOSELLE``). They are local, not national, so they count only where a
region passes them as ``extra_holidays``; a region overseas passes the day of the abolition
of slavery of its department the same way, as a ``FixedHoliday``.

Easter Sunday comes from ``dateutil.easter`` (the Gregorian computus, the date the Church
and the French calendar use): a maintained, widely used implementation, already installed
with ``icalendar``, rather than the project's own copy of clever arithmetic.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from dateutil.easter import EASTER_WESTERN, easter

# A year in which 29 February does not exist: a fixed holiday must fall every year.
_COMMON_YEAR = 2001


@dataclass(frozen=True)
class FixedHoliday:
    """A public holiday on the same date every year (``month``, ``day``)."""

    name: str
    month: int
    day: int

    def __post_init__(self) -> None:
        try:
            datetime.date(_COMMON_YEAR, self.month, self.day)
        except (TypeError, ValueError):
            raise ValueError(
                f"A fixed holiday needs a month and a day that exist every year; "
                f"{self.name!r} has month={self.month!r}, day={self.day!r}."
            ) from None

    def on(self, year: int) -> datetime.date:
        """The date of this holiday in ``year``."""
        return datetime.date(year, self.month, self.day)


@dataclass(frozen=True)
class EasterHoliday:
    """A public holiday ``days_after_easter`` days after Easter Sunday (negative: before)."""

    name: str
    days_after_easter: int

    def __post_init__(self) -> None:
        if not isinstance(self.days_after_easter, int) or isinstance(self.days_after_easter, bool):
            raise ValueError(
                f"An Easter holiday needs a whole number of days after Easter; "
                f"{self.name!r} has {self.days_after_easter!r}."
            )
        # Easter falls between 22 March and 25 April: this keeps the holiday in its year.
        if not -80 <= self.days_after_easter <= 250:
            raise ValueError(
                f"{self.name!r}: {self.days_after_easter} days after Easter leaves the year."
            )

    def on(self, year: int) -> datetime.date:
        """The date of this holiday in ``year``."""
        return easter(year, EASTER_WESTERN) + datetime.timedelta(days=self.days_after_easter)


HolidayRule = FixedHoliday | EasterHoliday


class Holiday(NamedTuple):
    """One public holiday of a year: its date and the code of its name (``"whit_monday"``).

    Names are stable codes, not text for people: screens translate them.
    """

    day: datetime.date
    name: str


# Code du travail, art. L3133-1 (the "fêtes légales"), in the article's order.
FRENCH_PUBLIC_HOLIDAYS: tuple[HolidayRule, ...] = (
    FixedHoliday("new_year", 1, 1),
    EasterHoliday("easter_monday", 1),
    FixedHoliday("labour_day", 5, 1),
    FixedHoliday("victory_in_europe", 5, 8),
    EasterHoliday("ascension", 39),
    EasterHoliday("whit_monday", 50),
    FixedHoliday("national_day", 7, 14),
    FixedHoliday("assumption", 8, 15),
    FixedHoliday("all_saints", 11, 1),
    FixedHoliday("armistice", 11, 11),
    FixedHoliday("christmas", 12, 25),
)

# Code du travail, art. L3134-13: Bas-Rhin, Haut-Rhin and Moselle only. Good Friday is
# due in communes with a Protestant temple or a mixed church; regions apply it across the
# three departments, as their employers commonly do.
ALSACE_MOSELLE: tuple[HolidayRule, ...] = (
    EasterHoliday("good_friday", -2),
    FixedHoliday("st_stephen", 12, 26),
)


def require_date(value: object, what: str) -> datetime.date:
    """``value`` if it is a ``datetime.date``; a ``ValueError`` naming ``what`` otherwise.

    A ``datetime`` is refused rather than cut to its date: which day a moment falls on
    depends on a time zone these rules cannot know (23:30 UTC is already the next day in
    Paris). Callers convert in the region's time zone first.
    """
    if isinstance(value, datetime.datetime):
        raise ValueError(
            f"{what} must be a date, not a date and time ({value.isoformat()}): "
            f"take its date in the region's time zone first."
        )
    if not isinstance(value, datetime.date):
        raise ValueError(f"{what} must be a date, not {value!r}.")
    return value


def public_holidays(year: int, *, extra_holidays: Iterable[HolidayRule] = ()) -> list[Holiday]:
    """The French public holidays of ``year`` with their names, in date order.

    ``extra_holidays`` adds a region's local days (``ALSACE_MOSELLE``, or any
    ``FixedHoliday`` / ``EasterHoliday``). Two holidays may share a date (Ascension fell on
    1 May in 2008): both are listed.
    """
    year = _require_year(year)
    rules = FRENCH_PUBLIC_HOLIDAYS + require_rules(extra_holidays)
    return sorted(Holiday(rule.on(year), rule.name) for rule in rules)


def french_public_holidays(
    year: int, *, extra_holidays: Iterable[HolidayRule] = ()
) -> frozenset[datetime.date]:
    """The dates of the French public holidays of ``year`` (Code du travail L3133-1).

    ``extra_holidays`` adds a region's local days, e.g. ``ALSACE_MOSELLE``.
    """
    return _holiday_dates(_require_year(year), require_rules(extra_holidays))


def is_working_day(day: datetime.date, *, extra_holidays: Iterable[HolidayRule] = ()) -> bool:
    """Whether ``day`` is a working day: neither a Saturday, a Sunday nor a public holiday.

    Regulation 1182/71 art. 2(2), with the French holidays and ``extra_holidays``.
    """
    day = require_date(day, "The day")
    return _is_working_day(day, require_rules(extra_holidays))


def first_working_day_from(
    day: datetime.date, *, extra_holidays: Iterable[HolidayRule] = ()
) -> datetime.date:
    """``day`` itself if it is a working day, else the first working day after it.

    Where a period ending on ``day`` ends under Regulation 1182/71 art. 3(4).
    """
    day = require_date(day, "The day")
    rules = require_rules(extra_holidays)
    try:
        while not _is_working_day(day, rules):
            day += datetime.timedelta(days=1)
    except OverflowError:
        raise ValueError("No working day is left before the end of the calendar.") from None
    return day


def _is_working_day(day: datetime.date, rules: tuple[HolidayRule, ...]) -> bool:
    return day.weekday() < 5 and day not in _holiday_dates(day.year, rules)


@functools.lru_cache(maxsize=256)
def _holiday_dates(year: int, extra: tuple[HolidayRule, ...]) -> frozenset[datetime.date]:
    return frozenset(rule.on(year) for rule in FRENCH_PUBLIC_HOLIDAYS + extra)


def _require_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValueError(f"The year must be a whole number, not {year!r}.")
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise ValueError(
            f"The year must be between {datetime.MINYEAR} and {datetime.MAXYEAR}, not {year}."
        )
    return year


def require_rules(rules: Iterable[HolidayRule]) -> tuple[HolidayRule, ...]:
    """``rules`` as a tuple, each a ``FixedHoliday`` or ``EasterHoliday`` (else ``ValueError``)."""
    try:
        checked = tuple(rules)
    except TypeError:
        raise ValueError(
            f"extra_holidays must be a list of FixedHoliday or EasterHoliday, not {rules!r}."
        ) from None
    for rule in checked:
        if not isinstance(rule, FixedHoliday | EasterHoliday):
            raise ValueError(
                f"extra_holidays must hold FixedHoliday or EasterHoliday rules, not {rule!r}."
            )
    return checked
