"""Organisations: find them, create and change them, and who may. No Flask here.

Who may do what (for pages and API alike):

* see the list and any organisation: admins, referents and educators (organisations are
  a directory, not personal data); an organisation's own educators and partner managers
  see it too;
* change an organisation: admins, and referents of its territory (or of a territory
  containing it); its educators may not, since its identifiers and priority flags feed
  the region's figures;
* add one: admins, and referents, in their territories.

This area sits below accounts, so it is told what a person may do rather than asking: a
``Rights`` value, which ``tremplin.auth.permissions.organisation_rights`` makes from their
roles. ``create`` and ``update`` take ``within``, the territory ids the acting person may
work in (``None`` for everywhere: an admin, the command line, an import).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import peewee

from ..db import database
from ..errors import Invalid, NotAllowed, NotFound
from ..i18n import _
from ..territories.models import Territory, TerritoryKind
from ..text import normalise
from ..validation import validated
from .models import SIRET_REQUIRED_KINDS, UAI_KINDS, UAI_REQUIRED_KINDS, Organisation
from .schemas import FLAGS, OrganisationChangesSchema, OrganisationInputSchema

# Stored as they are given; ``territory`` is given by its code and stored as an id.
FIELDS = (
    "name",
    "kind",
    "uai",
    "siret",
    "city",
    "postcode",
    "latitude",
    "longitude",
    "qpv",
    "rep",
    "rep_plus",
    "rural",
)


@dataclass(frozen=True)
class Rights:
    """What a person may do with organisations, from their roles and territories."""

    # Territories they referee, with everything inside them; None: all of them (an admin).
    territories: frozenset[int] | None = frozenset()
    browses: bool = False  # admins, referents and educators: the whole list
    creates: bool = False  # admins and referents, in their territories
    own: frozenset[int] = frozenset()  # where they are educators or partner managers


def may_browse(rights: Rights) -> bool:
    """Whether the list and search of organisations is open to ``rights``."""
    return rights.browses


def may_create(rights: Rights) -> bool:
    """Whether ``rights`` may add organisations (in their territories)."""
    return rights.creates


def may_edit(rights: Rights, organisation: Organisation) -> bool:
    """Admins and the referents of the organisation's territory."""
    territory = organisation.territory_id
    return rights.territories is None or (territory is not None and territory in rights.territories)


def may_view(rights: Rights, organisation: Organisation) -> bool:
    """Whoever browses, and whoever manages the organisation (referent, its own people)."""
    return rights.browses or may_edit(rights, organisation) or organisation.id in rights.own


def check_browse(rights: Rights) -> None:
    """Raise ``NotAllowed`` unless ``rights`` may list and search organisations."""
    if not may_browse(rights):
        raise NotAllowed(_("You are not allowed to do this."))


def check_create(rights: Rights) -> None:
    """Raise ``NotAllowed`` unless ``rights`` may add organisations."""
    if not may_create(rights):
        raise NotAllowed(_("You are not allowed to do this."))


def visible(rights: Rights, organisation_id: int) -> Organisation:
    """The organisation with this id, if ``rights`` may see it; ``NotFound``, ``NotAllowed``."""
    organisation = get(organisation_id)
    if not may_view(rights, organisation):
        raise NotAllowed(_("You are not allowed to see this organisation."))
    return organisation


def editable(rights: Rights, organisation_id: int) -> Organisation:
    """The organisation with this id, if ``rights`` may change it; ``NotFound``, ``NotAllowed``."""
    organisation = get(organisation_id)
    if not may_edit(rights, organisation):
        raise NotAllowed(_("Only the referents of its territory may change this organisation."))
    return organisation


def get(organisation_id: int) -> Organisation:
    """The organisation with this id, with its territory; raise ``NotFound`` if none."""
    organisation = (
        _with_territory(Organisation.select(Organisation, Territory))
        .where(Organisation.id == organisation_id)
        .first()
    )
    if organisation is None:
        raise NotFound(_("No organisation has the number %(id)s.", id=organisation_id))
    return organisation


def search(
    q: str | None = None,
    kind: Iterable[str] = (),
    territory: str | None = None,
    priority: str | None = None,
) -> peewee.ModelSelect:
    """Organisations matching every filter, by name (accents and case ignored).

    ``q``: words each found in the name, city, postcode, UAI or SIRET; ``kind``: kinds
    (any of them); ``territory``: a territory code, with everything inside it (raise
    ``Invalid`` if no territory has it); ``priority``: ``"any"`` for organisations with
    at least one priority flag, or one flag (``qpv``, ``rep``, ``rep_plus``, ``rural``).
    """
    query = _with_territory(Organisation.select(Organisation, Territory)).order_by(
        Organisation.search_name, Organisation.id
    )
    for word in normalise(q).split():
        query = query.where(Organisation.search_text.contains(word))
    kinds = [value for value in kind if value]
    if kinds:
        query = query.where(Organisation.kind.in_(kinds))
    if territory:
        query = query.where(Organisation.territory.in_(_territory_and_below(territory)))
    if priority == "any":
        query = query.where(
            (Organisation.qpv == True)  # noqa: E712 - peewee builds SQL from ==
            | (Organisation.rep == True)  # noqa: E712
            | (Organisation.rep_plus == True)  # noqa: E712
            | (Organisation.rural == True)  # noqa: E712
        )
    elif priority in FLAGS:
        query = query.where(getattr(Organisation, priority) == True)  # noqa: E712
    return query


