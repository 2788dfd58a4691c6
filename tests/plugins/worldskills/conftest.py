"""A small network with the worldskills plugin: a region and a department, a CFA, a
vocational school and a company, a referent of the region, an admin, and accounts for the
marking team, built through the public services; emails through the outbox; PDFs read back.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from flask import Flask
from pypdf import PdfReader

from tremplin.auth import service as accounts
from tremplin.auth.models import Account, AccountStatus, Role
from tremplin.mail import delivery
from tremplin.organisations.models import Organisation, OrganisationKind
from tremplin.territories.models import Territory
from tremplin.testing import csrf_token_from
from tremplin.testing import sign_in as sign_in_form
from tremplin.text import normalise

PASSWORD = "un mot de passe solide"
BASE_URL = "http://127.0.0.1:5000"  # the test region's [web] base_url
LINK = re.compile(r"https?://\S+")


class Network:
    """Territories, organisations and people of a test, each made inside the app's context."""

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

    def organisation(
        self, name: str, kind=OrganisationKind.CFA, siret: str | None = None
    ) -> Organisation:
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
        self.count += 1
        number = self.count
        email = scope.pop("email", f"person{number}@example.org")

        def create():
            account = accounts.create_account(
                email,
                scope.pop("first_name", "Alex"),
                scope.pop("last_name", f"Martin{number}"),
                status=AccountStatus.ACTIVE,
                password=PASSWORD,
            )
            if role is not None:
                accounts.grant(account, role, **scope)
            return account

        return self.run(create)


@pytest.fixture(autouse=True)
def quick_passwords(fast_passwords):
    """Many accounts are made and signed in: cheap hashing."""


@pytest.fixture
def app(make_app) -> Flask:
    """An app with the worldskills plugin and its default settings."""
    return make_app(plugins=["worldskills"])


@pytest.fixture
def net(app) -> Network:
    """The network of ``app``."""
    return Network(app)


@pytest.fixture
def outbox(app):
    """Emails sent by ``app`` (the test region's mail backend keeps them in memory)."""
    mailman = app.extensions["mailman"]
    mailman.outbox = []
    return mailman.outbox


@pytest.fixture
def deliver(app, outbox):
    """Send what waits in the outbox; return the emails sent since the last call."""
    seen = [0]

    def send():
        with app.app_context():
            delivery.deliver_pending()
        new, seen[0] = outbox[seen[0] :], len(outbox)
        return new

    return send


def sign_in(client, account: Account):
    """Sign ``account`` in through the sign-in page."""
    sign_in_form(client, account.email, PASSWORD)
    return client


def post_form(client, path: str, form_page: str, data: dict[str, Any], **kwargs: Any):
    """Post ``data`` to ``path`` with the CSRF token of the form on ``form_page``."""
    token = csrf_token_from(client, form_page)
    return client.post(path, data={**data, "csrf_token": token}, **kwargs)


def link_in(message) -> str:
    """The path of an email's first link, checked to be the region's."""
    url = LINK.search(message.body).group(0)
    assert url.startswith(BASE_URL + "/"), url
    return url.removeprefix(BASE_URL)


def pdf_text(data: bytes) -> str:
    """The text of a PDF, read back by a real parser, with its spaces made plain."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())
