"""The rules of each intervention type, as plain data and pure functions.

A class talk lasts one lesson, 45 minutes at most (DOMAIN.md); a company visit happens on
site with accompanying adults; a webinar is remote; an internship hosts a few pupils.
Plugins add their own rules through the ``validate_intervention`` hook.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from ..i18n import _
from ..people.models import InterventionType, Mode

MAX_SLOTS = 3
MAX_DECLINE_SLOTS = 3


@dataclass(frozen=True)
class TypeRule:
    """What a type of intervention allows."""

    min_minutes: int
    max_minutes: int
    modes: tuple[Mode, ...]
    max_group: int
    needs_adults: bool = False


RULES: dict[str, TypeRule] = {
    InterventionType.CLASS_TALK: TypeRule(15, 45, (Mode.ON_SITE, Mode.REMOTE), 60),
    InterventionType.FORUM: TypeRule(30, 10 * 60, (Mode.ON_SITE, Mode.REMOTE), 5000),
    InterventionType.COMPANY_VISIT: TypeRule(30, 8 * 60, (Mode.ON_SITE,), 60, needs_adults=True),
    # A discovery internship lasts up to a school week, counted in hours of presence.
    InterventionType.INTERNSHIP: TypeRule(60, 5 * 8 * 60, (Mode.ON_SITE,), 4),
    InterventionType.WEBINAR: TypeRule(15, 3 * 60, (Mode.REMOTE,), 5000),
}


def violations(
    intervention_type: str,
    mode: str,
    duration_minutes: int,
    group_size: int,
    accompanying_adults: int | None,
    slots: Sequence[datetime.datetime],
    now: datetime.datetime,
) -> dict[str, list[str]]:
    """Field errors of a request against its type's rules (empty when it follows them).

    ``slots`` and ``now`` are both UTC; every slot must be in the future.
    """
    rule = RULES[intervention_type]
    errors: dict[str, list[str]] = {}
    if mode not in rule.modes:
        errors["mode"] = [
            _("This kind of intervention happens on site only.")
            if rule.modes == (Mode.ON_SITE,)
            else _("This kind of intervention happens remotely only.")
        ]
    if not rule.min_minutes <= duration_minutes <= rule.max_minutes:
        errors["duration_minutes"] = [
            _(
                "For this kind of intervention, the duration is between %(min)s and "
                "%(max)s minutes.",
                min=rule.min_minutes,
                max=rule.max_minutes,
            )
        ]
    if group_size > rule.max_group:
        errors["group_size"] = [
            _("At most %(max)s young people for this kind of intervention.", max=rule.max_group)
        ]
    if rule.needs_adults and not accompanying_adults:
        errors["accompanying_adults"] = [
            _("Say how many adults accompany the group: at least one.")
        ]
    slot_errors = slot_violations(slots, now, MAX_SLOTS)
    if slot_errors:
        errors["slots"] = slot_errors
    return errors


def slot_violations(
    slots: Sequence[datetime.datetime], now: datetime.datetime, most: int, required: bool = True
) -> list[str]:
    """Messages about proposed ``slots``: how many, in the future, no duplicates."""
    if not slots:
        return [_("Propose at least one date and time.")] if required else []
    if len(slots) > most:
        return [_("Propose at most %(count)s dates.", count=most)]
    if any(slot <= now for slot in slots):
        return [_("Every proposed date must be in the future.")]
    if len(set(slots)) != len(slots):
        return [_("The same date is proposed twice.")]
    return []
