"""The public agenda of forums, fairs and webinars: open to anyone, no personal data."""

from __future__ import annotations

import datetime

import pytest

from tremplin.clock import travel
from tremplin.interventions import events
from tremplin.interventions.models import Event

from .conftest import in_days, local

SECRET_DESCRIPTION = "Contact : Mme Dupont, 06 11 22 33 44"


def create(network, organiser, school, title, *, mode="on_site", kind="forum", days=15):
    return network.run(
        events.create_event,
        organiser,
        {
            "title": title,
            "intervention_type": kind,
            "mode": mode,
            "organisation": school.id,
            "place": "Gymnase Léo Lagrange" if mode == "on_site" else "",
            "description": SECRET_DESCRIPTION,
            "audience_level": "college_3",
            "expected_public": 100,
            "slots": [{"starts_at": local(in_days(days, 9)), "ends_at": local(in_days(days, 11))}],
        },
    )


@pytest.fixture
def agenda(network):
    """A forum on site and a webinar to come, a cancelled fair, and an invited ambassador."""
    school = network.school(name="Lycée Baudelaire")
    organiser = network.educator(school=school, first_name="Véronique", last_name="Organisatrice")
    forum = create(network, organiser, school, "Forum des métiers de la mer", days=20)
    webinar = create(
        network, organiser, school, "Webinaire du numérique", mode="remote", kind="webinar"
    )
    cancelled = create(network, organiser, school, "Salon annulé", days=25)
    network.run(events.cancel_event, organiser, cancelled.id, {"reason": "Gymnase fermé."})
    guest = network.ambassador(
        "Marin", first_name="Gaspard", last_name="Invité", intervention_types=("forum",)
    )
    slot = network.run(lambda: events.slots_of(Event.get_by_id(forum.id))[0])
    network.run(events.invite, organiser, forum.id, {"slot": slot.id, "ambassador": guest.id})
    return forum, webinar


def test_anyone_reads_the_events_to_come_soonest_first_with_place_or_online(app, agenda):
    page = app.test_client().get("/evenements/agenda?lang=fr")
    assert page.status_code == 200
    text = page.text
    assert text.index("Webinaire du numérique") < text.index("Forum des métiers de la mer")
    assert "Gymnase Léo Lagrange" in text
    assert "En ligne" in text
    assert "Salon annulé" not in text
    assert "2 événements à venir" in text


def test_a_visitor_finds_the_agenda_in_the_menu(app):
    assert 'href="/evenements/agenda"' in app.test_client().get("/").text


def test_the_agenda_speaks_english_too(app, agenda):
    text = app.test_client().get("/evenements/agenda?lang=en").text
    assert "Agenda of forums, fairs and webinars" in text
    assert "Online" in text


def test_no_personal_data_is_on_the_agenda(app, agenda):
    for address in ("/evenements/agenda", "/api/v1/events/agenda"):
        text = app.test_client().get(address).text
        for personal in ("Organisatrice", "Véronique", "Gaspard", "Invité", "Dupont", "06 11"):
            assert personal not in text, f"{personal} on {address}"


def test_an_event_over_leaves_the_agenda(app, agenda):
    with travel(datetime.timedelta(days=21)):
        text = app.test_client().get("/evenements/agenda").text
    assert "Forum des métiers de la mer" not in text
    assert "Webinaire du numérique" not in text


def test_the_agenda_is_paged_by_twenty(app, network):
    school = network.school(name="Collège Rimbaud")
    organiser = network.educator(school=school)
    for number in range(21):
        create(network, organiser, school, f"Forum numéro {number:02d}", days=10 + number)
    client = app.test_client()
    first = client.get("/evenements/agenda").text
    second = client.get("/evenements/agenda?page=2").text
    assert "Forum numéro 19" in first
    assert "Forum numéro 20" not in first
    assert "Forum numéro 20" in second
    assert "Forum numéro 00" not in second


def test_the_api_gives_the_agenda_without_sign_in(app, agenda):
    answer = app.test_client().get("/api/v1/events/agenda")
    assert answer.status_code == 200
    titles = [event["title"] for event in answer.json]
    assert titles == ["Webinaire du numérique", "Forum des métiers de la mer"]
    webinar, forum = answer.json
    assert webinar["online"] is True
    assert webinar["place"] == ""
    assert forum["place"] == "Gymnase Léo Lagrange"
    assert set(forum) == {
        "id",
        "title",
        "intervention_type",
        "online",
        "place",
        "host",
        "town",
        "starts_at",
        "ends_at",
    }
