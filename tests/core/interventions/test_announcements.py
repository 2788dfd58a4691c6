"""Transitions are announced by the worker: nothing is lost, nothing is told twice, in order."""

from __future__ import annotations

import json

import pytest

from tremplin import create_app, hookimpl
from tremplin.app import runtime_of
from tremplin.i18n import using_locale
from tremplin.interventions import announcements, times
from tremplin.interventions import service as interventions
from tremplin.interventions.models import Announcement
from tremplin.mail.models import OutboxMessage
from tremplin.messaging.models import Notification
from tremplin.testing import in_days, local, minimal_region, queued_emails, upgrade


@pytest.fixture
def make_worker_app(tmp_path, tremplin_database_url):
    """Apps whose queue keeps its tasks for a worker (a SQLite file), as in production."""
    apps = []

    def factory(plugins=()):
        app = create_app(
            str(minimal_region(tmp_path / f"region-{len(apps)}")),
            overrides={"database_url": tremplin_database_url, "secret_key": "k"},
            plugins=plugins,
            config={"TESTING": True},
        )
        upgrade(app)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        if not runtime_of(app).database.is_closed():
            runtime_of(app).database.close()


@pytest.fixture
def worker_app(make_worker_app):
    return make_worker_app()


def cast(network):
    educator = network.educator()
    ambassador = network.ambassador("Soudeuse", zones=["59"])
    return educator, ambassador, network.account_of(ambassador)


def notifications(app) -> list[tuple[int, str]]:
    with app.app_context():
        return [
            (row.account_id, row.kind) for row in Notification.select().order_by(Notification.id)
        ]


def waiting(app) -> list[tuple[str | None, str]]:
    with app.app_context():
        return [
            (row.old_status, row.new_status)
            for row in Announcement.select().order_by(Announcement.id)
        ]


def run_worker(app) -> None:
    """What ``tremplin worker`` does: the tasks waiting and the periodic ones due."""
    with app.app_context():
        runtime_of(app).queue.run_due()


def test_a_request_is_announced_by_the_worker_not_in_the_request(worker_app, make_network):
    network = make_network(worker_app)
    educator, ambassador, ambassador_account = cast(network)

    network.request(educator, ambassador)

    assert waiting(worker_app) == [(None, "requested")]
    assert notifications(worker_app) == []
    assert queued_emails(worker_app, "messaging/") == []
    with worker_app.app_context():
        announcements.dispatch_recorded()  # what the end of the request does
        assert runtime_of(worker_app).queue.pending_count() == 1
    run_worker(worker_app)
    assert waiting(worker_app) == []
    assert notifications(worker_app) == [(ambassador_account.id, "requested")]
    [email] = queued_emails(worker_app, "messaging/")
    assert (email.recipient, email.template) == (
        ambassador_account.email,
        "messaging/email/requested",
    )


def test_a_transition_whose_task_was_lost_is_announced_once_by_the_periodic_task(
    worker_app, make_network
):
    network = make_network(worker_app)
    educator, ambassador, ambassador_account = cast(network)
    network.request(educator, ambassador)
    with worker_app.app_context():
        announcements.take_recorded()  # the process stopped before handing it to the queue

    run_worker(worker_app)
    run_worker(worker_app)

    assert notifications(worker_app) == [(ambassador_account.id, "requested")]
    assert len(queued_emails(worker_app, "messaging/")) == 1


def test_an_announcement_that_fails_is_kept_whole_and_made_later(make_worker_app, make_network):
    failing = {"left": 1}

    class Flaky:
        @hookimpl
        def intervention_announced(self, intervention, old_status, new_status):
            if failing["left"]:
                failing["left"] -= 1
                raise RuntimeError("the template is broken")

    worker_app = make_worker_app(plugins=[Flaky()])
    network = make_network(worker_app)
    educator, ambassador, ambassador_account = cast(network)
    request = network.request(educator, ambassador)
    with worker_app.app_context(), pytest.raises(RuntimeError):
        announcements.announce_pending()

    assert waiting(worker_app) == [(None, "requested")]
    assert notifications(worker_app) == []  # nothing of the messaging area's part is kept
    run_worker(worker_app)
    assert waiting(worker_app) == []
    assert notifications(worker_app) == [(ambassador_account.id, "requested")]
    assert network.get(request.id).status == "requested"


