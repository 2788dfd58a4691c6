"""The profile form of an ambassador, at registration and on their profile: the fields
that take several values, the options offered, and the ROME code of a suggested title.

The territories of a zone are offered grouped under their department (the region and its
academies first), each department's areas and basins below it, so that a person finds
their basin by its department and ticks boxes instead of holding Ctrl in a long list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..i18n import _
from ..territories.models import Territory, TerritoryKind
from ..text import normalise
from . import appellations, labels, service
from .models import AmbassadorKind, InterventionType, Mode
from .sectors import sector_choices

# Fields of the form that take several values (boxes to tick).
LIST_FIELDS = ("intervention_types", "modes", "zones")


def profile_choices() -> dict[str, Any]:
    """The options of the profile forms, at registration and on the profile."""
    return {
        "kinds": [
            (kind.value, labels.KIND_LABELS[kind], labels.KIND_HINTS[kind])
            for kind in AmbassadorKind
        ],
        "intervention_types": [
            (kind.value, labels.INTERVENTION_LABELS[kind]) for kind in InterventionType
        ],
        "modes": [(mode.value, labels.MODE_LABELS[mode]) for mode in Mode],
        "genders": list(labels.GENDER_LABELS.items()),
        "territories": [(territory.code, territory.name) for territory in service.zone_choices()],
        "occupation_suggestions": appellations.suggestions(),
        "zone_groups": zone_groups(service.zone_choices()),
        "sectors": [(sector, sector) for sector in sector_choices()],
        "labels": labels,
    }


def with_rome_code(values: dict[str, Any]) -> dict[str, Any]:
    """The submitted ``values``, with the ROME code of the title chosen among the
    suggestions of the occupation field when no code was typed ("Soudeuse TIG" -> H2913).

    Accents, case and spaces aside; an occupation that is no suggestion changes nothing.
    """
    if "occupation" not in values or (values.get("rome_code") or "").strip():
        return values
    wanted = normalise(values["occupation"])
    for suggestion in appellations.suggestions():
        if normalise(suggestion.label) == wanted:
            return {**values, "rome_code": suggestion.rome_code}
    return values


@dataclass(frozen=True)
class ZoneChoice:
    """One territory to tick: its code, the words shown, and how deep under its group."""

    code: str
    label: str
    depth: int


@dataclass
class ZoneGroup:
    """The territories of one department (or those above the departments), in tree order."""

    title: str
    choices: list[ZoneChoice] = field(default_factory=list)


ABOVE_DEPARTMENTS = (TerritoryKind.REGION, TerritoryKind.ACADEMY)


def zone_groups(territories: list[Territory]) -> list[ZoneGroup]:
    """``territories`` (widest first, as ``service.zone_choices`` gives them) in groups:
    the region and its academies, then each department with its areas and basins below it,
    then any territory outside a department of the list."""
    children: dict[int | None, list[Territory]] = defaultdict(list)
    for territory in territories:
        children[territory.parent_id].append(territory)
    top = [t for t in territories if t.kind in ABOVE_DEPARTMENTS]
    regions = [t for t in top if t.kind == TerritoryKind.REGION]
    groups = []
    if top:
        title = regions[0].name if len(regions) == 1 else _("Region and academies")
        groups.append(ZoneGroup(title, [_whole(t, 0) for t in top]))
    placed = {t.id for t in top}
    for department in (t for t in territories if t.kind == TerritoryKind.DEPARTMENT):
        group = ZoneGroup(department.name, [_whole(department, 0)])
        for territory, depth in _below(department, children, 1):
            group.choices.append(ZoneChoice(territory.code, territory.name, depth))
            placed.add(territory.id)
        placed.add(department.id)
        groups.append(group)
    others = [t for t in territories if t.id not in placed]
    if others:
        groups.append(
            ZoneGroup(_("Other territories"), [ZoneChoice(t.code, t.name, 0) for t in others])
        )
    return groups


def _whole(territory: Territory, depth: int) -> ZoneChoice:
    """A territory that covers others, said so: "Nord (whole department)"."""
    words = {
        TerritoryKind.REGION: _("%(name)s (whole region)", name=territory.name),
        TerritoryKind.ACADEMY: territory.name,
        TerritoryKind.DEPARTMENT: _("%(name)s (whole department)", name=territory.name),
    }
    return ZoneChoice(territory.code, words.get(territory.kind, territory.name), depth)


def _below(
    territory: Territory, children: dict[int | None, list[Territory]], depth: int
) -> Iterator[tuple[Territory, int]]:
    for child in children.get(territory.id, []):
        yield child, depth
        yield from _below(child, children, depth + 1)
