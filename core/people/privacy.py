"""What the people area holds about a person, for their download (``personal_data``)."""

from __future__ import annotations

from typing import Any

from ..auth.models import Account
from ..i18n import _
from . import image_rights
from .models import Ambassador, AmbassadorOffer, AmbassadorZone


def personal_data(person: Account) -> dict[str, Any] | None:
    """The person's ambassador profile, its offers and zone; ``None`` if they have none."""
    ambassador = Ambassador.get_or_none(Ambassador.account == person.id)
    if ambassador is None:
        return None
    offers = AmbassadorOffer.select().where(AmbassadorOffer.ambassador == ambassador.id)
    zones = AmbassadorZone.select().where(AmbassadorZone.ambassador == ambassador.id)
    return {
        _("Ambassador profile"): {
            "kind": ambassador.kind,
            "occupation": ambassador.occupation,
            "rome_code": ambassador.rome_code,
            "sector": ambassador.sector,
            "employer_or_school": ambassador.organisation.name
            if ambassador.organisation_id
            else ambassador.organisation_name,
            "intervention_types": sorted(offer.intervention_type for offer in offers),
            "on_site": ambassador.on_site,
            "remote": ambassador.remote,
            "zone": sorted(zone.territory.name for zone in zones),
            "max_distance_km": ambassador.max_distance_km,
            "monthly_capacity": ambassador.monthly_capacity,
            "paused_until": ambassador.paused_until.isoformat()
            if ambassador.paused_until
            else None,
            "presentation": ambassador.presentation,
            "registered_at": ambassador.created_at.isoformat(),
            "image_rights": image_rights.history(ambassador.id),
        }
    }
