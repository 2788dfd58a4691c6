"""Coverage-gap alerts: priority schools not met, idle ambassadors, unanswered requests."""

from __future__ import annotations

import datetime

import pytest

from tremplin.clock import now, travel
from tremplin.errors import NotAllowed
from tremplin.interventions import service
from tremplin.organisations.models import OrganisationKind
from tremplin.people.models import Ambassador
from tremplin.stats import alerts
from tremplin.testing import client_of, in_days

from .conftest import answer, flag


def registered_months_ago(network, ambassador, months: int) -> None:
    """Pretend ``ambassador`` registered ``months`` months ago (and a day)."""
    moment = alerts.months_before(now(), months) - datetime.timedelta(days=1)
    network.run(
        lambda: Ambassador.update(created_at=moment).where(Ambassador.id == ambassador.id).execute()
    )


def names(page: str, section: str) -> str:
    """The HTML of the section whose heading id is ``section``."""
    start = page.index(f'id="{section}"')
    return page[start : page.index("</section>", start)]


def test_priority_schools_nobody_meets_this_year_are_listed_for_their_referent(network):
    rep = flag(network, network.school("Collège Pasteur", "bef-59-lille-est"), rep=True)
    met = flag(network, network.school("Collège Curie", "bef-59-dunkerque"), qpv=True)
    network.school("Lycée Carnot", "bef-59-lille-est")  # not a priority school
    flag(network, network.school("Collège Zola", "bef-62-arras"), rural=True)  # not in the Nord
    flag(network, network.school("Garage Martin", "59", OrganisationKind.COMPANY), qpv=True)
    ambassador = network.ambassador("Soudeuse", zones=("59",))
    request = network.request(network.educator(met), ambassador)
    answer(network, ambassador, request, 1)  # accepted: someone is coming this year

    page = client_of(network.app, network.referent("59")).get("/alertes")
    assert page.status_code == 200
    schools = names(page.text, "schools-title")
    assert f'<a href="/organisations/{rep.id}">Collège Pasteur</a>' in schools
    assert "<td>REP</td>" in schools
    assert "<td>jamais</td>" in schools
    for other in ("Collège Curie", "Lycée Carnot", "Collège Zola", "Garage Martin"):
        assert other not in schools

    admin = client_of(network.app, network.admin()).get("/alertes").text
    assert "Collège Zola" in names(admin, "schools-title")


def test_a_school_met_in_an_earlier_school_year_is_listed_again(network):
    school = flag(network, network.school("Collège Pasteur", "bef-59-lille-est"), rep_plus=True)
    ambassador = network.ambassador("Soudeuse", zones=("59",))
    request = network.request(network.educator(school), ambassador)
    answer(network, ambassador, request, 1)
    referent = network.referent("59")
    assert network.run(alerts.uncovered_schools, referent).total == 0
    with travel(datetime.timedelta(days=370)):
        page = network.run(alerts.uncovered_schools, referent)
    assert [item.name for item in page.items] == ["Collège Pasteur"]
    assert page.items[0].flags == ("rep_plus",)
    assert page.items[0].last_intervention_at == in_days(10)


def test_ambassadors_idle_for_six_months_are_listed_oldest_first(network):
    idle = network.ambassador("Soudeuse", zones=("bef-59-lille-est",), first_name="Inès")
    busy = network.ambassador("Boulanger", zones=("59",), first_name="Bruno")
    newcomer = network.ambassador("Pâtissière", zones=("59",), first_name="Nour")
    elsewhere = network.ambassador("Maçon", zones=("62",), first_name="Éloi")
    for ambassador in (idle, busy, elsewhere):
        registered_months_ago(network, ambassador, 8)
    answer(network, busy, network.request(network.educator(), busy), 2)

    page = client_of(network.app, network.referent("59")).get("/alertes")
    section = names(page.text, "ambassadors-title")
    assert "Ambassadeurs sans aucune intervention depuis 6 mois" in section
    assert f'<a href="/ambassadeurs/{idle.id}">Inès ' in section
    for other in ("Bruno", "Nour", "Éloi"):
        assert other not in section
    del newcomer

    # Twelve months: the ambassador registered eight months ago is not idle that long.
    longer = client_of(network.app, network.referent("59")).get("/alertes?mois=12")
    assert "Inès" not in names(longer.text, "ambassadors-title")


