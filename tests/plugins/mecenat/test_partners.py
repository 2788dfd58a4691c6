"""What each person sees and may do: consent, costs kept to the company, the estimate's API,
hours in the key figures, companies behind for referents."""

from __future__ import annotations

import datetime

import pytest

from tremplin.auth.models import Role
from tremplin.errors import Conflict, NotAllowed, NotFound
from tremplin.plugins.mecenat import conventions, employers, overview
from tremplin.plugins.mecenat.models import Convention, Entry, SigningStatus
from tremplin.stats.figures import Period
from tremplin.testing import csrf_token_from, sign_in

from .conftest import moment


@pytest.fixture
def company(net):
    return net.organisation("Forges de l'Escaut", siret="12345678900017")


def employee_of(net, company, first="Inès", last="Boulanger"):
    ambassador = net.ambassador(first, last)
    account = net.account_of(ambassador)
    net.run(employers.set_employer, account, {"organisation": company.id})
    net.run(employers.give_consent, account)
    return ambassador


def signed_convention(net, company, committed=12):
    return net.run(
        Convention.create,
        organisation=company.id,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        committed_interventions=committed,
        status=SigningStatus.SIGNED,
    )


def test_a_revoked_consent_stops_counting_from_then_on(net, company, clock):
    clock.pin(moment("2025-01-06T09:00"))
    signed_convention(net, company)
    school = net.organisation("Collège Jules Ferry", kind="college")
    educator = net.account(Role.EDUCATOR, organisation=school)
    ambassador = employee_of(net, company)
    first = net.intervention(educator, school, ambassador, moment("2025-02-04T09:00"))
    second = net.intervention(educator, school, ambassador, moment("2025-03-04T09:00"))
    clock.pin(moment("2025-02-05T09:00"))
    net.complete(educator, first)
    net.run(employers.revoke_consent, net.account_of(ambassador))
    clock.pin(moment("2025-03-05T09:00"))
    net.complete(educator, second)
    assert net.run(lambda: [e.intervention_id for e in Entry.select()]) == [first.id]


def test_costs_are_seen_by_the_company_only(net, company):
    convention = signed_convention(net, company)
    ambassador = employee_of(net, company)
    manager = net.account(Role.PARTNER_MANAGER, organisation=company)
    admin = net.account(Role.ADMIN)
    raw = {"ambassador": ambassador.id, "monthly_salary": "2600", "monthly_charges": "1100"}
    net.run(conventions.save_costing, manager, convention.id, raw)
    assert (
        "2 600,00 €"
        in sign_in(net.app.test_client(), manager).get(f"/mecenat/conventions/{convention.id}").text
    )
    region_page = sign_in(net.app.test_client(), admin).get(f"/mecenat/conventions/{convention.id}")
    assert region_page.status_code == 200
    assert "2 600" not in region_page.text
    assert "2600" not in region_page.text
    with pytest.raises(NotAllowed):
        net.run(conventions.costings_of, admin, convention.id)
    employee_page = sign_in(net.app.test_client(), net.account_of(ambassador))
    assert employee_page.get(f"/mecenat/conventions/{convention.id}").status_code == 403


def test_a_cost_of_someone_who_does_not_count_is_refused(net, company):
    convention = signed_convention(net, company)
    stranger = net.ambassador("Karim", "Lemaire")
    manager = net.account(Role.PARTNER_MANAGER, organisation=company)
    raw = {"ambassador": stranger.id, "monthly_salary": "2600", "monthly_charges": "1100"}
    with pytest.raises(NotFound):
        net.run(conventions.save_costing, manager, convention.id, raw)


