"""French public holidays (jours fériés), on which a pupil is not hosted.

The eleven days of the Code du travail L3133-1; young workers do not work on them
(L3164-6). Alsace-Moselle adds Good Friday and 26 December (L3134-13) and each overseas
department a day of its own: a region there passes its own list.
"""

from __future__ import annotations

import datetime
import functools

Date = datetime.date


def easter_sunday(year: int) -> Date:
    """Easter Sunday of the Gregorian calendar (the anonymous algorithm of Meeus)."""
    golden = year % 19
    century, in_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    moon_correction = (century + 8) // 25
    moon_shift = (century - moon_correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - moon_shift + 15) % 30
    quarter, quarter_rest = divmod(in_century, 4)
    weekday_shift = (32 + 2 * century_rest + 2 * quarter - epact - quarter_rest) % 7
    correction = (golden + 11 * epact + 22 * weekday_shift) // 451
    month, day = divmod(epact + weekday_shift - 7 * correction + 114, 31)
    return Date(year, month, day + 1)


@functools.cache
def public_holidays(year: int) -> frozenset[Date]:
    """The national public holidays of ``year`` (Code du travail L3133-1)."""
    easter = easter_sunday(year)
    return frozenset(
        {
            Date(year, 1, 1),  # Jour de l'an
            easter + datetime.timedelta(days=1),  # Lundi de Pâques
            Date(year, 5, 1),  # Fête du travail
            Date(year, 5, 8),  # Victoire 1945
            easter + datetime.timedelta(days=39),  # Ascension
            easter + datetime.timedelta(days=50),  # Lundi de Pentecôte
            Date(year, 7, 14),  # Fête nationale
            Date(year, 8, 15),  # Assomption
            Date(year, 11, 1),  # Toussaint
            Date(year, 11, 11),  # Armistice 1918
            Date(year, 12, 25),  # Noël
        }
    )
