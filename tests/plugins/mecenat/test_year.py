"""Done when: one company's year runs end to end. Its charter and convention are signed through
the emailed links, three employees count for it, interventions are completed and one is
cancelled, a correction is approved, and the receipt issued reads back with the right totals
and every mention of form 2041-MEC-SD."""

from __future__ import annotations

import datetime

from tremplin.auth.models import Role
from tremplin.documents.models import Document
from tremplin.organisations.models import OrganisationKind
from tremplin.plugins.mecenat import charters
from tremplin.plugins.mecenat.models import (
    Convention,
    Correction,
    Entry,
    PartnershipCharter,
    Receipt,
    SigningStatus,
)
from tremplin.testing import csrf_token_from

from .conftest import CHARTER_FILE, link_in, moment, pdf_text, sign_in, sign_through


def post(client, page: str, url: str, data: dict):
    """Send a form of ``page`` with its CSRF token."""
    return client.post(url, data={**data, "csrf_token": csrf_token_from(client, page)})


def signing_link(messages, address):
    """The path of the one signing link emailed to ``address`` among ``messages``."""
    [link] = [
        link_in(message)
        for message in messages
        if message.to == [address] and "/signature/" in message.body
    ]
    return link


def test_one_company_year_from_the_charter_to_the_receipt(app, net, clock, deliver):
    clock.pin(moment("2025-01-06T09:00"))
    net.run(charters.publish_text, CHARTER_FILE)
    company = net.organisation("Forges de l'Escaut", siret="12345678900017")
    school = net.organisation("Collège Jules Ferry", kind=OrganisationKind.COLLEGE)
    educator = net.account(Role.EDUCATOR, organisation=school)
    manager = net.account(
        Role.PARTNER_MANAGER,
        organisation=company,
        first_name="Sophie",
        last_name="Delcourt",
        email="sophie.delcourt@example.org",
    )
    admin = net.account(Role.ADMIN)
    ines = net.ambassador("Inès", "Boulanger")
    karim = net.ambassador("Karim", "Lemaire")
    julie = net.ambassador("Julie", "Caron")

    # Each employee finds the company by its SIRET and chooses to count for it.
    for employee in (ines, karim, julie):
        client = sign_in(app.test_client(), net.account_of(employee))
        page = "/mecenat/mon-employeur?q=12345678900017"
        assert "Forges de l&#39;Escaut" in client.get(page).text
        assert (
            post(client, page, "/mecenat/mon-employeur", {"organisation": company.id}).status_code
            == 302
        )
        given = post(client, page, "/mecenat/mon-employeur/consentement", {"action": "give"})
        assert given.status_code == 302

    # The partner manager gives the donor's details and signs the charter through its link.
    partner = sign_in(app.test_client(), manager)
    home = f"/mecenat/partenaires/{company.id}"
    saved = post(
        partner,
        home,
        f"{home}/coordonnees",
        {"legal_form": "SAS", "address": "12 quai de l'Escaut, 59300 Valenciennes"},
    )
    assert saved.status_code == 302
    committed = post(
        partner,
        home,
        f"{home}/charte",
        {"year": "2025", "employees": "3", "hours": "20", "visits": "1", "internships": "0"},
    )
    assert committed.status_code == 302, committed.text
    charter_link = signing_link(deliver(), "sophie.delcourt@example.org")
    assert sign_through(app.test_client(), charter_link, "Sophie Delcourt").status_code == 200
    charter = net.run(PartnershipCharter.get)
    assert charter.status == SigningStatus.SIGNED
    assert net.run(Document.get_by_id, charter.document_id).status == "issued"

    # The convention: prepared, costed (capped for Inès), signed by the company, then the region.
    prepared = post(
        partner,
        home,
        f"{home}/conventions",
        {
            "starts_on": "2025-01-01",
            "ends_on": "2025-12-31",
            "committed_interventions": "10",
            "timetable": "Une intervention par mois de février à novembre.",
        },
    )
    assert prepared.status_code == 302
    page = prepared.headers["Location"]
    convention = net.run(Convention.get)
    for employee, salary, charges in (
        (ines, "10000", "3050"),
        (karim, "2600", "1100"),
        (julie, "3000", "1300"),
    ):
        costed = post(
            partner,
            page,
            f"{page}/couts",
            {"ambassador": employee.id, "monthly_salary": salary, "monthly_charges": charges},
        )
        assert costed.status_code == 302, costed.text
    assert post(partner, page, f"{page}/signature", {}).status_code == 302
    company_link = signing_link(deliver(), "sophie.delcourt@example.org")
    assert sign_through(app.test_client(), company_link, "Sophie Delcourt").status_code == 200
    region_link = signing_link(deliver(), "signature@region.example.org")
    assert sign_through(app.test_client(), region_link, "Hélène Marchal").status_code == 200
    convention = net.run(Convention.get_by_id, convention.id)
    assert convention.status == SigningStatus.SIGNED
    convention_pdf = pdf_text(partner.get(f"/mecenat/documents/{convention.document_id}.pdf").data)
    assert "Forges de l'Escaut" in convention_pdf
    assert "10 interventions" in convention_pdf
    assert "10 000" not in convention_pdf  # nobody's salary is printed

    # Interventions: four completed, one cancelled; each class talk counts 45 + 60 minutes.
    done = []
    for employee, day in (
        (ines, "2025-02-04"),
        (ines, "2025-03-04"),
        (karim, "2025-02-11"),
        (julie, "2025-04-08"),
    ):
        done.append(net.intervention(educator, school, employee, moment(f"{day}T09:00")))
    cancelled = net.intervention(educator, school, karim, moment("2025-05-13T09:00"))
    net.cancel(educator, cancelled)
    clock.pin(moment("2025-06-02T09:00"))
    for intervention in done:
        net.complete(educator, intervention)
    assert net.run(Entry.select().count) == 4

    # The company corrects Julie's hours (a forum stand not requested on the platform).
    correction_page = f"/mecenat/conventions/{convention.id}"
    proposed = post(
        partner,
        correction_page,
        f"{correction_page}/corrections",
        {
            "ambassador": julie.id,
            "day": "2025-05-20",
            "minutes": "60",
            "reason": "Salon des métiers",
        },
    )
    assert proposed.status_code == 302, proposed.text
    region = sign_in(app.test_client(), admin)
    correction = net.run(Correction.get)
    decided = post(
        region, "/mecenat/region", f"/mecenat/corrections/{correction.id}", {"outcome": "approved"}
    )
    assert decided.status_code == 302

    # What the company sees: names, interventions and hours; never contact details.
    seen = partner.get(home).text
    for name in ("Inès Boulanger", "Karim Lemaire", "Julie Caron"):
        assert name in seen
    assert "@example.org" not in seen.replace("sophie.delcourt@example.org", "")

    # In January the region issues the receipt of 2025.
    clock.pin(moment("2026-01-12T09:00"))
    issued = post(
        region,
        "/mecenat/region",
        "/mecenat/recus",
        {"organisation": company.id, "financial_year": "2025", "confirm": "yes"},
    )
    assert issued.status_code == 302, issued.text
    receipt = net.run(Receipt.get)
    # 3 h 30 of Inès at 11,775 € (3 x 3,925 €), 1 h 45 of Karim at 3,700 €, 2 h 45 of Julie
    # at 4,300 €, a month of 151.67 hours each: 271.72 + 42.69 + 77.97.
    assert (receipt.minutes, str(receipt.amount)) == (480, "392.38")
    text = pdf_text(partner.get(f"/mecenat/documents/{receipt.document_id}.pdf").data)
    for mention in (
        "2041-MEC-SD",
        "16216",
        "238 bis",
        "Région de test",
        "200000001",
        "Forges de l'Escaut",
        "SAS",
        "123456789",
        "12 quai de l'Escaut",
        "***392,38 €***",
        "1 janvier 2025",
        "31 décembre 2025",
        "acte sous seing privé",
        "mécénat de compétences",
        "Inès Boulanger 3 h 30",
        "Karim Lemaire 1 h 45",
        "Julie Caron 2 h 45",
        "8 h 00",
        "Hélène Marchal",
        "Directrice de l'orientation",
        f"{datetime.date(2026, 1, 12).year}-000001",
    ):
        assert mention in text, mention

    # The period is locked: a new correction of 2025 is refused.
    late = post(
        partner,
        correction_page,
        f"{correction_page}/corrections",
        {"ambassador": julie.id, "day": "2025-06-20", "minutes": "30", "reason": "Oubli"},
    )
    assert late.status_code == 409
