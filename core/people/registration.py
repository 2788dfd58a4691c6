"""Joining the network as an ambassador: five steps, then a pending account.

Each step is checked as the person goes (``check_registration_step``), with the rules that
need the database: an email address not used yet, territories that exist. The last step
also shows the conditions the plugins ask to accept (``terms_to_accept``: the charter of
the network...), and creates the account, its profile and its holds, records what was
accepted and sends the activation email, in one transaction (``register_ambassador``).
Educators join a school in ``educators``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..auth import service as accounts
from ..auth.models import Account
from ..db import database
from ..errors import Invalid
from ..i18n import _
from ..runtime import hooks
from ..validation import validated
from . import holds
from .models import Ambassador
from .schemas import REGISTRATION_STEPS, OccupationStep, PersonStep, ZoneStep
from .sectors import check_sector
from .service import create_ambassador, places_of
from .terms import RegistrationTerms


def check_registration_step(step: int, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate step ``step`` (1 to 5) of an ambassador's registration; return its values.

    Raise ``Invalid`` naming the fields at fault, including an email already in use, a
    sector outside the list (``sectors``) and unknown territories.
    """
    schema = REGISTRATION_STEPS[step - 1]
    data = validated(schema, raw)
    if schema is PersonStep:
        check_email_free(data["email"])
    if schema is OccupationStep:
        errors = check_sector(data.get("sector"))
        if errors:
            raise Invalid(errors)
    if schema is ZoneStep:
        places_of(data)
    return data


def register_ambassador(
    raw: Mapping[str, Any], locale: str = "fr", accepted: Mapping[str, Any] | None = None
) -> Ambassador:
    """Create a pending ambassador from the five registration steps, and send the activation.

    ``raw`` holds the values of every step; ``accepted`` the boxes ticked on the last one
    (``{"accept_charter": "2025-1"}``), which must name the version in force of every text
    of ``terms_to_accept``. The account, its ambassador role, the profile, its offers and
    zones, what the plugins record of the acceptance (``ambassador_registered``), its holds
    (what the plugins answer to ``ambassador_holds`` about it) and the activation email are
    written in one transaction; the person chooses a password with the emailed link (valid
    12 hours).
    """
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for step in range(1, len(REGISTRATION_STEPS) + 1):
        try:
            data.update(check_registration_step(step, raw))
        except Invalid as error:
            errors.update(error.errors)
    terms = terms_to_accept()
    errors.update(refused_terms(terms, accepted or {}))
    if errors:
        raise Invalid(errors)
    with database.atomic():
        ambassador = create_ambassador(data, locale=locale)
        hooks().ambassador_registered(
            ambassador=ambassador, accepted_terms={term.key: term.version for term in terms}
        )
        holds.rebuild([ambassador])
    return ambassador


def terms_to_accept() -> list[RegistrationTerms]:
    """The texts the plugins ask a new ambassador to accept (``registration_terms``)."""
    return list(hooks().registration_terms())


def refused_terms(
    terms: list[RegistrationTerms], accepted: Mapping[str, Any]
) -> dict[str, list[str]]:
    """Errors on the boxes of ``terms`` not ticked, or ticked for a version since replaced."""
    errors: dict[str, list[str]] = {}
    for term in terms:
        ticked = accepted.get(term.field)
        if not ticked:
            errors[term.field] = [
                _(
                    "To become an ambassador, accept “%(title)s”: tick the box under its text.",
                    title=term.title,
                )
            ]
        elif ticked != term.version:
            errors[term.field] = [
                _(
                    "“%(title)s” has changed since you read it: read version %(version)s and "
                    "tick the box again.",
                    title=term.title,
                    version=term.version,
                )
            ]
    return errors


def check_email_free(email: str) -> None:
    """Raise ``Invalid`` on ``email`` when an account already uses this address."""
    if Account.select().where(Account.email == accounts.normalise_email(email)).exists():
        raise Invalid(
            {
                "email": [
                    _(
                        "An account already uses this email address: sign in, or use "
                        "“Forgotten password” if you no longer know your password."
                    )
                ]
            }
        )