def test_requests_unanswered_for_more_than_seven_days_are_listed(network):
    ambassador = network.ambassador("Soudeuse", zones=("59",))
    teacher = network.educator()
    late = network.request(teacher, ambassador, slots=[in_days(30)])
    with travel(datetime.timedelta(days=5)):
        recent = network.request(teacher, ambassador, slots=[in_days(30)])
    referent = network.referent("59")
    with travel(datetime.timedelta(days=8)):
        page = client_of(network.app, referent).get("/alertes").text
        sooner = client_of(network.app, referent).get("/alertes?jours=2").text
    section = names(page, "requests-title")
    assert f'href="/interventions/{late.id}"' in section
    assert f'href="/interventions/{recent.id}"' not in section
    assert f'href="/interventions/{recent.id}"' in names(sooner, "requests-title")
    assert "Camille L." in section


def test_the_alerts_are_counted_on_the_referent_s_dashboard(network):
    flag(network, network.school("Collège Pasteur", "bef-59-lille-est"), rep=True)
    idle = network.ambassador("Soudeuse", zones=("59",))
    registered_months_ago(network, idle, 7)
    referent = network.referent("59")
    with travel(datetime.timedelta(days=10)):
        network.request(network.educator(), network.ambassador("Maçon"), slots=[in_days(40)])
    with travel(datetime.timedelta(days=20)):
        counts = network.run(alerts.counts, referent, 6, 7)
        page = client_of(network.app, referent).get("/tableau-de-bord").text
    # The school of the request is a new collège, not a priority school.
    assert (counts.schools, counts.ambassadors, counts.requests) == (1, 1, 1)
    assert "3 alertes" in page
    assert "1 établissement prioritaire sans aucune intervention cette année scolaire" in page
    assert "1 ambassadeur sans intervention" in page
    assert "1 demande sans réponse" in page


def test_the_lists_are_paginated(network):
    for number in range(23):
        flag(network, network.school(f"Collège {number:02d}", "bef-59-lille-est"), qpv=True)
    client = client_of(network.app, network.referent("59"))
    first = names(client.get("/alertes").text, "schools-title")
    assert "23 établissements" in first
    assert "Collège 19" in first
    assert "Collège 20" not in first
    assert 'href="/alertes?page_ecoles=2"' in first
    second = names(client.get("/alertes?page_ecoles=2").text, "schools-title")
    assert "Collège 22" in second
    assert "Collège 00" not in second


def test_only_referents_and_admins_see_alerts(network):
    assert network.app.test_client().get("/alertes").status_code == 302
    assert client_of(network.app, network.educator()).get("/alertes").status_code == 403
    with pytest.raises(NotAllowed):
        network.run(alerts.idle_ambassadors, network.educator(), 6)


@pytest.mark.parametrize(("query", "field"), [("mois=0", "mois"), ("jours=abc", "jours")])
def test_bad_limits_are_answered_422(network, query, field):
    page = client_of(network.app, network.referent("59")).get(f"/alertes?{query}")
    assert page.status_code == 422
    assert f'href="#field-{field}"' in page.text


def test_months_before_keeps_the_day_when_the_month_has_it():
    moment = datetime.datetime(2027, 3, 31, 10, 0)
    assert alerts.months_before(moment, 1) == datetime.datetime(2027, 2, 28, 10, 0)
    assert alerts.months_before(moment, 6) == datetime.datetime(2026, 9, 30, 10, 0)
    assert alerts.months_before(moment, 15) == datetime.datetime(2025, 12, 31, 10, 0)


def test_a_declined_or_cancelled_request_does_not_make_an_ambassador_active(network):
    ambassador = network.ambassador("Soudeuse", zones=("59",))
    registered_months_ago(network, ambassador, 7)
    teacher = network.educator()
    answer(network, ambassador, network.request(teacher, ambassador), 1, accept=False)
    accepted = network.request(teacher, ambassador)
    answer(network, ambassador, accepted, 1)
    network.run(service.cancel, teacher, accepted.id, {"reason": "Classe en sortie."})
    page = network.run(alerts.idle_ambassadors, network.referent("59"), 6)
    assert [item.id for item in page.items] == [ambassador.id]
    assert page.items[0].last_intervention_at is None
    assert network.account_of(ambassador).first_name == "Camille"
