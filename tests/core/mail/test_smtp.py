"""Emails through a real SMTP server (aiosmtpd on 127.0.0.1): sent, or kept until it answers."""

import datetime
import socket
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from tremplin.app import runtime_of
from tremplin.auth import service as accounts
from tremplin.auth.models import AccountStatus
from tremplin.clock import now, travel
from tremplin.mail import service as mail
from tremplin.mail.models import OutboxMessage
from tremplin.testing import csrf_token_from


class Inbox:
    """An aiosmtpd handler keeping every message it receives, or refusing it with ``answer``."""

    def __init__(self):
        self.messages = []
        self.answer = None  # an SMTP error to answer instead, such as "451 ..."

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.answer:
            return self.answer
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def smtp_server(smtp_port):
    """``start()`` an SMTP server on ``smtp_port``; it is stopped after the test."""
    inbox, controllers = Inbox(), []

    def start() -> Inbox:
        controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def smtp_app(make_app, write_region, smtp_port):
    folder = write_region(
        f"""
        [region]
        code = "smtp"
        name = "Région SMTP"
        [mail]
        backend = "smtp"
        host = "127.0.0.1"
        port = {smtp_port}
        timeout = 5
        """
    )
    app = make_app(region=folder)
    with app.app_context():
        accounts.create_account(
            "lea.martin@example.org", "Léa", "Martin", status=AccountStatus.ACTIVE
        )
    return app


def ask_reset(app):
    client = app.test_client()
    token = csrf_token_from(client, "/mot-de-passe-oublie")
    response = client.post(
        "/mot-de-passe-oublie", data={"email": "lea.martin@example.org", "csrf_token": token}
    )
    assert response.status_code == 200


def subject_of(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_an_email_reaches_a_real_smtp_server(smtp_app, smtp_server):
    inbox = smtp_server()
    ask_reset(smtp_app)
    [(recipients, message)] = inbox.messages
    assert recipients == ["lea.martin@example.org"]
    assert subject_of(message) == "Choisissez un nouveau mot de passe"
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    assert "http://127.0.0.1:5000/mot-de-passe/" in body
    assert "Bonjour Léa," in body


def test_when_the_smtp_server_is_down_the_email_waits_and_is_sent_once_it_is_back(
    smtp_app, smtp_server, run_cli
):
    ask_reset(smtp_app)  # nothing listens on the port yet
    with smtp_app.app_context():
        message = OutboxMessage.get()
        assert message.sent_at is None
        assert message.attempts == 1
        assert message.last_error  # why it failed, for the operator

    inbox = smtp_server()
    result = run_cli(smtp_app, "mail", "deliver")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 courriel(s) envoyé(s), 0 encore en attente."
    assert [recipients for recipients, _message in inbox.messages] == [["lea.martin@example.org"]]
    with smtp_app.app_context():
        message = OutboxMessage.get()
        assert message.sent_at is not None
        assert message.attempts == 2

    again = run_cli(smtp_app, "mail", "deliver")
    assert again.output.strip() == "0 courriel(s) envoyé(s), 0 encore en attente."
    assert len(inbox.messages) == 1  # never twice


# Outages: every email is kept, retried later and later, and sent exactly once.


def queue_emails(app, *names):
    """Queue a password-changed email to each of ``names`` as one command would."""
    with app.app_context():
        for name in names:
            mail.queue(
                f"{name.lower()}@example.org", "auth/email/password_changed", first_name=name
            )
        mail.dispatch_queued()


def outbox_rows(app):
    with app.app_context():
        return list(OutboxMessage.select().order_by(OutboxMessage.id))


def run_periodic_tasks(app):
    """What ``tremplin worker`` does each minute, at the (possibly moved) clock's time."""
    with app.app_context():
        runtime_of(app).queue.run_due()


def minutes(delta: datetime.timedelta) -> int:
    return round(delta.total_seconds() / 60)


def recipients_of(inbox):
    return sorted(recipient for recipients, _message in inbox.messages for recipient in recipients)


def test_an_smtp_outage_loses_no_email_and_sends_none_twice(smtp_app, smtp_server):
    queue_emails(smtp_app, "Ana", "Bob", "Cyd")  # nothing listens on the port yet
    for row in outbox_rows(smtp_app):
        assert (row.status, row.attempts) == ("pending", 1)
        assert minutes(row.next_attempt_at - row.created_at) == 1
        assert "ConnectionRefusedError" in row.last_error

    inbox = smtp_server()
    run_periodic_tasks(smtp_app)  # the server is back, but no retry is due yet
    assert inbox.messages == []

    with travel(datetime.timedelta(minutes=1, seconds=1)):
        run_periodic_tasks(smtp_app)
        run_periodic_tasks(smtp_app)
    with travel(datetime.timedelta(hours=1)):
        run_periodic_tasks(smtp_app)
    assert recipients_of(inbox) == ["ana@example.org", "bob@example.org", "cyd@example.org"]
    assert [(row.status, row.attempts) for row in outbox_rows(smtp_app)] == [("sent", 2)] * 3


def test_a_server_that_refuses_for_a_while_gets_each_email_again_later_and_later(
    smtp_app, smtp_server
):
    inbox = smtp_server()
    inbox.answer = "451 4.3.0 Mailbox busy, try again later"
    queue_emails(smtp_app, "Ana")
    [row] = outbox_rows(smtp_app)
    attempts_at, waits = [row.created_at], []
    for _attempt in range(4):
        waits.append(minutes(row.next_attempt_at - attempts_at[-1]))
        attempts_at.append(row.next_attempt_at + datetime.timedelta(seconds=1))
        with travel(attempts_at[-1] - now()):
            run_periodic_tasks(smtp_app)
        [row] = outbox_rows(smtp_app)
    assert (row.status, row.attempts) == ("pending", 5)
    assert "451" in row.last_error
    assert waits == [1, 5, 30, 120]  # minutes before each next attempt
    assert minutes(row.next_attempt_at - attempts_at[-1]) == 12 * 60

    inbox.answer = None
    with travel(datetime.timedelta(days=1)):
        run_periodic_tasks(smtp_app)
        run_periodic_tasks(smtp_app)
    assert recipients_of(inbox) == ["ana@example.org"]
    assert [(row.status, row.attempts) for row in outbox_rows(smtp_app)] == [("sent", 6)]


def test_after_its_last_attempt_an_email_is_kept_as_failed_until_retried(
    smtp_app, smtp_server, run_cli
):
    queue_emails(smtp_app, "Ana")
    for _attempt in range(6):
        [row] = outbox_rows(smtp_app)
        if row.status == "failed":
            break
        with travel(row.next_attempt_at - now() + datetime.timedelta(seconds=1)):
            run_periodic_tasks(smtp_app)
    [row] = outbox_rows(smtp_app)
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 6, None)

    status = run_cli(smtp_app, "mail", "status", "--check")
    assert status.exit_code == 1
    assert "En attente : 0 (dont 0 en attente d’une nouvelle tentative), en échec : 1, " in (
        status.output
    )
    assert f"#{row.id} " in status.output
    assert "auth/email/password_changed (6)" in status.output

    inbox = smtp_server()
    with travel(datetime.timedelta(days=30)):
        run_periodic_tasks(smtp_app)  # a failed email is not retried by itself
    assert inbox.messages == []
    retried = run_cli(smtp_app, "mail", "retry")
    assert retried.output.strip() == "1 courriel en échec remis dans la file."
    assert recipients_of(inbox) == ["ana@example.org"]
    assert run_cli(smtp_app, "mail", "status", "--check").exit_code == 0


