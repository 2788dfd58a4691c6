"""Leaving closes what is open: an ambassador whose account is deleted or suspended no
longer leaves schools waiting for an intervention that will not happen."""

from __future__ import annotations

import datetime
import types

import pytest

from tremplin import hookimpl
from tremplin.auth import service as accounts
from tremplin.auth.models import Account, AccountStatus
from tremplin.clock import travel
from tremplin.interventions import events, service
from tremplin.interventions.models import Event, Intervention, Status
from tremplin.mail.models import OutboxMessage
from tremplin.messaging.models import Notification
from tremplin.people.models import Ambassador

from .conftest import PASSWORD, csrf_token, in_days, sign_in
from .test_events import forum


@pytest.fixture(autouse=True)
def mid_month(clock):
    """The requests these tests make fall in one month whatever the run's moment: a mid-month
    morning keeps them within the ambassador's monthly capacity."""
    clock.pin(datetime.datetime(2026, 3, 10, 9, 0))


def account_of(network, ambassador) -> Account:
    return network.run(lambda: Ambassador.get_by_id(ambassador.id).account)


def busy_ambassador(network):
    """An ambassador with a request waiting, one scheduled, an event place taken and one
    done; the school's educator who asked for all of them."""
    school = network.school(name="Collège Jean Macé")
    educator = network.educator(school)
    ambassador = network.ambassador(intervention_types=("class_talk", "forum"))
    me = account_of(network, ambassador)
    done = network.request(educator, ambassador, slots=[in_days(2)])
    network.run(service.accept, me, done.id, {})  # scheduled
    with travel(datetime.timedelta(days=3)):
        network.run(service.complete, educator, done.id, {"reach": {"college_3": 20}})
    waiting = network.request(educator, ambassador, slots=[in_days(20)])
    scheduled = network.request(educator, ambassador, slots=[in_days(25)])
    network.run(service.accept, me, scheduled.id, {})
    event = forum(network, educator, school, places=1)
    slot = network.run(lambda: events.slots_of(Event.get_by_id(event.id))[0])
    place = network.run(
        events.invite, educator, event.id, {"slot": slot.id, "ambassador": ambassador.id}
    )
    network.run(service.accept, me, place.id, {})
    return types.SimpleNamespace(
        ambassador=ambassador,
        account=me,
        educator=educator,
        done=done,
        open=[waiting, scheduled, place],
        slot=slot,
        event=event,
    )


def told(network, account, intervention) -> bool:
    return network.run(
        lambda: (
            Notification.select()
            .where(
                Notification.account == account.id,
                Notification.intervention == intervention.id,
                Notification.kind == "cancelled",
            )
            .exists()
        )
    )


def test_deleting_an_ambassador_account_cancels_what_is_open_and_tells_the_school(app, network):
    busy = busy_ambassador(network)
    client = sign_in(app.test_client(), busy.account)
    response = client.post(
        "/mon-compte/supprimer",
        data={"password": PASSWORD, "csrf_token": csrf_token(client, "/mon-compte/supprimer")},
    )
    assert response.status_code == 302

    for intervention in busy.open:
        after = network.get(intervention.id)
        assert after.status == Status.CANCELLED
        assert "deleted" in after.cancel_reason or "supprim" in after.cancel_reason
        assert told(network, busy.educator, intervention)
    assert network.get(busy.done.id).status == Status.COMPLETED
    emails = network.run(
        lambda: [
            m.template
            for m in OutboxMessage.select().where(OutboxMessage.recipient == busy.educator.email)
        ]
    )
    assert emails  # the requests were emailed to the school (cancellations, invitations)
    # The place at the event is free again for another ambassador.
    other = network.ambassador("Boulanger", intervention_types=("forum",))
    again = network.run(
        events.invite, busy.educator, busy.event.id, {"slot": busy.slot.id, "ambassador": other.id}
    )
    network.run(service.accept, account_of(network, other), again.id, {})


