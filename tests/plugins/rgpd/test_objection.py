"""Objection (GDPR art. 21) and restriction (art. 18): no more surveys or communications.

The one survey the network sends is the request for feedback in the thanks for an
intervention that took place; a person who objected, or whose processing is restricted,
still gets the thanks, without the request, until the officer lifts it.
"""

from __future__ import annotations

import datetime

import pytest

from tremplin.mail.service import COMMUNICATION, SURVEY, may_contact
from tremplin.testing import csrf_token_from, post_form, queued_emails, sign_in


@pytest.fixture
def world(make_app, make_network, run_cli):
    app = make_app(plugins=["rgpd"])
    network = make_network(app)
    officer = network.admin(email="dpo@example.org")
    result = run_cli(app, "rgpd", "officer", "add", "dpo@example.org")
    assert result.exit_code == 0, result.output
    return network, officer


def answered_request(network, officer, person, kind) -> int:
    """``person`` files a request of ``kind`` from their account; the officer answers it."""
    client = sign_in(network.app.test_client(), person)
    response = post_form(client, "/mes-droits", {"kind": kind, "details": ""})
    assert response.status_code == 302, response.text
    request_id = int(response.headers["Location"].rsplit("/", 1)[1])
    officer_does(network, officer, request_id, "start")
    officer_does(network, officer, request_id, "answer", note="C'est fait.")
    return request_id


def officer_does(network, officer, request_id, action, **data):
    client = sign_in(network.app.test_client(), officer)
    token = csrf_token_from(client, f"/mes-droits/{request_id}")
    response = client.post(
        f"/rgpd/demandes/{request_id}/{action}", data={**data, "csrf_token": token}
    )
    assert response.status_code == 302, response.text


def feedback_asked(network, person) -> list[bool]:
    """For each thanks ``person`` was sent, whether it asked for their feedback."""
    return [
        email.context["ask_feedback"]
        for email in queued_emails(network.app, "messaging/email/completed")
        if email.recipient == person.email
    ]


def took_place(network, clock, educator, intervention):
    """The school reports ``intervention`` once it took place."""
    with clock.travel(intervention.starts_at + datetime.timedelta(hours=2) - clock.now()):
        network.complete(educator, intervention)


@pytest.mark.parametrize("kind", ["objection", "restriction"])
def test_the_thanks_ask_no_feedback_of_a_person_who_objected_until_it_is_lifted(world, clock, kind):
    network, officer = world
    educator = network.educator()
    objecting, other = network.ambassador("Soudeuse"), network.ambassador("Infirmier")
    person = network.account_of(objecting)
    booked = [
        network.intervention(educator, someone, "scheduled") for someone in (objecting, other)
    ]
    request_id = answered_request(network, officer, person, kind)

    for intervention in booked:
        took_place(network, clock, educator, intervention)
    assert feedback_asked(network, person) == [False]
    assert feedback_asked(network, network.account_of(other)) == [True]
    assert not network.run(may_contact, person, COMMUNICATION)

    officer_does(network, officer, request_id, "lift", note="Levée à votre demande.")
    network.intervention(educator, objecting, "completed")
    assert feedback_asked(network, person) == [False, True]
    assert network.run(may_contact, person, SURVEY)
