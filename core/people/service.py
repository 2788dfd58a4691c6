"""Ambassadors and educators: registration, profiles, and who may change them.

No Flask here: the registration pages, the CSV import and the command line all come
through these functions. Input arrives as the raw values of a form or a row and is
validated with the schemas of ``schemas.py``; domain rules that need the database (a
free email address, known territories) are checked here. Every write that belongs
together runs in one transaction, activation email included (the outbox).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import peewee

from ..auth import permissions
from ..auth import service as accounts
from ..auth.models import Account, AccountStatus, Role
from ..db import database
from ..errors import Invalid, NotAllowed, NotFound
from ..i18n import _
from ..organisations import service as organisations
from ..organisations.models import EDUCATIONAL_KINDS, Organisation
from ..territories.models import Territory, TerritoryKind
from ..text import normalise
from ..validation import validated
from . import holds
from .models import Ambassador, AmbassadorHold, AmbassadorOffer, AmbassadorZone, Mode
from .schemas import (
    REGISTRATION_STEPS,
    EducatorSchema,
    PersonStep,
    ProfileSchema,
    ZoneStep,
)

# Territories an ambassador can choose as a zone: communes are too many for a list.
ZONE_KINDS = (
    TerritoryKind.REGION,
    TerritoryKind.ACADEMY,
    TerritoryKind.DEPARTMENT,
    TerritoryKind.AREA,
    TerritoryKind.BASIN,
)


def check_registration_step(step: int, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate step ``step`` (1 to 5) of an ambassador's registration; return its values.

    Raise ``Invalid`` naming the fields at fault, including an email already in use and
    unknown territories.
    """
    schema = REGISTRATION_STEPS[step - 1]
    data = validated(schema, raw)
    if schema is PersonStep:
        _check_email_free(data["email"])
    if schema is ZoneStep:
        _places(data)
    return data


def search_text_of(occupation: str | None, sector: str | None, rome_code: str | None) -> str:
    """What free-text search looks in: occupation, sector and ROME code, normalised."""
    return normalise(" ".join(part for part in (occupation, sector, rome_code) if part))[:500]


# Ambassadors


def register_ambassador(raw: Mapping[str, Any], locale: str = "fr") -> Ambassador:
    """Create a pending ambassador from the five registration steps, and send the activation.

    ``raw`` holds the values of every step. The account, its ambassador role, the profile,
    its offers and zones, its holds (what the plugins answer to ``ambassador_holds`` about
    it: a charter to accept...) and the activation email are written in one transaction; the
    person chooses a password with the emailed link (valid 12 hours).
    """
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for step in range(1, len(REGISTRATION_STEPS) + 1):
        try:
            data.update(check_registration_step(step, raw))
        except Invalid as error:
            errors.update(error.errors)
    if errors:
        raise Invalid(errors)
    with database.atomic():
        ambassador = create_ambassador(data, locale=locale)
        holds.rebuild([ambassador])
    return ambassador


def create_ambassador(data: Mapping[str, Any], locale: str = "fr") -> Ambassador:
    """Account + ambassador role + profile + offers + zones + activation email, atomically.

    ``data`` holds validated values of ``PersonStep`` and ``ProfileSchema``.
    """
    places = _places(data)
    with database.atomic():
        account = _new_account(data, locale)
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
    places = _places(data)
    with database.atomic():
        Ambassador.update(**profile_columns(data, places)).where(
            Ambassador.id == ambassador.id
        ).execute()
        _replace_offers_and_zones(ambassador.id, data, places)
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


def ambassador_of(account: Account | None) -> Ambassador | None:
    """The ambassador profile of ``account``, if it has one."""
    if account is None:
        return None
    return Ambassador.get_or_none(Ambassador.account == account.id)


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
        .order_by(order, Territory.name)
    )


# Why an ambassador is hidden


@dataclass(frozen=True)
class HiddenReasons:
    """Why an ambassador is out of the directory: account status, stored and current holds."""

    ambassador: Ambassador
    account_status: str
    holds: list[AmbassadorHold]
    current: dict[str, list[holds.Hold]]

    @property
    def hidden(self) -> bool:
        """Whether the directory leaves this ambassador out."""
        return self.account_status != AccountStatus.ACTIVE or bool(self.holds)

    @property
    def out_of_date(self) -> bool:
        """Whether the plugins answer differently now than the stored holds (rebuild due)."""
        stored = {(hold.source, hold.code) for hold in self.holds if hold.source in self.current}
        current = {(source, hold.code) for source, items in self.current.items() for hold in items}
        return stored != current


