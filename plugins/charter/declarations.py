"""What an ambassador declares: salaried or not, their employer's agreement, their insurance.

A declaration replaces the previous one; the region's settings say whether an employee
must give the date of their employer's agreement (``require_employer_agreement``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tremplin import clock
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.errors import Invalid, NotAllowed
from tremplin.people.models import Ambassador
from tremplin.people.service import ambassador_of
from tremplin.validation import validated

from . import requirements
from .i18n import _
from .models import Declaration
from .requirements import settings
from .schemas import DeclarationSchema


def declaration_of(ambassador: Ambassador) -> Declaration | None:
    """What ``ambassador`` declared, if anything."""
    return Declaration.get_or_none(Declaration.ambassador == ambassador.id)


def declare(account: Account | None, raw: Mapping[str, Any]) -> Declaration:
    """``account``'s ambassador declares whether they are salaried, the date of their
    employer's agreement and of their insurance (``DeclarationSchema``).

    The declaration replaces the previous one. Dates cannot be in the future; when the
    region asks for it, an employee gives the date of the agreement. Raise ``NotAllowed``
    for someone who is not an ambassador.
    """
    ambassador = ambassador_of(account)
    if ambassador is None:
        raise NotAllowed(_("Only ambassadors make these declarations."))
    data = validated(DeclarationSchema, raw)
    errors: dict[str, list[str]] = {}
    today = clock.today()
    for field in ("employer_agreement_on", "insurance_on"):
        if data[field] is not None and data[field] > today:
            errors[field] = [_("This date cannot be in the future.")]
    config = settings()
    if (
        config["require_employer_agreement"]
        and data["salaried"]
        and data["employer_agreement_on"] is None
    ):
        errors["employer_agreement_on"] = [
            _("As an employee, give the date of your employer's agreement.")
        ]
    if errors:
        raise Invalid(errors)
    values = {"salaried": data["salaried"], "insurance_on": data["insurance_on"]}
    values["employer_agreement_on"] = data["employer_agreement_on"] if data["salaried"] else None
    with database.atomic():
        (
            Declaration.insert(ambassador=ambassador.id, updated_at=clock.now(), **values)
            .on_conflict(
                conflict_target=[Declaration.ambassador],
                update={**values, "updated_at": clock.now()},
            )
            .execute()
        )
        requirements.sync([ambassador.id])
    return Declaration.get(Declaration.ambassador == ambassador.id)
