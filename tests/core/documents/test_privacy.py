"""What the documents area tells a person, keeps when they leave, and declares."""

from __future__ import annotations

import datetime

import pytest

from tremplin import clock, storage
from tremplin.auth import service as accounts
from tremplin.documents import circuits, service
from tremplin.documents.circuits import Signer
from tremplin.documents.models import Signatory, Signature
from tremplin.privacy import service as privacy
from tremplin.runtime import hooks


def start_with(run, document, account):
    signers = [
        Signer(role="Tutrice", name="Nadia Roussel", email=account.email, account=account),
        Signer(role="Région", name="Marc Lefebvre", email="marc@example.org"),
    ]
    return run(circuits.start_circuit, document, signers)


def test_a_signatory_finds_their_signatures_in_their_personal_data(app, run, convention, account):
    person = account()
    start_with(run, convention(), person)
    with app.app_context():
        circuits.record_paper_signature(Signatory.get(Signatory.account == person.id), person)
        data = {}
        for answer in hooks().personal_data(person=person):
            data.update(answer or {})

    [row] = data["Signatures de documents"]
    assert row["role"] == "Tutrice"
    assert row["email"] == "nadia.roussel@example.org"
    assert row["signatures"][0]["method"] == "paper"
    assert data["Signatures sur papier que vous avez enregistrées"][0]["signatory"] == (
        "Nadia Roussel"
    )


def test_deleting_an_account_keeps_the_signatures_in_force_and_drops_the_voided_ones(
    app, run, convention, account
):
    person = account()
    document = convention()
    start_with(run, document, person)
    with app.app_context():
        mine = Signatory.get(Signatory.account == person.id)
        circuits.record_paper_signature(mine, person)
        service.revise_draft(document, context={"company": "Ateliers Vasseur", "hours": 30})
        circuits.record_paper_signature(Signatory.get_by_id(mine.id), person)
        assert Signature.select().count() == 2

        accounts.erase_account(person)

        [kept] = list(Signature.select())
        assert kept.voided_at is None
        assert kept.recorded_by_id is None
        assert kept.recorded_by_name == "Nadia Roussel"  # who recorded it is evidence too
        signatory = Signatory.get_by_id(mine.id)
        assert signatory.account_id is None
        assert (signatory.name, signatory.email) == ("Nadia Roussel", "nadia.roussel@example.org")


def test_the_register_declares_documents_and_signatures(client):
    page = client.get("/donnees-personnelles")
    assert "Documents et signatures" in page.text
    assert "Scans des signatures sur papier : 90 jours." in page.text


def test_files_no_row_names_are_swept_a_day_later(app, draft):
    document = draft()
    with app.app_context():
        orphan = storage.put("documents", b"%PDF-1.7 left by a rollback")
        privacy.purge()
        assert storage.get(orphan)  # too young: may belong to a transaction still running

    with clock.travel(datetime.timedelta(days=2)), app.app_context():
        privacy.purge()
        assert service.pdf_of(document).startswith(b"%PDF-")
        with pytest.raises(storage.MissingFile):
            storage.get(orphan)
