"""Notifications in the platform: the navigation's count, the page, the dashboard, the API."""

from __future__ import annotations

import datetime
import json

from tremplin.auth.models import Account
from tremplin.clock import now, travel
from tremplin.messaging.models import Notification
from tremplin.testing import api_client, client_of, csrf_token_from, post_form

from .conftest import account_of, told

THURSDAY = "2040-12-06T10:00:00"


def three_requests(network):
    """Three requests to one ambassador, a day apart: three unread notifications."""
    volunteer = network.ambassador("Soudeuse", first_name="Camille", monthly_capacity=5)
    educator = network.educator(school=network.school("Collège Jean Macé"))
    requests = []
    for day in range(3):
        with travel(datetime.timedelta(days=day)):
            requests.append(network.request(educator, volunteer, slots=[THURSDAY]))
    return account_of(network, volunteer), educator, requests


def test_hook_menu_links_counts_the_unread_notifications(app, network):
    volunteer, educator, _requests = three_requests(network)

    assert (
        '<a href="/notifications">Notifications (3)</a>' in client_of(app, volunteer).get("/").text
    )
    assert '<a href="/notifications">Notifications</a>' in client_of(app, educator).get("/").text
    assert "/notifications" not in app.test_client().get("/").text


def test_the_notifications_page_lists_the_latest_first_and_opening_one_marks_it_read(app, network):
    volunteer, _educator, requests = three_requests(network)
    client = client_of(app, volunteer)

    page = client.get("/notifications").text

    assert "3 notifications non lues" in page
    texts = [
        page.index(f'href="/notifications/{notification}"')
        for notification in _ids(network, volunteer)
    ]
    assert texts == sorted(texts, reverse=True)  # the latest first
    assert (
        "Une demande attend votre réponse — Intervention en classe (45 minutes au plus) le "
        "jeudi 6 décembre 2040, 10:00, Collège Jean Macé."
    ) in page
    first = _ids(network, volunteer)[0]
    opened = client.get(f"/notifications/{first}")
    assert opened.status_code == 302
    assert opened.headers["Location"] == f"/interventions/{requests[0].id}"
    assert "Notifications (2)" in client.get("/").text


def test_marking_one_or_every_notification_read(app, network):
    volunteer, _educator, _requests = three_requests(network)
    client = client_of(app, volunteer)
    first = _ids(network, volunteer)[0]
    token = csrf_token_from(client, "/notifications")

    marked = client.post(f"/notifications/{first}/lue", data={"csrf_token": token})

    assert marked.status_code == 302
    assert "Notifications (2)" in client.get("/").text
    assert client.post("/notifications/tout-lu", data={"csrf_token": token}).status_code == 302
    page = client.get("/notifications").text
    assert "0 notification non lue" in page
    assert "Tout marquer comme lu" not in page
    # The menu's link, marked as the page shown, has lost its count.
    assert '<a href="/notifications" aria-current="page">Notifications</a>' in page


def test_nobody_reads_or_marks_another_person_s_notification(app, network):
    volunteer, educator, _requests = three_requests(network)
    first = _ids(network, volunteer)[0]
    intruder = client_of(app, educator)

    assert intruder.get(f"/notifications/{first}").status_code == 404
    api = api_client(app, educator)
    assert api.post(f"/api/v1/notifications/{first}/read").status_code == 404
    assert api.get("/api/v1/notifications/").json == []
    with network.app.app_context():
        assert Notification.select().where(Notification.read_at.is_null(False)).count() == 0


def test_a_message_notification_leads_to_the_thread(app, network):
    volunteer, educator, requests = three_requests(network)
    post_form(
        client_of(app, educator), f"/interventions/{requests[0].id}/messages", {"body": "Merci !"}
    )
    newest = _ids(network, volunteer)[-1]

    opened = client_of(app, volunteer).get(f"/notifications/{newest}")

    assert opened.headers["Location"] == f"/interventions/{requests[0].id}/messages"


def test_hook_dashboard_panels_lists_the_latest_notifications(app, network):
    volunteer, educator, _requests = three_requests(network)

    page = client_of(app, volunteer).get("/tableau-de-bord").text

    assert "Notifications</h2>" in page
    assert page.count("Une demande attend votre réponse") == 3
    assert '<a href="/notifications">Voir toutes mes notifications</a>' in page
    assert "Notifications</h2>" not in client_of(app, educator).get("/tableau-de-bord").text


def test_the_api_lists_notifications_in_the_reader_s_language_and_marks_them_read(app, network):
    volunteer, _educator, requests = three_requests(network)
    with network.app.app_context():
        Account.update(locale="en").where(Account.id == volunteer.id).execute()
    api = api_client(app, volunteer)  # signing in follows the account's language

    listed = api.get("/api/v1/notifications/?page_size=2")

    assert listed.status_code == 200
    assert json.loads(listed.headers["X-Pagination"])["total"] == 3
    latest = listed.json[0]
    assert latest["kind"] == "requested"
    assert latest["intervention"] == requests[2].id
    assert latest["url"] == f"/interventions/{requests[2].id}"
    assert latest["read"] is False
    assert latest["text"] == (
        "A request waits for your answer — Talk in a class (45 minutes at most) on Thursday "
        "6 December 2040, 10:00, Collège Jean Macé."
    )
    assert api.get("/api/v1/notifications/unread").json == {"unread": 3}
    read = api.post(f"/api/v1/notifications/{latest['id']}/read")
    assert read.json["read"] is True
    assert api.post("/api/v1/notifications/read").json == {"unread": 0}
    assert api.get("/api/v1/notifications/unread").json == {"unread": 0}


def test_the_notifications_page_is_paginated(app, network):
    volunteer, educator, requests = three_requests(network)
    with network.app.app_context(), travel(datetime.timedelta(days=3)):
        Notification.insert_many(
            [
                {
                    "account": volunteer.id,
                    "kind": "scheduled",
                    "intervention": requests[0].id,
                    "created_at": now(),
                }
                for _ in range(20)
            ]
        ).execute()

    first = client_of(app, volunteer).get("/notifications").text
    second = client_of(app, volunteer).get("/notifications?page=2").text

    assert "Page 1 sur 2" in first
    assert first.count("La date est fixée") == 20
    assert second.count("Une demande attend votre réponse") == 3
    assert told(network, educator) == []


def _ids(network, someone) -> list[int]:
    account = account_of(network, someone)
    with network.app.app_context():
        return [
            row.id
            for row in Notification.select()
            .where(Notification.account == account.id)
            .order_by(Notification.id)
        ]