def test_an_announcement_that_keeps_failing_holds_back_only_its_own_intervention(
    make_worker_app, make_network
):
    broken = set()

    class Broken:
        @hookimpl
        def intervention_announced(self, intervention, old_status, new_status):
            if intervention.id in broken:
                raise RuntimeError("the template is broken")

    worker_app = make_worker_app(plugins=[Broken()])
    network = make_network(worker_app)
    educator, ambassador, ambassador_account = cast(network)
    first = network.request(educator, ambassador, slots=[in_days(10)])
    broken.add(first.id)
    network.run(interventions.accept, ambassador_account, first.id, {})
    second = network.request(educator, ambassador, slots=[in_days(12)])

    with worker_app.app_context(), pytest.raises(RuntimeError):
        announcements.announce_pending()

    # The first request's two steps wait, in their order; the second request was told.
    assert waiting(worker_app) == [(None, "requested"), ("requested", "scheduled")]
    assert notifications(worker_app) == [(ambassador_account.id, "requested")]
    broken.clear()
    run_worker(worker_app)
    assert waiting(worker_app) == []
    with worker_app.app_context():
        told = [
            (row.intervention_id, row.kind)
            for row in Notification.select().order_by(Notification.id)
        ]
    assert told == [
        (second.id, "requested"),
        (first.id, "requested"),
        (first.id, "accepted"),
    ]


def test_what_changed_before_the_worker_ran_is_told_in_order_with_the_facts_of_then(
    worker_app, make_network
):
    network = make_network(worker_app)
    educator, ambassador, ambassador_account = cast(network)
    request = network.request(educator, ambassador, slots=[in_days(10)])
    network.run(interventions.accept, ambassador_account, request.id, {})
    moved_to = in_days(20)
    network.run(interventions.schedule, educator, request.id, {"starts_at": local(moved_to)})
    network.cancel(educator, network.get(request.id))

    run_worker(worker_app)

    with worker_app.app_context():
        invitations = [
            (row.template, row.recipient, json.loads(row.context), json.loads(row.attachments))
            for row in OutboxMessage.select()
            .where(OutboxMessage.template.startswith("calendars/"))
            .order_by(OutboxMessage.id)
        ]
        with using_locale("fr"):
            date = times.shown(moved_to)
    # The acceptance carries the date fixed last; no update (that date was sent); then the
    # cancellation, with a higher sequence so that calendars replace the invitation.
    assert [(template, recipient) for template, recipient, *_ in invitations] == [
        ("calendars/email/invitation", ambassador_account.email),
        ("calendars/email/acceptance", educator.email),
        ("calendars/email/cancellation", ambassador_account.email),
        ("calendars/email/cancellation", educator.email),
    ]
    assert [context["date"] for _, _, context, _ in invitations] == [date] * 4
    sequences = [
        next(line for line in files[0]["content"].splitlines() if line.startswith("SEQUENCE"))
        for *_, files in invitations
    ]
    assert sequences == ["SEQUENCE:0", "SEQUENCE:0", "SEQUENCE:1", "SEQUENCE:1"]
    assert waiting(worker_app) == []


def test_hook_intervention_announced_gets_each_transition_after_intervention_changed(
    make_app, make_network
):
    heard = []

    class Listener:
        @hookimpl
        def intervention_changed(self, intervention, old_status, new_status):
            heard.append(("changed", old_status, new_status, intervention.status))

        @hookimpl
        def intervention_announced(self, intervention, old_status, new_status):
            heard.append(("announced", old_status, new_status, intervention.status))

    network = make_network(make_app(extra_plugins=[Listener()]))
    educator, ambassador, ambassador_account = cast(network)
    request = network.request(educator, ambassador)
    network.run(interventions.accept, ambassador_account, request.id, {})

    assert heard == [
        ("changed", None, "requested", "requested"),
        ("announced", None, "requested", "requested"),
        ("changed", "requested", "scheduled", "scheduled"),
        ("announced", "requested", "scheduled", "scheduled"),
    ]
