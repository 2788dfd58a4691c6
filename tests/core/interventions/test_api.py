"""The interventions and events API: a request's whole life, refusals, matching, events."""

from __future__ import annotations

import datetime

import pytest

from tremplin.auth.models import Role, RoleGrant
from tremplin.clock import now
from tremplin.interventions.models import Intervention
from tremplin.testing import api_client


def next_year() -> int:
    """Next year by the test's clock: December dates of it are ahead, in winter time."""
    return now().year + 1


def school_of(network, educator) -> int:
    return network.run(
        lambda: (
            RoleGrant.get(
                RoleGrant.account == educator.id, RoleGrant.role == Role.EDUCATOR
            ).organisation_id
        )
    )


def class_talk(network, educator, ambassador=None, **fields):
    """The body of a class-talk request for ``educator``'s school."""
    return {
        "ambassador": ambassador.id if ambassador is not None else None,
        "organisation": school_of(network, educator),
        "intervention_type": "class_talk",
        "mode": "on_site",
        "audience_level": "college_3",
        "group_size": 25,
        "duration_minutes": 45,
        "slots": [f"{next_year()}-12-03T10:00:00", f"{next_year()}-12-05T14:00:00"],
        **fields,
    }


def count_interventions(network) -> int:
    return network.run(lambda: Intervention.select().count())


def test_a_request_lives_its_whole_life_through_the_api(app, network):
    ambassador = network.ambassador("Soudeuse")
    educator = network.educator()
    school = api_client(app, educator)
    volunteer = api_client(app, network.account_of(ambassador))

    created = school.post("/api/v1/interventions/", json=class_talk(network, educator, ambassador))
    assert created.status_code == 201, created.json
    request = created.json
    assert request["status"] == "requested"
    assert request["ambassador"]["name"] == "Camille L."
    # Sent without an offset: Paris time; answered with its offset.
    assert [slot["starts_at"] for slot in request["slots"]] == [
        f"{next_year()}-12-03T10:00:00+01:00",
        f"{next_year()}-12-05T14:00:00+01:00",
    ]
    assert request["starts_at"] == f"{next_year()}-12-03T10:00:00+01:00"
    assert request["actions"] == ["cancel"]
    url = f"/api/v1/interventions/{request['id']}"

    mine = volunteer.get("/api/v1/interventions/")
    assert [item["id"] for item in mine.json] == [request["id"]]
    assert mine.json[0]["actions"] == ["accept", "decline"]
    assert '"total": 1' in mine.headers["X-Pagination"]

    second_date = request["slots"][1]["id"]
    accepted = volunteer.post(f"{url}/accept", json={"slot": second_date})
    assert accepted.status_code == 200, accepted.json
    # Accepting on a proposed date fixes it: scheduled at once, the date still movable.
    assert accepted.json["status"] == "scheduled"
    assert accepted.json["starts_at"] == f"{next_year()}-12-05T14:00:00+01:00"
    assert accepted.json["actions"] == ["schedule", "cancel"]

    scheduled = school.post(
        f"{url}/schedule", json={"starts_at": f"{next_year()}-12-06T09:30+01:00"}
    )
    assert scheduled.status_code == 200, scheduled.json
    assert scheduled.json["status"] == "scheduled"
    assert scheduled.json["starts_at"] == f"{next_year()}-12-06T09:30:00+01:00"

    report = {"reach": {"college_3": 24, "college_4": 3}, "rating": 5, "comment": "Très clair."}
    too_early = school.post(f"{url}/complete", json=report)
    assert too_early.status_code == 409

    # The intervention "takes place": its date is moved into the past directly in the
    # database, since the API (rightly) refuses to schedule a date in the past.
    network.run(
        lambda: (
            Intervention.update(starts_at=now() - datetime.timedelta(hours=3))
            .where(Intervention.id == request["id"])
            .execute()
        )
    )
    assert "complete" in school.get(url).json["actions"]
    completed = school.post(f"{url}/complete", json=report)
    assert completed.status_code == 200, completed.json
    assert completed.json["status"] == "completed"
    assert completed.json["reach"] == {"college_3": 24, "college_4": 3}
    assert completed.json["pupils_reached"] == 27
    assert completed.json["feedback"] == [{"side": "school", "rating": 5, "comment": "Très clair."}]

    feedback = volunteer.post(f"{url}/feedback", json={"rating": 4, "comment": "Classe attentive."})
    assert feedback.status_code == 200, feedback.json
    assert feedback.json["feedback"] == [
        {"side": "ambassador", "rating": 4, "comment": "Classe attentive."},
        {"side": "school", "rating": 5, "comment": "Très clair."},
    ]
    assert [item["id"] for item in school.get("/api/v1/interventions/?status=completed").json] == [
        request["id"]
    ]
    assert school.get("/api/v1/interventions/?status=requested").json == []
    assert school.get("/api/v1/interventions/?status=lost").status_code == 422


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"duration_minutes": 60},
            "duration_minutes",
            "Pour ce type d’intervention, la durée est comprise entre 15 et 45 minutes.",
        ),
        (
            {"intervention_type": "company_visit", "duration_minutes": 120},
            "accompanying_adults",
            "Indiquez combien d’adultes accompagnent le groupe : au moins un.",
        ),
        (
            {"slots": [f"{now().year - 1}-03-01T10:00:00"]},
            "slots",
            "Chaque date proposée doit être à venir.",
        ),
        ({"group_size": "many"}, "group_size", None),
        ({"slots": "tomorrow"}, "slots", None),
    ],
)
def test_a_request_breaking_a_rule_is_refused_with_the_field_and_its_message(
    app, network, changes, field, message
):
    educator = network.educator()
    school = api_client(app, educator)
    answer = school.post("/api/v1/interventions/", json=class_talk(network, educator, **changes))
    assert answer.status_code == 422
    errors = answer.json["errors"]["json"]
    assert field in errors
    if message is not None:
        assert errors[field] == [message]
    assert count_interventions(network) == 0


