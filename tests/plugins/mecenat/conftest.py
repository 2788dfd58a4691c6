"""A small network with the mecenat plugin: a company, its partner manager, its employees as
ambassadors, a school, a referent and an admin, built through the public services; the
emails of the outbox and the signing of documents through their links; PDFs read back."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from flask import Flask

from tremplin import clock
from tremplin.auth import passwords
from tremplin.auth import service as accounts
from tremplin.auth.models import Account, AccountStatus, Role
from tremplin.clock import now as clock_now
from tremplin.interventions import service as interventions
from tremplin.interventions.models import Intervention
from tremplin.organisations.models import Organisation, OrganisationKind
from tremplin.people import service as people
from tremplin.people.models import Ambassador
from tremplin.people.schemas import ImportRowSchema
from tremplin.plugins.mecenat import conventions, employers, receipts, service
from tremplin.plugins.mecenat.models import Convention, SigningStatus
from tremplin.territories.models import Territory
from tremplin.testing import PASSWORD, csrf_token_from
from tremplin.text import normalise

SETTINGS = {
    "beneficiary_name": "Région de test",
    "beneficiary_address": "1 place de la Région, 59000 Lille",
    "beneficiary_siren": "200000001",
    "beneficiary_object": "Information sur les métiers et les formations",
    "receipt_signatory_name": "Hélène Marchal",
    "receipt_signatory_capacity": "Directrice de l'orientation",
    "region_signatory_name": "Hélène Marchal",
    "region_signatory_role": "Pour la Région",
    "region_signatory_email": "signature@region.example.org",
}
CHARTER_FILE = """\
+++
version = "2025-1"
title = "Charte de partenariat"
effective = 2025-01-01
+++

## Article 1 — Objet

L'organisation soutient le réseau.
"""


class Network:
    """People, organisations and interventions of a test, each made inside the app's context."""

    def __init__(self, app: Flask):
        self.app = app
        self.count = 0
        with app.app_context():
            self.region = Territory.create(code="hdf", name="Hauts-de-France", kind="region")
            self.nord = Territory.create(
                code="59", name="Nord", kind="department", parent=self.region
            )

    def run(self, action, *args: Any, **kwargs: Any):
        """Call ``action`` inside the app's context."""
        with self.app.app_context():
            return action(*args, **kwargs)

    def _next(self) -> int:
        self.count += 1
        return self.count

    def organisation(self, name: str, kind=OrganisationKind.COMPANY, siret=None) -> Organisation:
        """An organisation of the Nord."""
        return self.run(
            Organisation.create,
            name=name,
            search_name=normalise(name),
            search_text=normalise(f"{name} {siret or ''}"),
            kind=kind,
            siret=siret,
            territory=self.nord,
        )

    def account(self, role: Role | None = None, **scope: Any) -> Account:
        """An active account with ``role`` (scoped by ``organisation`` or ``territory``)."""
        number = self._next()
        details = {
            "first_name": scope.pop("first_name", "Alex"),
            "last_name": scope.pop("last_name", f"Martin{number}"),
        }
        email = scope.pop("email", f"person{number}@example.org")

        def create():
            account = accounts.create_account(
                email, status=AccountStatus.ACTIVE, password=PASSWORD, **details
            )
            if role is not None:
                accounts.grant(account, role, **scope)
            return account

        return self.run(create)

    def ambassador(self, first_name: str, last_name: str) -> Ambassador:
        """An active professional ambassador of the Nord, offering class talks."""
        number = self._next()

        def create():
            ambassador = people.create_ambassador(
                people.validated(
                    ImportRowSchema,
                    {
                        "email": f"ambassador{number}@example.org",
                        "first_name": first_name,
                        "last_name": last_name,
                        "kind": "professional",
                        "occupation": "Technicienne de maintenance",
                        "sector": "Industrie",
                        "intervention_types": ["class_talk"],
                        "modes": ["on_site"],
                        "zones": ["59"],
                    },
                )
            )
            Account.update(
                status=AccountStatus.ACTIVE, password_hash=passwords.hash_password(PASSWORD)
            ).where(Account.id == ambassador.account_id).execute()
            return Ambassador.get_by_id(ambassador.id)

        return self.run(create)

    def account_of(self, ambassador: Ambassador) -> Account:
        """The ambassador's account as stored now."""
        return self.run(Account.get_by_id, ambassador.account_id)

    def intervention(
        self, educator: Account, school: Organisation, ambassador: Ambassador, on: datetime.datetime
    ) -> Intervention:
        """A class talk of 45 minutes requested and accepted on ``on`` (UTC): scheduled."""
        raw = {
            "ambassador": ambassador.id,
            "organisation": school.id,
            "intervention_type": "class_talk",
            "mode": "on_site",
            "audience_level": "college_3",
            "group_size": 25,
            "duration_minutes": 45,
            "slots": [on.replace(tzinfo=datetime.UTC).isoformat()],
        }
        made = self.run(interventions.request_intervention, educator, raw)
        return self.run(interventions.accept, self.account_of(ambassador), made.id, {})

    def complete(self, educator: Account, intervention: Intervention) -> Intervention:
        """The school reports the intervention (after it took place)."""
        return self.run(
            interventions.complete, educator, intervention.id, {"reach": {"college_3": 25}}
        )

    def cancel(self, educator: Account, intervention: Intervention) -> Intervention:
        """The school cancels the intervention."""
        return self.run(
            interventions.cancel, educator, intervention.id, {"reason": "Sortie annulée"}
        )


