"""What each code of ``check_week`` and ``check_periods`` means, in the reader's language.

Each message names the rule broken and its source, for the host, the school and the
pupil's family; it is translated into the current locale (``tremplin.i18n``) when read.
"""

from __future__ import annotations

from babel.support import LazyProxy

from .i18n import lazy_gettext

_GENERAL: dict[str, LazyProxy] = {
    "daily_hours": lazy_gettext(
        "More than 7 hours in a day: a pupil is present at most 7 hours a day "
        "(circulaire n° 2003-134 of 8 September 2003; Code du travail, L3162-1)."
    ),
    "weekly_hours": lazy_gettext(
        "More than 35 hours in the week: a pupil is present at most 35 hours a week "
        "(Code du travail, L3162-1)."
    ),
    "break": lazy_gettext(
        "More than 4 h 30 of work in a row: after 4 h 30 of work at most, a pupil has a "
        "break of at least 30 consecutive minutes (Code du travail, L3162-3)."
    ),
    "night_work": lazy_gettext(
        "Presence at night: a pupil is never present from 20:00 to 06:00 under 16, from "
        "22:00 to 06:00 from 16 (Code du travail, L3163-1 and L3163-2)."
    ),
    "daily_rest": lazy_gettext(
        "Daily rest too short: in every 24 hours, a pupil rests at least 14 consecutive "
        "hours under 16, 12 from 16, so a day spans at most 10 or 12 hours "
        "(Code du travail, L3164-1)."
    ),
    "weekly_rest": lazy_gettext(
        "No two consecutive days of rest: a pupil rests two consecutive days every week "
        "(Code du travail, L3164-2)."
    ),
    "duration": lazy_gettext(
        "Wrong number of days: five for the observation sequence of 4e and 3e, ten (two "
        "weeks) for that of seconde, one to five for a holiday mini-stage; weekends and "
        "public holidays do not count (Code de l'éducation, D332-14 and D333-3-1)."
    ),
    "season": lazy_gettext(
        "A day out of season: the sequence of 4e and 3e takes place in school time, that "
        "of seconde in June, a mini-stage during the school holidays "
        "(Code de l'éducation, D332-14 and D333-3-1)."
    ),
    "hosts": lazy_gettext(
        "Too many hosts: the two weeks of seconde may be split between two hosts at most "
        "(circulaire of 28 March 2024, BO n° 13)."
    ),
    "overlap": lazy_gettext("Two periods share a day: a pupil is hosted in one place at a time."),
    "school_year": lazy_gettext(
        "The days fall in more than one school year: a stay belongs to one school year "
        "(1 September to 31 August)."
    ),
}

# Where the level says more than the general message.
_BY_LEVEL: dict[tuple[str, str], LazyProxy] = {
    ("duration", "3e"): lazy_gettext(
        "The sequence does not last five days: the observation sequence of 4e and 3e lasts "
        "five days, consecutive or not; weekends and public holidays do not count "
        "(Code de l'éducation, D332-14 and D331-6)."
    ),
    ("duration", "2de"): lazy_gettext(
        "The sequence does not last two weeks: the observation sequence of seconde lasts "
        "two weeks, ten days from Monday to Friday, public holidays not counted "
        "(Code de l'éducation, D333-3-1)."
    ),
    ("duration", "holidays"): lazy_gettext(
        "A holiday mini-stage lasts one to five days; weekends and public holidays do not count."
    ),
    ("season", "3e"): lazy_gettext(
        "A day falls in the school holidays: the observation sequence of 4e and 3e takes "
        "place in school time (Code de l'éducation, D332-14)."
    ),
    ("season", "2de"): lazy_gettext(
        "A day falls outside June: the observation sequence of seconde takes place in June "
        "(Code de l'éducation, D333-3-1)."
    ),
    ("season", "holidays"): lazy_gettext(
        "A day falls in school time: a mini-stage takes place during the school holidays."
    ),
}

_SAME_RULES = {"4e": "3e"}

CODES = tuple(_GENERAL)


def explain(code: str, level: str | None = None) -> str:
    """What ``code`` means: the rule broken and its source, in the current language.

    With ``level`` (``"4e"``, ``"3e"``, ``"2de"``, ``"holidays"``), the codes of
    ``check_periods`` are explained for that level (another name gets the general
    message). Raises ``ValueError`` for a code that neither ``check_week`` nor
    ``check_periods`` returns.
    """
    if not isinstance(code, str) or code not in _GENERAL:
        raise ValueError(f"unknown code {code!r}: use one of {', '.join(CODES)}")
    if level is not None and not isinstance(level, str):
        raise ValueError(f"the level is a name such as '3e', got {level!r}")
    level = _SAME_RULES.get(level, level)
    return str(_BY_LEVEL.get((code, level), _GENERAL[code]))
