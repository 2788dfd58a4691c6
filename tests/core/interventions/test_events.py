"""Events gather several ambassadors on time slots; each invitation is a request."""

from __future__ import annotations

import pytest

from tremplin.errors import Conflict, Invalid
from tremplin.interventions import events, service
from tremplin.interventions.models import Event, Status
from tremplin.testing import in_days, local


def forum(network, organiser, school, places=1):
    start = in_days(15, hour=8)
    return network.run(
        events.create_event,
        organiser,
        {
            "title": "Forum des métiers de l’industrie",
            "intervention_type": "forum",
            "mode": "on_site",
            "organisation": school.id,
            "place": "Gymnase",
            "audience_level": "college_3",
            "expected_public": 120,
            "slots": [
                {
                    "starts_at": local(start),
                    "ends_at": local(in_days(15, hour=10)),
                    "places": places,
                },
                {"starts_at": local(in_days(15, hour=10)), "ends_at": local(in_days(15, hour=12))},
            ],
        },
    )


def test_an_event_gathers_invited_ambassadors_up_to_the_places_of_a_slot(network):
    school = network.school(name="Lycée des métiers")
    educator = network.educator(school=school)
    event = forum(network, educator, school, places=1)
    first_slot = network.run(lambda: events.slots_of(Event.get_by_id(event.id))[0])
    welder = network.ambassador("Soudeuse", intervention_types=("forum",))
    baker = network.ambassador("Boulanger", intervention_types=("forum",))
    invitations = [
        network.run(
            events.invite, educator, event.id, {"slot": first_slot.id, "ambassador": who.id}
        )
        for who in (welder, baker)
    ]
    assert {invitation.event_slot_id for invitation in invitations} == {first_slot.id}

    network.run(service.accept, network.account_of(welder), invitations[0].id, {})
    with pytest.raises(Conflict):
        network.run(service.accept, network.account_of(baker), invitations[1].id, {})

    [slot, _second] = network.run(lambda: events.slots_of(Event.get_by_id(event.id)))
    assert [(p.id, p.detail) for p in slot.ambassadors] == [
        (welder.id, Status.SCHEDULED),
        (baker.id, Status.REQUESTED),
    ]
    assert "Lastname" not in " ".join(p.name for p in slot.ambassadors)


def test_an_event_slot_longer_than_its_type_allows_is_refused(network):
    school = network.school(name="Lycée des métiers")
    educator = network.educator(school=school)
    with pytest.raises(Invalid) as refused:
        network.run(
            events.create_event,
            educator,
            {
                "title": "Webinaire",
                "intervention_type": "webinar",
                "mode": "remote",
                "organisation": school.id,
                "audience_level": "lycee_general",
                "slots": [
                    {"starts_at": local(in_days(5, hour=8)), "ends_at": local(in_days(5, hour=14))}
                ],
            },
        )
    assert "slots" in refused.value.errors
    assert network.run(Event.select().count) == 0


def test_cancelling_an_event_cancels_its_open_invitations(network):
    school = network.school(name="Lycée des métiers")
    educator = network.educator(school=school)
    event = forum(network, educator, school, places=2)
    slot = network.run(lambda: events.slots_of(Event.get_by_id(event.id))[0])
    ambassador = network.ambassador(intervention_types=("forum",))
    invitation = network.run(
        events.invite, educator, event.id, {"slot": slot.id, "ambassador": ambassador.id}
    )

    network.run(events.cancel_event, educator, event.id, {"reason": "Gymnase indisponible."})

    assert network.get(invitation.id).status == Status.CANCELLED
    assert network.run(lambda: Event.get_by_id(event.id).cancelled_at) is not None
    with pytest.raises(Conflict):
        network.run(
            events.invite, educator, event.id, {"slot": slot.id, "ambassador": ambassador.id}
        )


def test_only_the_host_and_its_referents_organise_an_event(network):
    school = network.school(name="Lycée des métiers")
    stranger = network.educator()
    with pytest.raises(Invalid) as refused:
        forum(network, stranger, school)
    assert "organisation" in refused.value.errors
    assert forum(network, network.referent("59"), school).id
