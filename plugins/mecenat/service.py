"""Who may do what in the plugin, and what every workflow looks up.

A company's partner managers (role ``partner_manager`` of its organisation) act for it:
its details, its charter, its convention, its employees' costs, its corrections. The region
(admins) countersigns conventions, decides on corrections and issues receipts; referents
follow the partners of their territories. Every check is made here, on the server.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from tremplin import clock, runtime
from tremplin.auth import permissions
from tremplin.auth.models import Account, Role
from tremplin.db import database
from tremplin.errors import NotAllowed, NotFound
from tremplin.organisations import service as organisations
from tremplin.organisations.models import Organisation
from tremplin.validation import validated

from . import plugin
from .i18n import _
from .models import Partner
from .schemas import PartnerSchema


def settings() -> Mapping[str, Any]:
    """The plugin's validated ``[plugins.mecenat]`` settings."""
    return plugin.settings()


def local_day(moment: datetime.datetime) -> datetime.date:
    """The region's date of a stored UTC ``moment``."""
    zone = ZoneInfo(runtime.current().region.timezone)
    return moment.replace(tzinfo=datetime.UTC).astimezone(zone).date()


def today() -> datetime.date:
    """Today in the region."""
    return local_day(clock.now())


# Who may do what


def managed_organisations(account: Account | None) -> set[int]:
    """Ids of the organisations ``account`` is a partner manager of."""
    return permissions.organisations_of(account, Role.PARTNER_MANAGER)


def is_region(account: Account | None) -> bool:
    """Whether ``account`` acts for the region (an admin)."""
    return permissions.is_admin(account)


def require_region(account: Account | None) -> None:
    """Raise ``NotAllowed`` unless ``account`` acts for the region."""
    if not is_region(account):
        raise NotAllowed(_("Only the region's administrators may do this."))


def require_partner_manager(account: Account | None, organisation_id: int) -> Organisation:
    """The organisation ``account`` manages; ``NotAllowed`` if it does not manage it."""
    if organisation_id not in managed_organisations(account):
        raise NotAllowed(_("Only the partner managers of this organisation may do this."))
    return organisations.get(organisation_id)


def may_oversee(account: Account | None, organisation: Organisation) -> bool:
    """Admins, and referents of the organisation's territory, follow its partnership."""
    return permissions.covers_territory(account, organisation.territory_id)


def require_overseer(account: Account | None) -> set[int] | None:
    """The territories ``account`` follows (``None``: all); ``NotAllowed`` for others."""
    covered = permissions.covered_territories(account)
    if covered is not None and not covered:
        raise NotAllowed(_("Only the region's administrators and referents may see this."))
    return covered


def oversees_any(account: Account | None) -> bool:
    """Whether ``account`` follows partners: an admin, or a referent of some territory."""
    covered = permissions.covered_territories(account)
    return covered is None or bool(covered)


def may_see_organisation(account: Account | None, organisation: Organisation) -> bool:
    """Its partner managers, admins and the referents of its territory."""
    return organisation.id in managed_organisations(account) or may_oversee(account, organisation)


def organisation(organisation_id: int) -> Organisation:
    """The organisation ``organisation_id``; ``NotFound`` if none."""
    return organisations.get(organisation_id)


# A donor's details


def partner_of(organisation_id: int) -> Partner | None:
    """What the company gave for its receipts (legal form, address, closing month)."""
    return Partner.get_or_none(Partner.organisation == organisation_id)


def save_partner(account: Account, organisation_id: int, raw: Mapping[str, Any]) -> Partner:
    """Record the company's legal form, address and closing month, as a partner manager."""
    require_partner_manager(account, organisation_id)
    data = validated(PartnerSchema, raw)
    with database.atomic():
        updated = (
            Partner.update(**data, updated_at=clock.now())
            .where(Partner.organisation == organisation_id)
            .execute()
        )
        if not updated:
            Partner.create(organisation=organisation_id, **data)
    return partner_of(organisation_id)


def siren_of(organisation: Organisation) -> str | None:
    """The SIREN of an organisation: the first nine digits of its SIRET."""
    return organisation.siret[:9] if organisation.siret else None


def require_found(value: Any, message: str) -> Any:
    """``value``, or ``NotFound(message)`` when it is ``None``."""
    if value is None:
        raise NotFound(message)
    return value
