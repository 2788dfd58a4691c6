"""Who sees and does what with an intervention, checked on the server.

Three sides: the school (its educators, and the referent or admin who made the request
for it), the ambassador it is addressed to, and the referents of the school's territory
(admins everywhere). An educator's side comes from their membership of the school, not
from having made the request: one who leaves the school (or whose membership waits for
approval) sees none of its requests, which stay with the school. Lists filter with
``visible_to`` in SQL rather than checking rows one by one.
"""

from __future__ import annotations

import peewee

from ..auth import permissions
from ..auth.models import Account, AccountStatus, Role
from ..people.models import Ambassador
from .models import Intervention


def ambassador_id_of(account: Account | None) -> int | None:
    """The id of ``account``'s ambassador profile, if it has one."""
    if account is None:
        return None
    row = Ambassador.select(Ambassador.id).where(Ambassador.account == account.id).first()
    return row.id if row else None


def is_school_side(account: Account | None, intervention: Intervention) -> bool:
    """An educator of the school or structure, or the referent (admin) who made the request."""
    if account is None or account.status != AccountStatus.ACTIVE:
        return False
    if intervention.organisation_id in permissions.organisations_of(account, Role.EDUCATOR):
        return True
    return intervention.requested_by_id == account.id and is_referent_of(account, intervention)


def school_side_of(account: Account | None) -> peewee.Expression:
    """SQL condition of the interventions ``account`` is on the school side of."""
    if account is None or account.status != AccountStatus.ACTIVE:
        return peewee.SQL("1 = 0")
    condition = peewee.SQL("1 = 0")
    schools = permissions.organisations_of(account, Role.EDUCATOR)
    if schools:
        condition = condition | Intervention.organisation.in_(sorted(schools))
    covered = permissions.covered_territories(account)
    requested = Intervention.requested_by == account.id
    if covered is None:
        return condition | requested
    if covered:
        condition = condition | (requested & Intervention.territory.in_(sorted(covered)))
    return condition


def is_referent_of(account: Account | None, intervention: Intervention) -> bool:
    """A referent of the school's territory, or an admin."""
    return permissions.covers_territory(account, intervention.territory_id)


def is_ambassador_of(account: Account | None, intervention: Intervention) -> bool:
    """The ambassador the intervention is addressed to."""
    if account is None or account.status != AccountStatus.ACTIVE:
        return False
    return (
        intervention.ambassador_id is not None
        and intervention.ambassador_id == ambassador_id_of(account)
    )


def can_view(account: Account | None, intervention: Intervention) -> bool:
    """Whether ``account`` is one of the intervention's sides."""
    return (
        is_ambassador_of(account, intervention)
        or is_school_side(account, intervention)
        or is_referent_of(account, intervention)
    )


def visible_to(account: Account | None) -> peewee.Expression:
    """SQL condition of the interventions ``account`` may see."""
    if account is None or account.status != AccountStatus.ACTIVE:
        return peewee.SQL("1 = 0")
    covered = permissions.covered_territories(account)
    if covered is None:
        return peewee.SQL("1 = 1")
    conditions = [peewee.SQL("1 = 0")]
    ambassador_id = ambassador_id_of(account)
    if ambassador_id is not None:
        conditions.append(Intervention.ambassador == ambassador_id)
    schools = permissions.organisations_of(account, Role.EDUCATOR)
    if schools:
        conditions.append(Intervention.organisation.in_(list(schools)))
    if covered:
        conditions.append(Intervention.territory.in_(list(covered)))
    condition = conditions[0]
    for other in conditions[1:]:
        condition = condition | other
    return condition


def may_request_for(
    account: Account | None, organisation_id: int, territory_id: int | None
) -> bool:
    """Educators of the organisation, referents of its territory and admins request for it."""
    if organisation_id in permissions.organisations_of(account, Role.EDUCATOR):
        return True
    return permissions.covers_territory(account, territory_id)
