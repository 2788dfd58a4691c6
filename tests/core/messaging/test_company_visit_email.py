"""The email telling a school its company visit was accepted gives the safety rules."""

from __future__ import annotations

from tremplin.interventions import service

from .conftest import account_of
from .test_notifications import rendered

RULES = "Chaussures fermées obligatoires ; ne pas franchir les lignes jaunes de l’atelier."


def test_the_acceptance_email_of_a_company_visit_gives_the_safety_rules(network):
    welder = network.ambassador("Soudeuse", intervention_types=("company_visit",))
    educator = network.educator(school=network.school("Lycée Condorcet"))
    request = network.request(
        educator,
        welder,
        intervention_type="company_visit",
        accompanying_adults=2,
        duration_minutes=120,
        group_size=15,
    )
    network.run(
        service.accept,
        account_of(network, welder),
        request.id,
        {"rules_allow": True, "safety_rules": RULES},
    )
    [(_subject, body)] = rendered(network, educator.email)
    assert "les règles internes de l’entreprise permettent cette visite" in body
    assert RULES in body


def test_the_acceptance_email_of_a_class_talk_has_no_safety_rules(network):
    baker = network.ambassador("Boulanger")
    educator = network.educator()
    request = network.request(educator, baker)
    network.run(service.accept, account_of(network, baker), request.id, {})
    [(_subject, body)] = rendered(network, educator.email)
    assert "sécurité" not in body
