"""A small network of people for tests: territories, organisations, an account of every role,
ambassadors and interventions in any state, each made through the core's services."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import Flask

from .. import clock
from ..auth import passwords
from ..auth import service as accounts
from ..auth.models import Account, AccountStatus, Role, RoleGrant
from ..db import database
from ..interventions import announcements
from ..interventions import service as interventions
from ..interventions.models import Intervention, Status
from ..organisations.models import Organisation, OrganisationKind
from ..organisations.service import search_values
from ..people import service as people
from ..people.models import Ambassador, InterventionType
from ..people.schemas import ImportRowSchema
from ..territories.models import Territory
from ..validation import validated
from .clients import PASSWORD

T = TypeVar("T")

# code, name, kind, parent, latitude, longitude
TERRITORIES = (
    ("hdf", "Hauts-de-France", "region", None, 49.9, 2.8),
    ("ac-lille", "Académie de Lille", "academy", "hdf", 50.63, 3.06),
    ("59", "Nord", "department", "ac-lille", 50.63, 3.06),
    ("62", "Pas-de-Calais", "department", "ac-lille", 50.29, 2.78),
    ("bef-59-lille-est", "Lille Est", "basin", "59", 50.62, 3.14),
    ("bef-59-dunkerque", "Dunkerque Flandre", "basin", "59", 51.03, 2.37),
    ("bef-62-arras", "Arras", "basin", "62", 50.29, 2.78),
)


def in_days(days: float, hour: int = 10) -> datetime.datetime:
    """A UTC moment ``days`` from the test clock's now, at ``hour`` o'clock UTC."""
    moment = clock.now() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def local(moment: datetime.datetime) -> str:
    """``moment`` (UTC) as an ISO string with its offset, as the API accepts it."""
    return moment.replace(tzinfo=datetime.UTC).isoformat()


class Network:
    """The people of a test on ``app``, each made inside the app's context (and only then:
    a request made meanwhile would reuse a context kept pushed, and the user cached in it).

    The territory tree is there from the start: the region ``hdf``, the academy
    ``ac-lille``, the departments ``59`` and ``62`` and the basins ``bef-59-lille-est``,
    ``bef-59-dunkerque`` and ``bef-62-arras``. Every account has the password ``PASSWORD``.
    """

    def __init__(self, app: Flask):
        self.app = app
        self._count = 0
        self.territories()

    def run(self, action: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``action`` (a service function...) inside the app's context."""
        with self.app.app_context():
            return action(*args, **kwargs)

    def _next(self) -> int:
        self._count += 1
        return self._count

    # Territories and organisations

    def territories(self) -> dict[str, Territory]:
        """The territory tree by code (made the first time)."""
        return self.run(self._territories)

    def _territories(self) -> dict[str, Territory]:
        known = {territory.code: territory for territory in Territory.select()}
        for code, name, kind, parent, latitude, longitude in TERRITORIES:
            if code not in known:
                known[code] = Territory.create(
                    code=code,
                    name=name,
                    kind=kind,
                    parent=known[parent] if parent else None,
                    latitude=latitude,
                    longitude=longitude,
                )
        return known

    def territory(self, code: str) -> Territory:
        """The territory ``code`` of the tree."""
        return self.territories()[code]

    def organisation(
        self,
        name: str,
        kind: OrganisationKind | str = OrganisationKind.COMPANY,
        territory: str = "59",
        **fields: Any,
    ) -> Organisation:
        """An organisation (a company unless ``kind`` says) in ``territory``; ``fields`` such as
        ``siret``, ``uai``, ``city``, ``latitude``, ``rep``..."""
        values = {"name": name, "kind": kind, **fields}
        return self.run(
            Organisation.create,
            territory=self.territory(territory),
            **values,
            **search_values(values),
        )

    def school(
        self,
        name: str = "Lycée Jean Bart",
        territory: str = "bef-59-lille-est",
        kind: OrganisationKind | str = OrganisationKind.LYCEE,
        **fields: Any,
    ) -> Organisation:
        """A school in ``territory`` (a lycée of Lille Est unless told)."""
        return self.organisation(name, kind=kind, territory=territory, **fields)

    # Accounts, one per role

    def account(self, role: Role | None = None, **details: Any) -> Account:
        """An active account, with ``role`` if given, scoped by ``territory`` (a territory or
        its code) or ``organisation``; ``details``: ``email``, ``first_name``, ``locale``..."""
        number = self._next()
        scope = {key: details.pop(key) for key in ("territory", "organisation") if key in details}
        if isinstance(scope.get("territory"), str):
            scope["territory"] = self.territory(scope["territory"])

        def create() -> Account:
            account = accounts.create_account(
                details.pop("email", f"person{number}@example.org"),
                details.pop("first_name", "Alex"),
                details.pop("last_name", f"Person{number}"),
                status=AccountStatus.ACTIVE,
                password=PASSWORD,
                **details,
            )
            if role is not None:
                accounts.grant(account, role, **scope)
            return account

        return self.run(create)

    def admin(self, **details: Any) -> Account:
        """A regional administrator."""
        return self.account(Role.ADMIN, **details)

    def referent(self, territory: str = "59", **details: Any) -> Account:
        """A referent of ``territory`` (and of everything inside it)."""
        return self.account(Role.REFERENT, territory=territory, **details)

    def educator(self, school: Organisation | None = None, **details: Any) -> Account:
        """An educator of ``school`` (a new collège of Lille Est unless given)."""
        school = school or self.school(name=f"Collège {self._next()}")
        return self.account(Role.EDUCATOR, organisation=school, **details)

    def partner_manager(self, company: Organisation | None = None, **details: Any) -> Account:
        """A partner manager of ``company`` (a new company of the Nord unless given)."""
        company = company or self.organisation(f"Entreprise {self._next()}")
        return self.account(Role.PARTNER_MANAGER, organisation=company, **details)

    def ambassador(
        self,
        occupation: str = "Soudeuse",
        *,
        email: str | None = None,
        first_name: str = "Camille",
        last_name: str | None = None,
        phone: str | None = None,
        kind: str = "professional",
        zones: Sequence[str] = ("59",),
        intervention_types: Sequence[str] = ("class_talk",),
        modes: Sequence[str] = ("on_site",),
        status: AccountStatus = AccountStatus.ACTIVE,
        **profile: Any,
    ) -> Ambassador:
        """An ambassador registered through the service (``profile``: ``sector``,
        ``employer``...), active with the password ``PASSWORD`` unless ``status`` says."""
        number = self._next()
        row = {
            "email": email or f"ambassador{number}@example.org",
            "first_name": first_name,
            "last_name": last_name or f"Lastname{number}",
            "phone": phone,
            "kind": kind,
            "occupation": occupation,
            "intervention_types": list(intervention_types),
            "modes": list(modes),
            "zones": list(zones),
            **profile,
        }

        def create() -> Ambassador:
            ambassador = people.create_ambassador(validated(ImportRowSchema, row))
            Account.update(status=status, password_hash=passwords.hash_password(PASSWORD)).where(
                Account.id == ambassador.account_id
            ).execute()
            return Ambassador.get_by_id(ambassador.id)

        return self.run(create)

    def account_of(self, ambassador: Ambassador) -> Account:
        """The account of ``ambassador``, as stored now."""
        return self.run(Account.get_by_id, ambassador.account_id)

    # Interventions

    def request(
        self,
        educator: Account,
        ambassador: Ambassador | None = None,
        *,
        slots: Sequence[datetime.datetime | str] | None = None,
        **fields: Any,
    ) -> Intervention:
        """A class-talk request from ``educator`` for their school, to ``ambassador`` or
        routed; proposed ``slots`` (UTC) 10 and 12 days ahead unless given."""

        def make() -> Intervention:
            grant = RoleGrant.get(RoleGrant.account == educator.id, RoleGrant.role == Role.EDUCATOR)
            raw = {
                "ambassador": ambassador.id if ambassador is not None else None,
                "organisation": grant.organisation_id,
                "intervention_type": "class_talk",
                "mode": "on_site",
                "audience_level": "college_3",
                "group_size": 25,
                "duration_minutes": 45,
                "topic": "",
                "slots": [
                    local(slot) if isinstance(slot, datetime.datetime) else slot
                    for slot in (slots or [in_days(10), in_days(12)])
                ],
                **fields,
            }
            return interventions.request_intervention(educator, raw)

        return self.run(make)

    def intervention(
        self,
        educator: Account,
        ambassador: Ambassador,
        status: Status | str = Status.SCHEDULED,
        on: datetime.datetime | None = None,
        reach: dict[str, int] | None = None,
        **fields: Any,
    ) -> Intervention:
        """An intervention of ``ambassador`` at ``educator``'s school on ``on`` (UTC, 10 days
        ahead unless given), taken through the workflow to ``status``: requested, declined,
        scheduled (accepted on ``on``, which fixes the date), cancelled (once scheduled) or
        completed (the clock moved past it for the report of ``reach``, then back); or
        accepted, its date not fixed, as accepting left it in earlier versions (the kit
        writes that state: no path of the workflow leads to it any more)."""
        status = Status(status)
        made = self.request(educator, ambassador, slots=[on or in_days(10)], **fields)
        if status == Status.REQUESTED:
            return made
        own = self.account_of(ambassador)
        if status == Status.DECLINED:
            answer = {"reason": "dates", "message": "Pas disponible."}
            return self.run(interventions.decline, own, made.id, answer)
        confirmed = (
            {"rules_allow": True, "safety_rules": "Chaussures fermées, rester en groupe."}
            if made.intervention_type == InterventionType.COMPANY_VISIT
            else {}
        )
        if status == Status.ACCEPTED:
            return self.run(_accepted_without_a_date, made)
        made = self.run(interventions.accept, own, made.id, confirmed)
        if status == Status.SCHEDULED:
            return made
        if status == Status.CANCELLED:
            return self.cancel(educator, made)
        if status == Status.COMPLETED:
            with clock.travel(made.starts_at + datetime.timedelta(hours=2) - clock.now()):
                return self.complete(educator, made, reach)
        raise ValueError(f"no way to an intervention {status}")

    def complete(
        self, educator: Account, intervention: Intervention, reach: dict[str, int] | None = None
    ) -> Intervention:
        """The school reports ``intervention`` (once it took place): whom it reached."""
        raw = {"reach": reach or {"college_3": 25}}
        return self.run(interventions.complete, educator, intervention.id, raw)

    def cancel(self, educator: Account, intervention: Intervention) -> Intervention:
        """The school cancels ``intervention``."""
        raw = {"reason": "Sortie annulée"}
        return self.run(interventions.cancel, educator, intervention.id, raw)

    def get(self, intervention_id: int) -> Intervention:
        """The intervention as stored now."""
        return self.run(Intervention.get_by_id, intervention_id)


def _accepted_without_a_date(request: Intervention) -> Intervention:
    """``request`` accepted on its date without fixing it, as earlier versions did (their
    data is kept), and that transition announced as they announced it."""
    with database.atomic():
        Intervention.update(status=Status.ACCEPTED, answered_at=clock.now()).where(
            Intervention.id == request.id, Intervention.status == Status.REQUESTED
        ).execute()
        announcements.record(request.id, Status.REQUESTED, Status.ACCEPTED)
    return interventions.fire(Intervention.get_by_id(request.id), Status.REQUESTED, Status.ACCEPTED)
