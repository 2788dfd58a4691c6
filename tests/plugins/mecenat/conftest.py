"""A small network with the mecenat plugin: a company, its partner manager, its employees as
ambassadors, a school, a referent and an admin, built through the public services; the
emails of the outbox and the signing of documents through their links; PDFs read back."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from flask import Flask

from tremplin import clock
from tremplin.people.models import Ambassador
from tremplin.testing import Network, csrf_token_from

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


class MecenatNetwork(Network):
    """The test kit's ``Network`` plus companies' employees as ambassadors."""

    def employee(self, first_name: str, last_name: str) -> Ambassador:
        """An active professional ambassador of the Nord, offering class talks."""
        return self.ambassador(
            "Technicienne de maintenance",
            first_name=first_name,
            last_name=last_name,
            sector="Industrie",
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
def net(app, fast_passwords) -> MecenatNetwork:
    """The network of ``app``."""
    return MecenatNetwork(app)


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
