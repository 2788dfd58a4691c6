"""``tremplin demo`` on the reference region shows the plugin at work: partner companies with
signed charters and conventions, employees who count, their hours, corrections and the
receipt of a financial year; the same seed on the same day gives the same rows."""

from __future__ import annotations

import datetime
import hashlib

import pytest

from tremplin.auth.models import Account, RoleGrant
from tremplin.db import database
from tremplin.demo import generator
from tremplin.demo.generator import LOGIN_EMAILS, PASSWORD, Size
from tremplin.documents import rendering
from tremplin.documents import service as documents
from tremplin.plugins.mecenat.models import (
    Consent,
    Convention,
    Correction,
    Costing,
    Entry,
    PartnershipCharter,
    Receipt,
    SigningStatus,
)
from tremplin.testing import csrf_token_from

from .conftest import pdf_text

SIZE = Size(ambassadors=300, interventions=200)
MOMENT = datetime.datetime(2026, 11, 23, 10, 0)


@pytest.fixture
def demo_app(make_app, reference_region, run_cli, clock):
    """The reference region with both bundled plugins, its data loaded."""
    clock.pin(MOMENT)
    app = make_app(plugins=["charter", "mecenat"], region=reference_region)
    assert run_cli(app, "region", "load").exit_code == 0
    return app


def signed_in(app, role: str):
    client = app.test_client()
    token = csrf_token_from(client, "/connexion")
    response = client.post(
        "/connexion", data={"email": LOGIN_EMAILS[role], "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def test_the_demo_partner_and_region_find_the_plugin_at_work(demo_app):
    with demo_app.app_context():
        generator.generate(SIZE)
        login = Account.get(Account.email == LOGIN_EMAILS["partner"])
        organisation_id = RoleGrant.get(RoleGrant.account == login.id).organisation_id
        charter = PartnershipCharter.get(PartnershipCharter.organisation == organisation_id)
        assert (charter.status, charter.year) == (SigningStatus.SIGNED, 2026)
        assert documents.get(charter.document_id).status == "issued"
        conventions = list(Convention.select())
        assert len(conventions) >= 2
        assert {c.status for c in conventions} == {SigningStatus.SIGNED}
        assert Consent.select().count() >= 2 * 3
        assert Costing.select().count() == 2 * Consent.select().count()  # two years each
        [receipt] = list(Receipt.select())
        # The companies' years close three months before the demo's day: in August.
        assert (receipt.period_start, receipt.period_end) == (
            datetime.date(2025, 9, 1),
            datetime.date(2026, 8, 31),
        )
        entries = Entry.select().where(
            Entry.organisation == receipt.organisation_id,
            Entry.day >= receipt.period_start,
            Entry.day <= receipt.period_end,
        )
        approved = Correction.select().where(
            Correction.organisation == receipt.organisation_id, Correction.status == "approved"
        )
        given = sum(e.minutes + e.preparation_minutes for e in entries)
        assert receipt.minutes == given + sum(c.minutes for c in approved) > 0
        assert receipt.amount > 0
        waiting = Correction.select().where(Correction.status == "proposed").count()
        assert waiting == 1
        receipt_pdf = documents.get(receipt.document_id)

    partner = signed_in(demo_app, "partner")
    page = partner.get(f"/mecenat/partenaires/{organisation_id}")
    assert page.status_code == 200
    assert "Charte 2026" in page.text
    assert "Signée" in page.text
    region = signed_in(demo_app, "admin").get("/mecenat/region")
    assert region.status_code == 200
    assert "Stand au forum des métiers" in region.text  # the correction waiting
    assert "2026 — " in region.text  # the receipt of the year closing in 2026
    with demo_app.app_context():
        text = pdf_text(documents.pdf_of(receipt_pdf))
    assert "2041-MEC-SD" in text
    assert "mécénat de compétences" in text


def test_the_same_seed_on_the_same_day_gives_the_same_sponsorship(demo_app, monkeypatch):
    monkeypatch.setattr(generator, "now", lambda: MOMENT)
    with demo_app.app_context():
        assert _digest(seed=7) == _digest(seed=7)


def _digest(seed: int) -> str:
    """A digest of the plugin's rows written by ``generate``, the transaction then undone."""
    digest = hashlib.sha256()
    with database.atomic() as transaction:
        generator.generate(Size(ambassadors=120, interventions=150), seed=seed)
        for model in (PartnershipCharter, Convention, Consent, Costing, Entry, Correction, Receipt):
            for row in model.select().order_by(model.id).dicts():
                row.pop("issued_at", None)  # a receipt is issued at the moment the demo runs
                if model is Receipt:  # made by the service: its id is the database's
                    row.pop("id")
                if row.get("document") is not None:  # an id from the database's sequence
                    row["document"] = documents.get(row["document"]).number
                digest.update(repr(sorted(row.items())).encode())
        transaction.rollback()
    return digest.hexdigest()


def test_the_demo_runs_on_a_machine_that_cannot_make_pdfs(demo_app, monkeypatch):
    def no_pango():
        raise rendering.PdfUnavailable("Pango is missing")

    monkeypatch.setattr(rendering, "_weasyprint", no_pango)
    with demo_app.app_context():
        generator.generate(SIZE)
        assert PartnershipCharter.select().count() >= 2
        assert Convention.select().where(Convention.status == SigningStatus.SIGNED).count() >= 2
        assert Entry.select().count() > 0
        assert {c.document_id for c in PartnershipCharter.select()} == {None}
        assert Receipt.select().count() == 0
