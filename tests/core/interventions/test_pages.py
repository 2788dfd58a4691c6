"""The pages of interventions and events, used through their HTML forms."""

from __future__ import annotations

import datetime
import re

from tremplin.clock import travel
from tremplin.interventions import times
from tremplin.interventions.models import (
    Event,
    EventSlot,
    Feedback,
    Intervention,
    Reach,
    Side,
    Slot,
    Status,
)
from tremplin.testing import client_of, csrf_token_from, in_days, post_form, sign_in

PHONE = "06 12 34 56 78"


def typed(app, moment: datetime.datetime) -> str:
    """A stored (UTC) ``moment`` as typed in a ``datetime-local`` field (the region's time)."""
    with app.app_context():
        return times.to_local(moment).strftime("%Y-%m-%dT%H:%M")


def submit(client, page: str, action: str, data: dict):
    """Post ``data`` to the form of ``page`` whose action is ``action``."""
    return client.post(action, data={**data, "csrf_token": csrf_token_from(client, page)})


def request_form(network, school, **changes) -> dict:
    """The fields of the request form, filled for a class talk of 25 pupils of 3e."""
    return {
        "ambassador": "",
        "organisation": str(school.id),
        "intervention_type": "class_talk",
        "mode": "on_site",
        "audience_level": "college_3",
        "group_size": "25",
        "accompanying_adults": "",
        "duration_minutes": "45",
        "topic": "Soudure",
        "message": "Une classe de 3e curieuse.",
        "slots": [typed(network.app, in_days(10)), typed(network.app, in_days(12)), ""],
        **changes,
    }


def created_id(response) -> int:
    assert response.status_code == 302, response.text
    return int(re.search(r"/interventions/(\d+)$", response.headers["Location"]).group(1))


def test_an_educator_requests_the_ambassador_accepts_it_is_scheduled_reported_and_reviewed(
    app, network
):
    ambassador = network.ambassador("Soudeuse", first_name="Camille", last_name="Durand")
    school = network.school("Collège Jean Macé")
    educator = network.educator(school)
    teacher = client_of(app, educator)
    form_page = f"/interventions/demander?ambassadeur={ambassador.id}"
    assert "Camille D." in teacher.get(form_page).text

    response = post_form(
        teacher, form_page, request_form(network, school, ambassador=str(ambassador.id))
    )

    intervention_id = created_id(response)
    detail = f"/interventions/{intervention_id}"
    assert network.get(intervention_id).ambassador_id == ambassador.id

    volunteer = client_of(app, ambassador)
    answer_form = volunteer.get(detail).text
    assert "Accepter la demande" in answer_form
    assert "Accepter fixe cette date : l’intervention est planifiée" in answer_form
    second = network.run(
        lambda: Slot.select().where(Slot.intervention == intervention_id).order_by(Slot.starts_at)
    )[1]
    response = submit(volunteer, detail, f"{detail}/accepter", {"slot": str(second.id)})
    assert response.status_code == 302
    accepted = network.get(intervention_id)
    assert (accepted.status, accepted.starts_at) == (Status.SCHEDULED, in_days(12))
    assert "la date est fixée" in volunteer.get(detail).text  # the flash message

    # Nothing to fix: the school may still move the date they agree on (prefilled).
    page = teacher.get(detail).text
    assert "Fixer la date" not in page
    assert "Modifier la date" in page
    assert f'value="{typed(app, in_days(12))}"' in page
    response = submit(
        teacher,
        detail,
        f"{detail}/planifier",
        {"starts_at": typed(app, in_days(11)), "duration_minutes": "45"},
    )
    assert response.status_code == 302
    moved = network.get(intervention_id)
    assert (moved.status, moved.starts_at) == (Status.SCHEDULED, in_days(11))

    with travel(datetime.timedelta(days=13)):
        response = submit(
            teacher,
            detail,
            f"{detail}/compte-rendu",
            {"reach_college_3": "22", "reach_college_4": "3", "rating": "5", "comment": "Top"},
        )
        assert response.status_code == 302
        response = submit(
            volunteer, detail, f"{detail}/avis", {"rating": "4", "comment": "Classe attentive"}
        )
        assert response.status_code == 302
        page = teacher.get(detail).text

    done = network.get(intervention_id)
    assert (done.status, done.pupils_reached) == (Status.COMPLETED, 25)
    reach = network.run(lambda: {row.audience_level: row.pupils for row in Reach.select()})
    assert reach == {"college_3": 22, "college_4": 3}
    marks = network.run(lambda: {row.side: row.rating for row in Feedback.select()})
    assert marks == {Side.SCHOOL: 5, Side.AMBASSADOR: 4}
    assert "Classe attentive" in page


