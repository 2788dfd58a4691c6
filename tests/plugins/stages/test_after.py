"""After the convention: paper signatures, amendments signed again, the attendance
certificate, the host's evaluation, the pupil's report, cancellation told to everyone, and
the region's own model text in the convention."""

from __future__ import annotations

import pytest

from tremplin.auth.models import Role
from tremplin.documents import circuits
from tremplin.documents import service as documents
from tremplin.errors import Conflict, NotAllowed
from tremplin.organisations.models import OrganisationKind
from tremplin.plugins.stages import after, conventions, offers, placements
from tremplin.plugins.stages.models import Convention, Placement
from tremplin.runtime import current
from tremplin.testing import sign_in

from .conftest import (
    CONVENTION,
    moment,
    offer_form,
    pdf_text,
    post,
    pupil_form,
    sign_through,
    signing_links,
)

NAMES = {
    "principal@college.example.org": "Sophie Marchand",
    "karim.benali@example.org": "Karim Benali",
    "lea.dumont@example.org": "Léa Dumont",
    "claire.dumont@example.org": "Claire Dumont",
    "marc.dumont@example.org": "Marc Dumont",
}


@pytest.fixture
def accepted(net, clock):
    """A 3e pupil accepted by a bakery, her teacher and the host's manager."""
    clock.pin(moment("2026-03-02T09:00"))
    bakery = net.organisation("Boulangerie des Arts", siret="12345678900017")
    school = net.organisation("Collège Jean Jaurès", kind=OrganisationKind.COLLEGE, uai="0590001A")
    manager = net.account(
        Role.PARTNER_MANAGER, organisation=bakery, email="karim.benali@example.org"
    )
    teacher = net.account(
        Role.EDUCATOR, organisation=school, first_name="Nadia", last_name="Roussel"
    )
    offer = net.run(offers.publish, manager, bakery.id, offer_form())
    placement = net.run(placements.propose, teacher, {**pupil_form(school.id), "offer": offer.id})
    net.run(placements.answer, manager, placement.id, {"outcome": "accept"})
    return {"manager": manager, "teacher": teacher, "placement": placement}


def sign_all(app, deliver, teacher_email):
    links = signing_links(deliver())
    for email, link in links.items():
        name = NAMES.get(email, "Nadia Roussel")
        assert sign_through(app.test_client(), link, name).status_code == 200
    return links


def test_the_regions_model_text_is_printed_in_the_convention(app, net, accepted):
    with app.app_context():
        folder = current().region.path / "stages"
    folder.mkdir(exist_ok=True)
    (folder / "convention.md").write_text(
        "## Article unique — Texte de la Région de test\n\nLe stage est gratuit.\n",
        encoding="utf-8",
    )
    convention = net.run(
        conventions.prepare, accepted["teacher"], accepted["placement"].id, CONVENTION
    )
    data = net.run(lambda: documents.pdf_of(documents.get(convention.document_id)))
    text = pdf_text(data)
    assert "Texte de la Région de test" in text
    assert "L4153-2" not in text  # the plugin's own model is replaced


def test_a_signature_on_paper_counts_with_its_scan(app, net, accepted, deliver):
    convention = net.run(
        conventions.prepare, accepted["teacher"], accepted["placement"].id, CONVENTION
    )
    links = signing_links(deliver())
    for email, link in links.items():
        if email != "marc.dumont@example.org":
            name = NAMES.get(email, "Nadia Roussel")
            assert sign_through(app.test_client(), link, name).status_code == 200
    rows = net.run(conventions.signatories, accepted["placement"])
    [marc] = [row for row in rows if row["name"] == "Marc Dumont"]
    scan = b"%PDF-1.4 signed page"
    net.run(
        conventions.record_paper,
        accepted["teacher"],
        accepted["placement"].id,
        {"signatory": marc["id"], "signed_on": "2026-03-03"},
        scan,
    )
    assert net.run(Convention.get_by_id, convention.id).status == "signed"
    rows = net.run(conventions.signatories, accepted["placement"])
    assert [row["method"] for row in rows if row["name"] == "Marc Dumont"] == ["paper"]
    started = net.run(placements.start, accepted["manager"], accepted["placement"].id)
    assert started.status == "started"


