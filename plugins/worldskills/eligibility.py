"""Who may compete: the age limit of a skill in a competition.

A competitor must be at most N years old in the calendar year of the competition, that is
on 31 December of that year, whatever the day of the competition: N is 22 for most skills
of the WorldSkills Competition and 25 for a few (WorldSkills Lyon 2024, "Who can compete"),
25 at EuroSkills, and each competition sets its own for each skill (DOMAIN.md). So the
limit is data, ``AgeLimits``, one per competition, and the rules take it as an argument.

Only the year of birth matters: someone born on 1 January and someone born on 31 December
of the same year have the same age in the competition year. The sources set no minimum
age, so none is checked here.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .i18n import _


def age_in_year(birth_date: datetime.date, year: int) -> int:
    """The age a person born on ``birth_date`` reaches in ``year`` (on 31 December)."""
    _check_date(birth_date)
    _check_whole(year, "the year")
    return year - birth_date.year


def eligible(birth_date: datetime.date, competition_year: int, max_age_in_year: int) -> bool:
    """Whether a person born on ``birth_date`` is at most ``max_age_in_year`` years old in
    ``competition_year``: ``competition_year − birth_date.year <= max_age_in_year``.

    With a limit of 22 in 2026, a person born on 1 January 2004 may compete, one born on
    31 December 2003 may not. Raise ``ValueError`` unless ``birth_date`` is a date, the year
    a whole number and the limit a whole number of 0 or more.
    """
    _check_limit(max_age_in_year)
    return age_in_year(birth_date, competition_year) <= max_age_in_year


def earliest_birth_year(competition_year: int, max_age_in_year: int) -> int:
    """The first year of birth allowed: candidates born on 1 January of it or later compete."""
    _check_whole(competition_year, "the year")
    _check_limit(max_age_in_year)
    return competition_year - max_age_in_year


def refusal(birth_date: datetime.date, competition_year: int, max_age_in_year: int) -> str | None:
    """Why a person born on ``birth_date`` may not compete, in the current language, or
    ``None`` if they may (exactly when ``eligible`` is true)."""
    if eligible(birth_date, competition_year, max_age_in_year):
        return None
    return _(
        "Over the age limit: born before 1 January %(year)s (at most %(age)s years old "
        "in %(competition_year)s).",
        year=earliest_birth_year(competition_year, max_age_in_year),
        age=max_age_in_year,
        competition_year=competition_year,
    )


@dataclass(frozen=True)
class AgeLimits:
    """The age limits of one competition: ``default`` for most skills, ``by_skill`` for the
    others (by the skill's name: skill numbers change between competitions), and where the
    figures come from."""

    default: int
    by_skill: Mapping[str, int] = field(default_factory=dict)
    source: str = ""

    def __post_init__(self) -> None:
        _check_limit(self.default)
        for limit in self.by_skill.values():
            _check_limit(limit)
        object.__setattr__(self, "by_skill", MappingProxyType(dict(self.by_skill)))

    def for_skill(self, skill: str) -> int:
        """The oldest age allowed in the competition year for ``skill``."""
        return self.by_skill.get(skill, self.default)


def _check_date(value: Any) -> None:
    if not isinstance(value, datetime.date):
        raise ValueError(f"the date of birth must be a date, not {value!r}")


def _check_whole(value: Any, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be a whole number, not {value!r}")


def _check_limit(value: Any) -> None:
    _check_whole(value, "the age limit")
    if value < 0:
        raise ValueError(f"the age limit cannot be negative, not {value}")


WORLDSKILLS_LYON_2024 = AgeLimits(
    default=22,
    by_skill={
        "Aircraft Maintenance": 25,
        "Information Network Cabling": 25,
        "Manufacturing Team Challenge": 25,
        "Mechatronics": 25,
    },
    source="WorldSkills Lyon 2024, FAQ “Who can compete at a WorldSkills Competition?”",
)
EUROSKILLS = AgeLimits(
    default=25,
    source="EuroSkills: competitors up to the age of 25 (EuroSkills 2020 skills page; DOMAIN.md)",
)
