"""The zone is a promise: an ambassador is asked to come on site only where they said
they would go; remotely, from anywhere. The directory shows first those whose zone covers
the school, and can be widened."""

from __future__ import annotations

import pytest

from tremplin.errors import Invalid
from tremplin.interventions.models import Status

from .conftest import sign_in


def test_an_on_site_request_outside_the_ambassador_s_zone_is_refused_saying_so(network):
    educator = network.educator()  # a school in Lille Est (Nord)
    far = network.ambassador("Soudeuse", zones=("62",), modes=("on_site", "remote"))

    with pytest.raises(Invalid) as refused:
        network.request(educator, far, mode="on_site")
    [message] = refused.value.errors["ambassador"]
    assert "zone" in message
    assert "remote" in message or "distance" in message

    remote = network.request(educator, far, mode="remote")
    assert remote.status == Status.REQUESTED


def test_an_on_site_request_inside_the_zone_or_within_reach_is_accepted(network):
    school = network.school(name="Lycée de Lille", latitude=50.63, longitude=3.06)
    educator = network.educator(school)
    # Lille Est is inside the Nord: a zone covers everything inside it.
    assert network.request(educator, network.ambassador(zones=("59",))).status == "requested"
    # Dunkirk is about 65 km from Lille.
    reach = {"home_territory": "bef-59-dunkerque", "zones": ("62",)}
    within_reach = network.ambassador("Boulangère", max_distance_km=100, **reach)
    out_of_reach = network.ambassador("Boulanger", max_distance_km=20, **reach)
    assert network.request(educator, within_reach).status == "requested"
    with pytest.raises(Invalid):
        network.request(educator, out_of_reach)


def test_the_api_refuses_it_with_a_field_message(app, network):
    educator = network.educator()
    far = network.ambassador(zones=("62",))
    client = sign_in(app.test_client(), educator)
    client.environ_base["HTTP_X_CSRFTOKEN"] = _token(client)
    school_id = network.run(lambda: educator.grants[0].organisation_id)
    answer = client.post(
        "/api/v1/interventions/",
        json={
            "ambassador": far.id,
            "organisation": school_id,
            "intervention_type": "class_talk",
            "mode": "on_site",
            "audience_level": "college_3",
            "group_size": 25,
            "duration_minutes": 45,
            "slots": ["2026-04-02T10:00:00+02:00"],
        },
    )
    assert answer.status_code == 422
    assert "zone" in str(answer.json)


def _token(client) -> str:
    from .conftest import csrf_token

    return csrf_token(client, "/mon-compte")


def test_a_teacher_s_directory_shows_the_ambassadors_of_the_zone_first_and_can_widen(app, network):
    educator = network.educator()
    near = network.ambassador("Soudeuse", first_name="Proche", zones=("59",))
    far = network.ambassador(
        "Soudeur", first_name="Lointain", zones=("62",), modes=("on_site", "remote")
    )
    client = sign_in(app.test_client(), educator)

    page = client.get("/ambassadeurs").text
    assert "Proche" in page
    assert "Lointain" not in page
    assert "widen=true" in page

    school_id = network.run(lambda: educator.grants[0].organisation_id)
    wide = client.get(f"/ambassadeurs?organisation={school_id}&widen=true").text
    assert wide.index("Proche") < wide.index("Lointain")

    items = client.get(f"/api/v1/ambassadors/?organisation={school_id}&widen=true").json
    assert [(item["id"], item["in_zone"]) for item in items] == [(near.id, True), (far.id, False)]


def test_a_search_for_remote_interventions_is_not_limited_to_the_zone(app, network):
    educator = network.educator()
    far = network.ambassador("Soudeur", zones=("62",), modes=("on_site", "remote"))
    client = sign_in(app.test_client(), educator)
    school_id = network.run(lambda: educator.grants[0].organisation_id)
    on_site = client.get(f"/api/v1/ambassadors/?organisation={school_id}&mode=on_site").json
    remote = client.get(f"/api/v1/ambassadors/?organisation={school_id}&mode=remote").json
    assert far.id not in [item["id"] for item in on_site]
    assert [(item["id"], item["in_zone"]) for item in remote] == [(far.id, False)]
