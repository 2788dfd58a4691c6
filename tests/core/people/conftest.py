"""People of a small network for the people area's tests: territories, a school, accounts."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tremplin.auth import passwords
from tremplin.auth import service as accounts
from tremplin.auth.models import Account, AccountStatus, Role
from tremplin.organisations.models import Organisation, OrganisationKind
from tremplin.people import service
from tremplin.people.models import Ambassador
from tremplin.people.schemas import ImportRowSchema
from tremplin.territories.models import Territory
from tremplin.text import normalise

PASSWORD = "un mot de passe solide"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]*)"')

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


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token of the form on the page at ``url`` (empty when CSRF is off)."""
    page = client.get(url)
    match = CSRF_FIELD.search(page.text)
    assert match, f"no csrf_token field on {url} ({page.status_code})"
    return match.group(1)


def post_form(client: FlaskClient, url: str, data: dict[str, Any], **kwargs: Any):
    """Post ``data`` to the form at ``url`` with the token read from the form page."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)}, **kwargs)


def sign_in(client: FlaskClient, account: Account) -> FlaskClient:
    """Sign ``account`` in on ``client`` through the sign-in page (password ``PASSWORD``).

    Without core/auth's sign-in page, the Flask-Login session is set directly, in the
    format of core/auth/web.py.
    """
    if client.get("/connexion").status_code == 404:
        with client.session_transaction() as session:
            session["_user_id"] = f"{account.id}:{account.token_nonce}"
            session["_fresh"] = True
        return client
    response = post_form(client, "/connexion", {"email": account.email, "password": PASSWORD})
    assert response.status_code == 302, f"{account.email} could not sign in"
    return client


@pytest.fixture(autouse=True)
def quick_password_hashing(fast_passwords):
    """These tests create and sign in many accounts: every one uses cheap hashing."""


def in_app_context(method):
    """Run a ``People`` method inside its app's context (and only then).

    The context is not kept pushed for the whole test: a request made meanwhile would
    reuse it, and with it ``g`` and the user Flask-Login cached there.
    """

    @functools.wraps(method)
    def wrapped(self, *args, **kwargs):
        with self.app.app_context():
            return method(self, *args, **kwargs)

    return wrapped


class People:
    """Builds the people of a test, each call inside ``app``'s context."""

    def __init__(self, app: Flask):
        self.app = app
        self._count = 0

    def _next(self) -> int:
        self._count += 1
        return self._count

    @in_app_context
    def territories(self) -> dict[str, Territory]:
        """A small territory tree: the region, an academy, two departments, three basins."""
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

    @in_app_context
    def territory(self, code: str) -> Territory:
        """The territory ``code`` of the small tree."""
        return self.territories()[code]

    @in_app_context
    def school(
        self,
        name: str = "Lycée Jean Bart",
        territory: str = "bef-59-lille-est",
        kind: OrganisationKind = OrganisationKind.LYCEE,
        uai: str | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
    ) -> Organisation:
        """A school (or any organisation) in ``territory``."""
        return Organisation.create(
            name=name,
            search_name=normalise(name),
            search_text=normalise(f"{name} {uai or ''}"),
            kind=kind,
            uai=uai,
            territory=self.territory(territory),
            latitude=latitude,
            longitude=longitude,
        )

    @in_app_context
    def account(self, role: Role | None = None, **details: Any) -> Account:
        """An active account, with ``role`` if given (scoped by ``territory``/``organisation``)."""
        number = self._next()
        scope = {key: details.pop(key) for key in ("territory", "organisation") if key in details}
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

    @in_app_context
    def educator(self, school: Organisation | None = None, **details: Any) -> Account:
        """An active educator of ``school`` (a new one in Lille Est by default)."""
        school = school or self.school(name=f"Collège {self._next()}")
        return self.account(Role.EDUCATOR, organisation=school, **details)

    @in_app_context
    def referent(self, territory: str = "59", **details: Any) -> Account:
        """An active referent of ``territory`` (and everything inside it)."""
        return self.account(Role.REFERENT, territory=self.territory(territory), **details)

    @in_app_context
    def admin(self, **details: Any) -> Account:
        """An active regional administrator."""
        return self.account(Role.ADMIN, **details)

    @in_app_context
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
        """An ambassador registered through the service, activated unless ``status`` says."""
        self.territories()
        number = self._next()
        ambassador = service.create_ambassador(
            service.validated(
                ImportRowSchema,
                {
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
                },
            )
        )
        Account.update(status=status, password_hash=passwords.hash_password(PASSWORD)).where(
            Account.id == ambassador.account_id
        ).execute()
        return Ambassador.get_by_id(ambassador.id)


@pytest.fixture
def make_people():
    """``make_people(app)``: a ``People`` builder for ``app``, with the territory tree."""

    def make(app: Flask) -> People:
        people = People(app)
        people.territories()
        return people

    return make


@pytest.fixture
def people(app, make_people) -> People:
    """People of the core-only ``app``."""
    return make_people(app)
