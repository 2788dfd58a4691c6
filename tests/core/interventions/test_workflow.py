"""A request's life through the service: each transition, who may make it, and its guards."""

from __future__ import annotations

import datetime

import pytest

from tremplin import hookimpl
from tremplin.clock import travel
from tremplin.errors import Conflict, Invalid, NotAllowed, NotFound
from tremplin.interventions import service
from tremplin.interventions.models import Feedback, Intervention, Reach, Side, Slot, Status
from tremplin.messaging.models import Notification
from tremplin.people.models import AmbassadorHold
from tremplin.testing import in_days, local


def test_a_request_goes_from_requested_to_completed_with_its_report(network):
    ambassador = network.ambassador("Soudeuse")
    educator = network.educator()
    request = network.request(educator, ambassador, slots=[in_days(10), in_days(12)])
    assert request.status == Status.REQUESTED
    me = network.account_of(ambassador)
    second_slot = network.run(
        lambda: Slot.get(Slot.intervention == request.id, Slot.starts_at == in_days(12))
    )

    network.run(service.accept, me, request.id, {"slot": second_slot.id})
    accepted = network.get(request.id)
    assert (accepted.status, accepted.starts_at) == (Status.SCHEDULED, in_days(12))
    with travel(datetime.timedelta(days=13)):
        network.run(
            service.complete,
            educator,
            request.id,
            {"reach": {"college_3": 24, "college_4": 3}, "rating": 5, "comment": "Très clair."},
        )
        network.run(
            service.give_feedback, me, request.id, {"rating": 4, "comment": "Classe attentive."}
        )

    done = network.get(request.id)
    assert done.status == Status.COMPLETED
    assert done.pupils_reached == 27
    reach = network.run(
        lambda: {
            row.audience_level: row.pupils
            for row in Reach.select().where(Reach.intervention == request.id)
        }
    )
    assert reach == {"college_3": 24, "college_4": 3}
    feedback = network.run(
        lambda: {
            row.side: row.rating
            for row in Feedback.select().where(Feedback.intervention == request.id)
        }
    )
    assert feedback == {Side.SCHOOL: 5, Side.AMBASSADOR: 4}


def test_an_intervention_cannot_be_reported_before_it_takes_place(network):
    ambassador = network.ambassador()
    educator = network.educator()
    request = network.request(educator, ambassador)
    network.run(service.accept, network.account_of(ambassador), request.id, {})  # scheduled
    with pytest.raises(Conflict):
        network.run(service.complete, educator, request.id, {"reach": {"college_3": 20}})
    assert network.get(request.id).status == Status.SCHEDULED


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"duration_minutes": 60}, "duration_minutes"),  # a class talk is one lesson, 45 min
        ({"intervention_type": "company_visit", "duration_minutes": 120}, "accompanying_adults"),
        ({"intervention_type": "webinar", "mode": "on_site"}, "mode"),
        ({"slots": [-1]}, "slots"),  # days from now, read when the test runs
        ({"slots": [3, 4, 5, 6]}, "slots"),
        ({"group_size": 0}, "group_size"),
        ({"audience_level": "kindergarten"}, "audience_level"),
    ],
)
def test_a_request_breaking_a_rule_is_refused_with_the_field_at_fault(network, fields, field):
    ambassador = network.ambassador(
        intervention_types=("class_talk", "company_visit", "webinar"), modes=("on_site", "remote")
    )
    educator = network.educator()
    if "slots" in fields:
        fields = {**fields, "slots": [local(in_days(days)) for days in fields["slots"]]}
    with pytest.raises(Invalid) as refused:
        network.request(educator, ambassador, **fields)
    assert field in refused.value.errors
    assert network.run(Intervention.select().count) == 0


def test_an_ambassador_with_a_hold_cannot_be_requested(network):
    ambassador = network.ambassador()
    network.run(
        AmbassadorHold.create,
        ambassador=ambassador.id,
        source="tremplin.people",
        code="unsigned",
        reason="Charte non acceptée",
    )
    with pytest.raises(Invalid) as refused:
        network.request(network.educator(), ambassador)
    assert "ambassador" in refused.value.errors


