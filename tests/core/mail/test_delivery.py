"""Emails leave through the task queue: a request or a command hands them over, the worker
sends them, and the periodic delivery catches whatever a lost task left behind."""

from __future__ import annotations

import datetime

import pytest

from tremplin.app import create_app, runtime_of
from tremplin.auth import service as accounts
from tremplin.auth.models import AccountStatus
from tremplin.clock import travel
from tremplin.mail import service as mail
from tremplin.mail.models import OutboxMessage
from tremplin.testing import csrf_token_from, minimal_region, upgrade


@pytest.fixture
def worker_app(tmp_path, tremplin_database_url):
    """An app whose queue keeps tasks for ``tremplin worker``, as in production."""
    folder = minimal_region(tmp_path / "region")
    app = create_app(
        str(folder), overrides={"database_url": tremplin_database_url, "secret_key": "k"}
    )
    upgrade(app)
    app.extensions["mailman"].outbox = []
    yield app
    if not runtime_of(app).database.is_closed():
        runtime_of(app).database.close()


def forget_password(app, email):
    client = app.test_client()
    token = csrf_token_from(client, "/mot-de-passe-oublie")
    client.post("/mot-de-passe-oublie", data={"email": email, "csrf_token": token})


def test_a_request_hands_its_email_to_the_worker_instead_of_sending_it(worker_app, run_cli):
    with worker_app.app_context():
        accounts.create_account("lea@example.org", "Léa", "Martin", status=AccountStatus.ACTIVE)
    forget_password(worker_app, "lea@example.org")
    outbox = worker_app.extensions["mailman"].outbox
    assert outbox == []  # the response did not wait for the mail server
    assert runtime_of(worker_app).queue.pending_count() == 1

    assert run_cli(worker_app, "worker", "--burst").exit_code == 0
    assert [email.to for email in outbox] == [["lea@example.org"]]
    with worker_app.app_context():
        assert OutboxMessage.get().status == "sent"


def test_an_email_whose_task_was_lost_is_sent_by_the_periodic_delivery(worker_app, run_cli):
    with worker_app.app_context():
        mail.queue("lea@example.org", "auth/email/password_changed", first_name="Léa")
        mail.dispatch_queued()
    runtime_of(worker_app).queue.flush()  # the queue lost its task (a Redis flushed...)

    assert run_cli(worker_app, "worker", "--burst").exit_code == 0  # mail.deliver_due
    assert [email.to for email in worker_app.extensions["mailman"].outbox] == [["lea@example.org"]]


def test_mail_status_tells_when_emails_wait_longer_than_they_should(app, run_cli):
    with app.app_context():
        mail.queue("lea@example.org", "auth/email/password_changed", first_name="Léa")
        mail.take_queued()  # queued, never handed to a worker: as if none ran
    with travel(datetime.timedelta(minutes=20)):
        result = run_cli(app, "mail", "status", "--check")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "En attente : 1 (dont 0 en attente d’une nouvelle tentative), en échec : 0, envoyés : 0.",
        "Le plus ancien courriel à envoyer attend depuis 20 minutes.",
    ]
    assert run_cli(app, "mail", "status", "--check", "--max-wait", "30").exit_code == 0


def test_an_attachment_is_a_filename_a_text_and_a_type(app):
    with app.app_context(), pytest.raises(ValueError, match="an attachment has exactly"):
        mail.queue(
            "lea@example.org",
            "auth/email/password_changed",
            attachments=[{"filename": "invitation.ics", "content": b"BEGIN:VCALENDAR"}],
        )
