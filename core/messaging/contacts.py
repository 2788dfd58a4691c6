"""The contact details an ambassador chooses to share with the school side of an intervention.

Nobody's email or phone is shown through the platform unless the ambassador shows their
email and/or phone to the school side of one intervention (``share_contacts``), and they
may take it back (``revoke_contacts``); referents and other schools never see them here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..auth.models import Account, AccountStatus
from ..db import database
from ..errors import Invalid, NotAllowed
from ..i18n import _
from ..interventions import access
from ..interventions.models import Intervention
from ..interventions.service import get_visible
from ..validation import validated
from . import notifications, schemas
from .models import ContactShare


@dataclass(frozen=True)
class Contacts:
    """The ambassador's contact details a reader may see; ``None`` where not shared."""

    email: str | None = None
    phone: str | None = None

    def __bool__(self) -> bool:
        return self.email is not None or self.phone is not None


def _share_of(intervention: Intervention) -> ContactShare | None:
    if intervention.ambassador_id is None:
        return None
    return ContactShare.get_or_none(
        ContactShare.intervention == intervention.id,
        ContactShare.ambassador == intervention.ambassador_id,
    )


def contacts_for(viewer: Account | None, intervention_id: int) -> Contacts:
    """The ambassador's email and phone ``viewer`` may see on this intervention.

    The school side sees what the ambassador shared with it; the ambassador sees what they
    share; everyone else (referents included) sees nothing. ``NotFound`` if not a side.
    """
    intervention = get_visible(viewer, intervention_id)
    share = _share_of(intervention)
    if share is None:
        return Contacts()
    if not (
        access.is_ambassador_of(viewer, intervention) or access.is_school_side(viewer, intervention)
    ):
        return Contacts()
    account = Account.get_by_id(intervention.ambassador.account_id)
    if account.status != AccountStatus.ACTIVE:
        return Contacts()
    return Contacts(
        email=account.email if share.email else None,
        phone=account.phone if share.phone and account.phone else None,
    )


def own_share(actor: Account | None, intervention_id: int) -> ContactShare | None:
    """What the ambassador ``actor`` shares on this intervention; ``NotAllowed`` for others."""
    intervention = get_visible(actor, intervention_id)
    if not access.is_ambassador_of(actor, intervention):
        raise NotAllowed(_("Only the ambassador can stop sharing their contact details."))
    return _share_of(intervention)


def share_contacts(actor: Account | None, intervention_id: int, raw: Mapping[str, Any]) -> Contacts:
    """The ambassador shows their email and/or phone to the school side of this intervention.

    What was already shared stays shared. Raise ``NotAllowed`` for anyone but the
    ambassador, ``Invalid`` when nothing is chosen or the account has no phone.
    """
    intervention = get_visible(actor, intervention_id)
    if not access.is_ambassador_of(actor, intervention):
        raise NotAllowed(_("Only the ambassador can share their contact details."))
    data = validated(schemas.ShareSchema, raw)
    if not (data["email"] or data["phone"]):
        raise Invalid({"share": [_("Choose what you share: your email, your phone, or both.")]})
    if data["phone"] and not actor.phone:
        raise Invalid(
            {"share": [_("Your account has no phone number: add it in your account first.")]}
        )
    chosen = {name: True for name in ("email", "phone") if data[name]}
    with database.atomic():
        # Write first (SQLite): a transaction that reads first cannot wait for another writer.
        ContactShare.insert(
            intervention=intervention.id, ambassador=intervention.ambassador_id
        ).on_conflict_ignore().execute()
        ContactShare.update(**chosen).where(
            ContactShare.intervention == intervention.id,
            ContactShare.ambassador == intervention.ambassador_id,
        ).execute()
        notifications.contacts_shared(intervention, actor)
    return contacts_for(actor, intervention_id)


def revoke_contacts(actor: Account | None, intervention_id: int) -> None:
    """The ambassador stops showing their contact details on this intervention."""
    intervention = get_visible(actor, intervention_id)
    if not access.is_ambassador_of(actor, intervention):
        raise NotAllowed(_("Only the ambassador can stop sharing their contact details."))
    with database.atomic():
        ContactShare.delete().where(
            ContactShare.intervention == intervention.id,
            ContactShare.ambassador == intervention.ambassador_id,
        ).execute()
