"""Ambassador profiles: creating, reading and changing them, and who may.

No Flask here: the registration pages (``registration``), the CSV import and the command
line all come through these functions. Input arrives as the raw values of a form or a row
and is validated with the schemas of ``schemas.py``; domain rules that need the database
(known territories) are checked here. Every write that belongs together runs in one
transaction, activation email included (the outbox).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import peewee
from marshmallow import ValidationError, validate

from ..auth import permissions
from ..auth import service as accounts
from ..auth.models import Account, AccountStatus, Role
from ..db import database
from ..errors import Invalid, NotAllowed, NotFound
from ..i18n import _
from ..organisations.models import Organisation
from ..territories.models import Territory, TerritoryKind
from ..text import normalise, with_masculine_forms
from ..validation import validated
from . import image_rights
from .models import Ambassador, AmbassadorHold, AmbassadorOffer, AmbassadorZone, Mode
from .schemas import ProfileSchema

# Territories an ambassador can choose as a zone: communes are too many for a list.
ZONE_KINDS = (
    TerritoryKind.REGION,
    TerritoryKind.ACADEMY,
    TerritoryKind.DEPARTMENT,
    TerritoryKind.AREA,
    TerritoryKind.BASIN,
)


# Pure, and an import's rows repeat the same few occupations and sectors.
@functools.lru_cache(maxsize=4096)
def search_text_of(occupation: str | None, sector: str | None, rome_code: str | None) -> str:
    """What free-text search looks in: occupation, sector and ROME code, normalised, then
    the masculine forms of feminine words (a "soudeuse" is found by "soudeur" too). The
    appellations of the ROME code are not stored: the directory looks them up when it
    reads a query (``appellations.codes_matching``)."""
    text = normalise(" ".join(part for part in (occupation, sector, rome_code) if part))
    return with_masculine_forms(text)[:500]


# Ambassadors


def create_ambassador(data: Mapping[str, Any], locale: str = "fr") -> Ambassador:
    """Account + ambassador role + profile + offers + zones + activation email, atomically.

    ``data`` holds validated values of ``PersonStep`` and ``ProfileSchema``.
    """
    places = places_of(data)
    with database.atomic():
        account = new_account(data, locale)
        accounts.grant(account, Role.AMBASSADOR)
        ambassador = Ambassador.create(account=account, **profile_columns(data, places))
        _replace_offers_and_zones(ambassador.id, data, places)
        accounts.send_activation(account)
    return ambassador


def update_profile(
    ambassador: Ambassador, changes: Mapping[str, Any], editor: Account
) -> Ambassador:
    """Change ``ambassador``'s profile with the raw values of ``changes``, as ``editor``.

    Fields missing from ``changes`` keep their value; an empty one is cleared. Only the
    ambassador, referents of their territories and admins may do it.
    """
    if not can_edit(editor, ambassador):
        raise NotAllowed(_("You may not change this profile."))
    data = validated(ProfileSchema, {**profile_values(ambassador), **changes})
    places = places_of(data)
    with database.atomic():
        Ambassador.update(**profile_columns(data, places)).where(
            Ambassador.id == ambassador.id
        ).execute()
        _replace_offers_and_zones(ambassador.id, data, places)
    return Ambassador.get_by_id(ambassador.id)


def set_employer(
    ambassador: Ambassador,
    organisation: Organisation | None,
    organisation_name: str | None,
    editor: Account,
) -> Ambassador:
    """Say where ``ambassador`` works, as ``editor``: an organisation of the network, or
    only its name as free text (``organisation`` ``None``); both ``None`` clears it.

    The organisation's own name is kept as ``organisation_name`` when one is given. Only the
    ambassador, referents of their territories and admins may do it.
    """
    if not can_edit(editor, ambassador):
        raise NotAllowed(_("You may not change this profile."))
    name = organisation.name if organisation is not None else (organisation_name or "").strip()
    try:
        validate.Length(max=200)(name)
    except ValidationError as error:
        raise Invalid({"organisation_name": [str(m) for m in error.messages]}) from error
    Ambassador.update(
        organisation=organisation.id if organisation is not None else None,
        organisation_name=name or None,
    ).where(Ambassador.id == ambassador.id).execute()
    return Ambassador.get_by_id(ambassador.id)


def profile_values(ambassador: Ambassador) -> dict[str, Any]:
    """The profile as a form shows it: text and lists of codes."""
    zones = (
        Territory.select(Territory.code)
        .join(AmbassadorZone)
        .where(AmbassadorZone.ambassador == ambassador.id)
        .order_by(Territory.code)
    )
    offers = AmbassadorOffer.select(AmbassadorOffer.intervention_type).where(
        AmbassadorOffer.ambassador == ambassador.id
    )
    home = (
        Territory.get_by_id(ambassador.home_territory_id).code
        if ambassador.home_territory_id
        else None
    )
    return {
        "kind": ambassador.kind,
        "occupation": ambassador.occupation,
        "rome_code": ambassador.rome_code,
        "sector": ambassador.sector,
        "organisation_name": ambassador.organisation_name,
        "presentation": ambassador.presentation,
        "intervention_types": sorted(offer.intervention_type for offer in offers),
        "modes": [
            mode
            for mode, offered in (
                (Mode.ON_SITE, ambassador.on_site),
                (Mode.REMOTE, ambassador.remote),
            )
            if offered
        ],
        "zones": [territory.code for territory in zones],
        "home_territory": home,
        "max_distance_km": ambassador.max_distance_km,
        "monthly_capacity": ambassador.monthly_capacity,
        "paused_until": ambassador.paused_until.isoformat() if ambassador.paused_until else None,
    }


def get_ambassador(ambassador_id: int) -> Ambassador:
    """The ambassador with this id; raise ``NotFound``."""
    ambassador = Ambassador.get_or_none(Ambassador.id == ambassador_id)
    if ambassador is None:
        raise NotFound(_("No ambassador has this number."))
    return ambassador


def suspend(viewer: Account | None, ambassador_id: int) -> Account:
    """A referent of the ambassador's territories (or an admin) suspends their account.

    The account can no longer sign in and leaves the directory; what the ambassador had
    open and still to come is cancelled and each school told why, in the same transaction
    (``account_leaving``). Anyone else gets ``NotFound``.
    """
    ambassador = get_ambassador(ambassador_id)
    if not can_manage(viewer, ambassador) or ambassador.account_id == viewer.id:
        raise NotFound(_("No ambassador has this number."))
    return accounts.suspend_account(Account.get_by_id(ambassador.account_id))


def ambassador_of(account: Account | None) -> Ambassador | None:
    """The ambassador profile of ``account``, if it has one."""
    if account is None:
        return None
    return Ambassador.get_or_none(Ambassador.account == account.id)


def own_profile(account: Account | None) -> Ambassador:
    """The ambassador profile of ``account`` itself; raise ``NotFound`` if it has none."""
    ambassador = ambassador_of(account)
    if ambassador is None:
        raise NotFound(_("You have no ambassador profile."))
    return ambassador


def can_manage(account: Account | None, ambassador: Ambassador) -> bool:
    """Admins, and referents of a territory where the ambassador lives or intervenes."""
    covered = permissions.covered_territories(account)
    if covered is None:
        return True
    if not covered:
        return False
    if ambassador.home_territory_id in covered:
        return True
    return (
        AmbassadorZone.select()
        .where(
            AmbassadorZone.ambassador == ambassador.id,
            AmbassadorZone.territory.in_(list(covered)),
        )
        .exists()
    )


def managed_by(account: Account | None) -> peewee.Expression | None:
    """The SQL condition of the ``Ambassador`` rows ``account`` manages, as ``can_manage``
    says it of one; ``None`` when ``account`` manages nobody.

    For lists: admins manage everyone, referents those who live or intervene in their
    territories.
    """
    covered = permissions.covered_territories(account)
    if covered is None:
        return peewee.SQL("1 = 1")
    if not covered:
        return None
    in_zone = peewee.fn.EXISTS(
        AmbassadorZone.select(peewee.SQL("1")).where(
            AmbassadorZone.ambassador == Ambassador.id,
            AmbassadorZone.territory.in_(list(covered)),
        )
    )
    return Ambassador.home_territory.in_(list(covered)) | in_zone


def can_edit(account: Account | None, ambassador: Ambassador) -> bool:
    """The ambassador themselves, and whoever manages them."""
    if account is None or account.status != AccountStatus.ACTIVE:
        return False
    return ambassador.account_id == account.id or can_manage(account, ambassador)


def zone_choices() -> list[Territory]:
    """Territories an ambassador may pick as a zone or a home place, widest first."""
    order = peewee.Case(
        Territory.kind, [(kind.value, rank) for rank, kind in enumerate(ZONE_KINDS)]
    )
    return list(
        Territory.select()
        .where(Territory.kind.in_([kind.value for kind in ZONE_KINDS]))
        .order_by(order, Territory.sort_name, Territory.name)
    )


def new_account(data: Mapping[str, Any], locale: str) -> Account:
    """A pending account from the personal details of a registration form."""
    return accounts.create_account(
        data["email"],
        data["first_name"],
        data["last_name"],
        phone=data.get("phone"),
        gender=data.get("gender"),
        locale=locale,
    )


# Internals


@dataclass(frozen=True)
class Places:
    """The territories a profile names, resolved: zones and the home place."""

    zones: list[Territory]
    home: Territory | None


def places_of(data: Mapping[str, Any]) -> Places:
    """The zones and home place ``data`` names, looked up in the database (see
    ``resolve_places``)."""
    codes = [*(data.get("zones") or []), data.get("home_territory")]
    wanted = [code for code in codes if code]
    known = (
        {t.code: t for t in Territory.select().where(Territory.code.in_(wanted))} if wanted else {}
    )
    return resolve_places(data, known)


def resolve_places(data: Mapping[str, Any], known: Mapping[str, Territory]) -> Places:
    """The zones and home place that ``data`` names, among the ``known`` territories by code.

    Raise ``Invalid`` for unknown codes, and for a distance around a home place whose
    position is unknown (no distance could be computed).
    """
    codes = list(dict.fromkeys(data.get("zones") or []))
    errors: dict[str, list[str]] = {}
    unknown = [code for code in codes if code not in known]
    if unknown:
        errors["zones"] = [_("Unknown territory: %(codes)s.", codes=", ".join(unknown))]
    home_code = data.get("home_territory")
    home = known.get(home_code) if home_code else None
    if home_code and home is None:
        errors["home_territory"] = [_("Unknown territory: %(codes)s.", codes=home_code)]
    elif data.get("max_distance_km") and home is not None and home.latitude is None:
        errors["home_territory"] = [
            _("This place has no known position: choose another one, or territories.")
        ]
    if errors:
        raise Invalid(errors)
    return Places(zones=[known[code] for code in codes], home=home)


def profile_columns(data: Mapping[str, Any], places: Places) -> dict[str, Any]:
    """The ``Ambassador`` columns of validated profile ``data`` (search text included)."""
    modes = set(data["modes"])
    return {
        "kind": data["kind"],
        "occupation": data["occupation"],
        "rome_code": data.get("rome_code"),
        "sector": data.get("sector"),
        "organisation_name": data.get("organisation_name"),
        "presentation": data.get("presentation") or "",
        "search_text": search_text_of(
            data["occupation"], data.get("sector"), data.get("rome_code")
        ),
        "on_site": Mode.ON_SITE in modes,
        "remote": Mode.REMOTE in modes,
        "home_territory": places.home.id if places.home else None,
        "latitude": places.home.latitude if places.home else None,
        "longitude": places.home.longitude if places.home else None,
        "max_distance_km": data.get("max_distance_km"),
        "monthly_capacity": data.get("monthly_capacity", 2),
        "paused_until": data.get("paused_until"),
    }


def _replace_offers_and_zones(ambassador_id: int, data: Mapping[str, Any], places: Places) -> None:
    AmbassadorOffer.delete().where(AmbassadorOffer.ambassador == ambassador_id).execute()
    AmbassadorZone.delete().where(AmbassadorZone.ambassador == ambassador_id).execute()
    types = list(dict.fromkeys(data["intervention_types"]))
    if types:
        AmbassadorOffer.insert_many(
            [{"ambassador": ambassador_id, "intervention_type": kind} for kind in types]
        ).execute()
    if places.zones:
        AmbassadorZone.insert_many(
            [{"ambassador": ambassador_id, "territory": territory.id} for territory in places.zones]
        ).execute()


def erase_profile(account: Account) -> None:
    """Erase what identifies the person in their ambassador profile; keep what figures need.

    The presentation, the name of the organisation as typed, the position, the zones and
    the holds go; the kind, occupation, sector and ROME code stay, attached to an
    anonymised account, so that statistics remain right.
    """
    ambassador = ambassador_of(account)
    if ambassador is None:
        return
    Ambassador.update(
        presentation="",
        organisation=None,
        organisation_name=None,
        home_territory=None,
        latitude=None,
        longitude=None,
        max_distance_km=None,
        monthly_capacity=0,
        paused_until=None,
    ).where(Ambassador.id == ambassador.id).execute()
    AmbassadorZone.delete().where(AmbassadorZone.ambassador == ambassador.id).execute()
    AmbassadorHold.delete().where(AmbassadorHold.ambassador == ambassador.id).execute()
    image_rights.erase(ambassador.id)
