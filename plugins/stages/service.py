"""Who may do what in the plugin, and what every workflow looks up.

Hosts are organisations of the network: their partner managers, and the ambassadors who
work there (``Ambassador.organisation``), publish offers and answer for it. Teachers
(educators of a school) propose pupils. A placement is seen by its school's educators and
its host's people only: a pupil is a minor, and referents and admins see figures and class
names, never a pupil. Referents highlight the offers of their territories. Every check is
made here, on the server.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from tremplin import clock, runtime
from tremplin.auth import permissions
from tremplin.auth.models import Account, Role
from tremplin.errors import NotAllowed, NotFound
from tremplin.organisations import service as organisations
from tremplin.organisations.models import Organisation
from tremplin.people.models import Ambassador

from . import plugin
from .i18n import _
from .models import Placement

EMAILS = f"{plugin.name}/email/"


def settings() -> Mapping[str, Any]:
    """The plugin's validated ``[plugins.stages]`` settings."""
    return plugin.settings()


def today() -> datetime.date:
    """Today in the region."""
    zone = ZoneInfo(runtime.current().region.timezone)
    return clock.now().replace(tzinfo=datetime.UTC).astimezone(zone).date()


# Who may do what


def hosts_of(account: Account | None) -> set[int]:
    """Organisations ``account`` acts for as a host: as partner manager, or as an ambassador
    working there."""
    hosts = permissions.organisations_of(account, Role.PARTNER_MANAGER)
    if account is not None and permissions.has_role(account, Role.AMBASSADOR):
        ambassador = Ambassador.get_or_none(Ambassador.account == account.id)
        if ambassador is not None and ambassador.organisation_id is not None:
            hosts.add(ambassador.organisation_id)
    return hosts


def schools_of(account: Account | None) -> set[int]:
    """Schools where ``account`` is an educator (a teacher)."""
    return permissions.organisations_of(account, Role.EDUCATOR)


def require_host(account: Account | None, organisation_id: int) -> Organisation:
    """The host organisation ``account`` acts for; ``NotAllowed`` otherwise."""
    if organisation_id not in hosts_of(account):
        raise NotAllowed(_("Only the people of this host may do this."))
    return organisations.get(organisation_id)


def require_teacher(account: Account | None, school_id: int) -> Organisation:
    """The school where ``account`` teaches; ``NotAllowed`` otherwise."""
    if school_id not in schools_of(account):
        raise NotAllowed(_("Only the teachers of this school may do this."))
    return organisations.get(school_id)


def is_referent(account: Account | None) -> bool:
    """Whether ``account`` follows territories: an admin, or a referent of some territory."""
    covered = permissions.covered_territories(account)
    return covered is None or bool(covered)


def may_search(account: Account | None) -> bool:
    """Teachers, hosts, referents and admins read the offers."""
    return bool(schools_of(account) or hosts_of(account) or is_referent(account))


def sides_of(account: Account | None, placement: Placement) -> set[str]:
    """``{"school", "host"}``: the sides of ``placement`` ``account`` is on (maybe none)."""
    sides = set()
    if placement.school_id in schools_of(account):
        sides.add("school")
    if placement.host_id in hosts_of(account):
        sides.add("host")
    return sides


def placement_for(account: Account | None, placement_id: int) -> Placement:
    """A placement, for its school and its host only; ``NotFound`` for anyone else (a
    pupil's placement is not even said to exist)."""
    placement = Placement.get_or_none(Placement.id == placement_id)
    if placement is None or not sides_of(account, placement):
        raise NotFound(_("No placement has this number."))
    return placement


def require_side(account: Account | None, placement: Placement, side: str) -> None:
    """``NotAllowed`` unless ``account`` is on ``side`` (``"school"`` or ``"host"``)."""
    if side not in sides_of(account, placement):
        if side == "school":
            raise NotAllowed(_("Only the pupil's school may do this."))
        raise NotAllowed(_("Only the host may do this."))


def organisation(organisation_id: int) -> Organisation:
    """The organisation ``organisation_id``; ``NotFound`` if none."""
    return organisations.get(organisation_id)
