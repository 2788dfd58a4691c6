"""Done when: a new ambassador accepts the charter in force while registering, with the
seed's sentence, and is not asked again once the account is active."""

from __future__ import annotations

from tremplin import clock
from tremplin.auth.models import Account
from tremplin.plugins.charter.models import Acceptance
from tremplin.testing import post_form

STEPS = {
    1: {"kind": "professional"},
    2: {"first_name": "Inès", "last_name": "Vasseur", "email": "ines@example.org"},
    3: {"occupation": "Soudeuse"},
    4: {"intervention_types": ["class_talk"], "modes": ["on_site"]},
    5: {"zones": ["59"], "monthly_capacity": "2"},
}
LAST = "/inscription/ambassadeur/etape-5"
SENTENCE_FR = "J’ai pris connaissance des conditions ci-dessus et les accepte"


def up_to_the_last_step(client) -> None:
    for number in range(1, 5):
        response = post_form(
            client, f"/inscription/ambassadeur/etape-{number}", {**STEPS[number], "action": "next"}
        )
        assert response.status_code == 302, response.text


def test_the_last_step_shows_the_charter_in_force_and_the_seed_s_sentence(app, net):
    client = app.test_client()
    up_to_the_last_step(client)
    page = client.get(LAST).text
    assert "Charte des ambassadeurs" in page
    assert "Faire découvrir les métiers aux jeunes." in page
    assert SENTENCE_FR in page
    assert 'type="checkbox" id="field-accept_charter"' in page
    assert 'value="2025-1"' in page


def test_the_sentence_is_in_english_for_an_english_reader(app, net):
    client = app.test_client()
    client.get("/?lang=en")
    up_to_the_last_step(client)
    assert "I have read the conditions above and accept them" in client.get(LAST).text


def test_without_ticking_the_box_the_form_comes_back_with_its_values_and_nothing_is_saved(app, net):
    client = app.test_client()
    up_to_the_last_step(client)
    response = post_form(client, LAST, {**STEPS[5], "monthly_capacity": "4", "action": "next"})
    assert response.status_code == 422
    assert (
        "Pour devenir ambassadeur ou ambassadrice, acceptez « Charte des ambassadeurs »"
        in response.text
    )
    assert 'id="error-accept_charter"' in response.text
    assert 'value="4"' in response.text
    assert net.run(lambda: Account.select().where(Account.email == "ines@example.org").count()) == 0


def test_ticking_the_box_records_the_acceptance_of_the_version_shown(app, net):
    client = app.test_client()
    up_to_the_last_step(client)
    response = post_form(client, LAST, {**STEPS[5], "accept_charter": "2025-1", "action": "next"})
    assert response.status_code == 302, response.text
    account = net.run(lambda: Account.get(Account.email == "ines@example.org"))
    accepted = net.run(
        lambda: [
            row.version.version
            for row in Acceptance.select().where(Acceptance.account == account.id)
        ]
    )
    assert accepted == ["2025-1"]
    ambassador = net.run(lambda: Account.get_by_id(account.id).ambassador.get())
    # Not asked again: only the check of the criminal record is left to do.
    assert net.holds_of(ambassador) == [("charter", "record-check")]


def test_a_version_published_while_registering_must_be_read_first(app, net):
    client = app.test_client()
    up_to_the_last_step(client)
    csrf_page = client.get(LAST).text
    assert 'value="2025-1"' in csrf_page
    net.publish("2026-1", effective_on=clock.today())
    response = post_form(client, LAST, {**STEPS[5], "accept_charter": "2025-1", "action": "next"})
    assert response.status_code == 422
    assert 'value="2026-1"' in response.text
    assert net.run(lambda: Account.select().where(Account.email == "ines@example.org").count()) == 0
