"""The profile form of an ambassador, at registration and on their profile: the fields
that take several values, the options offered, and the ROME code of a suggested title.
"""

from __future__ import annotations

from typing import Any

from ..text import normalise
from . import appellations, labels, service
from .models import AmbassadorKind, InterventionType, Mode

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