def create(data: Mapping[str, Any], *, within: set[int] | None = None) -> Organisation:
    """A new organisation from ``data`` (fields as the API takes them, territory by code).

    Raise ``Invalid`` with field errors, or ``NotAllowed`` if its territory is not
    ``within`` the acting person's.
    """
    values = validated(OrganisationInputSchema(), data)
    with database.atomic():
        territory_id = _territory_id(values.pop("territory"))
        if within is not None and territory_id not in within:
            raise NotAllowed(_("You can only add organisations in your territories."))
        _check(values, exclude=None)
        organisation = Organisation.create(
            territory=territory_id, **values, **search_values(values)
        )
    return get(organisation.id)


def update(
    organisation_id: int, data: Mapping[str, Any], *, within: set[int] | None = None
) -> Organisation:
    """Change the fields of the organisation given in ``data``; the others stay.

    Raise ``NotFound``, ``NotAllowed`` if the organisation or its new territory is not
    ``within`` the acting person's territories, or ``Invalid`` with field errors.
    """
    organisation = get(organisation_id)
    if within is not None and organisation.territory_id not in within:
        raise NotAllowed(_("You can only change organisations of your territories."))
    changes = validated(OrganisationChangesSchema(partial=True), data)
    with database.atomic():
        territory_id = organisation.territory_id
        if "territory" in changes:
            territory_id = _territory_id(changes.pop("territory"))
            if within is not None and territory_id not in within:
                raise NotAllowed(_("You can only move organisations to your territories."))
        values = {field: getattr(organisation, field) for field in FIELDS} | changes
        _check(values, exclude=organisation.id)
        Organisation.update(territory=territory_id, **values, **search_values(values)).where(
            Organisation.id == organisation.id
        ).execute()
    return get(organisation.id)


def rule_errors(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """What breaks the rules between fields of a whole organisation (empty when nothing).

    Collèges and lycées need their UAI, only schools and the like have one, companies
    need their SIRET, and a position needs both its latitude and its longitude.
    """
    errors: dict[str, list[str]] = {}
    kind = values.get("kind")
    if kind in UAI_REQUIRED_KINDS and not values.get("uai"):
        errors["uai"] = [_("A collège or a lycée needs its UAI.")]
    elif values.get("uai") and kind not in UAI_KINDS:
        errors["uai"] = [
            _(
                "Only schools, CFAs, universities, support structures and training bodies "
                "have a UAI."
            )
        ]
    if kind in SIRET_REQUIRED_KINDS and not values.get("siret"):
        errors["siret"] = [_("A company needs the SIRET of its establishment.")]
    has_latitude = values.get("latitude") is not None
    has_longitude = values.get("longitude") is not None
    if has_latitude != has_longitude:
        missing = "longitude" if has_latitude else "latitude"
        errors[missing] = [_("Give both the latitude and the longitude, or neither.")]
    return errors


def search_values(values: Mapping[str, Any]) -> dict[str, str]:
    """The search columns of an organisation with these ``values``."""
    words = [values.get(field) for field in ("name", "city", "postcode", "uai", "siret")]
    return {
        "search_name": normalise(values["name"])[:200],
        "search_text": normalise(" ".join(word for word in words if word))[:400],
    }


def territory_choices(within: set[int] | None = None) -> list[Territory]:
    """Territories an organisation can be placed in, widest first: all, or those ``within``.

    Communes are left out: there are thousands, and organisations belong to a department
    or an education basin.
    """
    order = peewee.Case(
        Territory.kind, [(kind.value, rank) for rank, kind in enumerate(TerritoryKind)]
    )
    query = (
        Territory.select()
        .where(Territory.kind != TerritoryKind.COMMUNE)
        .order_by(order, Territory.sort_name, Territory.name)
    )
    if within is not None:
        query = query.where(Territory.id.in_(list(within)))
    return list(query)


def territory_ids(codes: Iterable[str] | None = None) -> dict[str, int]:
    """``{code: id}`` of the territories with ``codes`` (every territory when ``None``)."""
    query = Territory.select(Territory.code, Territory.id)
    if codes is not None:
        query = query.where(Territory.code.in_(list(codes)))
    return dict(query.tuples())


def _with_territory(query: peewee.ModelSelect) -> peewee.ModelSelect:
    # One query for a page of organisations and their territories' codes and names.
    return query.join(
        Territory, peewee.JOIN.LEFT_OUTER, on=(Organisation.territory == Territory.id)
    )


def _territory_and_below(code: str) -> peewee.Select:
    """A subquery of the ids of territory ``code`` and every territory inside it (SQL)."""
    if not Territory.select().where(Territory.code == code).exists():
        raise Invalid({"territory": [_("No territory has the code %(code)s.", code=code)]})
    tree = (
        Territory.select(Territory.id)
        .where(Territory.code == code)
        .cte("tree", recursive=True, columns=("id",))
    )
    child = Territory.alias()
    below = child.select(child.id).join(tree, on=(child.parent == tree.c.id))
    whole = tree.union_all(below)
    return whole.select_from(whole.c.id)


def _territory_id(code: str) -> int:
    ids = territory_ids([code])
    if code not in ids:
        raise Invalid({"territory": [_("No territory has the code %(code)s.", code=code)]})
    return ids[code]


def _check(values: Mapping[str, Any], exclude: int | None) -> None:
    """Raise ``Invalid`` if ``values`` break a rule or reuse another organisation's UAI/SIRET."""
    errors = rule_errors(values)
    for field in ("uai", "siret"):
        if field in errors or not values.get(field):
            continue
        other = Organisation.select(Organisation.name).where(
            getattr(Organisation, field) == values[field]
        )
        if exclude is not None:
            other = other.where(Organisation.id != exclude)
        holder = other.first()
        if holder is not None:
            errors[field] = [
                _("%(name)s already has this number.", name=holder.name),
            ]
    if errors:
        raise Invalid(errors)
