"""A plugin that owns documents, the emails it causes, and PDFs read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Blueprint

from tremplin import hookimpl
from tremplin.auth import service as accounts
from tremplin.documents import service


class Receipts:
    """A plugin owning receipts and conventions, with templates of its own, as mecenat will."""

    name = "receipts"

    def __init__(self):
        self.events: list[tuple[int, str, str]] = []

    @hookimpl
    def register_blueprints(self, app):
        return [
            Blueprint("receipts", __name__, template_folder=Path(__file__).parent / "templates")
        ]

    @hookimpl
    def signature_circuit_changed(self, circuit, event):
        self.events.append((circuit.id, event, circuit.status))


@pytest.fixture
def receipts():
    return Receipts()


@pytest.fixture
def app(make_app, receipts):
    """An app with the ``receipts`` plugin."""
    return make_app(extra_plugins=[receipts])


@pytest.fixture
def run(app):
    """``run(function, *args)``: call it inside the app's context."""

    def call(function, *args, **kwargs):
        with app.app_context():
            return function(*args, **kwargs)

    return call


def receipt_context(**changes):
    return {
        "donor": "Ateliers Vasseur",
        "amount": "1 250,00",
        "given_on": "2026-03-14",
        **changes,
    }


@pytest.fixture
def draft(run):
    """``draft(**context)``: a draft receipt of the ``receipts`` plugin."""

    def make(kind="receipts.receipt", subject="donation:7", **changes):
        return run(
            service.create_draft,
            kind,
            "receipts",
            subject,
            "Reçu de mécénat",
            "receipts/receipt.html",
            receipt_context(**changes),
        )

    return make


@pytest.fixture
def convention(run):
    """A draft convention to sign."""

    def make(company="Ateliers Vasseur", hours=12):
        return run(
            service.create_draft,
            "receipts.convention",
            "receipts",
            "convention:3",
            "Convention de mécénat de compétences",
            "receipts/convention.html",
            {"company": company, "hours": hours},
        )

    return make


@pytest.fixture
def account(app, fast_passwords):
    """``account(email, first_name, last_name)``: an active account."""

    def create(email="nadia.roussel@example.org", first_name="Nadia", last_name="Roussel"):
        with app.app_context():
            return accounts.create_account(email, first_name, last_name, password=None)

    return create
