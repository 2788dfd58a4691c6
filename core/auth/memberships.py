"""Joining an organisation's team: a membership waits for someone's yes.

A person who asks to join a school, a support structure or a company (educator, partner
manager) gets a *pending* grant: it gives nothing — no intervention, message thread,
agenda or figure of that organisation — until an active member of the organisation, or a
referent of its territory (an admin anywhere), approves it. The first member of an
organisation that has none can only be approved by a referent. Approvers are told by
email once the person's address is confirmed (the account activated); the person is told
the answer. Every approval, refusal and departure is written to ``MembershipDecision``
(ids only) and to the ``tremplin.auth.memberships`` log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import peewee

from ..clock import now
from ..db import database
from ..errors import Invalid, NotFound
from ..i18n import _
from ..mail import service as mail
from ..organisations.models import Organisation
from . import permissions
from .models import (
    MEMBER_ROLES,
    Account,
    AccountStatus,
    Decision,
    MembershipDecision,
    Role,
    RoleGrant,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Waiting:
    """A pending membership of the person, and who is asked to approve it."""

    grant: RoleGrant
    organisation: Organisation
    by_members: bool  # the organisation's members, else the referents of its territory
    territory_name: str | None


def ask_to_join(account: Account, role: Role, organisation: Organisation) -> RoleGrant:
    """A pending membership of ``account`` in ``organisation`` as ``role``.

    Approvers are emailed now if the account is active, else when it is activated
    (``announce``), so that nobody is asked about an address nobody confirmed.
    """
    grant, created = RoleGrant.get_or_create(
        account=account,
        role=role,
        territory=None,
        organisation=organisation,
        defaults={"pending": True},
    )
    if created and account.status == AccountStatus.ACTIVE:
        _announce(grant)
    return grant


def announce(account: Account) -> None:
    """Email the approvers of each membership ``account`` is waiting for (on activation)."""
    for grant in RoleGrant.select().where(RoleGrant.account == account.id, RoleGrant.waiting()):
        _announce(grant)


def _announce(grant: RoleGrant) -> None:
    organisation = Organisation.get_by_id(grant.organisation_id)
    member = Account.get_by_id(grant.account_id)
    for approver in approvers_of(organisation):
        mail.queue(
            approver.email,
            "auth/email/membership_requested",
            locale=approver.locale,
            first_name=approver.first_name,
            member=member.display_name,
            organisation=organisation.name,
        )


def members_of(organisation_id: int) -> peewee.ModelSelect:
    """Active accounts whose membership of ``organisation_id`` is in force."""
    return (
        Account.select()
        .join(RoleGrant, on=(RoleGrant.account == Account.id))
        .where(
            RoleGrant.organisation == organisation_id,
            RoleGrant.role.in_([role.value for role in MEMBER_ROLES]),
            RoleGrant.in_force(),
            Account.status == AccountStatus.ACTIVE,
        )
        .distinct()
    )


def approvers_of(organisation: Organisation) -> list[Account]:
    """Who is asked: its active members, else the referents of its territory (or above),
    else the admins, so that a request never waits unseen."""
    members = list(members_of(organisation.id).order_by(Account.id))
    if members:
        return members
    territories = permissions.ancestors(organisation.territory_id)
    if territories:
        referents = list(
            Account.select()
            .join(RoleGrant, on=(RoleGrant.account == Account.id))
            .where(
                RoleGrant.role == Role.REFERENT,
                RoleGrant.territory.in_(territories),
                RoleGrant.in_force(),
                Account.status == AccountStatus.ACTIVE,
            )
            .distinct()
            .order_by(Account.id)
        )
        if referents:
            return referents
    return list(
        Account.select()
        .join(RoleGrant, on=(RoleGrant.account == Account.id))
        .where(RoleGrant.role == Role.ADMIN, Account.status == AccountStatus.ACTIVE)
        .distinct()
        .order_by(Account.id)
    )


def _decidable_by(viewer: Account | None) -> peewee.Expression:
    """SQL condition of the pending grants ``viewer`` may approve or refuse."""
    if viewer is None or viewer.status != AccountStatus.ACTIVE:
        return peewee.SQL("1 = 0")
    covered = permissions.covered_territories(viewer)
    if covered is None:
        return peewee.SQL("1 = 1")
    own = set()
    for role in MEMBER_ROLES:
        own |= permissions.organisations_of(viewer, role)
    condition = peewee.SQL("1 = 0")
    if own:
        condition = condition | RoleGrant.organisation.in_(sorted(own))
    if covered:
        condition = condition | Organisation.territory.in_(sorted(covered))
    return condition


def _pending() -> peewee.ModelSelect:
    return (
        RoleGrant.select(RoleGrant, Account, Organisation)
        .join(Account, on=(RoleGrant.account == Account.id))
        .switch(RoleGrant)
        .join(Organisation, on=(RoleGrant.organisation == Organisation.id))
        .where(RoleGrant.waiting(), Account.status == AccountStatus.ACTIVE)
    )


def waiting_for(viewer: Account | None) -> list[RoleGrant]:
    """The memberships ``viewer`` may approve or refuse, oldest first."""
    if viewer is None:
        return []
    return list(
        _pending()
        .where(_decidable_by(viewer), RoleGrant.account != viewer.id)
        .order_by(RoleGrant.created_at, RoleGrant.id)
    )


def get_decidable(viewer: Account | None, grant_id: int) -> RoleGrant:
    """The pending membership ``grant_id`` if ``viewer`` may decide on it; else ``NotFound``."""
    grant = None
    if viewer is not None:
        grant = (
            _pending()
            .where(RoleGrant.id == grant_id, _decidable_by(viewer), RoleGrant.account != viewer.id)
            .first()
        )
    if grant is None:
        raise NotFound(_("No membership request has this number."))
    return grant


def approve(viewer: Account | None, grant_id: int) -> RoleGrant:
    """Approve the membership ``grant_id``; log it and tell the person."""
    grant = get_decidable(viewer, grant_id)
    with database.atomic():
        changed = (
            RoleGrant.update(pending=False, approved_at=now(), approved_by=viewer.id)
            .where(RoleGrant.id == grant.id, RoleGrant.waiting())
            .execute()
        )
        if not changed:
            raise Invalid({"_": [_("This membership request has already been answered.")]})
        _log(grant, viewer, Decision.APPROVED)
        _tell(grant, "auth/email/membership_approved")
    return RoleGrant.get_by_id(grant.id)


def refuse(viewer: Account | None, grant_id: int) -> None:
    """Refuse the membership ``grant_id`` (the grant goes); log it and tell the person."""
    grant = get_decidable(viewer, grant_id)
    with database.atomic():
        changed = RoleGrant.delete().where(RoleGrant.id == grant.id, RoleGrant.waiting()).execute()
        if not changed:
            raise Invalid({"_": [_("This membership request has already been answered.")]})
        _log(grant, viewer, Decision.REFUSED)
        _tell(grant, "auth/email/membership_refused")


def leave(account: Account, grant_id: int) -> None:
    """``account`` leaves an organisation (or withdraws a request to join it); logged.

    What the organisation asked for (its interventions) stays with the organisation.
    """
    grant = RoleGrant.get_or_none(
        RoleGrant.id == grant_id,
        RoleGrant.account == account.id,
        RoleGrant.organisation.is_null(False),
    )
    if grant is None:
        raise NotFound(_("No membership has this number."))
    with database.atomic():
        RoleGrant.delete().where(RoleGrant.id == grant.id).execute()
        _log(grant, account, Decision.LEFT)


def memberships_of(account: Account) -> list[Waiting]:
    """``account``'s memberships of organisations, pending or not, with who approves."""
    rows = (
        RoleGrant.select(RoleGrant, Organisation)
        .join(Organisation, on=(RoleGrant.organisation == Organisation.id))
        .where(RoleGrant.account == account.id)
        .order_by(Organisation.name)
    )
    found = []
    for grant in rows:
        organisation = grant.organisation
        by_members = members_of(organisation.id).where(Account.id != account.id).exists()
        territory = organisation.territory if organisation.territory_id else None
        found.append(
            Waiting(grant, organisation, by_members, territory.name if territory else None)
        )
    return found


def _log(grant: RoleGrant, actor: Account, decision: Decision) -> None:
    MembershipDecision.create(
        organisation=grant.organisation_id,
        role=grant.role,
        member=grant.account_id,
        decided_by=actor.id,
        decision=decision,
        decided_at=now(),
    )
    logger.info(
        "membership %s: account %s as %s of organisation %s, by account %s",
        decision.value,
        grant.account_id,
        grant.role,
        grant.organisation_id,
        actor.id,
    )


def _tell(grant: RoleGrant, template: str) -> None:
    member = Account.get_by_id(grant.account_id)
    organisation = Organisation.get_by_id(grant.organisation_id)
    mail.queue(
        member.email,
        template,
        locale=member.locale,
        first_name=member.first_name,
        organisation=organisation.name,
    )
