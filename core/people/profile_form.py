"""The profile form of an ambassador, at registration and on their profile: the fields
that take several values, and the options offered.
"""

from __future__ import annotations

from typing import Any

from . import labels, service
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
        "labels": labels,
    }