def test_a_paused_ambassador_cannot_be_requested(network):
    ambassador = network.ambassador(paused_until=(in_days(30)).date().isoformat())
    with pytest.raises(Invalid) as refused:
        network.request(network.educator(), ambassador)
    assert "ambassador" in refused.value.errors


def test_an_ambassador_is_asked_only_for_the_types_and_modes_they_offer(network):
    ambassador = network.ambassador(intervention_types=("class_talk",), modes=("on_site",))
    educator = network.educator()
    with pytest.raises(Invalid) as refused:
        network.request(educator, ambassador, mode="remote")
    assert "ambassador" in refused.value.errors
    with pytest.raises(Invalid):
        network.request(educator, ambassador, intervention_type="forum", duration_minutes=120)


def test_an_educator_requests_only_for_their_own_school(network):
    ambassador = network.ambassador()
    mine = network.educator()
    other_school = network.school(name="Collège Voisin")
    with pytest.raises(Invalid) as refused:
        network.request(mine, ambassador, organisation=other_school.id)
    assert "organisation" in refused.value.errors


def test_the_monthly_capacity_refuses_an_acceptance_beyond_it(network):
    ambassador = network.ambassador(monthly_capacity=1)
    me = network.account_of(ambassador)
    educator = network.educator()
    first = network.request(educator, ambassador, slots=[in_days(40, hour=9)])
    second = network.request(educator, ambassador, slots=[in_days(40, hour=14)])
    network.run(service.accept, me, first.id, {})

    with pytest.raises(Conflict):
        network.run(service.accept, me, second.id, {})
    assert network.get(second.id).status == Status.REQUESTED
    # The month is full: a new request for it is refused up front.
    with pytest.raises(Invalid) as refused:
        network.request(educator, ambassador, slots=[in_days(40, hour=16)])
    assert "ambassador" in refused.value.errors


def test_a_request_answered_once_cannot_be_answered_again(network):
    ambassador = network.ambassador()
    me = network.account_of(ambassador)
    request = network.request(network.educator(), ambassador)
    network.run(service.accept, me, request.id, {})
    with pytest.raises(Conflict):
        network.run(service.accept, me, request.id, {})
    with pytest.raises(Conflict):
        network.run(service.decline, me, request.id, {"reason": "dates"})
    assert network.get(request.id).status == Status.SCHEDULED


def test_only_the_ambassador_asked_answers_and_strangers_see_nothing(network):
    asked = network.ambassador()
    other = network.ambassador("Boulanger")
    educator = network.educator()
    request = network.request(educator, asked)
    with pytest.raises(NotFound):
        network.run(service.accept, network.account_of(other), request.id, {})
    with pytest.raises(NotAllowed):
        network.run(service.accept, educator, request.id, {})
    stranger = network.educator()
    with pytest.raises(NotFound):
        network.run(service.get_visible, stranger, request.id)


def test_a_colleague_of_the_same_school_follows_the_request(network):
    educator = network.educator()
    school = network.run(
        lambda: network.get(network.request(educator, network.ambassador()).id).organisation
    )
    colleague = network.educator(school=school)
    request = network.run(lambda: Intervention.select().first())
    assert network.run(service.get_visible, colleague, request.id).id == request.id


