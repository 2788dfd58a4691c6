"""School holidays of metropolitan France, zones A, B and C, as data with their source.

The national school calendar is fixed by ministerial order (arrêté) for several years at a
time: the order of 7 December 2022 (NOR MENE2229099A, JORF of 8 December 2022) for
2023-2024, 2024-2025 and 2025-2026, and the calendar of 2026-2027 the ministry publishes
(https://www.education.gouv.fr/calendrier-scolaire-100148). Each holiday is written here
as the official tables give it: the day classes end ("fin des cours", classes stop after
that day) and the day they resume ("jour de reprise", in the morning). The days strictly
between the two are days without classes.

Academies by zone (same order): A: Besançon, Bordeaux,
Clermont-Ferrand, Dijon, Grenoble, Limoges, Lyon, Poitiers; B: Aix-Marseille, Amiens,
Caen, Lille, Nancy-Metz, Nantes, Nice, Orléans-Tours, Reims, Rennes, Rouen, Strasbourg;
C: Créteil, Montpellier, Paris, Toulouse, Versailles. Hauts-de-France (academies of Lille
and Amiens) is in zone B. Corsica and the overseas academies have their own calendars:
a region there passes its own (``SchoolCalendar`` or a list of date ranges).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

Date = datetime.date
Range = tuple[Date, Date]

DEFAULT_ZONE = "B"

SOURCE = (
    "Arrêté du 7 décembre 2022 fixant le calendrier scolaire des années 2023-2024, "
    "2024-2025 et 2025-2026 (NOR MENE2229099A, JORF du 8 décembre 2022); calendrier "
    "scolaire 2026-2027 (education.gouv.fr/calendrier-scolaire-100148)."
)


@dataclass(frozen=True)
class SchoolCalendar:
    """The days without classes of one zone, and the span of days the calendar knows.

    ``holidays`` are inclusive ``(first_day, last_day)`` ranges of days without classes.
    ``first_day``/``last_day`` bound the days the calendar can answer for (``None``: no
    bound); asking about a day outside them is an error, never a guess.
    """

    name: str
    holidays: tuple[Range, ...]
    source: str = ""
    first_day: Date | None = None
    last_day: Date | None = None

    def covers(self, day: Date) -> bool:
        """Whether the calendar knows if ``day`` is a school day."""
        return (self.first_day is None or self.first_day <= day) and (
            self.last_day is None or day <= self.last_day
        )

    def is_holiday(self, day: Date) -> bool:
        """Whether ``day`` has no classes; ``ValueError`` if the calendar does not cover it."""
        if not self.covers(day):
            raise ValueError(
                f"the school calendar {self.name!r} covers {self.first_day} to "
                f"{self.last_day}, not {day}: pass the calendar of that year (holidays=...)"
            )
        return any(first <= day <= last for first, last in self.holidays)


def between_classes(end_of_classes: Date, resumption: Date) -> Range:
    """The days without classes of a holiday given as the official tables give it."""
    return (
        end_of_classes + datetime.timedelta(days=1),
        resumption - datetime.timedelta(days=1),
    )


def calendar_of(
    name: str, holidays: Iterable[Date | tuple[Date, Date]], source: str = ""
) -> SchoolCalendar:
    """A calendar from days without classes, with no bound of coverage.

    Each entry is an inclusive ``(first_day, last_day)`` range or a single date. This is
    what a region passes for a zone or an academy the plugin does not ship; every day
    outside them counts as a school day.
    """
    ranges = []
    for entry in holidays:
        if _is_date(entry):
            ranges.append((entry, entry))
            continue
        try:
            first, last = entry
        except (TypeError, ValueError):
            raise ValueError(
                f"a holiday is a date or a (first_day, last_day) pair, got {entry!r}"
            ) from None
        if not (_is_date(first) and _is_date(last)):
            raise ValueError(f"a holiday is a date or a (first_day, last_day) pair, got {entry!r}")
        if last < first:
            raise ValueError(f"the holiday {first} to {last} ends before it starts")
        ranges.append((first, last))
    return SchoolCalendar(name, tuple(sorted(ranges)), source)


def _is_date(value: object) -> bool:
    # A datetime is a date too, but a holiday is made of whole days.
    return isinstance(value, Date) and not isinstance(value, datetime.datetime)


# (last day of classes, day classes resume), common to the three zones.
_COMMON = (
    # Summer 2024, from the calendar of 2023-2024.
    (Date(2024, 7, 6), Date(2024, 9, 2)),
    # 2024-2025
    (Date(2024, 10, 19), Date(2024, 11, 4)),  # Toussaint
    (Date(2024, 12, 21), Date(2025, 1, 6)),  # Noël
    (Date(2025, 5, 28), Date(2025, 6, 2)),  # Pont de l'Ascension
    (Date(2025, 7, 5), Date(2025, 9, 1)),  # Été
    # 2025-2026
    (Date(2025, 10, 18), Date(2025, 11, 3)),
    (Date(2025, 12, 20), Date(2026, 1, 5)),
    (Date(2026, 5, 13), Date(2026, 5, 18)),
    (Date(2026, 7, 4), Date(2026, 9, 1)),
    # 2026-2027
    (Date(2026, 10, 17), Date(2026, 11, 2)),
    (Date(2026, 12, 19), Date(2027, 1, 4)),
    (Date(2027, 5, 5), Date(2027, 5, 10)),
    # The return of September 2027 is not fixed yet; classes never resume before
    # 1 September, which is why the calendars end on 31 August 2027.
    (Date(2027, 7, 3), Date(2027, 9, 1)),
)

# Winter and spring holidays, which differ by zone.
_BY_ZONE = {
    "A": (
        (Date(2025, 2, 22), Date(2025, 3, 10)),
        (Date(2025, 4, 19), Date(2025, 5, 5)),
        (Date(2026, 2, 7), Date(2026, 2, 23)),
        (Date(2026, 4, 4), Date(2026, 4, 20)),
        (Date(2027, 2, 13), Date(2027, 3, 1)),
        (Date(2027, 4, 10), Date(2027, 4, 26)),
    ),
    "B": (
        (Date(2025, 2, 8), Date(2025, 2, 24)),
        # Classes resume on Tuesday 22 April: Monday 21 April 2025 is Easter Monday.
        (Date(2025, 4, 5), Date(2025, 4, 22)),
        (Date(2026, 2, 14), Date(2026, 3, 2)),
        (Date(2026, 4, 11), Date(2026, 4, 27)),
        (Date(2027, 2, 20), Date(2027, 3, 8)),
        (Date(2027, 4, 17), Date(2027, 5, 3)),
    ),
    "C": (
        (Date(2025, 2, 15), Date(2025, 3, 3)),
        (Date(2025, 4, 12), Date(2025, 4, 28)),
        (Date(2026, 2, 21), Date(2026, 3, 9)),
        (Date(2026, 4, 18), Date(2026, 5, 4)),
        (Date(2027, 2, 6), Date(2027, 2, 22)),
        (Date(2027, 4, 3), Date(2027, 4, 19)),
    ),
}

FIRST_DAY = Date(2024, 7, 7)
LAST_DAY = Date(2027, 8, 31)

ZONES: dict[str, SchoolCalendar] = {
    zone: SchoolCalendar(
        name=f"zone {zone}",
        holidays=tuple(sorted(between_classes(*dates) for dates in (*_COMMON, *by_zone))),
        source=SOURCE,
        first_day=FIRST_DAY,
        last_day=LAST_DAY,
    )
    for zone, by_zone in _BY_ZONE.items()
}
