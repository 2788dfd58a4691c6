"""Accepting a request on one of its proposed dates fixes that date: one step, one email.

The ambassador chose the date among those the school proposed (or the event's slot): there
is nothing left to agree on, so the intervention is scheduled at once, with what fixing a
date always involved (the plugins' rules, the ambassador's month, the calendar invitation).
"""

from __future__ import annotations

import datetime
import json

import icalendar
import pytest

from tremplin import hookimpl
from tremplin.errors import Conflict, Invalid
from tremplin.interventions import details, due, events, service
from tremplin.interventions.models import Event, Intervention, Slot, Status
from tremplin.mail import delivery
from tremplin.mail.models import OutboxMessage
from tremplin.messaging.models import Notification
from tremplin.testing import in_days, local


def outbox(network, recipient: str) -> list[OutboxMessage]:
    return network.run(
        lambda: list(
            OutboxMessage.select()
            .where(OutboxMessage.recipient == recipient)
            .order_by(OutboxMessage.id)
        )
    )


def test_accepting_on_a_proposed_date_schedules_the_intervention_on_that_date(network):
    ambassador = network.ambassador("Soudeuse")
    educator = network.educator()
    request = network.request(educator, ambassador, slots=[in_days(10), in_days(12)])
    second = network.run(
        lambda: Slot.get(Slot.intervention == request.id, Slot.starts_at == in_days(12))
    )
    me = network.account_of(ambassador)

    accepted = network.run(service.accept, me, request.id, {"slot": second.id})

    stored = network.get(request.id)
    assert accepted.status == stored.status == Status.SCHEDULED
    assert stored.starts_at == in_days(12)
    assert stored.answered_at is not None
    assert stored.scheduled_at == stored.answered_at
    # No second step: no "date to fix" waits for either side.
    assert network.run(due.work_due, educator) == []
    assert network.run(due.work_due, me) == []
    # What is left to either side before the day: change the date, or cancel.
    for viewer in (educator, me):
        actions = network.run(details.actions_for, viewer, stored)
        assert [a for a in actions if a in ("schedule", "cancel")] == ["schedule", "cancel"]
        assert "accept" not in actions


def test_the_teacher_gets_one_email_saying_it_is_accepted_with_the_date_in_an_invitation(
    network,
):
    ambassador = network.ambassador("Soudeuse", first_name="Camille", last_name="Dupont")
    educator = network.educator()
    request = network.request(educator, ambassador, slots=[in_days(10, hour=13)])
    me = network.account_of(ambassador)
    sent_before = len(outbox(network, educator.email))

    network.run(service.accept, me, request.id, {})

    [email] = outbox(network, educator.email)[sent_before:]
    rendered = network.run(delivery.render, email)
    assert rendered.subject.startswith("Camille D. a accepté votre demande")
    assert "La date est fixée" in rendered.body
    assert "par la messagerie" in rendered.body  # how to agree on the details
    [attachment] = json.loads(email.attachments)
    calendar = icalendar.Calendar.from_ical(attachment["content"])
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert event["STATUS"] == "CONFIRMED"
    assert event.start == in_days(10, hour=13).replace(tzinfo=datetime.UTC)
    # The ambassador, who accepted, receives the invitation for their own calendar.
    calendar_emails = [
        email.template
        for email in outbox(network, me.email)
        if email.template.startswith("calendars/")
    ]
    assert calendar_emails == ["calendars/email/invitation"]
    # In the platform, the teacher reads one notification: accepted, and the date fixed.
    kinds = network.run(
        lambda: [
            row.kind
            for row in Notification.select().where(
                Notification.account == educator.id, Notification.intervention == request.id
            )
        ]
    )
    assert kinds == ["accepted"]


class Recorder:
    """A plugin recording the transitions it hears."""

    name = "recorder"

    def __init__(self):
        self.seen = []

    @hookimpl
    def intervention_changed(self, intervention, old_status, new_status):
        self.seen.append((old_status, new_status, intervention.status))