def test_the_estimate_endpoint_answers_in_cents_and_says_it_is_an_estimate(net, company):
    manager = net.account(Role.PARTNER_MANAGER, organisation=company)
    client = sign_in(net.app.test_client(), manager)
    client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token_from(client, "/mon-compte")
    body = {
        "years": [
            {"year": 2024, "turnover": "1000000", "donations": "26000"},
            {"year": 2025, "turnover": "1000000", "donations": "8000"},
        ]
    }
    answer = client.post("/api/v1/mecenat/estimate", json=body)
    assert answer.status_code == 200, answer.json
    assert answer.json["estimate"] is True
    assert [(y["reduction"], y["carry_out"]) for y in answer.json["years"]] == [
        ("12000.00", "6000.00"),
        ("8400.00", "0.00"),
    ]
    bad = client.post("/api/v1/mecenat/estimate", json={"years": [{"year": 2025}]})
    assert bad.status_code == 422
    ambassador = net.account_of(net.ambassador("Karim", "Lemaire"))
    other = sign_in(net.app.test_client(), ambassador)
    other.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token_from(other, "/mon-compte")
    assert other.post("/api/v1/mecenat/estimate", json=body).status_code == 403


def test_the_simulator_page_shows_the_estimate(net, company):
    manager = net.account(Role.PARTNER_MANAGER, organisation=company)
    client = sign_in(net.app.test_client(), manager)
    form = {"year_0": "2025", "turnover_0": "1500000", "donations_0": "3094,05"}
    token = csrf_token_from(client, "/mecenat/simulateur")
    page = client.post("/mecenat/simulateur", data={**form, "csrf_token": token})
    assert page.status_code == 200
    assert "1856.43" in page.text
    assert "estimation" in page.text.lower()


def test_hours_count_in_the_key_figures_and_late_companies_are_shown(net, company, clock):
    clock.pin(moment("2025-01-06T09:00"))
    signed_convention(net, company, committed=12)
    school = net.organisation("Collège Jules Ferry", kind="college")
    educator = net.account(Role.EDUCATOR, organisation=school)
    ambassador = employee_of(net, company)
    talk = net.intervention(educator, school, ambassador, moment("2025-02-04T09:00"))
    clock.pin(moment("2025-07-01T09:00"))
    net.complete(educator, talk)
    rows = net.run(
        overview.key_figures,
        Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        net.region,
    )
    hours = {row.key: row.value for row in rows}
    assert hours["mecenat.hours"] == pytest.approx(1.75)  # 45 minutes + 60 of preparation
    assert hours["mecenat.hours.sector.Industrie"] == pytest.approx(1.75)
    referent = net.account(Role.REFERENT, territory=net.nord)
    late = net.run(overview.behind, referent)
    assert [(row.organisation, row.completed, row.expected) for row in late] == [
        ("Forges de l'Escaut", 1, 5)  # 12 x 181 / 365 days, rounded down
    ]
    with pytest.raises(NotAllowed):
        net.run(overview.behind, net.account(Role.EDUCATOR, organisation=school))


def test_a_convention_is_for_companies(net):
    school = net.organisation("Collège Jules Ferry", kind="college")
    manager = net.account(Role.PARTNER_MANAGER, organisation=school)
    raw = {"starts_on": "2025-01-01", "ends_on": "2025-12-31", "committed_interventions": "3"}
    with pytest.raises(Conflict):
        net.run(conventions.prepare, manager, school.id, raw)


def test_the_companies_behind_are_listed_a_page_at_a_time(net, company, clock, monkeypatch):
    monkeypatch.setattr("tremplin.plugins.mecenat.views.PAGE_SIZE", 1)
    clock.pin(moment("2025-01-06T09:00"))
    other = net.organisation("Verrerie du Hainaut", siret="98765432100012")
    for late in (company, other):
        signed_convention(net, late, committed=12)
    clock.pin(moment("2025-07-01T09:00"))
    region = sign_in(net.app.test_client(), net.account(Role.ADMIN))

    def behind_section(page: int) -> str:
        text = region.get(f"/mecenat/region?page_retard={page}").text
        return text.split('id="behind-title"')[1].split("</section>")[0]

    first, second = behind_section(1), behind_section(2)
    behind = [(name in first, name in second) for name in ("Forges", "Verrerie")]
    assert sorted(behind) == [(False, True), (True, False)]  # one on each page
    assert "page_retard=2" in first