class FailingErasure:
    """A plugin whose erasure fails: the deletion must leave everything as it was."""

    @hookimpl
    def erase_personal_data(self, person):
        raise RuntimeError("disk full")


def test_a_deletion_that_fails_cancels_nothing(make_app, make_network):
    app = make_app(extra_plugins=[FailingErasure()])
    network = make_network(app)
    busy = busy_ambassador(network)
    with pytest.raises(RuntimeError):
        network.run(accounts.erase_account, busy.account)
    for intervention in busy.open:
        assert network.get(intervention.id).status != Status.CANCELLED
    assert network.run(lambda: Account.get_by_id(busy.account.id).status) == AccountStatus.ACTIVE


def test_a_referent_suspending_an_ambassador_cancels_what_is_open(app, network):
    busy = busy_ambassador(network)
    referent = network.referent("59")
    outsider = network.referent("62")
    url = f"/ambassadeurs/{busy.ambassador.id}/suspendre"

    stranger = sign_in(app.test_client(), outsider)
    token = csrf_token(stranger, "/mon-compte")
    assert stranger.post(url, data={"confirm": "yes", "csrf_token": token}).status_code in {
        403,
        404,
    }
    assert network.get(busy.open[0].id).status == Status.REQUESTED

    client = sign_in(app.test_client(), referent)
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, data={"confirm": "yes", "csrf_token": csrf_token(client, url)})
    assert response.status_code == 302

    assert network.run(lambda: Account.get_by_id(busy.account.id).status) == AccountStatus.SUSPENDED
    for intervention in busy.open:
        assert network.get(intervention.id).status == Status.CANCELLED
        assert told(network, busy.educator, intervention)
    assert network.get(busy.done.id).status == Status.COMPLETED


def test_an_educator_who_deletes_their_account_leaves_the_requests_to_the_school(app, network):
    educator = network.educator()
    school = network.run(lambda: educator.grants[0].organisation)
    colleague = network.educator(school)
    ambassador = network.ambassador()
    request = network.request(educator, ambassador)
    network.run(accounts.erase_account, educator)

    assert network.get(request.id).status == Status.REQUESTED
    assert network.run(lambda: Intervention.get_by_id(request.id).organisation_id) == school.id
    client = sign_in(app.test_client(), colleague)
    assert client.get(f"/interventions/{request.id}").status_code == 200
    network.run(service.accept, account_of(network, ambassador), request.id, {})
    assert told_of_acceptance(network, colleague, request)


def told_of_acceptance(network, account, intervention) -> bool:
    return network.run(
        lambda: (
            Notification.select()
            .where(Notification.account == account.id, Notification.intervention == intervention.id)
            .exists()
        )
    )


class Witness:
    """A plugin that notes what ``account_leaving`` gives it, and what it sees then."""

    def __init__(self):
        self.calls = []

    @hookimpl
    def account_leaving(self, person, reason):
        self.calls.append((person.id, reason, Account.get_by_id(person.id).status))


def test_hook_account_leaving_is_called_before_a_deletion_or_a_suspension(make_app, make_network):
    witness = Witness()
    app = make_app(extra_plugins=[witness])
    network = make_network(app)
    leaving, suspended = network.ambassador(), network.ambassador()
    network.run(accounts.erase_account, account_of(network, leaving))
    network.run(accounts.suspend_account, account_of(network, suspended))
    assert witness.calls == [
        (account_of(network, leaving).id, "deleted", AccountStatus.ACTIVE),
        (account_of(network, suspended).id, "suspended", AccountStatus.ACTIVE),
    ]


def test_a_suspension_is_confirmed_first(app, network):
    busy = busy_ambassador(network)
    client = sign_in(app.test_client(), network.referent("59"))
    url = f"/ambassadeurs/{busy.ambassador.id}/suspendre"
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 422
    assert network.run(lambda: Account.get_by_id(busy.account.id).status) == AccountStatus.ACTIVE
    assert network.get(busy.open[0].id).status == Status.REQUESTED
