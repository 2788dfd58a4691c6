"""Messages and notifications in the GDPR hooks: access, erasure, retention, the register."""

from __future__ import annotations

import datetime

from tremplin.auth import service as accounts
from tremplin.clock import now, travel
from tremplin.interventions import service as workflow
from tremplin.messaging import contacts, service
from tremplin.messaging import privacy as messaging_privacy
from tremplin.messaging.models import ContactShare, Message, Notification
from tremplin.privacy import service as privacy
from tremplin.runtime import hooks
from tremplin.testing import client_of, in_days

from .conftest import account_of

SECTIONS = ("Messages écrits", "Notifications", "Coordonnées partagées")


def a_conversation(network):
    """A request, two messages, the ambassador's email shared; returns who and what."""
    volunteer = network.ambassador("Soudeuse", first_name="Camille", phone="06 12 34 56 78")
    educator = network.educator(school=network.school("Collège Jean Macé"))
    request = network.request(educator, volunteer, slots=[in_days(10)])
    ambassador = account_of(network, volunteer)
    network.run(service.post_message, educator, request.id, {"body": "Bonjour Camille."})
    network.run(service.post_message, ambassador, request.id, {"body": "Bonjour ! À jeudi."})
    network.run(contacts.share_contacts, ambassador, request.id, {"email": True})
    return ambassador, educator, request


def test_hook_personal_data_gives_the_person_s_messages_notifications_and_shares(network):
    ambassador, _educator, request = a_conversation(network)

    answers = network.run(lambda: hooks().personal_data(person=ambassador))

    [data] = [answer for answer in answers if answer and "Messages écrits" in answer]
    assert [row["body"] for row in data["Messages écrits"]] == ["Bonjour ! À jeudi."]
    assert [(row["kind"], row["intervention"]) for row in data["Notifications"]] == [
        ("requested", request.id),
        ("message", request.id),
    ]
    assert [
        (row["intervention"], row["email"], row["phone"]) for row in data["Coordonnées partagées"]
    ] == [(request.id, True, False)]


def test_hook_personal_data_answers_nothing_for_someone_without_messages(network):
    stranger = network.educator()

    answers = network.run(lambda: hooks().personal_data(person=stranger))

    assert not any(answer and set(answer) & set(SECTIONS) for answer in answers)


def test_hook_erase_personal_data_empties_messages_and_forgets_notifications_and_shares(
    app, network
):
    ambassador, educator, request = a_conversation(network)

    network.run(accounts.erase_account, ambassador)

    with network.app.app_context():
        assert Notification.select().where(Notification.account == ambassador.id).count() == 0
        assert ContactShare.select().count() == 0
        erased = Message.get(Message.author == ambassador.id)
        assert (erased.body, erased.erased_at is not None) == ("", True)
        kept = Message.get(Message.author == educator.id)
        assert kept.body == "Bonjour Camille."
    page = client_of(app, educator).get(f"/interventions/{request.id}/messages").text
    assert "Ce message a été effacé à la demande de son auteur." in page
    assert "Bonjour ! À jeudi." not in page
    assert "Un ancien participant" in page
    assert "Camille" not in page.replace("Bonjour Camille.", "")


def test_hook_purge_expired_deletes_messages_a_year_after_the_intervention(network):
    _ambassador, educator, _request = a_conversation(network)  # in 10 days
    later = network.request(educator, None, slots=[in_days(300)])
    network.run(service.post_message, educator, later.id, {"body": "Encore à venir."})
    in_a_year_and_ten_days = now().replace(tzinfo=datetime.UTC) + datetime.timedelta(days=376)

    network.run(privacy.purge, in_a_year_and_ten_days)

    with network.app.app_context():
        assert [message.body for message in Message.select()] == ["Encore à venir."]
        assert ContactShare.select().count() == 0


def test_hook_purge_expired_deletes_read_notifications_after_six_months(network):
    ambassador, _educator, _request = a_conversation(network)
    with network.app.app_context():
        old_read, old_unread = list(
            Notification.select().where(Notification.account == ambassador.id)
        )
        Notification.update(read_at=now()).where(Notification.id == old_read.id).execute()
        with travel(datetime.timedelta(days=150)):
            fresh = Notification.create(account=ambassador.id, kind="scheduled", read_at=now())

    in_200_days = now().replace(tzinfo=datetime.UTC) + datetime.timedelta(days=200)
    network.run(privacy.purge, in_200_days)

    with network.app.app_context():
        left = [
            row.id for row in Notification.select().where(Notification.account == ambassador.id)
        ]
    assert left == [old_unread.id, fresh.id]


def test_unread_notifications_go_after_a_year(network):
    ambassador, _educator, _request = a_conversation(network)

    counts = network.run(messaging_privacy.purge, now() + datetime.timedelta(days=366))

    # The ambassador's (the request, the message) and the educator's (the message, the share).
    assert counts["notifications"] == 4
    with network.app.app_context():
        assert Notification.select().where(Notification.account == ambassador.id).count() == 0


def test_hook_processing_activities_declares_messages_and_notifications(client):
    rows = client.get("/api/v1/privacy/processing-activities").json
    [row] = [row for row in rows if row["name"] == "Messages et notifications"]
    assert "un an après la date de l’intervention" in row["retention"]
    assert "Messages et notifications" in client.get("/donnees-personnelles").text


def test_a_cancelled_intervention_keeps_its_thread_for_its_sides(app, network):
    _ambassador, educator, request = a_conversation(network)
    network.run(workflow.cancel, educator, request.id, {"reason": "Changement d'emploi du temps."})

    page = client_of(app, educator).get(f"/interventions/{request.id}/messages").text

    assert "Bonjour ! À jeudi." in page