def test_an_attachment_reaches_the_server_with_its_type_and_name(smtp_app, smtp_server):
    inbox = smtp_server()
    calendar = (
        "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nSUMMARY:Intervention à Lille\r\nEND:VCALENDAR\r\n"
    )
    with smtp_app.app_context():
        mail.queue(
            "ana@example.org",
            "auth/email/password_changed",
            first_name="Ana",
            attachments=[
                {
                    "filename": "invitation.ics",
                    "content": calendar,
                    "mimetype": "text/calendar; method=REQUEST; charset=utf-8",
                }
            ],
        )
        mail.dispatch_queued()
    [(_recipients, message)] = inbox.messages
    [body, attachment] = message.get_payload()
    assert "Bonjour Ana," in body.get_payload(decode=True).decode()
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_content_charset() == "utf-8"
    assert attachment.get_filename() == "invitation.ics"
    assert attachment.get_payload(decode=True).decode("utf-8") == calendar


def test_mail_deliver_without_a_server_names_it_in_french_and_fails(smtp_app, run_cli, smtp_port):
    ask_reset(smtp_app)  # nothing listens on the port
    result = run_cli(smtp_app, "mail", "deliver")
    assert result.exit_code == 1
    assert f"Le serveur de courriel 127.0.0.1:{smtp_port} ne répond pas" in result.stderr
    assert "ConnectionRefusedError" in result.stderr
    assert "0 courriel(s) envoyé(s), 1 encore en attente." in result.output
    with smtp_app.app_context():
        assert OutboxMessage.get().attempts == 2  # the attempt is recorded all the same


def test_an_email_is_signed_with_elision_and_identified_by_the_instance_s_host(
    make_app, write_region, smtp_port, smtp_server
):
    folder = write_region(
        f"""
        [region]
        code = "normandie"
        name = "Normandie"
        programme = "Horizons Métiers"
        [web]
        base_url = "http://orientation.normandie.example:8080/"
        [mail]
        host = "127.0.0.1"
        port = {smtp_port}
        """
    )
    app = make_app(region=folder)
    with app.app_context():
        accounts.create_account(
            "lea.martin@example.org", "Léa", "Martin", status=AccountStatus.ACTIVE
        )
    inbox = smtp_server()
    ask_reset(app)
    [(_recipients, message)] = inbox.messages
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    assert "L’équipe d’Horizons Métiers" in body
    assert "L’équipe de Horizons" not in body
    assert message["Message-ID"].endswith("@orientation.normandie.example>")