def hidden_reasons(viewer: Account | None, ambassador_id: int) -> HiddenReasons:
    """Why ``ambassador_id`` is hidden, for the ambassador's referents and admins.

    Besides the stored holds, asks each plugin now (``ambassador_holds``, with this one
    ambassador), so that a referent sees when ``tremplin holds rebuild`` would change
    something.
    """
    ambassador = get_ambassador(ambassador_id)
    if not can_manage(viewer, ambassador):
        raise NotAllowed(_("Only the referents of this ambassador's territories may see this."))
    status = Account.select(Account.status).where(Account.id == ambassador.account_id).scalar()
    return HiddenReasons(
        ambassador=ambassador,
        account_status=status,
        holds=holds.holds_of(ambassador),
        current=holds.current_holds(ambassador),
    )


@dataclass(frozen=True)
class HiddenAmbassador:
    """A line of the referents' list of hidden ambassadors."""

    id: int
    display_name: str
    occupation: str
    account_status: str
    holds: list[AmbassadorHold]


def hidden_ambassadors(
    viewer: Account | None, page: int = 1, page_size: int = 50
) -> tuple[list[HiddenAmbassador], int]:
    """Ambassadors of ``viewer``'s territories kept out of the directory, and how many.

    Referents see those living or intervening in their territories; admins see all.
    """
    covered = permissions.covered_territories(viewer)
    if covered is not None and not covered:
        raise NotAllowed(_("Only referents and administrators may see this."))
    query = (
        Ambassador.select(
            Ambassador.id,
            Ambassador.occupation,
            Account.first_name,
            Account.last_name,
            Account.status,
        )
        .join(Account)
        .where((Account.status != AccountStatus.ACTIVE) | holds.is_held())
    )
    if covered is not None:
        in_zone = peewee.fn.EXISTS(
            AmbassadorZone.select(peewee.SQL("1")).where(
                AmbassadorZone.ambassador == Ambassador.id,
                AmbassadorZone.territory.in_(list(covered)),
            )
        )
        query = query.where(Ambassador.home_territory.in_(list(covered)) | in_zone)
    total = query.count()
    rows = list(query.order_by(Ambassador.id).paginate(page, page_size))
    stored: dict[int, list[AmbassadorHold]] = {row.id: [] for row in rows}
    for hold in AmbassadorHold.select().where(
        AmbassadorHold.ambassador.in_(list(stored)), holds.counted()
    ):
        stored[hold.ambassador_id].append(hold)
    return [
        HiddenAmbassador(
            id=row.id,
            display_name=row.account.display_name,
            occupation=row.occupation,
            account_status=row.account.status,
            holds=stored[row.id],
        )
        for row in rows
    ], total


# Educators


def find_schools(text: str, limit: int = 20) -> list[Organisation]:
    """Schools and support structures matching ``text``: UAI, words of the name, city..."""
    text = (text or "").strip()
    if len(text) < 2:
        return []
    kinds = [kind.value for kind in EDUCATIONAL_KINDS]
    return list(organisations.search(q=text, kind=kinds).limit(limit))


def get_school(organisation_id: int) -> Organisation:
    """The school or support structure with this id; raise ``NotFound`` otherwise."""
    organisation = Organisation.get_or_none(
        Organisation.id == organisation_id,
        Organisation.kind.in_([kind.value for kind in EDUCATIONAL_KINDS]),
    )
    if organisation is None:
        raise NotFound(_("No school or support structure has this number."))
    return organisation


def _new_account(data: Mapping[str, Any], locale: str) -> Account:
    """A pending account from the personal details of a registration form."""
    return accounts.create_account(
        data["email"],
        data["first_name"],
        data["last_name"],
        phone=data.get("phone"),
        gender=data.get("gender"),
        locale=locale,
    )


def register_educator(organisation_id: int, raw: Mapping[str, Any], locale: str = "fr") -> Account:
    """A pending educator account, member of a school or support structure; send activation."""
    organisation = get_school(organisation_id)
    data = validated(EducatorSchema, raw)
    _check_email_free(data["email"])
    with database.atomic():
        account = _new_account(data, locale)
        accounts.grant(account, Role.EDUCATOR, organisation=organisation)
        accounts.send_activation(account)
    return account


# Internals


@dataclass(frozen=True)
class Places:
    """The territories a profile names, resolved: zones and the home place."""

    zones: list[Territory]
    home: Territory | None


def _places(data: Mapping[str, Any]) -> Places:
    """Resolve zone and home codes against the database (see ``resolve_places``)."""
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


def _check_email_free(email: str) -> None:
    if Account.select().where(Account.email == accounts.normalise_email(email)).exists():
        raise Invalid(
            {
                "email": [
                    _(
                        "An account already uses this email address: sign in, or ask for a "
                        "new password if you lost it."
                    )
                ]
            }
        )


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