def test_plugins_hear_one_transition_from_requested_to_scheduled(make_app, make_network):
    plugin = Recorder()
    network = make_network(make_app(extra_plugins=[plugin]))
    ambassador = network.ambassador()
    request = network.request(network.educator(), ambassador)
    plugin.seen.clear()

    network.run(service.accept, network.account_of(ambassador), request.id, {})

    assert plugin.seen == [(Status.REQUESTED, Status.SCHEDULED, Status.SCHEDULED)]


class NoFridays:
    """A region's rule: no intervention on Fridays."""

    name = "nofridays"

    @hookimpl
    def validate_intervention(self, intervention):
        if intervention.starts_at.weekday() == 4:
            return {"slots": ["Pas d’intervention le vendredi."]}
        return {}


def test_the_plugins_rules_judge_the_date_chosen_when_accepting(make_app, make_network):
    network = make_network(make_app(extra_plugins=[NoFridays()]))
    ambassador = network.ambassador()
    educator = network.educator()
    monday = next(in_days(day) for day in range(3, 10) if in_days(day).weekday() == 0)
    friday = monday + datetime.timedelta(days=4)
    request = network.request(educator, ambassador, slots=[monday, friday])
    on_friday = network.run(
        lambda: Slot.get(Slot.intervention == request.id, Slot.starts_at == friday)
    )
    me = network.account_of(ambassador)

    with pytest.raises(Invalid) as refused:
        network.run(service.accept, me, request.id, {"slot": on_friday.id})

    assert refused.value.errors == {"slots": ["Pas d’intervention le vendredi."]}
    assert network.get(request.id).status == Status.REQUESTED
    assert network.run(service.accept, me, request.id, {}).status == Status.SCHEDULED


def test_accepting_an_event_s_slot_schedules_it_and_the_last_place_is_kept(network):
    school = network.school(name="Lycée des métiers")
    educator = network.educator(school=school)
    event = network.run(
        events.create_event,
        educator,
        {
            "title": "Forum des métiers",
            "intervention_type": "forum",
            "mode": "on_site",
            "organisation": school.id,
            "audience_level": "college_3",
            "expected_public": 120,
            "slots": [
                {
                    "starts_at": local(in_days(15, hour=8)),
                    "ends_at": local(in_days(15, hour=10)),
                    "places": 1,
                }
            ],
        },
    )
    slot = network.run(lambda: events.slots_of(Event.get_by_id(event.id))[0])
    welder = network.ambassador("Soudeuse", intervention_types=("forum",))
    baker = network.ambassador("Boulanger", intervention_types=("forum",))
    first, second = (
        network.run(events.invite, educator, event.id, {"slot": slot.id, "ambassador": who.id})
        for who in (welder, baker)
    )

    network.run(service.accept, network.account_of(welder), first.id, {})
    with pytest.raises(Conflict):
        network.run(service.accept, network.account_of(baker), second.id, {})

    assert network.get(first.id).status == Status.SCHEDULED
    assert network.get(first.id).starts_at == in_days(15, hour=8)
    assert network.get(second.id).status == Status.REQUESTED


def test_an_intervention_accepted_before_accepting_fixed_the_date_still_gets_its_date(network):
    ambassador = network.ambassador()
    educator = network.educator()
    older = network.intervention(educator, ambassador, status=Status.ACCEPTED, on=in_days(10))
    assert network.get(older.id).status == Status.ACCEPTED
    assert [(item.side, item.work) for item in network.run(due.work_due, educator)] == [
        ("school", due.Work.SCHEDULE)
    ]

    network.run(service.schedule, educator, older.id, {"starts_at": local(in_days(11))})

    fixed = network.get(older.id)
    assert (fixed.status, fixed.starts_at) == (Status.SCHEDULED, in_days(11))
    assert network.run(due.work_due, educator) == []
    assert network.run(Intervention.select().count) == 1
