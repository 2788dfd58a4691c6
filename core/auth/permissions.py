"""Who may do what, where: every rule scoped by role and territory, checked on the server.

Referents act on their territories and everything inside them; educators on their own
organisations; partner managers on their organisation; admins on the whole region.
Queries that list many rows filter with ``covered_territories`` in SQL rather than
calling these functions per row.
"""

from __future__ import annotations

import peewee

from .. import prepared
from ..db import database, is_sqlite
from ..organisations.models import Organisation
from ..organisations.service import Rights
from ..territories.models import Territory
from .models import Account, AccountStatus, Role, RoleGrant

# Deeper than any real chain (region, department, area, basin...): where a hand-written
# cycle in the territory table stops being followed.
MAX_TERRITORY_DEPTH = 32
_STATEMENTS = prepared.Statements(limit=8)


def has_role(account: Account | None, role: Role) -> bool:
    """Whether ``account`` holds ``role`` (whatever its scope)."""
    if account is None or account.status != AccountStatus.ACTIVE:
        return False
    if account.in_request is not None:  # read with the session (``sessions``)
        return role in account.in_request.roles
    return (
        RoleGrant.select()
        .where(RoleGrant.account == account, RoleGrant.role == role, RoleGrant.in_force())
        .exists()
    )


def is_admin(account: Account | None) -> bool:
    """Whether ``account`` administers the whole region."""
    return has_role(account, Role.ADMIN)


def covered_territories(account: Account | None) -> set[int] | None:
    """Ids of the territories ``account`` referees, with everything inside them.

    ``None`` means every territory (an admin); an empty set means none.
    """
    if is_admin(account):
        return None
    if account is None or account.status != AccountStatus.ACTIVE:
        return set()
    if account.in_request is not None and account.in_request.covered is not None:
        return set(account.in_request.covered)
    grants = _grants_in_request(account)
    if grants is None:
        roots = {
            grant.territory_id
            for grant in RoleGrant.select(RoleGrant.territory).where(
                RoleGrant.account == account,
                RoleGrant.role == Role.REFERENT,
                RoleGrant.territory.is_null(False),
                RoleGrant.in_force(),
            )
        }
        return descendants(roots)
    covered = descendants(
        {
            territory
            for role, territory, _ in grants
            if role == Role.REFERENT and territory is not None
        }
    )
    account.in_request.covered = frozenset(covered)
    return covered


def _grants_in_request(account: Account) -> list[tuple[Role, int | None, int | None]] | None:
    """The role, territory and organisation of each grant in force of ``account``, read
    once for a request, or None for an account not read with a session.

    An account read with its session (``tremplin.auth.sessions``) lives for one request:
    the menus, the access checks and the page ask the same questions many times over, and
    one statement answers them all. Any other account (a command's, a test's) is asked
    again each time.
    """
    state = account.in_request
    if state is None:
        return None
    if state.grants is None:
        state.grants = [
            (Role(role), territory, organisation)
            for role, territory, organisation in RoleGrant.select(
                RoleGrant.role, RoleGrant.territory, RoleGrant.organisation
            )
            .where(RoleGrant.account == account, RoleGrant.in_force())
            .tuples()
        ]
    return state.grants


def descendants(roots: set[int]) -> set[int]:
    """``roots`` and every territory below them (a few levels: one query per level)."""
    covered, frontier = set(roots), set(roots)
    while frontier:
        children = {
            territory.id
            for territory in Territory.select(Territory.id).where(Territory.parent.in_(frontier))
        }
        frontier = children - covered
        covered |= frontier
    return covered


def ancestors(territory_id: int | None) -> list[int]:
    """``territory_id`` and the territories above it, nearest first (one recursive query)."""
    if territory_id is None:
        return []
    b = prepared.Builder()
    start = (
        Territory.select(Territory.id, Territory.parent, peewee.Value(0).alias("depth"))
        .where(Territory.id == b.value("territory", territory_id))
        .cte("chain", recursive=True, columns=("id", "parent_id", "depth"))
    )
    above = Territory.alias()
    climb = above.select(above.id, above.parent, start.c.depth + 1).join(
        start, on=(above.id == start.c.parent_id)
    )
    # Depth-bounded, so that a cycle written by hand in the table cannot loop forever.
    chain = start.union_all(climb.where(start.c.depth < MAX_TERRITORY_DEPTH))
    query = chain.select_from(chain.c.id, chain.c.depth).order_by(chain.c.depth).tuples()
    # Every search and many pages ask: its SQL is written once (``tremplin.prepared``).
    rows = _STATEMENTS.rows(database, ("ancestors", is_sqlite(database)), query, b)
    found: list[int] = []
    for ancestor_id, _depth in rows:
        if ancestor_id in found:
            break
        found.append(ancestor_id)
    return found


def organisations_of(account: Account | None, role: Role) -> set[int]:
    """Ids of the organisations where ``account`` holds ``role`` (educator, partner manager).

    A membership waiting for approval counts for nothing: its organisation is not here.
    """
    if account is None or account.status != AccountStatus.ACTIVE:
        return set()
    grants = _grants_in_request(account)
    if grants is not None:
        return {
            organisation
            for held, _, organisation in grants
            if held == role and organisation is not None
        }
    return {
        grant.organisation_id
        for grant in RoleGrant.select(RoleGrant.organisation).where(
            RoleGrant.account == account,
            RoleGrant.role == role,
            RoleGrant.organisation.is_null(False),
            RoleGrant.in_force(),
        )
    }


def covers_territory(account: Account | None, territory_id: int | None) -> bool:
    """Whether ``account`` referees ``territory_id`` (admins referee everything)."""
    covered = covered_territories(account)
    return covered is None or (territory_id is not None and territory_id in covered)


def can_manage_organisation(account: Account | None, organisation: Organisation) -> bool:
    """Admins, referents of its territory, and its own educators or partner managers."""
    if covers_territory(account, organisation.territory_id):
        return True
    return any(
        organisation.id in organisations_of(account, role)
        for role in (Role.EDUCATOR, Role.PARTNER_MANAGER)
    )


def organisation_rights(account: Account | None) -> Rights:
    """What ``account`` may do with organisations, as ``tremplin.organisations.service``
    takes it: see, add, change (see that module for who may what)."""
    covered = covered_territories(account)
    return Rights(
        territories=None if covered is None else frozenset(covered),
        browses=any(has_role(account, role) for role in (Role.ADMIN, Role.REFERENT, Role.EDUCATOR)),
        creates=is_admin(account) or has_role(account, Role.REFERENT),
        own=frozenset(
            organisations_of(account, Role.EDUCATOR)
            | organisations_of(account, Role.PARTNER_MANAGER)
        ),
    )


def can_search_directory(account: Account | None) -> bool:
    """Educators, referents and admins look for ambassadors."""
    return any(has_role(account, role) for role in (Role.EDUCATOR, Role.REFERENT, Role.ADMIN))
