"""Offers of discovery internships: published by hosts, highlighted by referents, searched.

A host (a partner manager of an organisation, or an ambassador for their employer)
publishes an offer: the occupation (and its ROME code), the place and its territory, the
period it receives pupils in, how many at once, the levels, what the pupil will see and
do, that its internal rules allow it and the safety rules to respect. Referents highlight
the offers of their territories: they come first. Teachers search by words (accents, case
and masculine or feminine forms do not matter), territory, level and distance.
"""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Mapping
from typing import Any

import peewee

from tremplin import clock
from tremplin.auth import permissions
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.errors import Conflict, Invalid, NotAllowed, NotFound
from tremplin.organisations.models import Organisation
from tremplin.pagination import Page
from tremplin.territories.models import Territory
from tremplin.validation import validated

from . import search, service
from .i18n import _
from .models import HOLDING, Offer, Placement
from .schemas import OfferSchema, SearchSchema

PAGE_SIZE = 20
KM_PER_DEGREE_LATITUDE = 110.574
KM_PER_DEGREE_LONGITUDE = 111.320


def _territory(code: str) -> Territory:
    territory = Territory.get_or_none(Territory.code == code)
    if territory is None:
        raise Invalid({"territory": [_("No territory has the code %(code)s.", code=code)]})
    return territory


def _columns(data: Mapping[str, Any], host: Organisation) -> dict[str, Any]:
    territory = _territory(data["territory"])
    return {
        "territory": territory.id,
        "occupation": data["occupation"],
        "rome_code": data["rome_code"].upper() if data["rome_code"] else None,
        "place": data["place"],
        "levels": " ".join(sorted(set(data["levels"]))),
        "periods": json.dumps([[a.isoformat(), b.isoformat()] for a, b in data["periods"]]),
        "first_day": data["first_day"],
        "last_day": data["last_day"],
        "places": data["places"],
        "activities": data["activities"],
        "internal_rules_allow": data["internal_rules_allow"],
        "safety_rules": data["safety_rules"],
        "search_text": search.search_text(
            data["occupation"], data["rome_code"], data["place"], host.name, territory.name
        ),
    }


def publish(account: Account, host_id: int, raw: Mapping[str, Any]) -> Offer:
    """A new offer of the host ``host_id``, as one of its people."""
    host = service.require_host(account, host_id)
    data = validated(OfferSchema, raw)
    with database.atomic():
        return Offer.create(host=host.id, created_by=account, **_columns(data, host))


def close(account: Account, offer_id: int) -> Offer:
    """Take an offer out of search; its placements go on."""
    offer = get(offer_id)
    service.require_host(account, offer.host_id)
    Offer.update(closed_at=clock.now()).where(Offer.id == offer.id).execute()
    return get(offer.id)


def may_highlight(account: Account | None, offer: Offer) -> bool:
    """Whether ``account`` referees the offer's territory (admins referee all)."""
    return permissions.covers_territory(account, offer.territory_id)


def highlight(account: Account, offer_id: int, on: bool = True) -> Offer:
    """A referent of the offer's territory highlights it (or stops): it comes first."""
    offer = get(offer_id)
    if not may_highlight(account, offer):
        raise NotAllowed(_("Only the referents of the offer's territory highlight it."))
    values = (
        {"highlighted_at": clock.now(), "highlighted_by": account.id}
        if on
        else {"highlighted_at": None, "highlighted_by": None}
    )
    Offer.update(**values).where(Offer.id == offer.id).execute()
    return get(offer.id)


def get(offer_id: int) -> Offer:
    """The offer ``offer_id``; ``NotFound`` if none."""
    offer = Offer.get_or_none(Offer.id == offer_id)
    if offer is None:
        raise NotFound(_("No offer has this number."))
    return offer


def visible(account: Account | None, offer_id: int) -> Offer:
    """An offer, for those who may read offers (teachers, hosts, referents)."""
    if not service.may_search(account):
        raise NotAllowed(_("Offers of internships are for teachers, hosts and referents."))
    return with_places_left(get(offer_id))


def offers_of(host_ids: set[int]) -> list[Offer]:
    """The offers of these hosts, the latest first."""
    if not host_ids:
        return []
    return [
        with_places_left(offer)
        for offer in Offer.select()
        .where(Offer.host.in_(sorted(host_ids)))
        .order_by(Offer.first_day.desc(), Offer.id.desc())
    ]


def holding(offer_id: int) -> int:
    """Placements holding a place of the offer."""
    return (
        Placement.select()
        .where(Placement.offer == offer_id, Placement.status.in_(list(HOLDING)))
        .count()
    )


def with_places_left(offer: Offer) -> Offer:
    """``offer`` with ``places_left`` set."""
    offer.places_left = max(0, offer.places - holding(offer.id))
    return offer


def search_offers(account: Account | None, raw: Mapping[str, Any], page: int = 1) -> Page:
    """Open offers matching the teacher's search, highlighted first, then soonest.

    Words match the start of a word of the occupation, ROME code, place, host or territory
    (accents, case and masculine or feminine forms aside); ``territory`` keeps offers of
    that territory and everything in it; ``km`` those within that distance of the school
    ``school`` (both with coordinates).
    """
    if not service.may_search(account):
        raise NotAllowed(_("Offers of internships are for teachers, hosts and referents."))
    data = validated(SearchSchema, raw)
    query = (
        Offer.select(Offer, Organisation)
        .join(Organisation, on=(Offer.host == Organisation.id))
        .where(Offer.closed_at.is_null(), Offer.last_day >= service.today())
    )
    for word in search.stems(data["q"])[:10]:
        query = query.where(Offer.search_text.contains(f" {word}"))
    if data["territory"]:
        territory = _territory(data["territory"])
        query = query.where(Offer.territory.in_(sorted(permissions.descendants({territory.id}))))
    if data["level"]:
        # "4e", "3e", "2de" and "holidays": none is a part of another.
        query = query.where(Offer.levels.contains(data["level"]))
    if data["km"]:
        query = _near(query, data["school"], data["km"])
    query = query.order_by(Offer.highlighted_at.is_null(), Offer.first_day, Offer.id)
    total = query.count()
    rows = [with_places_left(offer) for offer in query.paginate(page, PAGE_SIZE)]
    return Page(items=rows, total=total, page=page, page_size=PAGE_SIZE)


def _near(query: peewee.Query, school_id: int | None, km: int) -> peewee.Query:
    """Offers whose host is within ``km`` of the school (a box in SQL around it)."""
    school = Organisation.get_or_none(Organisation.id == school_id) if school_id else None
    if school is None or school.latitude is None or school.longitude is None:
        raise Invalid({"km": [_("Choose a school with a known place to search by distance.")]})
    dlat = km / KM_PER_DEGREE_LATITUDE
    dlon = km / (KM_PER_DEGREE_LONGITUDE * max(math.cos(math.radians(school.latitude)), 0.01))
    return query.where(
        Organisation.latitude.between(school.latitude - dlat, school.latitude + dlat),
        Organisation.longitude.between(school.longitude - dlon, school.longitude + dlon),
    )


def within_periods(offer: Offer, first: datetime.date, last: datetime.date) -> bool:
    """Whether a stay from ``first`` to ``last`` lies within one of the offer's periods."""
    return any(start <= first and last <= end for start, end in offer.spans())


def require_open(offer: Offer) -> None:
    """``Conflict`` if the offer is closed."""
    if offer.closed_at is not None:
        raise Conflict(_("This offer is closed."))
