"""A small network with the rgpd plugin (and charter and mecenat when asked): people made
through the public services, signed-in clients, the outbox, the links of emails."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from tremplin.auth import passwords
from tremplin.auth import service as accounts
from tremplin.auth.models import Account, AccountStatus, Role
from tremplin.mail import delivery
from tremplin.organisations.models import Organisation, OrganisationKind
from tremplin.people import service as people
from tremplin.people.models import Ambassador
from tremplin.people.schemas import ImportRowSchema
from tremplin.territories.models import Territory
from tremplin.testing import csrf_token_from
from tremplin.text import normalise

PASSWORD = "un mot de passe solide"
BASE_URL = "http://127.0.0.1:5000"  # the test region's [web] base_url
LINK = re.compile(r"https?://\S+")
SETTINGS = {
    "controller": "Région de test",
    "controller_address": "1 place de la Région, 59000 Lille",
    "dpo_name": "Délégation à la protection des données",
    "dpo_email": "dpo@region.example.org",
}


class Network:
    """People and organisations of a test, each made inside the app's context."""

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

    def ambassador(self, first_name: str, last_name: str, phone: str | None = None) -> Ambassador:
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
                status=AccountStatus.ACTIVE,
                password_hash=passwords.hash_password(PASSWORD),
                phone=phone,
            ).where(Account.id == ambassador.account_id).execute()
            return Ambassador.get_by_id(ambassador.id)

        return self.run(create)

    def account_of(self, ambassador: Ambassador) -> Account:
        """The ambassador's account as stored now."""
        return self.run(Account.get_by_id, ambassador.account_id)

    def fresh(self, account: Account) -> Account:
        """``account`` as stored now."""
        return self.run(Account.get_by_id, account.id)


def sign_in(client, account: Account):
    """Sign ``account`` in through the sign-in page."""
    token = csrf_token_from(client, "/connexion")
    response = client.post(
        "/connexion", data={"email": account.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, f"{account.email} could not sign in"
    return client


def post_form(client, path: str, data: dict[str, Any], page: str | None = None):
    """POST ``data`` to ``path`` with the CSRF token of ``page`` (default: ``path``)."""
    token = csrf_token_from(client, page or path)
    return client.post(path, data={**data, "csrf_token": token})


def link_in(message) -> str:
    """The path of an email's first link, checked to be the region's."""
    url = LINK.search(message.body).group(0)
    assert url.startswith(BASE_URL + "/"), url
    return url.removeprefix(BASE_URL)


class Mailbox:
    """The emails ``app`` sent, delivered from the outbox on demand."""

    def __init__(self, app: Flask):
        self.app = app
        self.mailman = app.extensions["mailman"]
        self.mailman.outbox = []
        self.seen = 0

    def deliver(self):
        """Send what waits in the outbox; return the emails sent since the last call."""
        with self.app.app_context():
            delivery.deliver_pending()
        new = self.mailman.outbox[self.seen :]
        self.seen = len(self.mailman.outbox)
        return new

    def to(self, address: str):
        """The new emails to ``address``."""
        return [m for m in self.deliver() if address in m.to]