def test_a_class_talk_of_an_hour_is_shown_again_with_what_was_typed_and_why(app, network):
    school = network.school("Collège Jean Macé")
    teacher = client_of(app, network.educator(school))

    response = post_form(
        teacher,
        "/interventions/demander",
        request_form(network, school, duration_minutes="60", topic="Chaudronnerie"),
    )

    assert response.status_code == 422
    page = response.text
    assert 'id="error-duration_minutes"' in page
    assert "45" in re.search(r'id="error-duration_minutes">([^<]*)<', page).group(1)
    assert 'name="duration_minutes" value="60"' in page
    assert 'value="Chaudronnerie"' in page
    assert f'value="{typed(app, in_days(10))}"' in page
    assert network.run(Intervention.select().count) == 0


def test_a_referent_sees_a_routed_request_waiting_and_gives_it_to_the_first_suggestion(
    app, network
):
    network.ambassador("Boulanger", first_name="Dominique")
    welder = network.ambassador("Soudeuse", first_name="Camille")
    educator = network.educator()
    routed = network.request(educator, None, topic="soudeuse")
    referent = client_of(app, network.referent("59"))

    agenda = referent.get("/interventions").text
    waiting = agenda.split("En attente d’une mise en relation")[1].split("</section>")[0]
    assert f"/interventions/{routed.id}" in waiting

    detail = f"/interventions/{routed.id}"
    page = referent.get(detail).text
    assert "Pourquoi ce profil" in page
    first = re.search(r'name="ambassador" value="(\d+)"', page).group(1)
    assert first == str(welder.id)  # the occupation asked for comes first
    response = submit(referent, detail, f"{detail}/attribuer", {"ambassador": first})

    assert response.status_code == 302
    assert network.get(routed.id).ambassador_id == welder.id


def test_an_educator_of_another_school_does_not_find_the_intervention(app, network):
    ambassador = network.ambassador()
    request = network.request(network.educator(), ambassador)
    stranger = client_of(app, network.educator())

    assert stranger.get(f"/interventions/{request.id}").status_code == 404
    response = stranger.post(
        f"/interventions/{request.id}/annuler",
        data={
            "reason": "Pour voir",
            "confirm": "yes",
            "csrf_token": csrf_token_from(stranger, "/interventions/demander"),
        },
    )
    assert response.status_code == 404
    assert network.get(request.id).status == Status.REQUESTED


def test_no_page_shows_the_ambassador_s_email_or_phone(app, network):
    email = "camille.durand@example.org"
    ambassador = network.ambassador("Soudeuse", email=email, phone=PHONE)
    educator = network.educator()
    request = network.request(educator, ambassador)
    routed = network.request(educator, None, topic="Soudure")
    teacher = client_of(app, educator)
    referent = client_of(app, network.referent("59"))

    pages = [
        teacher.get(f"/interventions/demander?ambassadeur={ambassador.id}"),
        teacher.get(f"/interventions/{request.id}"),
        teacher.get("/interventions"),
        referent.get("/interventions"),
        referent.get(f"/interventions/{request.id}"),
        referent.get(f"/interventions/{routed.id}"),
    ]

    assert all(page.status_code == 200 for page in pages)
    assert "Camille" in pages[1].text  # the public name is shown
    for page in pages:
        assert email not in page.text
        assert PHONE not in page.text
        assert PHONE.replace(" ", "") not in page.text


def test_cancelling_an_intervention_asks_for_a_confirmation(app, network):
    request = network.request(network.educator(), network.ambassador())
    educator = network.run(lambda: request.requested_by)
    teacher = client_of(app, educator)
    page = f"/interventions/{request.id}/annuler"
    assert page in teacher.get(f"/interventions/{request.id}").text

    unconfirmed = post_form(teacher, page, {"reason": "La classe part en voyage."})

    assert unconfirmed.status_code == 422
    assert 'id="error-confirm"' in unconfirmed.text
    assert "La classe part en voyage." in unconfirmed.text
    assert network.get(request.id).status == Status.REQUESTED

    confirmed = post_form(teacher, page, {"reason": "La classe part en voyage.", "confirm": "yes"})

    assert confirmed.status_code == 302
    cancelled = network.get(request.id)
    assert (cancelled.status, cancelled.cancel_reason) == (
        Status.CANCELLED,
        "La classe part en voyage.",
    )


def test_an_ambassador_declines_with_another_date_and_the_school_asks_again_on_it(app, network):
    ambassador = network.ambassador()
    educator = network.educator()
    request = network.request(educator, ambassador)
    detail = f"/interventions/{request.id}"
    volunteer = client_of(app, ambassador)

    response = submit(
        volunteer,
        detail,
        f"{detail}/refuser",
        {
            "reason": "dates",
            "message": "Pas ces jours-là.",
            "slots": typed(app, in_days(20)),
            "confirm": "yes",
        },
    )

    assert response.status_code == 302
    assert network.get(request.id).status == Status.DECLINED
    teacher = client_of(app, educator)
    page = teacher.get(detail).text
    assert "Je ne suis pas disponible à ces dates" in page
    assert "Pas ces jours-là." in page
    offered = network.run(
        lambda: Slot.get(Slot.intervention == request.id, Slot.proposed_by == Side.AMBASSADOR)
    )
    response = submit(teacher, detail, f"{detail}/redemander", {"slot": str(offered.id)})
    renewed = network.get(created_id(response))
    assert (renewed.status, renewed.ambassador_id, renewed.starts_at) == (
        Status.REQUESTED,
        ambassador.id,
        in_days(20),
    )


