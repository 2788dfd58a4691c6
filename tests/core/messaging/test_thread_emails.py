"""Referents choose whether each message of the threads they follow emails them."""

from __future__ import annotations

from tremplin.interventions import service
from tremplin.messaging import service as messaging
from tremplin.testing import csrf_token_from, sign_in

from .conftest import account_of, emails, forget_everything_told, told


def a_thread(network):
    volunteer = network.ambassador()
    educator = network.educator()
    request = network.request(educator, volunteer)
    network.run(service.accept, account_of(network, volunteer), request.id, {})
    forget_everything_told(network)
    return volunteer, educator, request


def choose(app, referent, answer: str):
    client = sign_in(app.test_client(), referent)
    page = client.get("/notifications").text
    assert "Pour chaque message des échanges que vous suivez en tant que référent" in page
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/notifications/courriels", data={"each_message": answer, "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def test_a_referent_is_emailed_for_each_message_unless_they_say_no(app, network):
    volunteer, educator, request = a_thread(network)
    referent = network.referent()
    network.run(messaging.post_message, educator, request.id, {"body": "Bonjour !"})
    assert referent.email in [email.recipient for email in emails(network)]

    client = choose(app, referent, "no")
    forget_everything_told(network)
    network.run(messaging.post_message, educator, request.id, {"body": "Encore un mot."})

    recipients = [email.recipient for email in emails(network)]
    assert referent.email not in recipients
    assert account_of(network, volunteer).email in recipients  # the sides always are
    assert told(network, referent) == [("message", request.id)]  # still told in the platform
    assert 'value="no" checked' in client.get("/notifications").text


def test_a_referent_who_wrote_in_the_thread_is_emailed_whatever_they_chose(app, network):
    _volunteer, educator, request = a_thread(network)
    referent = network.referent()
    choose(app, referent, "no")
    network.run(messaging.post_message, referent, request.id, {"body": "Je suis là."})
    forget_everything_told(network)
    network.run(messaging.post_message, educator, request.id, {"body": "Merci !"})
    assert referent.email in [email.recipient for email in emails(network)]


def test_only_referents_have_the_choice(app, network):
    educator = network.educator()
    client = sign_in(app.test_client(), educator)
    page = client.get("/notifications").text
    assert "Courriels pour les messages" not in page
    token = csrf_token_from(client, "/mon-compte")
    refused = client.post(
        "/notifications/courriels", data={"each_message": "no", "csrf_token": token}
    )
    assert refused.status_code == 403