def test_a_body_that_is_not_a_json_object_is_refused_with_a_message(app, network):
    educator = network.educator()
    school = api_client(app, educator)
    for answer in (
        school.post("/api/v1/interventions/", data="type=class_talk", content_type="text/plain"),
        school.post("/api/v1/interventions/", data="{not json", content_type="application/json"),
        school.post("/api/v1/interventions/", json=[1, 2]),
    ):
        assert answer.status_code == 422
        assert answer.json["errors"]["json"] == {
            "_schema": ["Envoyez les informations sous la forme d’un objet JSON."]
        }
    empty = school.post("/api/v1/interventions/")
    assert empty.status_code == 422
    assert "organisation" in empty.json["errors"]["json"]
    assert count_interventions(network) == 0


def test_an_answer_to_a_request_already_answered_is_a_conflict(app, network):
    ambassador = network.ambassador()
    request = network.request(network.educator(), ambassador)
    volunteer = api_client(app, network.account_of(ambassador))
    url = f"/api/v1/interventions/{request.id}"
    assert volunteer.post(f"{url}/accept").status_code == 200
    again = volunteer.post(f"{url}/accept", json={})
    assert again.status_code == 409
    assert again.json["message"]
    assert volunteer.post(f"{url}/decline", json={"reason": "dates"}).status_code == 409


def test_strangers_see_nothing_and_sides_do_only_their_part(app, network):
    ambassador = network.ambassador()
    educator = network.educator()
    request = network.request(educator, ambassador)
    url = f"/api/v1/interventions/{request.id}"

    assert app.test_client().get(url).status_code == 401
    for stranger in (
        network.educator(),
        network.referent("62"),
        network.account_of(network.ambassador("Boulanger")),
    ):
        client = api_client(app, stranger)
        missing = client.get(url)
        assert missing.status_code == 404
        assert missing.json["message"] == "Aucune intervention ne porte ce numéro."
        assert client.post(f"{url}/accept").status_code == 404
        assert client.get("/api/v1/interventions/").json == []
    school = api_client(app, educator)
    assert school.post(f"{url}/accept").status_code == 403  # the ambassador answers
    assert school.get(f"/api/v1/interventions/{10**20}").status_code == 404
    assert network.get(request.id).status == "requested"


def test_a_referent_matches_a_routed_request_with_ranked_explained_suggestions(app, network):
    welder = network.ambassador("Soudeuse")
    network.ambassador("Boulanger")
    educator = network.educator()
    school = api_client(app, educator)
    referent = api_client(app, network.referent("59"))

    created = school.post(
        "/api/v1/interventions/", json=class_talk(network, educator, topic="soudeuse")
    )
    assert created.status_code == 201, created.json
    assert created.json["ambassador"] is None
    url = f"/api/v1/interventions/{created.json['id']}"
    assert referent.get(url).json["actions"] == ["assign", "cancel"]

    assert school.get(f"{url}/suggestions").status_code == 403
    suggested = referent.get(f"{url}/suggestions")
    assert suggested.status_code == 200, suggested.json
    assert [item["occupation"] for item in suggested.json] == ["Soudeuse", "Boulanger"]
    first = suggested.json[0]
    assert first["ambassador"] == welder.id
    assert first["reasons"][0] == "Métier proche du thème demandé : Soudeuse."
    assert first["capacity_left"] >= 1

    assigned = referent.post(f"{url}/assign", json={"ambassador": welder.id})
    assert assigned.status_code == 200, assigned.json
    assert assigned.json["ambassador"]["id"] == welder.id
    assert referent.post(f"{url}/assign", json={"ambassador": welder.id}).status_code == 409
    assert referent.post(f"{url}/assign", json={}).json["errors"]["json"] == {
        "ambassador": ["Choisissez un ambassadeur ou une ambassadrice."]
    }
    volunteer = api_client(app, network.account_of(welder))
    assert volunteer.get(url).json["actions"] == ["accept", "decline"]
    assert referent.get(f"{url}/suggestions").json == []


