"""Company visits: the ambassador vouches for the visit and gives the group's safety rules.

Accepting a company visit asks two more things of the ambassador: a tick confirming the
company's internal rules allow the visit, and the safety rules the group must follow
(protective equipment, where not to go, what to wear). The school reads them on the
intervention's page and in the email telling it the visit was accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..auth.models import Account
from ..errors import Invalid
from ..i18n import _
from ..people.models import InterventionType
from ..validation import validated
from . import schemas
from .models import Intervention, Status, VisitSafety


def is_company_visit(intervention: Intervention) -> bool:
    """Whether ``intervention`` is a visit of the ambassador's company."""
    return intervention.intervention_type == InterventionType.COMPANY_VISIT


def confirmation(intervention: Intervention, raw: Mapping[str, Any]) -> dict[str, Any] | None:
    """The visit's confirmation read from an acceptance, or ``None`` for another type.

    Raise ``Invalid`` when the tick or the safety rules are missing. Nothing is asked of a
    request already answered: the acceptance is then refused as a conflict.
    """
    if not is_company_visit(intervention) or intervention.status != Status.REQUESTED:
        return None
    data = validated(schemas.VisitSafetySchema, raw)
    if not data["rules_allow"]:
        raise Invalid(
            {"rules_allow": [_("Confirm that your company's internal rules allow this visit.")]}
        )
    return data


def record(intervention: Intervention, data: Mapping[str, Any], actor: Account | None) -> None:
    """Keep the confirmation of a company visit (inside the acceptance's transaction)."""
    VisitSafety.delete().where(VisitSafety.intervention == intervention.id).execute()
    VisitSafety.create(
        intervention=intervention.id,
        rules_allow=True,
        safety_rules=data["safety_rules"],
        confirmed_by=actor.id if actor else None,
    )


def safety_of(intervention: Intervention) -> dict[str, Any] | None:
    """What the ambassador confirmed for a company visit, or ``None`` (not yet, other type)."""
    row = VisitSafety.get_or_none(VisitSafety.intervention == intervention.id)
    if row is None:
        return None
    return {"rules_allow": row.rules_allow, "safety_rules": row.safety_rules}
