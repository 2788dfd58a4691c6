"""Accepting a company visit: the ambassador vouches for it and gives the safety rules."""

from __future__ import annotations

import pytest

from tremplin.errors import Conflict, Invalid
from tremplin.interventions import details, service
from tremplin.interventions.models import Intervention, Status, VisitSafety
from tremplin.people.models import Ambassador

from .conftest import csrf_token, sign_in

RULES = "Chaussures fermées obligatoires ; ne pas franchir les lignes jaunes de l’atelier."


def account_of(network, ambassador):
    return network.run(lambda: Ambassador.get_by_id(ambassador.id).account)


@pytest.fixture
def visit(network):
    """A company visit requested by a school from a welder, and their accounts."""
    educator = network.educator(school=network.school(name="Lycée Condorcet"))
    welder = network.ambassador("Soudeuse", intervention_types=("company_visit",))
    request = network.request(
        educator,
        welder,
        intervention_type="company_visit",
        accompanying_adults=2,
        duration_minutes=120,
        group_size=15,
    )
    return educator, account_of(network, welder), request


def status_of(network, intervention_id):
    return network.get(intervention_id).status


def test_accepting_a_company_visit_needs_the_tick_and_the_safety_rules(network, visit):
    _educator, welder, request = visit
    with pytest.raises(Invalid) as refused:
        network.run(service.accept, welder, request.id, {})
    assert set(refused.value.errors) == {"safety_rules"}
    with pytest.raises(Invalid) as refused:
        network.run(service.accept, welder, request.id, {"safety_rules": RULES})
    assert set(refused.value.errors) == {"rules_allow"}
    assert status_of(network, request.id) == Status.REQUESTED
    assert network.run(lambda: VisitSafety.select().count()) == 0


def test_the_school_reads_the_safety_rules_once_accepted(network, visit):
    educator, welder, request = visit
    network.run(service.accept, welder, request.id, {"rules_allow": "yes", "safety_rules": RULES})
    assert status_of(network, request.id) == Status.SCHEDULED
    facts = network.run(lambda: details.describe(educator, Intervention.get_by_id(request.id)))
    assert facts["company_visit"] == {"rules_allow": True, "safety_rules": RULES}


def test_accepting_an_accepted_visit_again_is_a_conflict_not_a_form_error(network, visit):
    _educator, welder, request = visit
    confirmed = {"rules_allow": "yes", "safety_rules": RULES}
    network.run(service.accept, welder, request.id, confirmed)
    with pytest.raises(Conflict):
        network.run(service.accept, welder, request.id, {})


def test_a_class_talk_is_accepted_without_them(network):
    educator = network.educator()
    baker = network.ambassador("Boulanger")
    request = network.request(educator, baker)
    network.run(service.accept, account_of(network, baker), request.id, {})
    facts = network.run(lambda: details.describe(educator, Intervention.get_by_id(request.id)))
    assert facts["company_visit"] is None


def test_the_form_keeps_what_was_typed_and_the_page_shows_the_rules(app, network, visit):
    educator, welder, request = visit
    page = f"/interventions/{request.id}"
    client = sign_in(app.test_client(), welder)
    assert "internes de mon entreprise" in client.get(page, headers={"Accept-Language": "fr"}).text
    slot = network.run(lambda: Intervention.get_by_id(request.id).slots[0].id)
    refused = client.post(
        f"{page}/accepter",
        data={"slot": slot, "safety_rules": RULES, "csrf_token": csrf_token(client, page)},
    )
    assert refused.status_code == 422
    assert "Chaussures fermées obligatoires" in refused.text
    accepted = client.post(
        f"{page}/accepter",
        data={
            "slot": slot,
            "rules_allow": "yes",
            "safety_rules": RULES,
            "csrf_token": csrf_token(client, page),
        },
    )
    assert accepted.status_code == 302
    school_page = sign_in(app.test_client(), educator).get(page)
    assert "ne pas franchir les lignes jaunes" in school_page.text


def test_the_api_refuses_an_acceptance_without_the_tick(app, network, visit):
    _educator, welder, request = visit
    client = sign_in(app.test_client(), welder)
    token = csrf_token(client, "/mon-compte")
    url = f"/api/v1/interventions/{request.id}/accept"
    refused = client.post(url, json={"safety_rules": RULES}, headers={"X-CSRFToken": token})
    assert refused.status_code == 422
    assert "rules_allow" in refused.json["errors"]["json"]
    answer = client.post(
        url, json={"safety_rules": RULES, "rules_allow": True}, headers={"X-CSRFToken": token}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json["company_visit"]["safety_rules"] == RULES