@pytest.fixture(autouse=True)
def quick_passwords(fast_passwords):
    """Many accounts are made and signed in: cheap hashing."""


@pytest.fixture
def make_mecenat_app(make_app):
    """``make_mecenat_app(**settings)``: an app with the mecenat plugin and the test settings."""

    def make(**settings: Any) -> Flask:
        return make_app(plugins=["mecenat"], settings={"mecenat": {**SETTINGS, **settings}})

    return make


@pytest.fixture
def app(make_mecenat_app) -> Flask:
    """An app with the mecenat plugin and the test region's settings."""
    return make_mecenat_app()


@pytest.fixture
def net(app) -> Network:
    """The network of ``app``."""
    return Network(app)


def sign_through(client, path: str, name: str):
    """Open the signing page as a signatory's browser does, then sign."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    marker = 'name="sha256" value="'
    start = page.text.index(marker) + len(marker)
    sha256 = page.text[start : page.text.index('"', start)]
    data = {
        "name": name,
        "consent": "yes",
        "sha256": sha256,
        "csrf_token": csrf_token_from(client, path),
    }
    return client.post(path, data=data, environ_base={"REMOTE_ADDR": "203.0.113.7"})


def moment(text: str) -> datetime.datetime:
    """A UTC moment from ISO text."""
    return datetime.datetime.fromisoformat(text)


def today() -> datetime.date:
    """The test clock's date."""
    return clock.today()


class Year:
    """A company whose 2025 is over: details given, a signed convention, one counted and
    costed employee (3,700 € a month), and one class talk of hers completed in March."""

    def __init__(self, net: Network, clock):
        clock.pin(moment("2025-01-06T09:00"))
        self.net = net
        self.clock = clock
        self.company = net.organisation("Forges de l'Escaut", siret="12345678900017")
        self.school = net.organisation("Collège Jules Ferry", kind=OrganisationKind.COLLEGE)
        self.educator = net.account(Role.EDUCATOR, organisation=self.school)
        self.manager = net.account(Role.PARTNER_MANAGER, organisation=self.company)
        self.admin = net.account(Role.ADMIN)
        self.ines = net.ambassador("Inès", "Boulanger")
        account = net.account_of(self.ines)
        net.run(employers.set_employer, account, {"organisation": self.company.id})
        net.run(employers.give_consent, account)
        net.run(
            service.save_partner,
            self.manager,
            self.company.id,
            {"legal_form": "SAS", "address": "12 quai de l'Escaut, 59300 Valenciennes"},
        )
        self.convention = net.run(
            conventions.prepare,
            self.manager,
            self.company.id,
            {"starts_on": "2025-01-01", "ends_on": "2026-12-31", "committed_interventions": "10"},
        )
        self.cost(self.ines, "2600", "1100")
        net.run(
            lambda: (
                Convention.update(status=SigningStatus.SIGNED, signed_at=clock_now())
                .where(Convention.id == self.convention.id)
                .execute()
            )
        )
        self.talk(self.ines, "2025-03-04")
        clock.pin(moment("2026-01-12T09:00"))

    def cost(self, employee: Ambassador, salary: str, charges: str, **more: str) -> None:
        """The partner manager enters what ``employee`` costs a month."""
        self.net.run(
            conventions.save_costing,
            self.manager,
            self.convention.id,
            {
                "ambassador": employee.id,
                "monthly_salary": salary,
                "monthly_charges": charges,
                **more,
            },
        )

    def talk(self, employee: Ambassador, day: str) -> Intervention:
        """A class talk of ``employee`` on ``day``, completed the next day."""
        pinned = clock_now()
        self.clock.pin(moment(f"{day}T08:00") - datetime.timedelta(days=30))
        intervention = self.net.intervention(
            self.educator, self.school, employee, moment(f"{day}T09:00")
        )
        self.clock.pin(moment(f"{day}T09:00") + datetime.timedelta(days=1))
        self.net.complete(self.educator, intervention)
        self.clock.pin(pinned)
        return intervention

    def issue(self, year: int = 2025):
        """The region issues the company's receipt of ``year``."""
        return self.net.run(
            receipts.issue, self.admin, {"organisation": self.company.id, "financial_year": year}
        )


@pytest.fixture
def year(net, clock) -> Year:
    """A company's 2025, over, ready for its receipt."""
    return Year(net, clock)
