"""The video meeting link of a remote intervention or webinar reaches its participants only."""

from __future__ import annotations

import pytest

from tremplin.errors import Conflict, Invalid, NotAllowed, NotFound
from tremplin.interventions import details, events, meeting, service
from tremplin.interventions.models import Event, Intervention
from tremplin.people.models import Ambassador

from .conftest import csrf_token, in_days, local, sign_in

LINK = "https://visio.example.org/salle-4521"


def account_of(network, ambassador):
    return network.run(lambda: Ambassador.get_by_id(ambassador.id).account)


@pytest.fixture
def remote(network):
    """A remote class talk of a school, accepted by its ambassador, and its people."""
    school = network.school(name="Collège Verlaine")
    educator = network.educator(school=school)
    ambassador = network.ambassador("Infirmière", modes=("remote",))
    intervention = network.request(educator, ambassador, mode="remote")
    network.run(service.accept, account_of(network, ambassador), intervention.id, {})
    return educator, ambassador, intervention


def link_seen(network, viewer, intervention_id):
    return network.run(lambda: meeting.link_for(viewer, Intervention.get_by_id(intervention_id)))


def test_the_school_gives_the_link_and_every_participant_reads_it(network, remote):
    educator, ambassador, intervention = remote
    network.run(meeting.set_link, educator, intervention.id, {"url": LINK})

    referent = network.referent("59")
    for participant in (educator, account_of(network, ambassador), referent):
        assert link_seen(network, participant, intervention.id) == LINK


def test_no_outsider_reads_the_link(network, remote):
    _educator, ambassador, intervention = remote
    network.run(meeting.set_link, account_of(network, ambassador), intervention.id, {"url": LINK})

    other_school_teacher = network.educator()
    other_ambassador = account_of(network, network.ambassador("Boulanger"))
    referent_elsewhere = network.referent("62")
    for outsider in (None, other_school_teacher, other_ambassador, referent_elsewhere):
        assert link_seen(network, outsider, intervention.id) is None


def test_an_outsider_may_not_set_the_link(network, remote):
    _educator, _ambassador, intervention = remote
    with pytest.raises(NotFound):
        network.run(meeting.set_link, network.educator(), intervention.id, {"url": LINK})
    referent = network.referent("59")
    with pytest.raises(NotAllowed):
        network.run(meeting.set_link, referent, intervention.id, {"url": LINK})


@pytest.mark.parametrize(
    "url",
    ["http://visio.example.org/salle", "visio.example.org/salle", "javascript:alert(1)", ""],
)
def test_only_a_secure_web_address_is_taken(network, remote, url):
    educator, _ambassador, intervention = remote
    with pytest.raises(Invalid) as refused:
        network.run(meeting.set_link, educator, intervention.id, {"url": url})
    assert "url" in refused.value.errors
    assert link_seen(network, educator, intervention.id) is None


def test_a_request_not_yet_accepted_or_on_site_has_no_link(network):
    school = network.school(name="Lycée Watteau")
    educator = network.educator(school=school)
    ambassador = network.ambassador("Pilote", modes=("remote", "on_site"))
    waiting = network.request(educator, ambassador, mode="remote")
    with pytest.raises(Conflict):
        network.run(meeting.set_link, educator, waiting.id, {"url": LINK})
    on_site = network.request(educator, ambassador)
    network.run(service.accept, account_of(network, ambassador), on_site.id, {})
    with pytest.raises(Conflict):
        network.run(meeting.set_link, educator, on_site.id, {"url": LINK})


def test_a_cancelled_intervention_shows_its_link_no_more(network, remote):
    educator, _ambassador, intervention = remote
    network.run(meeting.set_link, educator, intervention.id, {"url": LINK})
    network.run(service.cancel, educator, intervention.id, {"reason": "Classe absente."})
    assert link_seen(network, educator, intervention.id) is None


def test_changing_the_link_keeps_one_the_last(network, remote):
    educator, ambassador, intervention = remote
    network.run(meeting.set_link, educator, intervention.id, {"url": LINK})
    network.run(
        meeting.set_link,
        account_of(network, ambassador),
        intervention.id,
        {"url": "https://visio.example.org/autre"},
    )
    assert link_seen(network, educator, intervention.id) == "https://visio.example.org/autre"


def webinar(network, organiser, school):
    return network.run(
        events.create_event,
        organiser,
        {
            "title": "Webinaire des métiers du soin",
            "intervention_type": "webinar",
            "mode": "remote",
            "organisation": school.id,
            "place": "",
            "audience_level": "lycee_general",
            "expected_public": 200,
            "slots": [{"starts_at": local(in_days(20, 14)), "ends_at": local(in_days(20, 15))}],
        },
    )


def test_a_webinar_s_link_reaches_its_organisers_and_the_ambassadors_who_accepted(network):
    school = network.school(name="Lycée Baggio")
    organiser = network.educator(school=school)
    event = webinar(network, organiser, school)
    slot = network.run(lambda: events.slots_of(Event.get_by_id(event.id))[0])
    nurse = network.ambassador("Infirmier", intervention_types=("webinar",), modes=("remote",))
    invitation = network.run(
        events.invite, organiser, event.id, {"slot": slot.id, "ambassador": nurse.id}
    )
    network.run(meeting.set_event_link, organiser, event.id, {"url": LINK})

    def seen(viewer):
        return network.run(lambda: meeting.event_link_for(viewer, Event.get_by_id(event.id)))

    nurse_account = account_of(network, nurse)
    assert seen(organiser) == LINK
    assert seen(nurse_account) is None  # invited, not yet accepted
    network.run(service.accept, nurse_account, invitation.id, {})
    assert seen(nurse_account) == LINK
    assert link_seen(network, nurse_account, invitation.id) == LINK
    assert seen(network.educator()) is None
    assert seen(account_of(network, network.ambassador("Boulanger"))) is None
    with pytest.raises(NotAllowed):
        network.run(meeting.set_event_link, nurse_account, event.id, {"url": LINK})


def test_the_page_shows_the_form_to_the_school_and_the_link_once_given(app, network, remote):
    educator, _ambassador, intervention = remote
    client = sign_in(app.test_client(), educator)
    page = f"/interventions/{intervention.id}"
    refused = client.post(
        f"{page}/lien-de-reunion",
        data={"url": "http://visio.example.org", "csrf_token": csrf_token(client, page)},
    )
    assert refused.status_code == 422
    assert 'value="http://visio.example.org"' in refused.text
    saved = client.post(
        f"{page}/lien-de-reunion", data={"url": LINK, "csrf_token": csrf_token(client, page)}
    )
    assert saved.status_code == 302
    assert f'href="{LINK}"' in client.get(page).text


def test_the_api_gives_the_link_to_the_ambassador_and_refuses_http(app, network, remote):
    _educator, ambassador, intervention = remote
    client = sign_in(app.test_client(), account_of(network, ambassador))
    token = csrf_token(client, "/mon-compte")
    url = f"/api/v1/interventions/{intervention.id}/meeting-link"
    refused = client.post(url, json={"url": "ftp://x.org"}, headers={"X-CSRFToken": token})
    assert refused.status_code == 422
    assert "url" in refused.json["errors"]["json"]
    answer = client.post(url, json={"url": LINK}, headers={"X-CSRFToken": token})
    assert answer.status_code == 200, answer.text
    assert answer.json["meeting_link"] == LINK
    got = client.get(f"/api/v1/interventions/{intervention.id}")
    assert got.json["meeting_link"] == LINK
    assert (
        network.run(lambda: details.describe(None, Intervention.get_by_id(intervention.id)))[
            "meeting_link"
        ]
        is None
    )
