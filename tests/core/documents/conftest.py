"""A plugin that owns documents, the emails it causes, and PDFs read back."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask import Blueprint
from pypdf import PdfReader

from tremplin import hookimpl
from tremplin.auth import service as accounts
from tremplin.documents import service
from tremplin.mail import delivery

BASE_URL = "http://127.0.0.1:5000"  # the test region's [web] base_url
LINK = re.compile(r"https?://\S+")


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


def pdf_text(data: bytes) -> str:
    """The text of a PDF, read back by a real parser, with its spaces made plain."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.fixture
def outbox(app):
    """Emails sent by ``app`` (the test region's mail backend keeps them in memory)."""
    mailman = app.extensions["mailman"]
    mailman.outbox = []
    return mailman.outbox


@pytest.fixture
def deliver(app, outbox):
    """Send what waits in the outbox; return the emails sent since the last call.

    Pages send what they queued as soon as they have answered: those count too.
    """
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


@pytest.fixture
def account(app, fast_passwords):
    """``account(email, first_name, last_name)``: an active account."""

    def create(email="nadia.roussel@example.org", first_name="Nadia", last_name="Roussel"):
        with app.app_context():
            return accounts.create_account(email, first_name, last_name, password=None)

    return create
