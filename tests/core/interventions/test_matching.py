"""Routing a request to the referent, ranked and explained suggestions, and the agendas."""

from __future__ import annotations

import datetime

import pytest

from tremplin.clock import travel
from tremplin.errors import NotAllowed, NotFound
from tremplin.interventions import agenda, matching, service
from tremplin.interventions.models import Intervention, Status
from tremplin.organisations.models import Organisation
from tremplin.people.models import Ambassador
from tremplin.testing import in_days


def suggested(network, referent, request, **kwargs):
    intervention = network.get(request.id)
    return network.run(matching.suggestions, referent, intervention, **kwargs)


def test_a_request_without_ambassador_waits_for_the_referent_of_the_schools_territory(network):
    referent = network.referent("59")
    elsewhere = network.referent("62")
    request = network.request(network.educator(), None, topic="soudure")

    waiting = network.run(agenda.waiting_for_match, referent)
    assert [item.id for item in waiting.items] == [request.id]
    assert network.run(agenda.waiting_for_match, elsewhere).items == []


def test_requests_of_priority_schools_come_first_in_the_referents_queue(network):
    referent = network.referent("59")
    ordinary = network.request(network.educator(), None)
    priority_school = network.school(name="Collège REP+ Nord")
    network.run(
        lambda: (
            Organisation.update(rep_plus=True)
            .where(Organisation.id == priority_school.id)
            .execute()
        )
    )
    priority = network.request(network.educator(school=priority_school), None)

    waiting = network.run(agenda.waiting_for_match, referent)

    assert [item.id for item in waiting.items] == [priority.id, ordinary.id]


def test_suggestions_rank_the_occupation_asked_first_and_say_why(network):
    referent = network.referent("59")
    baker = network.ambassador("Boulanger")
    welder = network.ambassador("Soudeuse", sector="Industrie")
    request = network.request(network.educator(), None, topic="Soudure")

    suggestions = suggested(network, referent, request)

    assert [item.profile.id for item in suggestions] == [welder.id, baker.id]
    first = suggestions[0]
    assert any("Soudeuse" in reason for reason in first.reasons)
    assert any("Aucune demande reçue" in reason for reason in first.reasons)
    assert "Métier différent du thème demandé." in suggestions[1].reasons


def test_suggestions_leave_out_ambassadors_whose_month_is_full(network):
    referent = network.referent("59")
    full = network.ambassador("Soudeuse", monthly_capacity=1)
    free = network.ambassador("Soudeur", monthly_capacity=3)
    educator = network.educator()
    taken = network.request(educator, full, slots=[in_days(40, hour=9)])
    network.run(service.accept, network.account_of(full), taken.id, {})
    request = network.request(educator, None, topic="soudure", slots=[in_days(40, hour=14)])

    suggestions = suggested(network, referent, request)

    assert [item.profile.id for item in suggestions] == [free.id]
    assert suggestions[0].capacity_left == 3


def test_the_least_recently_solicited_comes_first_among_equals(network):
    referent = network.referent("59")
    educator = network.educator()
    busy = network.ambassador("Soudeuse")
    network.request(educator, busy)  # solicited just now
    rested = network.ambassador("Soudeur")
    request = network.request(educator, None, topic="soud")

    assert [item.profile.id for item in suggested(network, referent, request)] == [
        rested.id,
        busy.id,
    ]


def test_the_referent_assigns_a_suggestion_and_the_ambassador_gets_the_request(network):
    referent = network.referent("59")
    ambassador = network.ambassador("Soudeuse")
    request = network.request(network.educator(), None, topic="soudure")

    network.run(service.assign, referent, request.id, {"ambassador": ambassador.id})

    assigned = network.get(request.id)
    assert (assigned.ambassador_id, assigned.status) == (ambassador.id, Status.REQUESTED)
    to_answer = network.run(agenda.to_answer, network.account_of(ambassador))
    assert [item.id for item in to_answer.items] == [request.id]
    assert network.run(lambda: Ambassador.get_by_id(ambassador.id).last_solicited_at) is not None
    assert suggested(network, referent, request) == []


def test_only_referents_of_the_territory_see_suggestions_and_assign(network):
    request = network.request(network.educator(), None)
    ambassador = network.ambassador()
    outsider = network.referent("62")
    with pytest.raises(NotAllowed):
        suggested(network, outsider, request)
    with pytest.raises(NotFound):  # the request is not theirs to see
        network.run(service.assign, outsider, request.id, {"ambassador": ambassador.id})
    assert network.get(request.id).ambassador_id is None


def test_the_referent_sees_requests_unanswered_for_more_than_n_days(network):
    referent = network.referent("59")
    ambassador = network.ambassador()
    old = network.request(network.educator(), ambassador, slots=[in_days(30)])
    with travel(datetime.timedelta(days=8)):
        recent = network.request(network.educator(), ambassador, slots=[in_days(30)])
        unanswered = network.run(agenda.unanswered, referent, 7)
    assert [item.id for item in unanswered.items] == [old.id]
    assert recent.id not in [item.id for item in unanswered.items]


def test_the_ambassadors_agenda_splits_requests_upcoming_and_past(network):
    ambassador = network.ambassador(monthly_capacity=10)
    me = network.account_of(ambassador)
    educator = network.educator()
    waiting = network.request(educator, ambassador, slots=[in_days(20)])
    soon = network.request(educator, ambassador, slots=[in_days(3)])
    network.run(service.accept, me, soon.id, {})  # scheduled

    assert [i.id for i in network.run(agenda.to_answer, me).items] == [waiting.id]
    assert [i.id for i in network.run(agenda.upcoming, me).items] == [soon.id]
    assert network.run(agenda.past, me).items == []
    with travel(datetime.timedelta(days=4)):
        assert [i.id for i in network.run(agenda.past, me).items] == [soon.id]
        assert network.run(agenda.upcoming, me).items == []


def test_the_educators_agenda_lists_the_requests_of_their_school_by_state(network):
    educator = network.educator()
    ambassador = network.ambassador()
    mine = network.request(educator, ambassador)
    network.request(network.educator(), ambassador)  # another school's
    page = network.run(agenda.of_schools, educator)
    assert [item.id for item in page.items] == [mine.id]
    assert network.run(agenda.of_schools, educator, Status.ACCEPTED).items == []
    assert network.run(lambda: Intervention.select().count()) == 2
