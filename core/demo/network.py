"""The people and places of the demo: territories read from the region, the rest invented.

``Network`` holds, for the activity generator and for plugins, only ids and the few facts
they need (where someone is, what they offer); the rows themselves go to the ``Writer``.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from ..auth.models import Account, AccountStatus, Gender, Role, RoleGrant
from ..organisations.models import Organisation, OrganisationKind
from ..organisations.service import search_values
from ..organisations.validation import luhn_valid, uai_check_letter
from ..people.models import (
    Ambassador,
    AmbassadorKind,
    AmbassadorOffer,
    AmbassadorZone,
    InterventionType,
)
from ..people.service import search_text_of
from ..territories.models import Territory, TerritoryKind
from ..text import normalise
from . import vocabulary as words
from .writer import Writer

EMAIL_DOMAIN = "demo.example.org"
SCHOOL_KINDS = (
    (OrganisationKind.COLLEGE, 55),
    (OrganisationKind.LYCEE, 18),
    (OrganisationKind.LYCEE_PRO, 15),
    (OrganisationKind.CFA, 6),
    (OrganisationKind.SUPPORT, 6),
)
EMPLOYER_KINDS = (
    (OrganisationKind.COMPANY, 70),
    (OrganisationKind.PUBLIC_EMPLOYER, 10),
    (OrganisationKind.ASSOCIATION, 10),
    (OrganisationKind.TRAINING_BODY, 10),
)
SCHOOL_PREFIX = {
    OrganisationKind.COLLEGE: "Collège",
    OrganisationKind.LYCEE: "Lycée",
    OrganisationKind.LYCEE_PRO: "Lycée professionnel",
    OrganisationKind.CFA: "CFA",
}
OFFER_SHARES = {
    InterventionType.CLASS_TALK: 0.9,
    InterventionType.FORUM: 0.45,
    InterventionType.COMPANY_VISIT: 0.3,
    InterventionType.INTERNSHIP: 0.12,
    InterventionType.WEBINAR: 0.2,
}
ON_SITE_ONLY = (InterventionType.COMPANY_VISIT, InterventionType.INTERNSHIP)
FIRST_DAY = datetime.datetime(2018, 9, 1, 9, 0)  # the network's first registrations


@dataclass(frozen=True)
class Place:
    """Where people are: an education basin (or a department when the region has none)."""

    territory_id: int
    name: str
    latitude: float
    longitude: float
    department_id: int
    department_code: str
    referent_territory_id: int  # the area or department whose referent animates it


@dataclass
class School:
    """A school or structure young people come from, with its educators."""

    id: int
    kind: str
    place: Place
    educators: list[int] = field(default_factory=list)  # account ids


@dataclass(frozen=True)
class DemoAmbassador:
    """An ambassador of the demo: ids, where they live, what they offer, how often."""

    id: int
    account_id: int
    place: Place
    offers: frozenset[str]
    on_site: bool
    remote: bool
    monthly_capacity: int
    active: bool
    created_at: datetime.datetime
    occupation: str
    sector: str
    covers: str  # "region", "department" or "place": where they agreed to go


@dataclass
class Network:
    """What the activity generator and plugins need to know of the generated people."""

    places: list[Place]
    referents: dict[int, int] = field(default_factory=dict)  # territory id -> account id
    admin: int = 0
    schools: list[School] = field(default_factory=list)
    employers: list[int] = field(default_factory=list)
    ambassadors: list[DemoAmbassador] = field(default_factory=list)

    def referent_for(self, territory_id: int) -> int:
        """The account of the referent animating ``territory_id`` (a referent area, a place or
        a department), else the admin's."""
        if territory_id in self.referents:
            return self.referents[territory_id]
        for place in self.places:
            if territory_id in (place.territory_id, place.department_id):
                return self.referents.get(place.referent_territory_id, self.admin)
        return self.admin

    def ambassadors_by_place(self) -> dict[int, list[DemoAmbassador]]:
        """Active ambassadors whose zone covers each place (by the place's territory id)."""
        by_department: dict[int, list[Place]] = defaultdict(list)
        for place in self.places:
            by_department[place.department_id].append(place)
        pools: dict[int, list[DemoAmbassador]] = defaultdict(list)
        for ambassador in self.ambassadors:
            if not ambassador.active:
                continue
            covered = {
                "region": self.places,
                "department": by_department[ambassador.place.department_id],
                "place": [ambassador.place],
            }[ambassador.covers]
            for place in covered:
                pools[place.territory_id].append(ambassador)
        return pools