def test_a_declining_ambassador_says_why_and_the_school_asks_again_on_their_date(network):
    ambassador = network.ambassador()
    me = network.account_of(ambassador)
    educator = network.educator()
    request = network.request(educator, ambassador, slots=[in_days(10)])
    network.run(
        service.decline,
        me,
        request.id,
        {"reason": "dates", "message": "Je suis en déplacement.", "slots": [local(in_days(20))]},
    )
    declined = network.get(request.id)
    assert (declined.status, declined.decline_reason) == (Status.DECLINED, "dates")
    proposed = network.run(
        lambda: Slot.get(Slot.intervention == request.id, Slot.proposed_by == Side.AMBASSADOR)
    )
    assert proposed.starts_at == in_days(20)

    again = network.run(service.renew, educator, request.id, {"slot": proposed.id})

    assert (again.id, again.status, again.ambassador_id, again.starts_at) == (
        request.id,
        Status.REQUESTED,
        ambassador.id,
        in_days(20),
    )
    assert network.run(lambda: Intervention.select().count()) == 1  # one history, not two
    asked = network.run(
        lambda: [
            (row.starts_at, row.proposed_by)
            for row in Slot.select().where(Slot.intervention == request.id)
        ]
    )
    assert asked == [(in_days(20), Side.SCHOOL)]  # the date they offered is now the one asked
    told = network.run(
        lambda: (
            Notification.select()
            .where(Notification.account == me.id, Notification.kind == "requested")
            .count()
        )
    )
    assert told == 2  # the first request, then asked again
    network.run(service.accept, me, request.id, {})
    assert network.get(request.id).status == Status.SCHEDULED


def test_a_decline_needs_a_reason(network):
    ambassador = network.ambassador()
    request = network.request(network.educator(), ambassador)
    with pytest.raises(Invalid) as refused:
        network.run(service.decline, network.account_of(ambassador), request.id, {})
    assert "reason" in refused.value.errors


def test_cancelling_records_who_and_why_and_the_ambassador_cancels_only_what_they_accepted(network):
    ambassador = network.ambassador()
    me = network.account_of(ambassador)
    educator = network.educator()
    request = network.request(educator, ambassador)
    with pytest.raises(Conflict):
        network.run(service.cancel, me, request.id, {"reason": "Je ne peux pas"})
    network.run(service.accept, me, request.id, {})
    with pytest.raises(Invalid):
        network.run(service.cancel, me, request.id, {})

    network.run(service.cancel, me, request.id, {"reason": "Un empêchement au travail."})

    cancelled = network.get(request.id)
    assert cancelled.status == Status.CANCELLED
    assert cancelled.cancelled_by_id == me.id
    assert cancelled.cancel_reason == "Un empêchement au travail."


def test_requests_whose_dates_all_passed_expire(network, run_cli):
    ambassador = network.ambassador()
    educator = network.educator()
    stale = network.request(educator, ambassador, slots=[in_days(2)])
    alive = network.request(educator, ambassador, slots=[in_days(2), in_days(20)])
    with travel(datetime.timedelta(days=5)):
        result = run_cli(network.app, "interventions", "expire")
    assert result.exit_code == 0, result.output
    assert "1 demande expirée" in result.output
    assert network.get(stale.id).status == Status.EXPIRED
    assert network.get(alive.id).status == Status.REQUESTED


class Recorder:
    """A plugin recording transitions, and whether they were committed when it heard them."""

    name = "recorder"

    def __init__(self):
        self.seen = []

    @hookimpl
    def intervention_changed(self, intervention, old_status, new_status):
        from tremplin.runtime import current

        self.seen.append(
            (intervention.id, old_status, new_status, current().database.in_transaction())
        )


def test_hook_intervention_changed_hears_every_transition_after_commit(make_app, make_network):
    plugin = Recorder()
    network = make_network(make_app(extra_plugins=[plugin]))
    ambassador = network.ambassador()
    me = network.account_of(ambassador)
    educator = network.educator()
    request = network.request(educator, ambassador)
    network.run(service.accept, me, request.id, {})
    network.run(service.schedule, educator, request.id, {"starts_at": local(in_days(11))})
    network.run(service.cancel, educator, request.id, {"reason": "La sortie est annulée."})

    assert plugin.seen == [
        (request.id, None, Status.REQUESTED, False),
        (request.id, Status.REQUESTED, Status.SCHEDULED, False),  # accepting fixes the date
        (request.id, Status.SCHEDULED, Status.SCHEDULED, False),  # another date
        (request.id, Status.SCHEDULED, Status.CANCELLED, False),
    ]


