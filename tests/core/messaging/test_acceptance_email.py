"""The email telling a school its request was accepted (calendars' email, whose invitation
gives the date it fixed): a company visit's safety rules, the region's preparation kit."""

from __future__ import annotations

from tremplin.interventions import service
from tremplin.testing import minimal_region

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
    [(_subject, body)] = rendered(network, educator.email, "calendars/")
    assert "les règles internes de l’entreprise permettent cette visite" in body
    assert RULES in body


def test_the_acceptance_email_of_a_class_talk_has_no_safety_rules(network):
    baker = network.ambassador("Boulanger")
    educator = network.educator()
    request = network.request(educator, baker)
    network.run(service.accept, account_of(network, baker), request.id, {})
    [(_subject, body)] = rendered(network, educator.email, "calendars/")
    assert "sécurité" not in body
    assert "/preparer-une-intervention" not in body  # the region wrote no kit


def test_the_acceptance_email_leads_to_the_region_s_preparation_kit(
    make_app, make_network, tmp_path
):
    folder = minimal_region(tmp_path / "region")
    (folder / "texts").mkdir()
    (folder / "texts" / "preparation.fr.md").write_text("## Questions", encoding="utf-8")
    network = make_network(make_app(region=folder))
    baker = network.ambassador("Boulanger")
    educator = network.educator()
    request = network.request(educator, baker)
    network.run(service.accept, account_of(network, baker), request.id, {})
    [(_subject, body)] = rendered(network, educator.email, "calendars/")
    assert "les questions et les conseils que la région donne à ses ambassadeurs" in body
    assert "/preparer-une-intervention" in body
