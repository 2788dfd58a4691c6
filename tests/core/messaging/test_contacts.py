"""An ambassador's email and phone: never shown, unless they share them with one school."""

from __future__ import annotations

from flask import url_for

from tremplin.messaging.models import ContactShare, Notification
from tremplin.testing import api_client, client_of, csrf_token_from, post_form

from .conftest import account_of, told

EMAIL = "camille.durand@example.org"
PHONE = "06 12 34 56 78"
LAST_NAME = "Durand"
# Every GET page and endpoint of these blueprints is read by ``everything_seen_by``.
BLUEPRINTS = ("messaging.", "messages_api.", "notifications_api.")


def a_request(network, phone=PHONE):
    ambassador = network.ambassador(
        "Soudeuse", email=EMAIL, first_name="Camille", last_name=LAST_NAME, phone=phone
    )
    school = network.school("Collège Jean Macé")
    educator = network.educator(school=school)
    request = network.request(educator, ambassador)
    return ambassador, school, educator, request


def everything_seen_by(app, account, intervention_id) -> str:
    """What ``account`` reads on every GET page and endpoint of messaging, with the
    intervention's page, its API answer and the dashboard."""
    with app.app_context():
        mine = Notification.select().where(Notification.account == account.id).first()
    values = {"intervention_id": intervention_id, "notification_id": mine.id if mine else 1}
    urls = [
        f"/interventions/{intervention_id}",
        f"/api/v1/interventions/{intervention_id}",
        "/tableau-de-bord",
    ]
    with app.test_request_context():
        urls += [
            url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith(BLUEPRINTS) and "GET" in rule.methods
        ]
    assert len(urls) >= 10
    page, api = client_of(app, account), api_client(app, account)
    return "\n".join(
        (api if url.startswith("/api/") else page).get(url).get_data(as_text=True) for url in urls
    )


def test_before_sharing_nobody_sees_the_ambassador_s_email_phone_or_last_name(app, network):
    ambassador, _school, educator, request = a_request(network)
    referent = network.referent("59")
    volunteer = api_client(app, account_of(network, ambassador))
    volunteer.post(f"/api/v1/interventions/{request.id}/messages", json={"body": "Bonjour !"})

    for viewer in (educator, referent):
        seen = everything_seen_by(app, viewer, request.id)
        assert "Bonjour !" in seen
        assert "Camille D." in seen
        assert EMAIL not in seen
        assert PHONE not in seen
        assert LAST_NAME not in seen
    contacts = api_client(app, educator).get(f"/api/v1/interventions/{request.id}/contacts")
    assert contacts.json == {"email": None, "phone": None}


def test_once_shared_the_school_sees_them_and_another_school_does_not(app, network):
    ambassador, school, educator, request = a_request(network)
    colleague = network.educator(school=school)
    other_school = network.educator()
    other_request = network.request(other_school, ambassador)
    referent = network.referent("59")
    volunteer = client_of(app, account_of(network, ambassador))

    thread = f"/interventions/{request.id}/messages"
    assert "Mon numéro de téléphone, 06 12 34 56 78" in volunteer.get(thread).text
    answer = volunteer.post(
        f"/interventions/{request.id}/coordonnees",
        data={"share": ["email", "phone"], "csrf_token": csrf_token_from(volunteer, thread)},
    )
    assert answer.status_code == 302

    for viewer in (educator, colleague):
        page = client_of(app, viewer).get(f"/interventions/{request.id}/messages").text
        assert "Coordonnées partagées par l’ambassadeur ou l’ambassadrice" in page
        assert f'<a href="mailto:{EMAIL}">{EMAIL}</a>' in page
        assert PHONE in page
        answer = api_client(app, viewer).get(f"/api/v1/interventions/{request.id}/contacts")
        assert answer.json == {"email": EMAIL, "phone": PHONE}
    # Another school: no thread at all; its own request with the same ambassador: nothing.
    assert (
        client_of(app, other_school).get(f"/interventions/{request.id}/messages").status_code == 404
    )
    seen = everything_seen_by(app, other_school, other_request.id)
    assert EMAIL not in seen
    assert PHONE not in seen
    # The referent is no school: the ambassador chose to show the school only.
    seen = everything_seen_by(app, referent, request.id)
    assert EMAIL not in seen
    assert PHONE not in seen
    assert told(network, educator)[-1] == ("contacts_shared", request.id)