def test_the_host_may_not_record_a_paper_signature(net, accepted):
    net.run(conventions.prepare, accepted["teacher"], accepted["placement"].id, CONVENTION)
    rows = net.run(conventions.signatories, accepted["placement"])
    with pytest.raises(NotAllowed):
        net.run(
            conventions.record_paper,
            accepted["manager"],
            accepted["placement"].id,
            {"signatory": rows[0]["id"]},
        )


def test_an_amendment_after_signature_is_signed_again_before_it_replaces_the_convention(
    app, net, accepted, deliver
):
    convention = net.run(
        conventions.prepare, accepted["teacher"], accepted["placement"].id, CONVENTION
    )
    sign_all(app, deliver, "")
    first = net.run(documents.get, convention.document_id)
    assert first.status == "issued"
    net.run(
        placements.change,
        accepted["teacher"],
        accepted["placement"].id,
        {
            "first_day": "2026-03-16",
            "last_day": "2026-03-20",
            "schedule": pupil_form(0)["schedule"],
        },
    )
    convention = net.run(Convention.get_by_id, convention.id)
    assert convention.status == "signing"
    assert convention.amendments == 1
    amendment = net.run(documents.get, convention.document_id)
    assert amendment.corrects_id == first.id
    assert "Avenant 1" in pdf_text(net.run(documents.pdf_of, amendment))
    with pytest.raises(Conflict):  # the amendment is not signed yet
        net.run(placements.start, accepted["manager"], accepted["placement"].id)
    links = sign_all(app, deliver, "")
    assert len(links) == 6
    assert net.run(documents.get, amendment.id).status == "issued"
    assert net.run(documents.get, first.id).status == "cancelled"
    assert (
        net.run(placements.start, accepted["manager"], accepted["placement"].id).status == "started"
    )


def test_after_the_stay_the_certificate_evaluation_and_report(app, net, accepted, deliver, clock):
    net.run(conventions.prepare, accepted["teacher"], accepted["placement"].id, CONVENTION)
    sign_all(app, deliver, "")
    placement_id = accepted["placement"].id
    net.run(placements.start, accepted["teacher"], placement_id)
    with pytest.raises(Conflict):  # not over yet
        net.run(placements.complete, accepted["teacher"], placement_id)
    clock.pin(moment("2026-03-27T17:00"))
    net.run(placements.complete, accepted["manager"], placement_id)
    net.run(
        after.evaluate,
        accepted["manager"],
        placement_id,
        {"rating": "4", "evaluation": "Curieuse et ponctuelle."},
    )
    net.run(
        after.report, accepted["teacher"], placement_id, {"report": "J'ai aimé façonner le pain."}
    )
    certificate = net.run(after.certificate, accepted["teacher"], placement_id)
    again = net.run(after.certificate, accepted["manager"], placement_id)
    assert again.id == certificate.id
    text = pdf_text(net.run(documents.pdf_of, certificate))
    for mention in (
        "Boulangerie des Arts",
        "Léa Dumont",
        "3e B",
        "23 mars 2026",
        "27 mars 2026",
        "Boulanger",
    ):
        assert mention in text, mention
    placement = net.run(Placement.get_by_id, placement_id)
    assert (placement.evaluation_rating, placement.report) == (4, "J'ai aimé façonner le pain.")


