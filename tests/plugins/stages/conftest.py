"""A small network with the stages plugin: a host company and its partner manager, a
priority collège and its teacher, a referent and an admin, built through the public
services; forms sent with their CSRF token; emails of the outbox and signing through their
links; PDFs read back."""

from __future__ import annotations

import datetime
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
from tremplin.text import normalise

PASSWORD = "un mot de passe solide"
BASE_URL = "http://127.0.0.1:5000"  # the test region's [web] base_url
LINK = re.compile(r"https?://\S+")
WEEK = "\n".join(f"{day} 09:00-12:00 13:30-17:00" for day in ("Mon", "Tue", "Wed", "Thu", "Fri"))


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
            self.somme = Territory.create(
                code="80", name="Somme", kind="department", parent=self.region
            )

    def run(self, action, *args: Any, **kwargs: Any):
        """Call ``action`` inside the app's context."""
        with self.app.app_context():
            return action(*args, **kwargs)

    def organisation(self, name: str, kind=OrganisationKind.COMPANY, territory=None, **extra):
        """An organisation (of the Nord by default)."""
        return self.run(
            Organisation.create,
            name=name,
            search_name=normalise(name),
            search_text=normalise(name),
            kind=kind,
            territory=territory or self.nord,
            **extra,
        )

    def account(self, role: Role | None = None, **scope: Any) -> Account:
        """An active account with ``role`` (scoped by ``organisation`` or ``territory``)."""
        self.count += 1
        number = self.count
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


@pytest.fixture(autouse=True)
def quick_passwords(fast_passwords):
    """Many accounts are made and signed in: cheap hashing."""


@pytest.fixture
def app(make_app) -> Flask:
    """An app with the stages plugin."""
    return make_app(plugins=["stages"])


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


def link_in(message) -> str:
    """The path of an email's first link, checked to be the region's."""
    url = LINK.search(message.body).group(0)
    assert url.startswith(BASE_URL + "/"), url
    return url.removeprefix(BASE_URL)


def signing_links(messages) -> dict[str, str]:
    """The signing link emailed to each address among ``messages`` (the last one)."""
    return {
        message.to[0]: link_in(message) for message in messages if "/signature/" in message.body
    }


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


def post(client, page: str, url: str, data: dict, **kwargs):
    """Send a form of ``page`` with its CSRF token."""
    return client.post(url, data={**data, "csrf_token": csrf_token_from(client, page)}, **kwargs)


def pdf_text(data: bytes) -> str:
    """The text of a PDF, read back by a real parser, with its spaces made plain."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def moment(text: str) -> datetime.datetime:
    """A UTC moment from ISO text."""
    return datetime.datetime.fromisoformat(text)


def offer_form(**changes: Any) -> dict[str, Any]:
    """The form of a 3e offer of a bakery, in March 2026."""
    return {
        "occupation": "Boulanger",
        "rome_code": "d1102",
        "place": "12 rue des Arts, Lille",
        "territory": "59",
        "levels": ["3e", "4e"],
        "first_day": "2026-03-02",
        "last_day": "2026-06-30",
        "places": "2",
        "activities": "Pétrir, façonner, cuire le pain aux côtés du boulanger.",
        "internal_rules_allow": "true",
        "safety_rules": "Pas d'accès au four sans le tuteur.",
        **changes,
    }


def pupil_form(school_id: int, **changes: Any) -> dict[str, Any]:
    """A 3e pupil of 14 with two legal guardians, for the week of 23 March 2026."""
    return {
        "school": str(school_id),
        "level": "3e",
        "pupil_first_name": "Léa",
        "pupil_last_name": "Dumont",
        "pupil_class": "3e B",
        "pupil_birth_date": "2011-09-15",
        "pupil_email": "lea.dumont@example.org",
        "pupil_gender": "female",
        "guardian1_name": "Claire Dumont",
        "guardian1_email": "claire.dumont@example.org",
        "guardian1_phone": "0600000001",
        "guardian2_name": "Marc Dumont",
        "guardian2_email": "marc.dumont@example.org",
        "first_day": "2026-03-23",
        "last_day": "2026-03-27",
        "schedule": WEEK,
        **changes,
    }


CONVENTION = {
    "head_name": "Sophie Marchand",
    "head_email": "principal@college.example.org",
    "representative_name": "Karim Benali",
    "representative_email": "karim.benali@example.org",
    "tutor_name": "Karim Benali",
    "tutor_email": "karim.benali@example.org",
    "school_insurance": "MAIF, contrat 123 456",
    "host_insurance": "AXA, contrat RC 789",
    "emergency_contact": "Vie scolaire : 03 20 00 00 00",
}