def test_the_ambassador_may_share_the_email_only(app, network):
    ambassador, _school, educator, request = a_request(network)
    api = api_client(app, account_of(network, ambassador))

    answer = api.post(
        f"/api/v1/interventions/{request.id}/contacts", json={"email": True, "phone": False}
    )

    assert answer.status_code == 200
    assert answer.json == {"email": EMAIL, "phone": None}
    page = client_of(app, educator).get(f"/interventions/{request.id}/messages").text
    assert EMAIL in page
    assert PHONE not in page


def test_sharing_nothing_or_a_phone_one_does_not_have_is_refused(app, network):
    ambassador, _school, _educator, request = a_request(network, phone=None)
    api = api_client(app, account_of(network, ambassador))
    url = f"/api/v1/interventions/{request.id}/contacts"

    nothing = api.post(url, json={})
    no_phone = api.post(url, json={"phone": True})

    assert nothing.status_code == 422
    assert nothing.json["errors"]["json"] == {
        "share": [
            "Choisissez ce que vous partagez : votre adresse électronique, votre téléphone, "
            "ou les deux."
        ]
    }
    assert no_phone.status_code == 422
    assert no_phone.json["errors"]["json"] == {
        "share": [
            "Votre compte n’a pas de numéro de téléphone : ajoutez-le d’abord dans votre compte."
        ]
    }
    page = client_of(app, account_of(network, ambassador)).get(
        f"/interventions/{request.id}/messages"
    )
    assert "Mon numéro de téléphone" not in page.text
    assert "ajoutez-le d’abord à votre compte" in page.text
    with network.app.app_context():
        assert ContactShare.select().count() == 0


def test_only_the_ambassador_shares_their_contact_details(app, network):
    _ambassador, _school, educator, request = a_request(network)
    api = api_client(app, educator)

    answer = api.post(f"/api/v1/interventions/{request.id}/contacts", json={"email": True})

    assert answer.status_code == 403
    assert api.delete(f"/api/v1/interventions/{request.id}/contacts").status_code == 403
    page = client_of(app, educator)
    assert page.get(f"/interventions/{request.id}/coordonnees/retirer").status_code == 403


def test_a_share_form_sent_without_a_choice_is_shown_again_with_why(app, network):
    ambassador, _school, _educator, request = a_request(network)
    volunteer = client_of(app, account_of(network, ambassador))
    thread = f"/interventions/{request.id}/messages"

    answer = volunteer.post(
        f"/interventions/{request.id}/coordonnees",
        data={"csrf_token": csrf_token_from(volunteer, thread)},
    )

    assert answer.status_code == 422
    assert "Choisissez ce que vous partagez" in answer.text
    assert 'href="#field-share"' in answer.text


def test_stopping_sharing_asks_for_a_confirmation_then_hides_them_again(app, network):
    ambassador, _school, educator, request = a_request(network)
    api_client(app, account_of(network, ambassador)).post(
        f"/api/v1/interventions/{request.id}/contacts", json={"email": True, "phone": True}
    )
    volunteer = client_of(app, account_of(network, ambassador))
    url = f"/interventions/{request.id}/coordonnees/retirer"

    unconfirmed = post_form(volunteer, url, {})
    assert unconfirmed.status_code == 422
    assert "Cochez la case pour confirmer." in unconfirmed.text
    assert EMAIL in client_of(app, educator).get(f"/interventions/{request.id}/messages").text

    confirmed = post_form(volunteer, url, {"confirm": "yes"})

    assert confirmed.status_code == 302
    page = client_of(app, educator).get(f"/interventions/{request.id}/messages").text
    assert EMAIL not in page
    assert PHONE not in page
    with network.app.app_context():
        assert ContactShare.select().count() == 0


def test_the_api_stops_sharing_with_delete(app, network):
    ambassador, _school, educator, request = a_request(network)
    api = api_client(app, account_of(network, ambassador))
    url = f"/api/v1/interventions/{request.id}/contacts"
    api.post(url, json={"email": True})

    assert api.delete(url).status_code == 204

    assert api_client(app, educator).get(url).json == {"email": None, "phone": None}
