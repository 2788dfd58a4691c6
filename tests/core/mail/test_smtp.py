"""Emails through a real SMTP server (aiosmtpd on 127.0.0.1): sent, or kept until it answers."""

import socket
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from tremplin.auth import service as accounts
from tremplin.auth.models import AccountStatus
from tremplin.mail.models import OutboxMessage
from tremplin.testing import csrf_token_from


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
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
