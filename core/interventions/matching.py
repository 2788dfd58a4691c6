"""Matching: ranked, explained suggestions of ambassadors for a request waiting for one.

Candidates are the directory's (visible, offering the type and the mode, covering the
school by zone or distance, not paused), filtered and ranked in one SQL query: occupation
match with the topic asked, then distance, then room left in the month, then least
recently solicited. Each of the few suggestions shown says why it is there.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import peewee
from babel.dates import format_date
from babel.numbers import format_decimal

from ..auth.models import Account
from ..clock import now
from ..errors import NotAllowed
from ..i18n import _, get_locale, ngettext
from ..people import directory
from ..people.models import Ambassador, Mode
from ..text import normalise
from . import access, agenda, times
from .models import COMMITTED, Intervention

DEFAULT_SUGGESTIONS = 10


@dataclass(frozen=True)
class Suggestion:
    """An ambassador proposed for a request, and the reasons, in words."""

    profile: directory.PublicProfile
    capacity_left: int
    reasons: list[str]


def suggestions(
    viewer: Account | None, intervention: Intervention, limit: int = DEFAULT_SUGGESTIONS
) -> list[Suggestion]:
    """The best ambassadors for ``intervention``, best first; only its referents ask."""
    if not access.is_referent_of(viewer, intervention):
        raise NotAllowed(_("Only the referents of the school's territory match requests."))
    if not agenda.awaits_match(intervention):
        return []
    filters = directory.Filters(
        intervention_type=intervention.intervention_type,
        mode=intervention.mode,
        organisation=intervention.organisation_id if intervention.mode == Mode.ON_SITE else None,
    )
    query, place, distance2 = directory.candidates(filters)
    month = _month_of(intervention)
    left = _capacity_left(month)
    words = normalise(intervention.topic).split()
    score = _occupation_score(words)
    query = query.select_extend(left.alias("capacity_left"), score.alias("occupation_score"))
    query = query.where(left > 0)
    if intervention.ambassador_id is not None:  # left unanswered: someone else
        query = query.where(Ambassador.id != intervention.ambassador_id)
    ordering: list[peewee.Node] = [score.desc()]
    if distance2 is not None:
        ordering.append(distance2.asc(nulls="last"))
    ordering += [left.desc(), Ambassador.last_solicited_at.asc(nulls="first"), Ambassador.id]
    rows = list(query.order_by(*ordering).limit(limit))
    profiles = directory.profiles(rows)
    return [
        Suggestion(
            profile=profile,
            capacity_left=row.capacity_left,
            reasons=_reasons(row, profile, words, place, month),
        )
        for row, profile in zip(rows, profiles, strict=True)
    ]


def _month_of(intervention: Intervention) -> datetime.datetime:
    """The date whose month the ambassador's room is counted in: the first date to come."""
    upcoming = [slot.starts_at for slot in intervention.slots if slot.starts_at > now()]
    return min(upcoming) if upcoming else intervention.starts_at


def _capacity_left(month: datetime.datetime) -> peewee.Node:
    """Monthly capacity minus the interventions committed in ``month``, per ambassador (SQL)."""
    start, end = times.month_bounds(month)
    committed = Intervention.select(peewee.fn.COUNT(Intervention.id)).where(
        Intervention.ambassador == Ambassador.id,
        Intervention.status.in_(list(COMMITTED)),
        Intervention.starts_at >= start,
        Intervention.starts_at < end,
    )
    return Ambassador.monthly_capacity - committed


def _occupation_score(words: list[str]) -> peewee.Node:
    """How many words of the topic the ambassador's occupation, sector or ROME code holds."""
    if not words:
        return peewee.Value(0)
    score: peewee.Node = peewee.Value(0)
    for word in words:
        score = score + peewee.Case(None, [(Ambassador.search_text.contains(stem(word)), 1)], 0)
    return score


def stem(word: str) -> str:
    """A light stem of a normalised word: its ending dropped, so that a topic "soudure"
    finds a "soudeuse" and "boulangerie" a "boulanger" (never shorter than 4 letters)."""
    return word[: max(4, len(word) - 3)]


def _reasons(
    row: Ambassador,
    profile: directory.PublicProfile,
    words: list[str],
    place: directory.Place | None,
    month: datetime.datetime,
) -> list[str]:
    reasons = []
    if words and row.occupation_score:
        reasons.append(
            _("Occupation close to the topic asked: %(occupation)s.", occupation=profile.occupation)
        )
    elif words:
        reasons.append(_("Occupation different from the topic asked."))
    if profile.distance_km is not None:
        reasons.append(
            _(
                "%(km)s km from %(place)s.",
                km=format_decimal(profile.distance_km, locale=get_locale()),
                place=place.name,
            )
        )
    elif place is not None:
        reasons.append(_("Intervenes in the school's territory."))
    else:
        reasons.append(_("Intervenes remotely."))
    reasons.append(
        ngettext(
            "%(num)s intervention left in %(month)s.",
            "%(num)s interventions left in %(month)s.",
            row.capacity_left,
            month=format_date(times.to_local(month), "MMMM y", locale=get_locale()),
        )
    )
    if row.last_solicited_at is None:
        reasons.append(_("Never solicited yet."))
    else:
        reasons.append(
            _(
                "Last solicited on %(date)s.",
                date=times.shown(row.last_solicited_at, with_time=False),
            )
        )
    return reasons