class NoFridays:
    """A region's plugin rule: no intervention on Fridays (raises its own field error)."""

    name = "nofridays"

    @hookimpl
    def validate_intervention(self, intervention):
        if intervention.starts_at.weekday() == 4:
            return {"slots": ["Pas d’intervention le vendredi."]}
        return {}


def test_hook_validate_intervention_refuses_a_request_with_the_plugins_field_errors(
    make_app, make_network
):
    network = make_network(make_app(extra_plugins=[NoFridays()]))
    ambassador = network.ambassador()
    educator = network.educator()
    friday = next(in_days(day) for day in range(3, 10) if in_days(day).weekday() == 4)
    with pytest.raises(Invalid) as refused:
        network.request(educator, ambassador, slots=[friday])
    assert refused.value.errors == {"slots": ["Pas d’intervention le vendredi."]}
    assert network.run(Intervention.select().count) == 0
    assert network.request(educator, ambassador, slots=[friday + datetime.timedelta(days=3)])


def test_hook_validate_intervention_also_judges_a_scheduled_intervention_s_new_date(
    make_app, make_network
):
    network = make_network(make_app(extra_plugins=[NoFridays()]))
    ambassador = network.ambassador()
    educator = network.educator()
    monday = next(in_days(day) for day in range(3, 10) if in_days(day).weekday() == 0)
    request = network.request(educator, ambassador, slots=[monday])
    network.run(service.accept, network.account_of(ambassador), request.id, {})
    friday = local(monday + datetime.timedelta(days=4))
    with pytest.raises(Invalid) as refused:
        network.run(service.schedule, educator, request.id, {"starts_at": friday})
    assert refused.value.errors == {"slots": ["Pas d’intervention le vendredi."]}
    assert network.get(request.id).starts_at == monday


def test_an_id_too_big_for_the_database_is_refused_as_invalid(network):
    with pytest.raises(Invalid) as refused:
        network.request(network.educator(), None, organisation=10**20)
    assert "organisation" in refused.value.errors


def test_a_scheduled_intervention_is_given_another_date_before_it_starts(make_app, make_network):
    plugin = Recorder()
    network = make_network(make_app(extra_plugins=[plugin]))
    ambassador = network.ambassador()
    educator = network.educator()
    request = network.request(educator, ambassador, slots=[in_days(10)])
    network.run(service.accept, network.account_of(ambassador), request.id, {})  # scheduled

    network.run(service.schedule, educator, request.id, {"starts_at": local(in_days(11))})

    assert network.get(request.id).starts_at == in_days(11)
    assert plugin.seen[-1][1:3] == (Status.SCHEDULED, Status.SCHEDULED)
    with travel(datetime.timedelta(days=12)), pytest.raises(Conflict):
        network.run(service.schedule, educator, request.id, {"starts_at": local(in_days(20))})


def test_requests_left_unanswered_too_long_expire_whatever_their_dates(network):
    ambassador = network.ambassador()
    educator = network.educator()
    old = network.request(educator, ambassador, slots=[in_days(60)])
    with travel(datetime.timedelta(days=10)):
        recent = network.request(educator, ambassador, slots=[in_days(60)])
        limit = in_days(-5)
        assert network.run(service.expire_unanswered, limit) == 1
    assert network.get(old.id).status == Status.EXPIRED
    assert network.get(recent.id).status == Status.REQUESTED


def test_hook_intervention_changed_hears_a_referent_giving_a_request_to_an_ambassador(
    make_app, make_network
):
    plugin = Recorder()
    network = make_network(make_app(extra_plugins=[plugin]))
    referent = network.referent("59")
    ambassador = network.ambassador()
    request = network.request(network.educator(), None)
    network.run(service.assign, referent, request.id, {"ambassador": ambassador.id})
    assert plugin.seen[-1] == (request.id, Status.REQUESTED, Status.REQUESTED, False)