class People:
    """Invents people and organisations, each written through ``writer``."""

    def __init__(self, writer: Writer, rng: random.Random, now: datetime.datetime, password: str):
        self.writer = writer
        self.random = rng
        self.now = now
        self.password_hash = password
        self._uai_counters: dict[int, int] = defaultdict(int)
        self._siren = 300_000_000

    # Places

    def places(self) -> list[Place]:
        """The region's basins (or departments), each with its department and referent area."""
        territories = {territory.id: territory for territory in Territory.select()}
        kinds = defaultdict(list)
        for territory in territories.values():
            kinds[territory.kind].append(territory)
        leaves = kinds[TerritoryKind.BASIN] or kinds[TerritoryKind.DEPARTMENT]
        if not leaves:
            raise ValueError("the region has no department: run `tremplin region load` first")
        places = []
        for leaf in sorted(leaves, key=lambda territory: territory.code):
            lineage = _lineage(leaf, territories)
            department = next(t for t in lineage if t.kind == TerritoryKind.DEPARTMENT)
            area = next((t for t in lineage if t.kind == TerritoryKind.AREA), department)
            with_position = next(t for t in lineage if t.latitude is not None)
            places.append(
                Place(
                    territory_id=leaf.id,
                    name=leaf.name,
                    latitude=with_position.latitude,
                    longitude=with_position.longitude,
                    department_id=department.id,
                    department_code=department.code,
                    referent_territory_id=area.id,
                )
            )
        return places

    # Accounts

    def account(
        self,
        role: str,
        *,
        territory: int | None = None,
        organisation: int | None = None,
        email: str | None = None,
        names: tuple[str, str, str | None] | None = None,
        created_at: datetime.datetime | None = None,
        active: bool = True,
    ) -> int:
        """An account with one role; ``names`` is (first, last, gender), invented when None."""
        first, last, gender = names or self.person_name()
        created = created_at or self.moment_between(FIRST_DAY, self.now)
        account_id = self.writer.reserve(Account)
        self.writer.add(
            Account,
            {
                "id": account_id,
                "email": email or _email(first, last, account_id, EMAIL_DOMAIN),
                "password_hash": self.password_hash if active else None,
                "first_name": first,
                "last_name": last,
                "phone": self.phone(),
                "gender": gender,
                "locale": "en" if self.random.random() < 0.04 else "fr",
                "status": AccountStatus.ACTIVE if active else AccountStatus.PENDING,
                "created_at": created,
                "activated_at": created + datetime.timedelta(hours=20) if active else None,
            },
        )
        self.writer.add(
            RoleGrant,
            {
                "account": account_id,
                "role": role,
                "territory": territory,
                "organisation": organisation,
                "created_at": created,
            },
        )
        return account_id

    def person_name(self) -> tuple[str, str, str | None]:
        """Invented first and last names, and the gender declared (sometimes none)."""
        female = self.random.random() < 0.52
        first = self.random.choice(words.FIRST_NAMES_FEMALE if female else words.FIRST_NAMES_MALE)
        declared = self.random.random() < 0.9
        gender = (Gender.FEMALE if female else Gender.MALE) if declared else None
        return first, self.random.choice(words.LAST_NAMES), gender

    # Organisations

    def school(self, place: Place, kind: str | None = None) -> School:
        """A school or support structure of ``place``."""
        kind = kind or self.weighted(SCHOOL_KINDS)
        if kind == OrganisationKind.SUPPORT:
            name = f"{self.random.choice(words.SUPPORT_NAMES)} de {place.name}"
        elif kind == OrganisationKind.CFA:
            name = f"CFA des métiers — {place.name}"
        else:
            name = f"{SCHOOL_PREFIX[kind]} {self.random.choice(words.SCHOOL_PATRONS)}"
        priority = kind in (OrganisationKind.COLLEGE, OrganisationKind.LYCEE_PRO)
        rep_plus = priority and self.random.random() < 0.05
        values = {
            "name": name,
            "kind": kind,
            "uai": self.uai(place) if kind != OrganisationKind.SUPPORT else None,
            "city": place.name,
            "postcode": self.postcode(place),
        }
        school_id = self.organisation(
            place,
            values,
            qpv=priority and self.random.random() < 0.15,
            rep=priority and not rep_plus and self.random.random() < 0.15,
            rep_plus=rep_plus,
            rural=self.random.random() < 0.2,
        )
        return School(id=school_id, kind=kind, place=place)

    def employer(self, place: Place) -> tuple[int, str]:
        """A company, public employer, association or training body of ``place``."""
        kind = self.weighted(EMPLOYER_KINDS)
        name = (
            f"{self.random.choice(words.COMPANY_WORDS)} {self.random.choice(words.COMPANY_NAMES)}"
        )
        values = {
            "name": name,
            "kind": kind,
            "siret": self.siret(),
            "city": place.name,
            "postcode": self.postcode(place),
        }
        return self.organisation(place, values), name

    def organisation(self, place: Place, values: dict, **flags: bool) -> int:
        """Write an organisation at ``place`` (its position jittered around the place's)."""
        latitude, longitude = self.near(place)
        return self.writer.add(
            Organisation,
            {
                **values,
                **search_values(values),
                "territory": place.territory_id,
                "latitude": latitude,
                "longitude": longitude,
                "created_at": self.moment_between(FIRST_DAY, self.now),
                **flags,
            },
        )

    def uai(self, place: Place) -> str:
        """A UAI of the place's department, with its check letter."""
        department = int(place.department_code) if place.department_code.isdigit() else 20
        self._uai_counters[department] += 1
        digits = f"{department:03d}{self._uai_counters[department] % 10_000:04d}"
        return digits + uai_check_letter(digits)

    def siret(self) -> str:
        """A SIRET that passes the Luhn checks of its SIREN and of the whole number."""
        self._siren += 1
        siren = _with_luhn_digit(str(self._siren)[1:])
        return _with_luhn_digit(siren + f"{self.random.randint(1, 9999):04d}")

    # Ambassadors

    def ambassador(
        self, place: Place, employer: tuple[int, str] | None, region_id: int
    ) -> DemoAmbassador:
        """An ambassador living at ``place``, employed by ``employer`` when a professional."""
        kind = self.weighted(
            (
                (AmbassadorKind.PROFESSIONAL, 65),
                (AmbassadorKind.YOUNG, 25),
                (AmbassadorKind.TRAINER, 10),
            )
        )
        names = self.person_name()
        masculine, feminine, rome_code, sector = self.random.choice(words.OCCUPATIONS)
        female = names[2] == Gender.FEMALE or (names[2] is None and self.random.random() < 0.5)
        occupation = feminine if female else masculine
        shown = occupation
        if kind == AmbassadorKind.YOUNG:
            shown = f"{occupation} ({self.random.choice(words.DIPLOMAS)} en apprentissage)"
        elif kind == AmbassadorKind.TRAINER:
            shown = f"{occupation} (formation)"
        offers = {kind_ for kind_, share in OFFER_SHARES.items() if self.random.random() < share}
        if kind != AmbassadorKind.PROFESSIONAL:
            offers -= set(ON_SITE_ONLY)
        offers = offers or {InterventionType.CLASS_TALK}
        remote = InterventionType.WEBINAR in offers or self.random.random() < 0.25
        on_site = not remote or self.random.random() < 0.85 or bool(offers & set(ON_SITE_ONLY))
        created = self.moment_between(FIRST_DAY, self.now - datetime.timedelta(days=1))
        capacity = self.weighted(((1, 25), (2, 40), (3, 20), (4, 15)))
        active = self.random.random() >= 0.03
        account_id = self.account(Role.AMBASSADOR, names=names, created_at=created, active=active)
        latitude, longitude = self.near(place)
        max_distance = self.random.choice((15, 20, 30, 50, None))
        paused = self.random.random() < 0.03
        paused_until = (
            self.now.date() + datetime.timedelta(days=self.random.randint(20, 90))
            if paused
            else None
        )
        share = self.random.random()
        if share < 0.15 and region_id:
            covers, zone = "region", region_id
        elif share < 0.8:
            covers, zone = "department", place.department_id
        else:
            covers, zone = "place", place.territory_id
        return self.write_ambassador(
            DemoAmbassador(
                id=0,
                account_id=account_id,
                place=place,
                offers=frozenset(offers),
                on_site=on_site,
                remote=remote,
                monthly_capacity=capacity,
                active=active,
                created_at=created,
                occupation=shown,
                sector=sector,
                covers=covers,
            ),
            zone=zone,
            columns={
                "kind": kind,
                "rome_code": rome_code,
                "organisation": employer[0]
                if employer and kind == AmbassadorKind.PROFESSIONAL
                else None,
                "organisation_name": employer[1] if employer else None,
                "latitude": latitude,
                "longitude": longitude,
                "max_distance_km": max_distance,
                "paused_until": paused_until,
                "presentation": f"{shown} : je vous raconte mon quotidien, mon parcours et "
                "ce qui m'a donné envie de faire ce métier.",
            },
        )

    def write_ambassador(
        self, ambassador: DemoAmbassador, zone: int, columns: dict
    ) -> DemoAmbassador:
        """Write ``ambassador`` (its id is ignored) with its offers and zone; return it with
        its id. ``columns`` are the ``Ambassador`` columns ``DemoAmbassador`` does not hold
        (kind, ROME code, position, presentation...)."""
        ambassador_id = self.writer.add(
            Ambassador,
            {
                **columns,
                "account": ambassador.account_id,
                "occupation": ambassador.occupation,
                "sector": ambassador.sector,
                "search_text": search_text_of(
                    ambassador.occupation, ambassador.sector, columns.get("rome_code")
                ),
                "on_site": ambassador.on_site,
                "remote": ambassador.remote,
                "home_territory": ambassador.place.territory_id,
                "monthly_capacity": ambassador.monthly_capacity,
                "created_at": ambassador.created_at,
            },
        )
        for offer in sorted(ambassador.offers):
            self.writer.add(
                AmbassadorOffer, {"ambassador": ambassador_id, "intervention_type": offer}
            )
        self.writer.add(AmbassadorZone, {"ambassador": ambassador_id, "territory": zone})
        return dataclasses.replace(ambassador, id=ambassador_id)

    # Chance

    def weighted(self, choices):
        """One of ``choices`` ((value, weight) pairs), drawn by weight."""
        values, weights = zip(*choices, strict=True)
        return self.random.choices(values, weights)[0]

    def moment_between(self, low: datetime.datetime, high: datetime.datetime) -> datetime.datetime:
        """A moment between ``low`` and ``high``, more often recent (the network grows)."""
        span = (high - low).total_seconds()
        return low + datetime.timedelta(seconds=int(span * self.random.random() ** 0.6))

    def near(self, place: Place) -> tuple[float, float]:
        """A position a few kilometres around ``place``."""
        return (
            round(place.latitude + self.random.uniform(-0.12, 0.12), 5),
            round(place.longitude + self.random.uniform(-0.18, 0.18), 5),
        )

    def phone(self) -> str:
        """A mobile number of the range ARCEP keeps for fiction (06 39 98 xx xx)."""
        return f"06 39 98 {self.random.randint(0, 99):02d} {self.random.randint(0, 99):02d}"

    def postcode(self, place: Place) -> str:
        """A postcode of the place's department."""
        code = place.department_code
        return f"{code}{self.random.randint(0, 999):03d}" if len(code) == 2 else code[:5]


def _lineage(territory: Territory, territories: dict[int, Territory]) -> list[Territory]:
    lineage = [territory]
    while lineage[-1].parent_id is not None:
        lineage.append(territories[lineage[-1].parent_id])
    return lineage


def _email(first: str, last: str, account_id: int, domain: str) -> str:
    local = normalise(f"{first} {last}").replace(" ", ".").replace("'", "")
    return f"{local}.{account_id}@{domain}"


def _with_luhn_digit(digits: str) -> str:
    return next(digits + str(check) for check in range(10) if luhn_valid(digits + str(check)))