def test_an_event_is_created_through_the_form_and_an_ambassador_is_invited_to_a_slot(app, network):
    ambassador = network.ambassador(
        "Soudeuse", first_name="Camille", intervention_types=("forum", "class_talk")
    )
    school = network.school("Lycée Jean Bart")
    organiser = client_of(app, network.educator(school))
    start = in_days(15, hour=8)

    response = post_form(
        organiser,
        "/evenements/nouveau",
        {
            "title": "Forum des métiers de l’industrie",
            "intervention_type": "forum",
            "mode": "on_site",
            "organisation": str(school.id),
            "place": "Gymnase",
            "description": "Des stands par filière.",
            "audience_level": "lycee_pro",
            "expected_public": "300",
            "slot_starts_at_1": typed(app, start),
            "slot_ends_at_1": typed(app, start + datetime.timedelta(hours=2)),
            "slot_label_1": "Stand soudure",
            "slot_places_1": "2",
            "slot_starts_at_2": typed(app, start + datetime.timedelta(hours=3)),
            "slot_ends_at_2": typed(app, start + datetime.timedelta(hours=5)),
        },
    )

    assert response.status_code == 302
    event = network.run(Event.get)
    page_url = f"/evenements/{event.id}"
    assert response.headers["Location"].endswith(page_url)
    slots = network.run(
        lambda: list(EventSlot.select().where(EventSlot.event == event.id).order_by(EventSlot.id))
    )
    assert [(slot.label, slot.places) for slot in slots] == [("Stand soudure", 2), ("", 1)]
    assert event.title in organiser.get("/evenements").text

    response = submit(
        organiser,
        page_url,
        f"{page_url}/inviter",
        {"slot": str(slots[0].id), "ambassador": str(ambassador.id)},
    )

    assert response.status_code == 302
    invitation = network.run(Intervention.get)
    assert (invitation.event_slot_id, invitation.ambassador_id) == (slots[0].id, ambassador.id)
    stand = organiser.get(page_url).text.split("Stand soudure")[1]
    assert "Camille" in stand
    assert "Demandée" in stand
    volunteer_agenda = client_of(app, ambassador).get("/interventions").text
    assert f"/interventions/{invitation.id}" in volunteer_agenda


def test_a_time_slot_row_with_a_missing_end_is_pointed_at_and_kept(app, network):
    school = network.school("Lycée Jean Bart")
    organiser = client_of(app, network.educator(school))
    start = typed(app, in_days(15, hour=8))

    response = post_form(
        organiser,
        "/evenements/nouveau",
        {
            "title": "Forum des métiers",
            "intervention_type": "forum",
            "mode": "on_site",
            "organisation": str(school.id),
            "slot_starts_at_2": start,
            "slot_label_2": "Stand santé",
        },
    )

    assert response.status_code == 422
    assert 'id="error-slot_ends_at_2"' in response.text
    assert f'name="slot_starts_at_2" value="{start}"' in response.text
    assert network.run(Event.select().count) == 0


def test_an_educator_s_requests_are_shown_twenty_per_page(app, network):
    educator = network.educator()
    for _ in range(21):
        network.request(educator, None)
    teacher = client_of(app, educator)

    first = teacher.get("/interventions").text
    second = teacher.get("/interventions?page=2").text

    assert "Page 1 sur 2" in first
    assert "/interventions?page=2" in first
    assert first.count('<th scope="row">') == 20
    assert second.count('<th scope="row">') == 1


def test_an_educator_s_menu_leads_to_their_interventions_the_request_form_and_events(app, network):
    menu = client_of(app, network.educator()).get("/").text

    assert '<a href="/interventions">Mes interventions</a>' in menu
    assert '<a href="/interventions/demander">Demander une intervention</a>' in menu
    assert '<a href="/evenements">Événements</a>' in menu


def test_an_educator_finds_the_request_link_on_the_directory_and_the_profile(network, client):
    ambassador = network.ambassador("Soudeuse")
    link = f"/interventions/demander?ambassadeur={ambassador.id}"
    sign_in(client, network.educator())
    assert link in client.get("/ambassadeurs?q=soudeuse").text
    assert link in client.get(f"/ambassadeurs/{ambassador.id}").text


def test_a_referent_sees_no_request_link_on_a_profile(network, client):
    ambassador = network.ambassador("Soudeuse")
    sign_in(client, network.referent("59"))
    page = client.get(f"/ambassadeurs/{ambassador.id}")
    assert page.status_code == 200
    assert "/interventions/demander" not in page.text
