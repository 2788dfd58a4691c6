"""A small network with the charter plugin enabled: a published charter, ambassadors who
accepted it or not, checks of the criminal record, referents (the test kit's network)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from flask import Flask

from tremplin import clock
from tremplin.auth.models import Account
from tremplin.people import holds
from tremplin.people.models import Ambassador
from tremplin.plugins.charter import record_checks, service, versions
from tremplin.plugins.charter.models import RecordCheck
from tremplin.testing import Network, QueuedEmail, queued_emails

CHARTER_TEXT = """\
+++
version = "{version}"
title = "Charte des ambassadeurs"
effective = {effective}
+++

## Article 1 — Objet

Faire découvrir les métiers aux jeunes.
"""

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


class CharterNetwork(Network):
    """The test kit's ``Network`` (people, interventions) plus the charter's steps, each
    through the service."""

    def publish(
        self, version: str = "2025-1", effective_on: datetime.date | None = None, **fields: Any
    ):
        """Publish a version of the charter, in force from ``effective_on`` (today)."""
        raw = {
            "version": version,
            "title": "Charte des ambassadeurs",
            "effective_on": (effective_on or clock.today()).isoformat(),
            "text": "## Article 1 — Objet\n\nFaire découvrir les métiers aux jeunes.",
            **fields,
        }
        return self.run(lambda: versions.publish(raw)[0])

    def registered(self, occupation: str = "Soudeuse", **details: Any) -> Ambassador:
        """An active ambassador whose holds were computed as registration computes them."""
        ambassador = self.ambassador(occupation, **details)
        self.run(holds.rebuild, [ambassador])
        return ambassador

    def accept(self, ambassador: Ambassador, version: str = "2025-1") -> None:
        """``ambassador`` accepts ``version`` of the charter."""
        self.run(service.accept, self.account_of(ambassador), version)

    def declare(self, ambassador: Ambassador, upload: bytes | None = None) -> RecordCheck:
        """``ambassador`` says they sent their extract, or uploads it."""
        return self.run(record_checks.declare_extract, self.account_of(ambassador), upload)

    def decide(
        self,
        ambassador: Ambassador,
        referent: Account,
        outcome: str = "verified",
        issued_on: datetime.date | None = None,
    ) -> RecordCheck:
        """``referent`` decides on the waiting check of ``ambassador`` (declared if needed)."""
        check = self.run(record_checks.pending_check_of, ambassador) or self.declare(ambassador)
        raw = {"outcome": outcome}
        if outcome == "verified" or issued_on is not None:
            raw["extract_issued_on"] = (issued_on or clock.today()).isoformat()
        return self.run(record_checks.decide, referent, check.id, raw)

    def ready(self, occupation: str = "Soudeuse", **details: Any) -> Ambassador:
        """A registered ambassador who accepted the charter and whose extract is verified."""
        ambassador = self.registered(occupation, **details)
        self.accept(ambassador)
        self.decide(ambassador, self.admin())
        return ambassador

    def holds_of(self, ambassador: Ambassador) -> list[tuple[str, str]]:
        """``(source, code)`` of the holds that count on ``ambassador``."""
        return [(hold.source, hold.code) for hold in self.run(holds.holds_of, ambassador)]

    def emails(self) -> list[QueuedEmail]:
        """The charter's emails in the outbox, oldest first."""
        return queued_emails(self.app, "charter/")


@pytest.fixture
def make_charter_app(make_app):
    """``make_charter_app(**settings)``: an app with the charter plugin and these settings."""

    def make(**settings: Any) -> Flask:
        return make_app(plugins=["charter"], settings={"charter": settings} if settings else None)

    return make


@pytest.fixture(autouse=True)
def quick_password_hashing(fast_passwords):
    """These tests create and sign in many accounts: every one uses cheap hashing."""


@pytest.fixture
def make_network(fast_passwords):
    """``make_network(app)``: a ``CharterNetwork`` for ``app``."""
    return CharterNetwork


@pytest.fixture
def app(make_charter_app) -> Flask:
    """An app with the charter plugin and its default settings (a record check required)."""
    return make_charter_app()


@pytest.fixture
def net(app, make_network) -> CharterNetwork:
    """The network of ``app``, with version 2025-1 of the charter in force."""
    network = make_network(app)
    network.publish()
    return network
