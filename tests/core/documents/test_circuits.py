"""Signature circuits, end to end through the emailed links, as signatories live them."""

from __future__ import annotations

import datetime
import hashlib

import pytest

from tremplin import clock, hookimpl
from tremplin.documents import circuits, service
from tremplin.documents.circuits import CircuitEvent, Signer
from tremplin.documents.models import (
    CircuitStatus,
    Document,
    DocumentStatus,
    Signatory,
    Signature,
    SignatureMethod,
)
from tremplin.errors import Conflict, Invalid
from tremplin.privacy import service as privacy
from tremplin.testing import csrf_token_from, link_in

from .conftest import Receipts


@pytest.fixture(autouse=True)
def mid_month(clock):
    """The paper signature these tests record is dated 2 March 2026: this morning follows it,
    whatever moment the suite runs at."""
    clock.pin(datetime.datetime(2026, 3, 10, 9, 0))


SIGNERS = [
    Signer(
        role="Représentante de l'entreprise", name="Claire Dufresne", email="claire@example.org"
    ),
    Signer(role="Président de la Région", name="Marc Lefebvre", email="marc@example.org"),
    Signer(role="Tuteur", name="Yannick Poulain", email="yannick@example.org", locale="en"),
]


def start(run, document, ordered=False, signers=SIGNERS):
    return run(circuits.start_circuit, document, signers, ordered=ordered)


def emails_to(messages, address):
    return [message for message in messages if message.to == [address]]


