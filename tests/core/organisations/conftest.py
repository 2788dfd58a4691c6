"""A small network for the organisation tests: territories, organisations, people by role
(signed in with the test kit), and CSRF tokens for API calls."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask, session
from flask_wtf.csrf import generate_csrf

from tremplin.auth import service as accounts
from tremplin.auth.models import Account, AccountStatus, Role
from tremplin.organisations.models import Organisation
from tremplin.organisations.service import search_values
from tremplin.territories.models import Territory
from tremplin.testing import PASSWORD, sign_in
from tremplin.testing.clients import CSRF_FIELD


@dataclass
class Network:
    """Two departments of an academy, a basin in the Nord, and one organisation in each."""

    app: Flask
    territories: dict[str, Territory]
    school: Organisation  # a collège of the Nord, in the Lille Est basin
    other_school: Organisation  # a collège of the Pas-de-Calais

    def account(self, role: str, email: str | None = None) -> Account | None:
        """An active account with one of the matrix's roles (``None`` for "anonymous")."""
        with self.app.app_context():
            if role == "anonymous":
                return None
            account = accounts.create_account(
                email or f"{role}@example.org",
                role.split("_")[0].capitalize(),
                "Test",
                password=PASSWORD,
                status=AccountStatus.ACTIVE,
            )
            if role == "admin":
                accounts.grant(account, Role.ADMIN)
            elif role == "referent_of_its_department":
                accounts.grant(account, Role.REFERENT, territory=self.territories["59"])
            elif role == "referent_of_another_department":
                accounts.grant(account, Role.REFERENT, territory=self.territories["62"])
            elif role == "educator_of_it":
                accounts.grant(account, Role.EDUCATOR, organisation=self.school)
            elif role == "educator_elsewhere":
                accounts.grant(account, Role.EDUCATOR, organisation=self.other_school)
            elif role == "ambassador":
                accounts.grant(account, Role.AMBASSADOR)
            else:
                raise ValueError(role)
            return account

    def client(self, role: str):
        """A test client signed in with a new account of ``role``."""
        client = self.app.test_client()
        account = self.account(role)
        if account is not None:
            sign_in(client, account)
        return client


def make_territories() -> dict[str, Territory]:
    """A region, an academy, the Nord and the Pas-de-Calais, and a basin of the Nord."""
    region = Territory.create(code="hdf", name="Hauts-de-France", kind="region")
    academy = Territory.create(
        code="ac-lille", name="Académie de Lille", kind="academy", parent=region
    )
    nord = Territory.create(code="59", name="Nord", kind="department", parent=academy)
    pas_de_calais = Territory.create(
        code="62", name="Pas-de-Calais", kind="department", parent=academy
    )
    basin = Territory.create(code="bef-59-lille-est", name="Lille Est", kind="basin", parent=nord)
    return {t.code: t for t in (region, academy, nord, pas_de_calais, basin)}


def add_organisation(**values) -> Organisation:
    """Store an organisation directly (its search columns filled as the service does)."""
    values.setdefault("kind", "company")
    return Organisation.create(**values, **search_values(values))


@pytest.fixture(autouse=True)
def quick_password_hashing(fast_passwords):
    """These tests create and sign in dozens of accounts: every one uses cheap hashing."""


@pytest.fixture
def network(make_app) -> Network:
    app = make_app()
    with app.app_context():
        territories = make_territories()
        school = add_organisation(
            name="Collège Jean Moulin",
            kind="college",
            uai="0590117G",
            territory=territories["bef-59-lille-est"],
            city="Villeneuve-d'Ascq",
            rep=True,
        )
        other_school = add_organisation(
            name="Collège Jules Ferry",
            kind="college",
            uai="0620001P",
            territory=territories["62"],
            city="Arras",
        )
    return Network(app, territories, school, other_school)


def csrf_token(app: Flask, client) -> str:
    """A valid CSRF token for ``client``'s session, as a page of the app would give it."""
    with client.session_transaction() as stored:
        raw = stored.get("csrf_token")
    with app.test_request_context():
        if raw is not None:
            session["csrf_token"] = raw
        token = generate_csrf()
        raw = session["csrf_token"]
    with client.session_transaction() as stored:
        stored["csrf_token"] = raw
    return token


def csrf_headers(app: Flask, client) -> dict[str, str]:
    """The ``X-CSRFToken`` header a signed-in API client sends with its session's token."""
    return {"X-CSRFToken": csrf_token(app, client)}


def form_token(page_text: str) -> str:
    """The CSRF token of the form on a page."""
    match = CSRF_FIELD.search(page_text)
    assert match, "the form carries no csrf_token"
    return match.group(1)