def test_a_declined_request_is_asked_again_on_a_date_the_ambassador_proposed(app, network):
    ambassador = network.ambassador()
    educator = network.educator()
    request = network.request(educator, ambassador)
    volunteer = api_client(app, network.account_of(ambassador))
    school = api_client(app, educator)
    url = f"/api/v1/interventions/{request.id}"

    declined = volunteer.post(
        f"{url}/decline",
        json={
            "reason": "dates",
            "message": "Plutôt en décembre.",
            "slots": [f"{next_year()}-12-10T11:00"],
        },
    )
    assert declined.status_code == 200, declined.json
    assert declined.json["status"] == "declined"
    proposed = [slot for slot in declined.json["slots"] if slot["proposed_by"] == "ambassador"]
    assert [slot["starts_at"] for slot in proposed] == [f"{next_year()}-12-10T11:00:00+01:00"]
    assert "renew" in school.get(url).json["actions"]

    renewed = school.post(f"{url}/renew", json={"slot": proposed[0]["id"]})
    assert renewed.status_code == 200, renewed.json
    assert renewed.json["id"] == request.id
    assert renewed.json["status"] == "requested"
    assert renewed.json["starts_at"] == f"{next_year()}-12-10T11:00:00+01:00"

    cancelled = school.post(
        f"/api/v1/interventions/{renewed.json['id']}/cancel", json={"reason": "Sortie annulée."}
    )
    assert cancelled.status_code == 200, cancelled.json
    assert cancelled.json["status"] == "cancelled"
    assert cancelled.json["cancel_reason"] == "Sortie annulée."


def test_no_answer_reveals_an_email_a_phone_or_a_last_name(app, network):
    ambassador = network.ambassador(
        "Soudeuse",
        email="camille.secret@example.org",
        last_name="Lefebvre",
        phone="06 11 22 33 44",
        intervention_types=("class_talk", "forum"),
    )
    educator = network.educator(
        email="prof.secret@example.org", first_name="Nadia", last_name="Durand", phone="0699887766"
    )
    referent_account = network.referent("59", email="ref.secret@example.org", last_name="Martel")
    school = api_client(app, educator)
    volunteer = api_client(app, network.account_of(ambassador))
    referent = api_client(app, referent_account)

    addressed = school.post(
        "/api/v1/interventions/", json=class_talk(network, educator, ambassador)
    )
    routed = school.post(
        "/api/v1/interventions/", json=class_talk(network, educator, topic="soudeuse")
    )
    event = school.post("/api/v1/events/", json=forum(network, educator))
    invited = school.post(
        f"/api/v1/events/{event.json['id']}/invitations",
        json={"slot": event.json["slots"][0]["id"], "ambassador": ambassador.id},
    )
    answers = [
        addressed,
        routed,
        event,
        invited,
        volunteer.get(f"/api/v1/interventions/{addressed.json['id']}"),
        volunteer.post(f"/api/v1/interventions/{addressed.json['id']}/accept"),
        volunteer.get("/api/v1/interventions/"),
        referent.get("/api/v1/interventions/"),
        referent.get(f"/api/v1/interventions/{routed.json['id']}/suggestions"),
        referent.post(
            f"/api/v1/interventions/{routed.json['id']}/cancel", json={"reason": "Doublon."}
        ),
        school.get(f"/api/v1/events/{event.json['id']}"),
        volunteer.get("/api/v1/events/"),
    ]
    assert all(answer.status_code in (200, 201) for answer in answers), [
        (answer.status_code, answer.json) for answer in answers
    ]
    assert "Camille L." in addressed.get_data(as_text=True)
    assert "Nadia D." in volunteer.get("/api/v1/interventions/").get_data(as_text=True)
    private = (
        "secret@example.org",
        "Lefebvre",
        "Durand",
        "Martel",
        "06 11 22 33 44",
        "0699887766",
        "phone",
        "email",
    )
    for answer in answers:
        text = answer.get_data(as_text=True)
        assert not [word for word in private if word in text], text


