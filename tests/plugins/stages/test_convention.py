"""Done when: a 3e convention goes end to end. An offer, a placement with a lawful
schedule, the convention's PDF, six signatures through their links (two legal guardians),
the start allowed; a schedule change after two signatures voids them; a start with one
signature missing is refused."""

from __future__ import annotations

import pytest

from tremplin.auth.models import Role
from tremplin.documents import circuits
from tremplin.documents.models import Document
from tremplin.organisations.models import OrganisationKind
from tremplin.plugins.stages.models import Convention, Placement
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

SIGNATORIES = {
    "principal@college.example.org": "Sophie Marchand",
    "karim.benali@example.org": "Karim Benali",
    "teacher@college.example.org": "Nadia Roussel",
    "lea.dumont@example.org": "Léa Dumont",
    "claire.dumont@example.org": "Claire Dumont",
    "marc.dumont@example.org": "Marc Dumont",
}


@pytest.fixture
def placed(app, net, clock, deliver):
    """A bakery's offer, a pupil proposed by her teacher and accepted by the host."""
    clock.pin(moment("2026-03-02T09:00"))
    bakery = net.organisation("Boulangerie des Arts", siret="12345678900017")
    school = net.organisation(
        "Collège Jean Jaurès", kind=OrganisationKind.COLLEGE, uai="0590001A", rep=True
    )
    manager = net.account(
        Role.PARTNER_MANAGER,
        organisation=bakery,
        first_name="Karim",
        last_name="Benali",
        email="karim.benali@example.org",
    )
    teacher = net.account(
        Role.EDUCATOR,
        organisation=school,
        first_name="Nadia",
        last_name="Roussel",
        email="teacher@college.example.org",
    )
    host = sign_in(app.test_client(), manager)
    form = f"/stages/hotes/{bakery.id}/offres"
    published = post(host, form, form, offer_form())
    assert published.status_code == 302, published.text
    offer_page = published.headers["Location"]

    # The teacher finds it by a feminine form without accent; the schedule is lawful.
    school_side = sign_in(app.test_client(), teacher)
    found = school_side.get("/stages/?q=boulangere&territory=59&level=3e")
    assert "Boulangerie des Arts" in found.text
    proposed = post(school_side, offer_page, f"{offer_page}/proposer", pupil_form(school.id))
    assert proposed.status_code == 302, proposed.text
    page = proposed.headers["Location"]
    assert any(m.to == ["karim.benali@example.org"] for m in deliver())

    accepted = post(host, page, f"{page}/reponse", {"outcome": "accept"})
    assert accepted.status_code == 302, accepted.text
    assert any(m.to == ["teacher@college.example.org"] for m in deliver())
    sent = post(school_side, page, f"{page}/convention", CONVENTION)
    assert sent.status_code == 302, sent.text
    return {"host": host, "school": school_side, "page": page}


def test_a_3e_convention_from_the_offer_to_the_start(app, net, placed, deliver):
    host, school, page = placed["host"], placed["school"], placed["page"]
    links = signing_links(deliver())
    assert set(links) == set(SIGNATORIES)  # six signatories, both guardians

    convention = net.run(Convention.get)
    text = pdf_text(school.get(f"/stages/documents/{convention.document_id}.pdf").data)
    for mention in (
        "Collège Jean Jaurès",
        "Sophie Marchand",  # head of school
        "Boulangerie des Arts",
        "Karim Benali",  # representative and tutor
        "Nadia Roussel",  # referring teacher
        "Léa Dumont",
        "3e B",
        "15 septembre 2011",
        "Claire Dumont",
        "Marc Dumont",
        "23 mars 2026",
        "27 mars 2026",
        "09:00–12:00, 13:30–17:00",
        "32 h 30",
        "Pétrir, façonner",
        "MAIF, contrat 123 456",
        "AXA, contrat RC 789",
        "Vie scolaire",
        "L4153-2",  # the region's model text
    ):
        assert mention in text, mention

    # Two sign, then the school changes the schedule: both signatures are void.
    for email in ("principal@college.example.org", "lea.dumont@example.org"):
        assert sign_through(app.test_client(), links[email], SIGNATORIES[email]).status_code == 200
    deliver()
    shorter = pupil_form(0)["schedule"].replace("17:00", "16:30")
    changed = post(
        school,
        page,
        f"{page}/horaires",
        {"first_day": "2026-03-23", "last_day": "2026-03-27", "schedule": shorter},
    )
    assert changed.status_code == 302, changed.text
    document = net.run(Document.get_by_id, convention.document_id)
    signed = net.run(
        lambda: [s for s in circuits.signatories_of(circuits.circuit_of(document)) if s.signed_at]
    )
    assert signed == []
    assert app.test_client().get(links["principal@college.example.org"]).status_code == 410
    assert "30 h 00" in pdf_text(school.get(f"/stages/documents/{document.id}.pdf").data)

    # Everyone signs the new content through a new link; the internship may start.
    links = signing_links(deliver())
    assert set(links) == set(SIGNATORIES)
    for email, name in SIGNATORIES.items():
        assert sign_through(app.test_client(), links[email], name).status_code == 200
    document = net.run(Document.get_by_id, convention.document_id)
    assert document.status == "issued"
    assert document.number
    started = post(host, page, f"{page}/debut", {})
    assert started.status_code == 302, started.text
    assert net.run(Placement.get).status == "started"


def test_a_start_with_one_signature_missing_is_refused(app, net, placed, deliver):
    host, page = placed["host"], placed["page"]
    links = signing_links(deliver())
    for email, name in SIGNATORIES.items():
        if email != "marc.dumont@example.org":
            assert sign_through(app.test_client(), links[email], name).status_code == 200
    refused = post(host, page, f"{page}/debut", {})
    assert refused.status_code == 409
    assert "Marc Dumont" in refused.text
    assert net.run(Placement.get).status == "accepted"
