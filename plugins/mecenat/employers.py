"""Ambassadors and their employer: the link, and the consent that their interventions count.

An ambassador says where they work (the people area's ``organisation`` or, as free text,
``organisation_name``). When the employer is an organisation of the network, the ambassador
may choose that their completed interventions count for its sponsorship convention: an
opt-in, revocable at any time, that applies from then on. The company sees its counted
employees' names, their completed interventions and their hours: nothing else about them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

import peewee

from tremplin import clock
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.errors import Conflict, NotFound
from tremplin.organisations import service as organisations
from tremplin.organisations.models import Organisation
from tremplin.people import service as people
from tremplin.people.models import Ambassador
from tremplin.validation import validated

from . import service
from .i18n import _
from .models import Consent, Entry
from .schemas import EmployerSchema

SEARCH_LIMIT = 20


def ambassador_of(account: Account | None) -> Ambassador:
    """The ambassador profile of ``account``; ``NotFound`` for those who are not ambassadors."""
    return service.require_found(people.ambassador_of(account), _("This page is for ambassadors."))


def find_employers(query: str | None) -> list[Organisation]:
    """Organisations whose name, city or SIRET has every word of ``query`` (20 at most)."""
    if not query or not query.strip():
        return []
    return list(organisations.search(q=query[:200]).limit(SEARCH_LIMIT))


def set_employer(account: Account, raw: Mapping[str, Any]) -> Ambassador:
    """The ambassador of ``account`` says where they work: an organisation, or its name."""
    ambassador = ambassador_of(account)
    data = validated(EmployerSchema, raw)
    organisation = (
        organisations.get(data["organisation"]) if data["organisation"] is not None else None
    )
    return people.set_employer(ambassador, organisation, data["organisation_name"], account)


def consent_of(ambassador: Ambassador) -> Consent | None:
    """The ambassador's consent in force for their current employer, if any."""
    if ambassador.organisation_id is None:
        return None
    return Consent.get_or_none(
        Consent.ambassador == ambassador.id,
        Consent.organisation == ambassador.organisation_id,
        Consent.revoked_at.is_null(),
    )


def give_consent(account: Account) -> Consent:
    """The ambassador's interventions count for their employer's convention from now on."""
    ambassador = ambassador_of(account)
    if ambassador.organisation_id is None:
        raise Conflict(_("Choose your employer among the organisations of the network first."))
    with database.atomic():
        updated = (
            Consent.update(given_at=clock.now(), revoked_at=None)
            .where(
                Consent.ambassador == ambassador.id,
                Consent.organisation == ambassador.organisation_id,
            )
            .execute()
        )
        if not updated:
            Consent.create(ambassador=ambassador.id, organisation=ambassador.organisation_id)
    return consent_of(ambassador)


def revoke_consent(account: Account) -> None:
    """The ambassador's interventions no longer count for their employer, from now on.

    Hours already recorded stay: they were given while the consent held.
    """
    ambassador = ambassador_of(account)
    Consent.update(revoked_at=clock.now()).where(
        Consent.ambassador == ambassador.id, Consent.revoked_at.is_null()
    ).execute()


def counts_for(ambassador_id: int) -> int | None:
    """The employer the ambassador's interventions count for now, if they consented."""
    row = (
        Ambassador.select(Ambassador.organisation)
        .join(
            Consent,
            on=(
                (Consent.ambassador == Ambassador.id)
                & (Consent.organisation == Ambassador.organisation)
            ),
        )
        .where(Ambassador.id == ambassador_id, Consent.revoked_at.is_null())
        .first()
    )
    return row.organisation_id if row is not None else None


@dataclass(frozen=True)
class CountedEmployee:
    """What a company sees of an employee who counts for it: a name, and what they gave."""

    ambassador_id: int
    name: str
    interventions: int
    minutes: int


def counted_employees(account: Account, organisation_id: int) -> list[CountedEmployee]:
    """The employees counted for the company now, or who gave hours to it, by name."""
    service.require_partner_manager(account, organisation_id)
    return employees_of(organisation_id)


def employees_of(organisation_id: int) -> list[CountedEmployee]:
    """Employees whose consent holds for the organisation, and those with hours recorded."""
    given = (
        Entry.select(
            Entry.ambassador,
            peewee.fn.COUNT(Entry.id).alias("interventions"),
            peewee.fn.SUM(Entry.minutes + Entry.preparation_minutes).alias("minutes"),
        )
        .where(Entry.organisation == organisation_id)
        .group_by(Entry.ambassador)
    )
    totals = {row.ambassador_id: (row.interventions, row.minutes or 0) for row in given}
    consenting = {
        consent.ambassador_id
        for consent in Consent.select(Consent.ambassador)
        .join(Ambassador, on=(Consent.ambassador == Ambassador.id))
        .where(
            Consent.organisation == organisation_id,
            Consent.revoked_at.is_null(),
            Ambassador.organisation == organisation_id,
        )
    }
    ids = sorted(consenting | {key for key in totals if key is not None})
    if not ids:
        return []
    names = {
        ambassador_id: f"{first_name} {last_name}"
        for ambassador_id, first_name, last_name in Ambassador.select(
            Ambassador.id, Account.first_name, Account.last_name
        )
        .join(Account)
        .where(Ambassador.id.in_(ids))
        .tuples()
    }
    employees = [
        CountedEmployee(key, names[key], *totals.get(key, (0, 0))) for key in ids if key in names
    ]
    return sorted(employees, key=lambda employee: employee.name)


def names_of(
    organisation_id: int, ambassador_ids: Collection[int] | peewee.SelectBase
) -> dict[int, str]:
    """The names of those of ``ambassador_ids`` (a collection, or a query of ids) that
    ``employees_of`` gives (whose consent holds for the organisation, or with hours
    recorded), by ambassador: one query."""
    if not isinstance(ambassador_ids, peewee.SelectBase):
        if not ambassador_ids:
            return {}
        ambassador_ids = sorted(ambassador_ids)
    recorded = Entry.select(Entry.ambassador).where(Entry.organisation == organisation_id)
    consenting = Consent.select(Consent.ambassador).where(
        Consent.organisation == organisation_id, Consent.revoked_at.is_null()
    )
    query = (
        Ambassador.select(Ambassador.id, Account.first_name, Account.last_name)
        .join(Account)
        .where(
            Ambassador.id.in_(ambassador_ids),
            Ambassador.id.in_(recorded)
            | ((Ambassador.organisation == organisation_id) & Ambassador.id.in_(consenting)),
        )
        .tuples()
    )
    return {ambassador_id: f"{first} {last}" for ambassador_id, first, last in query}


def require_employee(organisation_id: int, ambassador_id: int) -> None:
    """``NotFound`` unless the ambassador counts, or counted, for the organisation."""
    if ambassador_id not in {e.ambassador_id for e in employees_of(organisation_id)}:
        raise NotFound(_("This person does not count for your organisation."))
