"""``tremplin demo``'s network: generated from nothing, reproducible, close to real figures.

The default size is the Hauts-de-France network of September 2021 (about 1,500
ambassadors, 800 teachers in 300 schools, 600 interventions); ``Size`` scales it up to
national figures for benchmarks. The same seed on the same day gives the same network.
Everything is written in one transaction: a failed generation leaves the database empty.

Plugins add their part through the ``populate_demo`` hook (the charter plugin has most
ambassadors accept the charter and have their record checked, and holds the others).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

import peewee

from .. import runtime
from ..auth.models import Account, Role
from ..auth.passwords import hash_password
from ..clock import now
from ..db import database
from ..i18n import lazy_gettext
from ..interventions.models import Intervention, Status
from ..interventions.times import zone
from ..organisations.models import Organisation, OrganisationKind
from ..people.models import Ambassador, InterventionType
from ..stats import monthly, registered
from ..territories.models import Territory, TerritoryKind
from .activity import DAYS_BEFORE, Activity, Plan
from .network import EMAIL_DOMAIN, DemoAmbassador, Network, People, Place, School
from .writer import Writer

PASSWORD = "tremplin-demo"
SHOWCASE_OCCUPATION = "Technicienne de maintenance industrielle"
DEFAULT_SEED = 2018
ADMIN_EMAIL = f"admin@{EMAIL_DOMAIN}"
LOGIN_ROLES = {
    "admin": lazy_gettext("Regional team (administrator)"),
    "referent": lazy_gettext("Territorial referent"),
    "educator": lazy_gettext("Teacher"),
    "ambassador": lazy_gettext("Ambassador"),
    "partner": lazy_gettext("Partner organisation"),
}
LOGIN_EMAILS = {
    "admin": ADMIN_EMAIL,
    "referent": f"referente@{EMAIL_DOMAIN}",
    "educator": f"enseignant@{EMAIL_DOMAIN}",
    "ambassador": f"ambassadrice@{EMAIL_DOMAIN}",
    "partner": f"partenaire@{EMAIL_DOMAIN}",
}
LOGIN_NAMES = {
    "admin": ("Équipe", "Régionale", None),
    "referent": ("Claire", "Vandewalle", "female"),
    "educator": ("Julien", "Delmotte", "male"),
    "ambassador": ("Samia", "Lecointe", "female"),
    "partner": ("Marc", "Dewulf", "male"),
}


@dataclass(frozen=True)
class Size:
    """How big the network is; schools, teachers and partners follow the ambassadors."""

    ambassadors: int = 1500
    interventions: int = 600

    @property
    def schools(self) -> int:
        """One school or structure for five ambassadors (300 for 1,500)."""
        return max(5, min(self.ambassadors // 5, 30_000))

    @property
    def educators(self) -> int:
        """About 800 teachers for 1,500 ambassadors."""
        return max(self.schools, self.ambassadors * 8 // 15)

    @property
    def employers(self) -> int:
        """Companies, public employers, associations and training bodies."""
        return max(3, self.ambassadors // 10)

    def work(self) -> int:
        """Units of progress of a generation: one per person, school and intervention."""
        return self.ambassadors + self.educators + self.schools + self.interventions


@dataclass(frozen=True)
class Login:
    """A demo account to sign in with."""

    role: str
    label: str
    email: str
    password: str = PASSWORD


class DemoNetwork:
    """What ``populate_demo`` implementations get: the generated people and how to add rows.

    ``showcase`` is the ambassador of the demo login, whose pages the tour shows: plugins
    keep them in order.
    """

    def __init__(
        self,
        network: Network,
        writer: Writer,
        rng: random.Random,
        moment,
        showcase: DemoAmbassador,
    ):
        self._network = network
        self.showcase = showcase
        self._writer = writer
        self.random = rng
        self.now = moment
        self.today = moment.date()

    @property
    def ambassadors(self) -> list[DemoAmbassador]:
        """Every generated ambassador (``id``, ``account_id``, ``created_at``, ``active``...)."""
        return self._network.ambassadors

    def referent_for(self, territory_id: int) -> int:
        """The account id of the referent animating ``territory_id`` (the admin if none)."""
        return self._network.referent_for(territory_id)

    def insert(self, model: type[peewee.Model], row: dict) -> int:
        """Queue ``row`` for ``model``'s table (batched); return its id."""
        return self._writer.add(model, row)

    def flush(self) -> None:
        """Write every queued row now, so that queries see them."""
        self._writer.flush()


