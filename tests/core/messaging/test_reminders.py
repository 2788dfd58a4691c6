"""Reminders, escalation and expiry, run every hour by the task queue: each at its moment,
not before, never twice, in the recipient's language with a link."""

from __future__ import annotations

import datetime
import socket
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from tremplin import i18n
from tremplin.app import runtime_of
from tremplin.auth.models import Account
from tremplin.clock import now, travel
from tremplin.interventions import service
from tremplin.interventions.models import Intervention
from tremplin.mail import delivery
from tremplin.mail.models import OutboxMessage
from tremplin.region import ConfigError
from tremplin.testing import in_days, local

DAY = datetime.timedelta(days=1)
REMINDERS = ("reminder_answer", "escalation", "reminder_day_before", "report_request")


def top_of_the_hour(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def hourly(network, later: datetime.timedelta = datetime.timedelta(0)) -> None:
    """Run, ``later`` than now, what the worker runs on the hour (reminders, then emails)."""
    with travel(later), network.app.app_context():
        runtime_of(network.app).queue.run_due(top_of_the_hour(now()))


def sent(network) -> list[tuple[str, str]]:
    """``(reminder, recipient)`` of each reminder emailed so far, in order."""
    with network.app.app_context():
        rows = OutboxMessage.select().where(OutboxMessage.status == "sent")
        return [
            (row.template.removeprefix("messaging/email/"), row.recipient)
            for row in rows.order_by(OutboxMessage.id)
            if row.template.removeprefix("messaging/email/") in REMINDERS
        ]


def account(network, someone) -> Account:
    with network.app.app_context():
        return Account.get_by_id(getattr(someone, "account_id", None) or someone.id)


def email_of(network, someone) -> str:
    return account(network, someone).email


def scheduled(network, days: int = 10):
    """A class talk in ``days`` days, accepted on that date (which schedules it); with its
    ambassador and educator."""
    ambassador, educator = network.ambassador(), network.educator()
    request = network.request(educator, ambassador, slots=[in_days(days)])
    network.run(service.accept, account(network, ambassador), request.id, {})
    return network.get(request.id), ambassador, educator


# Requests left unanswered


def test_an_unanswered_request_is_reminded_to_its_ambassador_once_after_three_days(network):
    ambassador, educator = network.ambassador(), network.educator()
    network.request(educator, ambassador, slots=[in_days(30)])

    hourly(network, 3 * DAY - datetime.timedelta(hours=1))
    assert sent(network) == []
    hourly(network, 3 * DAY)
    hourly(network, 3 * DAY + datetime.timedelta(hours=1))
    hourly(network, 5 * DAY)
    assert sent(network) == [("reminder_answer", email_of(network, ambassador))]


def test_an_answered_request_is_not_reminded(network):
    ambassador, educator = network.ambassador(), network.educator()
    request = network.request(educator, ambassador, slots=[in_days(30)])
    network.run(service.accept, account(network, ambassador), request.id, {})

    for days in range(1, 8):
        hourly(network, days * DAY)
    assert sent(network) == []


def test_after_seven_days_the_referents_of_the_territory_are_told_once(network):
    ambassador, educator = network.ambassador(), network.educator()
    nord, pas_de_calais = network.referent("59"), network.referent("62")
    request = network.request(educator, ambassador, slots=[in_days(30)])

    hourly(network, 7 * DAY - datetime.timedelta(hours=1))
    assert ("escalation", nord.email) not in sent(network)
    hourly(network, 7 * DAY)
    hourly(network, 8 * DAY)
    assert sent(network) == [
        ("reminder_answer", email_of(network, ambassador)),
        ("escalation", nord.email),
    ]
    assert pas_de_calais.email not in [recipient for _kind, recipient in sent(network)]
    with network.app.app_context():
        row = OutboxMessage.get(OutboxMessage.template == "messaging/email/escalation")
        body = delivery.render(row).body
    assert "Cette demande attend depuis 7 jours et la personne sollicitée n’a pas encore" in body
    assert f"http://127.0.0.1:5000/interventions/{request.id}/messages" in body


def test_a_request_waiting_for_a_match_is_escalated_but_reminded_to_nobody(network):
    educator, referent = network.educator(), network.referent("59")
    request = network.request(educator, None, slots=[in_days(30)])

    for days in range(1, 9):
        hourly(network, days * DAY)
    assert sent(network) == [("escalation", referent.email)]
    with network.app.app_context():
        row = OutboxMessage.get(OutboxMessage.template == "messaging/email/escalation")
        body = delivery.render(row).body
    assert "Aucun ambassadeur n’a été trouvé pour cette demande depuis 7 jours" in body
    assert f"http://127.0.0.1:5000/interventions/{request.id}\n" in body


def test_a_request_nobody_answers_expires_after_fourteen_days(network):
    ambassador, educator = network.ambassador(), network.educator()
    network.referent("59")
    request = network.request(educator, ambassador, slots=[in_days(30)])

    hourly(network, 14 * DAY - datetime.timedelta(hours=1))
    assert network.get(request.id).status == "requested"
    hourly(network, 14 * DAY)
    assert network.get(request.id).status == "expired"
    hourly(network, 15 * DAY)
    # Reminded and escalated in the first run (late, as after a worker's outage), then nothing.
    assert [kind for kind, _recipient in sent(network)] == ["reminder_answer", "escalation"]


def test_a_request_whose_dates_all_passed_expires_at_the_next_hour(network):
    ambassador, educator = network.ambassador(), network.educator()
    request = network.request(educator, ambassador, slots=[in_days(2)])

    hourly(network, network.get(request.id).starts_at - now() + datetime.timedelta(hours=1))
    assert network.get(request.id).status == "expired"
    hourly(network, 3 * DAY)
    assert sent(network) == []  # an expired request is not reminded


def test_the_region_sets_the_delays(make_app, make_network):
    app = make_app(
        settings={
            "messaging": {
                "reminder_after_days": 1,
                "escalate_after_days": 2,
                "expire_after_days": 4,
            }
        }
    )
    network = make_network(app)
    ambassador, educator = network.ambassador(), network.educator()
    referent = network.referent("59")
    request = network.request(educator, ambassador, slots=[in_days(30)])

    hourly(network, 1 * DAY)
    assert sent(network) == [("reminder_answer", email_of(network, ambassador))]
    hourly(network, 2 * DAY)
    assert sent(network)[-1] == ("escalation", referent.email)
    hourly(network, 4 * DAY)
    assert network.get(request.id).status == "expired"


@pytest.mark.parametrize(
    ("settings", "key"),
    [
        ({"reminder_after_days": 7, "escalate_after_days": 7}, "escalate_after_days"),
        ({"expire_after_days": 5}, "expire_after_days"),
        ({"reminder_after_days": 0}, "reminder_after_days"),
        ({"remind_after": 3}, "remind_after"),
    ],
)
def test_delays_that_make_no_sense_stop_start_up(make_app, settings, key):
    with i18n.using_locale("en"), pytest.raises(ConfigError) as raised:
        make_app(settings={"messaging": settings})
    assert raised.value.key == f"plugins.messaging.{key}"


# Scheduled interventions


def test_both_sides_are_reminded_the_day_before_once(network):
    intervention, ambassador, educator = scheduled(network)
    until = intervention.starts_at - now()

    hourly(network, until - datetime.timedelta(hours=25))
    assert sent(network) == []
    hourly(network, until - datetime.timedelta(hours=23))
    hourly(network, until - datetime.timedelta(hours=1))
    assert sent(network) == [
        ("reminder_day_before", email_of(network, ambassador)),
        ("reminder_day_before", educator.email),
    ]


def test_a_new_date_brings_a_new_day_before_reminder(network):
    intervention, _ambassador, educator = scheduled(network)
    until = intervention.starts_at - now()
    hourly(network, until - datetime.timedelta(hours=23))
    with travel(until - datetime.timedelta(hours=22)):
        later = intervention.starts_at + 7 * DAY
        network.run(service.schedule, educator, intervention.id, {"starts_at": local(later)})

    hourly(network, until + 6 * DAY + datetime.timedelta(hours=1))
    assert len(sent(network)) == 4
    hourly(network, until + 6 * DAY + datetime.timedelta(hours=2))
    assert len(sent(network)) == 4


def test_the_school_is_asked_for_the_report_the_day_after(network):
    intervention, _ambassador, educator = scheduled(network)
    after_end = intervention.ends_at - now()

    hourly(network, after_end + datetime.timedelta(hours=23))
    assert ("report_request", educator.email) not in sent(network)
    hourly(network, after_end + DAY + datetime.timedelta(hours=1))
    hourly(network, after_end + 3 * DAY)
    assert sent(network)[-1:] == [("report_request", educator.email)]
    assert [kind for kind, _recipient in sent(network)].count("report_request") == 1


def test_a_reported_intervention_is_not_asked_for_its_report(network):
    intervention, _ambassador, educator = scheduled(network)
    with travel(intervention.ends_at - now() + datetime.timedelta(hours=2)):
        network.run(service.complete, educator, intervention.id, {"reach": {"college_3": 24}})

    hourly(network, intervention.ends_at - now() + 2 * DAY)
    assert "report_request" not in [kind for kind, _recipient in sent(network)]


# The emails


def test_reminders_run_on_the_hour_only(network):
    ambassador, educator = network.ambassador(), network.educator()
    network.request(educator, ambassador, slots=[in_days(30)])
    with travel(4 * DAY), network.app.app_context():
        runtime_of(network.app).queue.run_due(
            top_of_the_hour(now()) + datetime.timedelta(minutes=30)
        )
    assert sent(network) == []


def test_every_reminder_speaks_its_reader_s_language_and_links_to_what_to_do(network):
    ambassador, educator = network.ambassador(), network.educator()
    network.referent("59")
    with network.app.app_context():
        Account.update(locale="en").where(Account.id == ambassador.account_id).execute()
    waiting = network.request(educator, ambassador, slots=[in_days(30)])
    hourly(network, 8 * DAY)  # reminder_answer, escalation
    intervention, _other, _educator = scheduled(network, days=20)
    hourly(network, intervention.starts_at - now() - datetime.timedelta(hours=2))  # day before
    hourly(network, intervention.ends_at - now() + 2 * DAY)  # report_request

    with network.app.app_context():
        rows = {
            row.template.removeprefix("messaging/email/"): row
            for row in OutboxMessage.select().where(OutboxMessage.template.contains("/email/"))
        }
        assert set(REMINDERS) <= set(rows)
        english = rows["reminder_answer"]
        assert english.locale == "en"
        email = delivery.render(english)
        assert email.subject == "Reminder: a request for an intervention waits for your answer"
        assert "has been waiting for your answer for 8 days" in email.body  # hourly at day 8
        assert f"http://127.0.0.1:5000/interventions/{waiting.id}\n" in email.body
        for name in REMINDERS:
            for locale in ("fr", "en"):
                rows[name].locale = locale
                email = delivery.render(rows[name])
                assert email.subject.strip(), name
                assert "http://127.0.0.1:5000/interventions/" in email.body, name
                assert "%(" not in email.body, name
                assert "{{" not in email.body, name
                signature = "L’équipe de" if locale == "fr" else "The team of"
                assert f"{signature} Région de test" in email.body, name


def test_each_reminder_sent_is_recorded_with_the_moment_it_was_about(network):
    ambassador, educator = network.ambassador(), network.educator()
    request = network.request(educator, ambassador, slots=[in_days(30)])
    from tremplin.messaging.reminders import ReminderSent

    hourly(network, 3 * DAY)
    with network.app.app_context():
        [reminder] = ReminderSent.select()
        assert (reminder.intervention_id, reminder.kind) == (request.id, "answer")
        assert reminder.about == Intervention.get_by_id(request.id).assigned_at


# A whole intervention, with the mail server down in the middle


class Inbox:
    """An aiosmtpd handler keeping ``(recipient, subject)`` of each message it receives."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(message["Subject"])))
        self.received += [(recipient, subject) for recipient in envelope.rcpt_tos]
        return "250 Message accepted for delivery"


def test_an_intervention_s_life_sends_every_email_once_despite_an_smtp_outage(
    make_app, make_network, write_region
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = write_region(
        f"""
        [region]
        code = "vie"
        name = "Région de test"
        [mail]
        backend = "smtp"
        host = "127.0.0.1"
        port = {port}
        timeout = 5
        """
    )
    network = make_network(make_app(region=folder))
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        ambassador, educator = network.ambassador(), network.educator()
        request = network.request(educator, ambassador, slots=[in_days(10)])
        hourly(network, datetime.timedelta(hours=1))  # the request's email goes out

        server.stop()  # the mail server breaks down for a few hours
        hourly(network, 3 * DAY)  # the reminder to answer cannot leave
        with travel(3 * DAY + datetime.timedelta(hours=1)):
            network.run(service.accept, account(network, ambassador), request.id, {})
        hourly(network, 3 * DAY + datetime.timedelta(hours=2))
        with network.app.app_context():
            waiting = OutboxMessage.select().where(OutboxMessage.status == "pending").count()
        assert waiting >= 2  # the reminder and the news of the acceptance, at least

        server = Controller(inbox, hostname="127.0.0.1", port=port)
        server.start()  # back: the next runs send what waited
        hourly(network, 3 * DAY + datetime.timedelta(hours=3))
        until = network.get(request.id).starts_at - now()
        hourly(network, until - datetime.timedelta(hours=20))  # the day before
        with travel(until + datetime.timedelta(hours=2)):
            network.run(service.complete, educator, request.id, {"reach": {"college_3": 25}})
        hourly(network, until + 2 * DAY)
    finally:
        server.stop()

    with network.app.app_context():
        rows = list(OutboxMessage.select().order_by(OutboxMessage.id))
        expected = sorted((row.recipient, delivery.render(row).subject) for row in rows)
    assert {row.status for row in rows} == {"sent"}
    assert sorted(inbox.received) == expected  # each email, exactly once
    templates = [row.template.removeprefix("messaging/email/") for row in rows]
    assert templates.count("reminder_answer") == 1
    assert templates.count("reminder_day_before") == 2
    assert "escalation" not in templates
    assert "report_request" not in templates