def test_a_cancellation_tells_everyone_with_its_reason(app, net, accepted, deliver):
    convention = net.run(
        conventions.prepare, accepted["teacher"], accepted["placement"].id, CONVENTION
    )
    deliver()
    net.run(
        placements.cancel,
        accepted["manager"],
        accepted["placement"].id,
        {"reason": "Fermeture exceptionnelle de la boutique"},
    )
    sent = [m for m in deliver() if "Fermeture exceptionnelle" in m.body]
    assert all("à partir du 23 mars 2026" in m.body for m in sent)
    told = {m.to[0] for m in sent}
    teacher = accepted["teacher"].email
    assert told >= {
        teacher,
        "karim.benali@example.org",
        "lea.dumont@example.org",
        "claire.dumont@example.org",
        "marc.dumont@example.org",
        "principal@college.example.org",
    }
    assert net.run(documents.get, convention.document_id).status == "cancelled"
    document = net.run(documents.get, convention.document_id)
    assert net.run(circuits.has_open_circuit, document) is False


def test_a_tutor_other_than_the_representative_signs_too(net, accepted):
    other = {**CONVENTION, "tutor_name": "Julie Caron", "tutor_email": "julie.caron@example.org"}
    net.run(conventions.prepare, accepted["teacher"], accepted["placement"].id, other)
    roles = [row["role"] for row in net.run(conventions.signatories, accepted["placement"])]
    assert roles == [
        "Chef d'établissement",
        "Représentant de l'organisme d'accueil",
        "Tuteur",
        "Professeur référent",
        "Élève",
        "Responsable légal",
        "Responsable légal",
    ]


def test_every_page_of_the_stay_shows_in_french_to_both_sides(app, net, accepted, deliver, clock):
    placement_id = accepted["placement"].id
    page = f"/stages/eleves/{placement_id}"
    school = sign_in(app.test_client(), accepted["teacher"])
    host = sign_in(app.test_client(), accepted["manager"])
    assert "Envoyer la convention à la signature" in school.get(page).text
    net.run(conventions.prepare, accepted["teacher"], placement_id, CONVENTION)
    assert "Enregistrer la signature sur papier" in school.get(page).text
    assert "Enregistrer la signature sur papier" not in host.get(page).text
    sign_all(app, deliver, "")
    assert post(host, page, f"{page}/debut", {}).status_code == 302
    assert "Votre évaluation" in host.get(page).text
    clock.pin(moment("2026-03-27T17:00"))
    assert post(school, page, f"{page}/fin", {}).status_code == 302
    evaluated = post(host, page, f"{page}/evaluation", {"rating": "3", "evaluation": "Bien."})
    assert evaluated.status_code == 302
    empty = post(school, page, f"{page}/compte-rendu", {"report": ""})
    assert empty.status_code == 422
    certificate = post(school, page, f"{page}/attestation", {})
    assert certificate.status_code == 302
    pdf = school.get(certificate.headers["Location"])
    assert pdf.mimetype == "application/pdf"
    assert "Attestation de stage" in pdf_text(pdf.data)
    for url in ("/stages/eleves", page, "/stages/"):
        assert school.get(url).status_code == 200, url


def test_the_pupils_email_may_be_given_with_the_convention(app, net, clock):
    clock.pin(moment("2026-03-02T09:00"))
    bakery = net.organisation("Boulangerie des Arts", siret="12345678900017")
    school = net.organisation("Collège Jean Jaurès", kind=OrganisationKind.COLLEGE, uai="0590001A")
    manager = net.account(Role.PARTNER_MANAGER, organisation=bakery)
    teacher = net.account(Role.EDUCATOR, organisation=school)
    offer = net.run(offers.publish, manager, bakery.id, offer_form())
    raw = {**pupil_form(school.id), "offer": offer.id}
    raw.pop("pupil_email")
    placement = net.run(placements.propose, teacher, raw)
    net.run(placements.answer, manager, placement.id, {"outcome": "accept"})
    client = sign_in(app.test_client(), teacher)
    page = f"/stages/eleves/{placement.id}"
    refused = post(client, page, f"{page}/convention", CONVENTION)
    assert refused.status_code == 422
    assert "Sophie Marchand" in refused.text  # shown again with what was typed
    sent = post(
        client, page, f"{page}/convention", {**CONVENTION, "pupil_email": "lea@example.org"}
    )
    assert sent.status_code == 302
    assert net.run(Placement.get_by_id, placement.id).pupil_email == "lea@example.org"