def is_generated() -> bool:
    """Whether this database holds the demo network already."""
    return Account.select().where(Account.email == ADMIN_EMAIL).exists()


def has_data() -> bool:
    """Whether this database holds accounts or organisations (the demo fills only empty ones)."""
    return Account.select().exists() or Organisation.select().exists()


def logins() -> list[Login]:
    """One login per role, to print and to sign in with."""
    return [Login(role, str(LOGIN_ROLES[role]), email) for role, email in LOGIN_EMAILS.items()]


def generate(
    size: Size = Size(),
    seed: int = DEFAULT_SEED,
    progress: Callable[[int], None] = lambda _units: None,
) -> None:
    """Write the demo network into the (empty) database of the current instance."""
    rng = random.Random(seed)
    moment = now().replace(microsecond=0)
    with database.atomic(), registered.bulk_load():
        writer = Writer(database)
        people = People(writer, rng, moment, hash_password(PASSWORD))
        network = _people(people, size, progress)
        activity = Activity(people, network, moment, zone())
        showcase = _showcase(activity, network)
        activity.interventions(size.interventions, progress)
        writer.flush()
        runtime.hooks().populate_demo(demo=DemoNetwork(network, writer, rng, moment, showcase))
        writer.finish()
        _last_solicited()
        monthly.rebuild()  # the rows were written in bulk, without the workflow


def _people(people: People, size: Size, progress: Callable[[int], None]) -> Network:
    places = people.places()
    network = Network(places=places)
    region = Territory.get_or_none(Territory.kind == TerritoryKind.REGION)
    network.admin = people.account(
        Role.ADMIN,
        email=ADMIN_EMAIL,
        names=LOGIN_NAMES["admin"],
        territory=None,
    )
    showcase = _showcase_place(places)
    for territory_id in sorted({place.referent_territory_id for place in places}):
        first = territory_id == showcase.referent_territory_id
        network.referents[territory_id] = people.account(
            Role.REFERENT,
            territory=territory_id,
            email=LOGIN_EMAILS["referent"] if first else None,
            names=LOGIN_NAMES["referent"] if first else None,
        )
    for index in range(size.schools):
        place = showcase if index == 0 else people.random.choice(places)
        network.schools.append(
            people.school(place, OrganisationKind.COLLEGE if index == 0 else None)
        )
    progress(size.schools)
    for index in range(size.educators):
        school = network.schools[index] if index < len(network.schools) else None
        school = school or people.random.choice(network.schools)
        email = LOGIN_EMAILS["educator"] if index == 0 else None
        names = LOGIN_NAMES["educator"] if index == 0 else None
        account = people.account(Role.EDUCATOR, organisation=school.id, email=email, names=names)
        school.educators.append(account)
    progress(size.educators)
    employers = [people.employer(people.random.choice(places)) for _ in range(size.employers)]
    network.employers = [employer_id for employer_id, _name in employers]
    for index, (employer_id, _name) in enumerate(employers[::5]):
        people.account(
            Role.PARTNER_MANAGER,
            organisation=employer_id,
            email=LOGIN_EMAILS["partner"] if index == 0 else None,
            names=LOGIN_NAMES["partner"] if index == 0 else None,
        )
    for index in range(size.ambassadors):
        place = people.random.choice(places)
        employer = people.random.choice(employers)
        network.ambassadors.append(
            people.ambassador(place, employer, region.id if region else None)
        )
        if index % 1000 == 999:
            progress(1000)
    progress(size.ambassadors % 1000)
    return network