def forum(network, educator, places: int = 1):
    """The body of a forum of ``educator``'s school with one slot of ``places``."""
    return {
        "title": "Forum des métiers",
        "intervention_type": "forum",
        "mode": "on_site",
        "organisation": school_of(network, educator),
        "place": "Gymnase",
        "audience_level": "college_3",
        "expected_public": 120,
        "slots": [
            {
                "starts_at": f"{next_year()}-11-20T09:00",
                "ends_at": f"{next_year()}-11-20T12:00",
                "label": "Stand industrie",
                "places": places,
            }
        ],
    }


def test_an_event_slot_takes_as_many_ambassadors_as_it_has_places(app, network):
    first = network.ambassador("Soudeuse", intervention_types=("forum",))
    second = network.ambassador("Chaudronnier", intervention_types=("forum",))
    educator = network.educator()
    school = api_client(app, educator)

    created = school.post("/api/v1/events/", json=forum(network, educator, places=1))
    assert created.status_code == 201, created.json
    event = created.json
    assert event["starts_at"] == f"{next_year()}-11-20T09:00:00+01:00"
    assert event["ends_at"] == f"{next_year()}-11-20T12:00:00+01:00"
    assert event["cancelled"] is False
    [slot] = event["slots"]
    assert (slot["label"], slot["places"], slot["ambassadors"]) == ("Stand industrie", 1, [])
    assert [item["id"] for item in school.get("/api/v1/events/").json] == [event["id"]]

    invitations = []
    for ambassador in (first, second):
        invited = school.post(
            f"/api/v1/events/{event['id']}/invitations",
            json={"slot": slot["id"], "ambassador": ambassador.id},
        )
        assert invited.status_code == 201, invited.json
        assert invited.json["event"] == event["id"]
        assert invited.json["intervention_type"] == "forum"
        assert invited.json["duration_minutes"] == 180
        invitations.append(invited.json["id"])
    again = school.post(
        f"/api/v1/events/{event['id']}/invitations",
        json={"slot": slot["id"], "ambassador": first.id},
    )
    assert again.status_code == 422
    assert "ambassador" in again.json["errors"]["json"]

    accepted = api_client(app, network.account_of(first)).post(
        f"/api/v1/interventions/{invitations[0]}/accept"
    )
    assert accepted.status_code == 200, accepted.json
    beyond = api_client(app, network.account_of(second)).post(
        f"/api/v1/interventions/{invitations[1]}/accept"
    )
    assert beyond.status_code == 409
    assert beyond.json["message"] == "Toutes les places de ce créneau sont déjà prises."
    assert network.get(invitations[1]).status == "requested"

    shown = school.get(f"/api/v1/events/{event['id']}").json
    assert [(person["id"], person["detail"]) for person in shown["slots"][0]["ambassadors"]] == [
        (first.id, "scheduled"),
        (second.id, "requested"),
    ]

    cancelled = school.post(
        f"/api/v1/events/{event['id']}/cancel", json={"reason": "Gymnase fermé."}
    )
    assert cancelled.status_code == 200, cancelled.json
    assert cancelled.json["cancelled"] is True
    assert network.get(invitations[0]).status == "cancelled"
    assert school.get("/api/v1/events/").json == []


def test_a_bad_event_is_refused_with_field_messages(app, network):
    educator = network.educator()
    school = api_client(app, educator)
    body = forum(network, educator)
    body["slots"][0]["ends_at"] = f"{next_year()}-11-20T08:00"
    answer = school.post("/api/v1/events/", json={**body, "title": ""})
    assert answer.status_code == 422
    assert set(answer.json["errors"]["json"]) >= {"title"}
    later = school.post("/api/v1/events/", json=body)
    assert later.status_code == 422
    assert later.json["errors"]["json"] == {"slots": ["Un créneau doit finir après son début."]}
    assert school.get("/api/v1/events/999").status_code == 404


def test_the_openapi_document_lists_the_interventions_and_events_endpoints(client):
    document = client.get("/api/v1/openapi.json").json
    paths = document["paths"]
    for path in (
        "/api/v1/interventions/",
        "/api/v1/interventions/{intervention_id}",
        "/api/v1/interventions/{intervention_id}/accept",
        "/api/v1/interventions/{intervention_id}/complete",
        "/api/v1/interventions/{intervention_id}/suggestions",
        "/api/v1/events/",
        "/api/v1/events/{event_id}",
        "/api/v1/events/{event_id}/invitations",
    ):
        assert path in paths, path
    create = paths["/api/v1/interventions/"]["post"]
    body = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert "slots" in document["components"]["schemas"][body.rsplit("/", 1)[1]]["properties"]
    assert "201" in create["responses"]
    assert "422" in create["responses"]
    assert "409" in paths["/api/v1/interventions/{intervention_id}/accept"]["post"]["responses"]