def sign_through(client, path, name, consent=True, **extra):
    """Open the signing page as a signatory's browser does, then send the form."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    sha256 = _hidden(page.text, "sha256")
    data = {"name": name, "sha256": sha256, "csrf_token": csrf_token_from(client, path), **extra}
    if consent:
        data["consent"] = "yes"
    return client.post(path, data=data, environ_base={"REMOTE_ADDR": "203.0.113.7"})


def _hidden(html, name):
    marker = f'name="{name}" value="'
    start_at = html.index(marker) + len(marker)
    return html[start_at : html.index('"', start_at)]


# End to end


def test_three_signatories_sign_through_their_links_and_the_circuit_completes(
    app, run, convention, deliver, receipts
):
    document = convention()
    circuit = start(run, document)
    invitations = deliver()
    assert sorted(m.to[0] for m in invitations) == [
        "claire@example.org",
        "marc@example.org",
        "yannick@example.org",
    ]
    [claire_email] = emails_to(invitations, "claire@example.org")
    assert claire_email.subject == "Document à signer : Convention de mécénat de compétences"
    assert "Bonjour Claire Dufresne," in claire_email.body
    [english] = emails_to(invitations, "yannick@example.org")
    assert english.subject == "Document to sign: Convention de mécénat de compétences"
    assert "read the document, then type your name and tick the box" in english.body

    pdf = app.test_client().get(link_in(claire_email) + "/document.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert hashlib.sha256(pdf.data).hexdigest() == document.sha256

    for email, name, language, done in [
        (claire_email, "Claire Dufresne", "fr", "Votre signature est enregistrée"),
        (emails_to(invitations, "marc@example.org")[0], "Marc Lefebvre", "fr", "Empreinte"),
        (english, "Yannick Poulain", "en", "Your signature is recorded"),
    ]:
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        response = sign_through(client, link_in(email), name)
        assert response.status_code == 200
        assert done in response.text

    signatures = run(lambda: list(Signature.select().order_by(Signature.id)))
    assert [s.typed_name for s in signatures] == [
        "Claire Dufresne",
        "Marc Lefebvre",
        "Yannick Poulain",
    ]
    assert {s.sha256 for s in signatures} == {document.sha256}
    assert {s.address for s in signatures} == {"203.0.113.7"}
    assert all(s.consent and s.method == SignatureMethod.LINK for s in signatures)
    assert run(lambda: circuits.get_circuit(circuit.id).status) == CircuitStatus.COMPLETE
    done = deliver()
    assert sorted(m.to[0] for m in done) == [
        "claire@example.org",
        "marc@example.org",
        "yannick@example.org",
    ]
    assert emails_to(done, "claire@example.org")[0].subject == (
        "Tout le monde a signé : Convention de mécénat de compétences"
    )
    assert [event for _id, event, _status in receipts.events] == [
        CircuitEvent.STARTED,
        CircuitEvent.SIGNED,
        CircuitEvent.SIGNED,
        CircuitEvent.SIGNED,
        CircuitEvent.COMPLETED,
    ]


def test_a_signed_draft_is_issued_with_the_very_bytes_that_were_signed(app, run, convention):
    document = convention()
    start(run, document, signers=SIGNERS[:1])
    with app.app_context():
        signatory = Signatory.get()
        circuits.record_paper_signature(signatory, _recorder(), signed_on=None)
    issued = run(service.issue, document)
    assert issued.number is not None
    assert issued.sha256 == document.sha256
    assert run(service.pdf_of, issued) == run(service.pdf_of, document)


def test_a_draft_cannot_be_issued_while_signatures_are_collected(run, convention):
    document = convention()
    start(run, document)
    with pytest.raises(Conflict):
        run(service.issue, document)
    assert run(Document.get_by_id, document.id).status == DocumentStatus.DRAFT


# Links


def test_a_used_link_cannot_be_used_again(app, run, convention, deliver):
    start(run, convention())
    path = link_in(emails_to(deliver(), "claire@example.org")[0])
    assert sign_through(app.test_client(), path, "Claire Dufresne").status_code == 200

    again = app.test_client().get(path)
    assert again.status_code == 410
    assert "Ce lien a déjà été utilisé" in again.text
    assert app.test_client().get(path + "/document.pdf").status_code == 410
    assert run(lambda: Signature.select().count()) == 1


def test_a_link_works_for_link_days_then_is_refused(app, run, convention, deliver):
    start(run, convention())
    path = link_in(emails_to(deliver(), "claire@example.org")[0])
    client = app.test_client()

    with clock.travel(datetime.timedelta(days=6, hours=23)):
        page = client.get(path)
        assert page.status_code == 200
        form = {
            "name": "Claire Dufresne",
            "consent": "yes",
            "sha256": _hidden(page.text, "sha256"),
            "csrf_token": csrf_token_from(client, path),
        }
    with clock.travel(datetime.timedelta(days=7, minutes=1)):
        expired = app.test_client().get(path)
        assert expired.status_code == 410
        assert "Ce lien a expiré" in expired.text
        # The form opened a few minutes before the end is refused once the link expired.
        assert client.post(path, data=form).status_code == 410
    assert run(lambda: Signature.select().count()) == 0


def test_a_forged_link_is_refused(app):
    response = app.test_client().get(
        "/signature/eyJzIjoxLCJuIjoiYWJjIiwiZSI6OTk5OTk5OTk5OX0.forged"
    )
    assert response.status_code == 410
    assert "Ce lien n’est pas valide." in response.text or "Ce lien n'est pas valide." in (
        response.text
    )


# The form


def test_a_form_without_name_or_consent_is_shown_again_with_what_was_typed(
    app, run, convention, deliver
):
    start(run, convention())
    path = link_in(emails_to(deliver(), "claire@example.org")[0])
    client = app.test_client()

    no_consent = sign_through(client, path, "Claire Dufresne", consent=False)
    assert no_consent.status_code == 422
    assert "Cochez la case pour signer" in no_consent.text
    assert 'value="Claire Dufresne"' in no_consent.text

    no_name = sign_through(client, path, "   ")
    assert no_name.status_code == 422
    assert "Tapez votre nom complet." in no_name.text
    assert "checked" in no_name.text
    assert run(lambda: Signature.select().count()) == 0


def test_the_signing_page_is_french_by_default_and_english_when_asked(
    app, run, convention, deliver
):
    start(run, convention())
    path = link_in(emails_to(deliver(), "claire@example.org")[0])

    french = app.test_client().get(path)
    assert "Signer : Convention de mécénat de compétences" in french.text
    assert "Ouvrir le document à signer (PDF)" in french.text
    assert "Signer le document" in french.text
    english = app.test_client().get(path, headers={"Accept-Language": "en"})
    assert "Sign: Convention de mécénat de compétences" in english.text
    assert "Open the document to sign (PDF)" in english.text
    assert "Sign the document" in english.text
    assert english.headers["Referrer-Policy"] == "no-referrer"


def test_a_form_without_its_csrf_token_is_refused(app, run, convention, deliver):
    start(run, convention())
    path = link_in(emails_to(deliver(), "claire@example.org")[0])
    client = app.test_client()
    sha256 = _hidden(client.get(path).text, "sha256")
    response = client.post(
        path, data={"name": "Claire Dufresne", "consent": "yes", "sha256": sha256}
    )
    assert response.status_code == 400
    assert run(lambda: Signature.select().count()) == 0


# Changes void signatures


def test_a_change_after_the_first_signature_voids_it_and_restarts_the_circuit(
    app, run, convention, deliver, receipts
):
    document = convention()
    circuit = start(run, document)
    first = deliver()
    old_path = link_in(emails_to(first, "claire@example.org")[0])
    marc_old_path = link_in(emails_to(first, "marc@example.org")[0])
    assert sign_through(app.test_client(), old_path, "Claire Dufresne").status_code == 200

    revised = run(
        service.revise_draft, document, context={"company": "Ateliers Vasseur", "hours": 20}
    )

    again = deliver()
    assert sorted(m.to[0] for m in again) == [
        "claire@example.org",
        "marc@example.org",
        "yannick@example.org",
    ]
    claire = emails_to(again, "claire@example.org")[0]
    assert claire.subject == "Le document à signer a changé : Convention de mécénat de compétences"
    assert app.test_client().get(marc_old_path).status_code == 410  # old links stop working
    voided = run(lambda: Signature.get())
    assert voided.voided_at is not None
    assert voided.sha256 == document.sha256
    assert run(lambda: circuits.get_circuit(circuit.id).round) == 2
    assert [e for _i, e, _s in receipts.events][-1] == CircuitEvent.RESTARTED

    response = sign_through(app.test_client(), link_in(claire), "Claire Dufresne")
    assert response.status_code == 200
    current = run(lambda: Signature.get(Signature.voided_at.is_null()))
    assert current.sha256 == revised.sha256 != document.sha256
    assert current.document_version == 2


def test_a_page_opened_before_a_change_cannot_sign_the_new_content(app, run, convention, deliver):
    document = convention()
    start(run, document)
    path = link_in(emails_to(deliver(), "claire@example.org")[0])
    client = app.test_client()
    page = client.get(path)
    token = csrf_token_from(client, path)

    run(service.revise_draft, document, context={"company": "Ateliers Vasseur", "hours": 20})
    response = client.post(
        path,
        data={
            "name": "Claire Dufresne",
            "consent": "yes",
            "sha256": _hidden(page.text, "sha256"),
            "csrf_token": token,
        },
    )
    assert response.status_code == 410
    assert run(lambda: Signature.select().count()) == 0


# Order, reminders, paper


def test_in_an_ordered_circuit_each_signatory_is_invited_after_the_one_before(
    app, run, convention, deliver
):
    start(run, convention(), ordered=True)
    assert [m.to[0] for m in deliver()] == ["claire@example.org"]

    claire = sign_through(app.test_client(), link_in(_last_to("claire@example.org", app)), "C. D.")
    assert claire.status_code == 200
    assert [m.to[0] for m in deliver()] == ["marc@example.org"]


def _last_to(address, app):
    return [m for m in app.extensions["mailman"].outbox if m.to == [address]][-1]


def test_reminders_go_only_to_those_who_have_not_signed(app, run, convention, deliver):
    start(run, convention())
    first = deliver()
    sign_through(app.test_client(), link_in(emails_to(first, "claire@example.org")[0]), "C. D.")
    deliver()

    with clock.travel(datetime.timedelta(days=2)):
        assert run(circuits.remind) == 0
    with clock.travel(datetime.timedelta(days=3, minutes=1)):
        assert run(circuits.remind) == 2
        assert run(circuits.remind) == 0  # idempotent
        reminders = deliver()
    assert sorted(m.to[0] for m in reminders) == ["marc@example.org", "yannick@example.org"]
    marc = emails_to(reminders, "marc@example.org")[0]
    assert marc.subject.startswith("Rappel : un document attend votre signature")
    # The reminder's link is new, and valid from the reminder on.
    with clock.travel(datetime.timedelta(days=9)):
        assert app.test_client().get(link_in(marc)).status_code == 200


def test_the_reminder_task_is_registered_and_runs_on_the_queue(app, run, convention, deliver):
    start(run, convention())
    deliver()
    queue = app.extensions["tremplin"].runtime.queue
    assert "documents.reminders" in queue.tasks
    with clock.travel(datetime.timedelta(days=4)), app.app_context():
        queue.tasks["documents.reminders"].call_local()
    assert len(deliver()) == 3


def test_a_paper_signature_is_recorded_with_who_recorded_it_and_its_scan(
    app, run, convention, deliver, account
):
    document = convention()
    start(run, document, signers=SIGNERS[:2])
    deliver()
    recorder = account()
    scan = b"%PDF-1.4 scan of the signed page"
    with app.app_context():
        claire = Signatory.get(Signatory.email == "claire@example.org")
        signature = circuits.record_paper_signature(
            claire, recorder, signed_on=datetime.date(2026, 3, 2), scan=scan
        )
        assert signature.method == SignatureMethod.PAPER
        assert signature.recorded_by_id == recorder.id
        assert signature.recorded_by_name == "Nadia Roussel"
        assert signature.signed_on == datetime.date(2026, 3, 2)
        assert signature.sha256 == document.sha256
        assert circuits.scan_of(signature) == scan
        with pytest.raises(Conflict):
            circuits.record_paper_signature(claire, recorder)
        with pytest.raises(Invalid) as refused:
            circuits.record_paper_signature(
                Signatory.get(Signatory.email == "marc@example.org"), recorder, scan=b"GIF89a"
            )
        assert "scan" in refused.value.errors
    # Claire's link no longer works; Marc still has to sign.
    path = link_in(emails_to(app.extensions["mailman"].outbox, "claire@example.org")[0])
    assert app.test_client().get(path).status_code == 410


def test_a_scan_is_purged_after_its_retention_and_the_signature_stays(make_app, receipts):
    app = make_app(extra_plugins=[receipts], settings={"documents": {"scan_kept_days": 30}})
    with app.app_context():
        recorder = _recorder()
        document = service.create_draft(
            "receipts.convention",
            "receipts",
            "c:1",
            "Convention",
            "receipts/convention.html",
            {"company": "Ateliers Vasseur", "hours": 3},
        )
        circuits.start_circuit(document, SIGNERS[:1])
        signature = circuits.record_paper_signature(Signatory.get(), recorder, scan=b"%PDF-1.4 s")
        with clock.travel(datetime.timedelta(days=29)):
            privacy.purge()
        assert circuits.scan_of(Signature.get_by_id(signature.id)) is not None
        with clock.travel(datetime.timedelta(days=30, minutes=1)):
            privacy.purge()
        kept = Signature.get_by_id(signature.id)
        assert circuits.scan_of(kept) is None
        assert kept.scan_key is None
        assert kept.recorded_by_name == "Inès Morel"


def test_cancelling_the_document_cancels_its_circuit_and_its_links(
    app, run, convention, deliver, receipts
):
    document = convention()
    circuit = start(run, document)
    path = link_in(emails_to(deliver(), "marc@example.org")[0])

    run(service.cancel, document, "Projet abandonné")
    assert run(lambda: circuits.get_circuit(circuit.id).status) == CircuitStatus.CANCELLED
    assert app.test_client().get(path).status_code == 410
    told = deliver()
    assert len(told) == 3
    assert told[0].subject.startswith("Plus de signature nécessaire")
    assert receipts.events[-1][1] == CircuitEvent.CANCELLED


def test_signatories_are_checked_one_by_one(run, convention):
    bad = [SIGNERS[0], Signer(role="", name="Marc Lefebvre", email="pas-un-email")]
    with pytest.raises(Invalid) as refused:
        start(run, convention(), signers=bad)
    assert set(refused.value.errors) == {"signatories.1.role", "signatories.1.email"}
    with pytest.raises(Invalid):
        start(run, convention(), signers=[])


def test_a_document_has_one_circuit_at_a_time(run, convention):
    document = convention()
    circuit = start(run, document)
    with pytest.raises(Conflict):
        start(run, document)
    run(circuits.cancel_circuit, circuit)
    assert start(run, document).id != circuit.id


# The hook


class Issuer:
    """A plugin that issues its convention as soon as everyone has signed it."""

    name = "issuer"

    def __init__(self):
        self.issued = []

    @hookimpl
    def signature_circuit_changed(self, circuit, event):
        if event == "completed" and circuit.document.owner == "receipts":
            self.issued.append(service.issue(circuit.document).number)


def test_hook_signature_circuit_changed_lets_a_plugin_issue_the_document_once_signed(make_app):
    issuer = Issuer()
    app = make_app(extra_plugins=[Receipts(), issuer])
    with app.app_context():
        document = service.create_draft(
            "receipts.convention",
            "receipts",
            "c:1",
            "Convention",
            "receipts/convention.html",
            {"company": "Ateliers Vasseur", "hours": 3},
        )
        circuits.start_circuit(document, SIGNERS[:2])
        recorder = _recorder()
        for signatory in Signatory.select().order_by(Signatory.position):
            assert issuer.issued == []
            circuits.record_paper_signature(signatory, recorder)
        assert len(issuer.issued) == 1
        assert Document.get_by_id(document.id).status == DocumentStatus.ISSUED


def _recorder():
    from tremplin.auth import service as accounts

    return accounts.create_account("agent@example.org", "Inès", "Morel")


def test_a_signature_of_another_file_than_the_one_offered_is_refused(app, run, convention, deliver):
    start(run, convention())
    path = link_in(emails_to(deliver(), "claire@example.org")[0])
    response = sign_through(app.test_client(), path, "Claire Dufresne", sha256="0" * 64)
    assert response.status_code == 409
    assert "Le document a changé depuis l’ouverture de cette page" in response.text
    assert run(lambda: Signature.select().count()) == 0
