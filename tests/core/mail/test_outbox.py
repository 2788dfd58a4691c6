"""The outbox: emails are written with the transaction that causes them, sent afterwards,
never twice, never lost."""

import json

import pytest

from tremplin.auth import service as accounts
from tremplin.auth import tokens
from tremplin.auth.models import AccountStatus
from tremplin.db import database
from tremplin.mail import delivery
from tremplin.mail import service as mail
from tremplin.mail.models import OutboxMessage
from tremplin.testing import csrf_token_from


def test_an_email_queued_by_a_request_is_sent_once_the_response_is_ready(app, client):
    with app.app_context():
        accounts.create_account(
            "lea.martin@example.org", "Léa", "Martin", status=AccountStatus.ACTIVE
        )
    outbox = app.extensions["mailman"].outbox = []
    token = csrf_token_from(client, "/mot-de-passe-oublie")
    client.post(
        "/mot-de-passe-oublie", data={"email": "lea.martin@example.org", "csrf_token": token}
    )
    assert [email.to for email in outbox] == [["lea.martin@example.org"]]
    with app.app_context():
        message = OutboxMessage.get()
        assert message.sent_at is not None
        assert message.attempts == 1


def test_a_request_sends_only_what_it_queued(app, client):
    with app.app_context():
        mail.queue("ancien@example.org", "auth/email/password_changed", first_name="Ancien")
    outbox = app.extensions["mailman"].outbox = []
    client.get("/")  # queues nothing: the waiting message is the command line's business
    assert outbox == []
    with app.app_context():
        assert delivery.deliver_pending() == (1, 0)
    assert [email.to for email in outbox] == [["ancien@example.org"]]


def test_a_transaction_rolled_back_sends_nothing(app):
    with app.app_context():
        try:
            with database.atomic():
                mail.queue("lea@example.org", "auth/email/password_changed", first_name="Léa")
                raise RuntimeError("the rest of the work failed")
        except RuntimeError:
            pass
        assert delivery.deliver_messages(mail.pending_among(mail.take_queued())) == (0, 0)
        assert not OutboxMessage.select().exists()


def test_a_message_another_sender_is_sending_is_left_to_it(app):
    outbox = app.extensions["mailman"].outbox = []
    with app.app_context():
        message = mail.queue("lea@example.org", "auth/email/password_changed", first_name="Léa")
        assert mail.claim(message.id, seconds=300)  # another worker took it
        assert delivery.deliver_pending() == (0, 0)
        assert outbox == []


def test_emails_are_rendered_in_the_recipient_s_language(app):
    outbox = app.extensions["mailman"].outbox = []
    with app.app_context():
        mail.queue("sam@example.org", "auth/email/password_changed", locale="en", first_name="Sam")
        mail.queue("lea@example.org", "auth/email/password_changed", locale="fr", first_name="Léa")
        delivery.deliver_pending()
    assert [email.subject for email in outbox] == [
        "Your password has been changed",
        "Votre mot de passe a été modifié",
    ]


def test_a_message_that_cannot_be_rendered_stays_queued_with_the_reason(app, run_cli):
    with app.app_context():
        mail.queue("lea@example.org", "nowhere/missing")
    result = run_cli(app, "mail", "deliver")
    assert result.output.strip() == "0 courriel(s) envoyé(s), 1 encore en attente."
    with app.app_context():
        message = OutboxMessage.get()
        assert message.sent_at is None
        assert message.attempts == 1
        assert "TemplateNotFound" in message.last_error


@pytest.mark.parametrize("returning", [True, False], ids=["insert-returning", "one-by-one"])
def test_queue_many_writes_the_messages_one_queue_call_per_email_writes(
    app, monkeypatch, returning
):
    monkeypatch.setattr(mail, "_returning", lambda: returning)
    invitation = {
        "filename": "invitation.ics",
        "content": "BEGIN:VCALENDAR",
        "mimetype": "text/calendar",
    }
    emails = [
        mail.Email(
            "lea@example.org",
            "auth/email/activate",
            locale="fr",
            context={"first_name": "Léa", "token": "jeton-1"},
        ),
        mail.Email("sam@example.org", "auth/email/password_changed", "en", {"first_name": "Sam"}),
        mail.Email("noe@example.org", "calendars/email/invitation", attachments=[invitation]),
    ]

    def described(message):
        return {
            field.name: getattr(message, field.name)
            for field in OutboxMessage._meta.sorted_fields
            if field.name not in {"id", "created_at"}
        }

    with app.app_context():
        singles = [
            mail.queue(
                email.recipient, email.template, email.locale, email.attachments, **email.context
            )
            for email in emails
        ]
        assert mail.take_queued() == tuple(message.id for message in singles)

        ids = mail.queue_many(emails)

        assert mail.take_queued() == tuple(ids)
        assert mail.queue_many([]) == []
        stored = {message.id: message for message in OutboxMessage.select()}
    assert len(stored) == 6
    assert [described(stored[message_id]) for message_id in ids] == [
        described(stored[message.id]) for message in singles
    ]
    assert all(stored[message_id].created_at is not None for message_id in ids)
    assert described(stored[ids[0]])["context"] == '{"first_name": "L\\u00e9a", "token": "jeton-1"}'


def test_activation_emails_sent_in_bulk_are_those_sent_one_by_one(app):
    with app.app_context():
        lea = accounts.create_account("lea@example.org", "Léa", "Martin")
        sam = accounts.create_account("sam@example.org", "Sam", "Smith", locale="en")
        one_by_one = [accounts.send_activation(account) for account in (lea, sam)]
        in_bulk = accounts.send_activations([lea, sam])
        messages = list(OutboxMessage.select().order_by(OutboxMessage.id))
        for token in one_by_one + in_bulk:  # every link opens its account
            assert accounts.account_for_link(tokens.Purpose.ACTIVATION, token)
    assert [(m.recipient, m.template, m.locale) for m in messages[2:]] == [
        (m.recipient, m.template, m.locale) for m in messages[:2]
    ]
    assert [json.loads(m.context) for m in messages[2:]] == [
        {"first_name": "Léa", "token": in_bulk[0]},
        {"first_name": "Sam", "token": in_bulk[1]},
    ]
    assert [sorted(json.loads(m.context)) for m in messages[:2]] == [["first_name", "token"]] * 2


def test_sent_emails_are_purged_after_thirty_days_and_waiting_ones_stay(app, clock, run_cli):
    with app.app_context():
        mail.queue("lea@example.org", "auth/email/password_changed", first_name="Léa")
        assert delivery.deliver_pending() == (1, 0)
        mail.queue("ancien@example.org", "auth/email/password_changed", first_name="Ancien")
    clock.advance(days=29)
    assert run_cli(app, "purge").exit_code == 0
    with app.app_context():
        assert OutboxMessage.select().count() == 2
    clock.advance(days=2)
    result = run_cli(app, "purge")
    assert result.exit_code == 0
    assert "courriels envoyés 1" in result.output
    with app.app_context():
        assert [m.recipient for m in OutboxMessage.select()] == ["ancien@example.org"]