def _showcase_place(places: list[Place]) -> Place:
    """Where the demo's teacher and referent work: in a referent area smaller than a
    department when the region has some (the Nord's), else in the largest department."""
    sizes: dict[int, int] = {}
    for place in places:
        sizes[place.referent_territory_id] = sizes.get(place.referent_territory_id, 0) + 1
    within_area = {
        place.referent_territory_id
        for place in places
        if place.referent_territory_id != place.department_id
    }
    chosen = max(
        sizes, key=lambda territory: (territory in within_area, sizes[territory], -territory)
    )
    return next(place for place in places if place.referent_territory_id == chosen)


def _showcase(activity: Activity, network: Network) -> DemoAmbassador:
    """The demo ambassador, and interventions in every status between them and the demo
    teacher's school, so that every role's pages have something to show."""
    people = activity.people
    school: School = network.schools[0]
    account = people.account(
        Role.AMBASSADOR,
        email=LOGIN_EMAILS["ambassador"],
        names=LOGIN_NAMES["ambassador"],
    )
    ambassador = _showcase_ambassador(people, account, school.place)
    network.ambassadors.append(ambassador)
    teacher = school.educators[0]
    day = datetime.timedelta(days=1)
    moment = activity.now
    statuses = [
        (Status.REQUESTED, moment + 9 * day),
        (Status.REQUESTED, moment + 16 * day),
        (Status.SCHEDULED, moment + 23 * day),
        (Status.SCHEDULED, moment + 6 * day),
        (Status.SCHEDULED, moment - 2 * day),  # took place: its report is due
        (Status.COMPLETED, moment - 20 * day),
        (Status.COMPLETED, moment - 45 * day),
        (Status.DECLINED, moment - 30 * day),
        (Status.CANCELLED, moment + 12 * day),
        (Status.EXPIRED, moment - 60 * day),
    ]
    for status, when in statuses:
        starts_at = activity.moment(_school_day(when))
        activity.write(
            Plan(
                school=school,
                requester=teacher,
                intervention_type=InterventionType.CLASS_TALK,
                status=status,
                starts_at=starts_at,
                ambassador=ambassador,
            )
        )
    # A request of the teacher's school waiting for a match, for the referent's pages.
    activity.write(
        Plan(
            school=school,
            requester=teacher,
            intervention_type=InterventionType.CLASS_TALK,
            status=Status.REQUESTED,
            starts_at=activity.moment(_school_day(moment + 30 * day)),
            ambassador=None,
        )
    )
    return ambassador


def _school_day(moment: datetime.datetime) -> datetime.date:
    """The day of ``moment``, or the next Monday or Tuesday when it falls on a weekend."""
    day = moment.date()
    return day if day.weekday() < 5 else day + datetime.timedelta(days=2)


def _showcase_ambassador(people: People, account: int, place: Place) -> DemoAmbassador:
    return people.write_ambassador(
        DemoAmbassador(
            id=0,
            account_id=account,
            place=place,
            offers=frozenset(InterventionType),
            on_site=True,
            remote=True,
            monthly_capacity=4,
            active=True,
            # Joined before the demo's first dates, so checked by the time of its activity.
            created_at=people.now - datetime.timedelta(days=DAYS_BEFORE),
            occupation=SHOWCASE_OCCUPATION,
            sector="Industrie",
            covers="department",
        ),
        zone=place.department_id,
        columns={
            "kind": "professional",
            "rome_code": "I1304",
            "organisation_name": "Ateliers de l'Escaut",
            "latitude": place.latitude,
            "longitude": place.longitude,
            "max_distance_km": 40,
            "presentation": "Je répare et j'améliore les machines d'une usine agroalimentaire. "
            "J'ai commencé par un bac pro, puis un BTS en alternance.",
        },
    )


def _last_solicited() -> None:
    """Each ambassador's last solicitation: the latest request that reached them."""
    latest = Intervention.select(peewee.fn.MAX(Intervention.assigned_at)).where(
        Intervention.ambassador == Ambassador.id
    )
    Ambassador.update(last_solicited_at=latest).execute()
