"""The thread of an intervention: its participants read and write, nobody else sees it."""

from __future__ import annotations

import datetime
import json

from flask import render_template_string

from tremplin.clock import travel
from tremplin.messaging import service
from tremplin.messaging.models import Message
from tremplin.testing import api_client, client_of, post_form

from .conftest import account_of, emails, forget_everything_told, told


def a_request(network, **people):
    """An ambassador, an educator of a school of the Nord, a referent of the Nord, a request."""
    ambassador = network.ambassador("Soudeuse", first_name="Camille", last_name="Durand")
    school = network.school("Collège Jean Macé")
    educator = network.educator(school=school, first_name="Alex", last_name="Martin")
    referent = network.referent("59", first_name="Dominique", last_name="Leroy")
    request = network.request(educator, ambassador)
    return ambassador, educator, referent, request


def test_the_sides_of_an_intervention_write_to_each_other_oldest_first(app, network):
    ambassador, educator, referent, request = a_request(network)
    url = f"/interventions/{request.id}/messages"
    school = client_of(app, educator)
    volunteer = client_of(app, account_of(network, ambassador))
    animator = client_of(app, referent)

    assert post_form(school, url, {"body": "Bonjour, 25 élèves de 3e."}).status_code == 302
    assert post_form(volunteer, url, {"body": "Avec plaisir !"}).status_code == 302
    assert post_form(animator, url, {"body": "Je reste disponible."}).status_code == 302

    page = school.get(url).text
    first = page.index("Bonjour, 25 élèves de 3e.")
    second = page.index("Avec plaisir !")
    third = page.index("Je reste disponible.")
    assert first < second < third
    assert "Camille D.</strong>\n        (Ambassadeur)" in page
    assert "Dominique L.</strong>\n        (Référent)" in page
    assert "<strong>Vous</strong>\n        (Équipe éducative)" in page
    assert "3 messages" in page


def test_someone_who_is_not_a_side_finds_no_thread(app, network):
    _ambassador, _educator, _referent, request = a_request(network)
    outsiders = [
        network.educator(),  # another school
        network.referent("62"),  # another department
        account_of(network, network.ambassador("Boulanger")),
    ]
    for outsider in outsiders:
        page = client_of(app, outsider)
        assert page.get(f"/interventions/{request.id}/messages").status_code == 404
        api = api_client(app, outsider)
        assert api.get(f"/api/v1/interventions/{request.id}/messages").status_code == 404
        answer = api.post(f"/api/v1/interventions/{request.id}/messages", json={"body": "Hé"})
        assert answer.status_code == 404
    with network.app.app_context():
        assert Message.select().count() == 0


def test_an_admin_reads_and_writes_every_thread(app, network):
    _ambassador, _educator, _referent, request = a_request(network)
    admin = api_client(app, network.admin())
    answer = admin.post(f"/api/v1/interventions/{request.id}/messages", json={"body": "Vu."})
    assert answer.status_code == 201
    assert answer.json["author"]["side"] == "referent"


def test_an_empty_message_is_shown_again_with_why(app, network):
    _ambassador, educator, _referent, request = a_request(network)
    school = client_of(app, educator)
    url = f"/interventions/{request.id}/messages"

    page = post_form(school, url, {"body": "   "})

    assert page.status_code == 422
    assert "Écrivez votre message." in page.text
    too_long = "x" * 5001
    page = post_form(school, url, {"body": too_long})
    assert page.status_code == 422
    assert too_long in page.text  # the text typed is kept
    api = api_client(app, educator)
    answer = api.post(f"/api/v1/interventions/{request.id}/messages", json={})
    assert answer.status_code == 422
    assert answer.json["errors"]["json"] == {"body": ["Écrivez votre message."]}
    with network.app.app_context():
        assert Message.select().count() == 0


def test_a_message_is_plain_text_shown_escaped(app, network):
    _ambassador, educator, _referent, request = a_request(network)
    school = client_of(app, educator)
    url = f"/interventions/{request.id}/messages"

    post_form(school, url, {"body": '<script>alert("x")</script>\n<b>gras</b>'})

    page = school.get(url).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;\n&lt;b&gt;gras&lt;/b&gt;" in page


def test_a_new_message_tells_the_other_participants_in_the_platform_and_by_email(app, network):
    ambassador, educator, referent, request = a_request(network)
    colleague = network.educator(school=network.run(lambda: request.organisation))
    forget_everything_told(network)
    # 10 characters, then 40 a sentence: the excerpt stops at the last word before 200.
    body = "Bonjour ! " + "Nous préparons la venue avec la classe. " * 10

    post_form(client_of(app, educator), f"/interventions/{request.id}/messages", {"body": body})

    assert told(network, ambassador) == [("message", request.id)]
    assert told(network, referent) == [("message", request.id)]
    assert told(network, educator) == []  # the author
    assert told(network, colleague) == []  # an educator who did not ask nor write
    sent = {email.recipient: email for email in emails(network)}
    assert set(sent) == {account_of(network, ambassador).email, referent.email}
    email = sent[account_of(network, ambassador).email]
    assert email.template == "messaging/email/message"
    assert email.context["author"] == "Alex M."
    assert email.context["side"] == "school"
    assert email.context["excerpt"] == (
        "Bonjour ! Nous préparons la venue avec la classe. Nous préparons la venue avec la "
        "classe. Nous préparons la venue avec la classe. Nous préparons la venue avec la "
        "classe. Nous préparons la venue avec…"
    )


def test_whoever_wrote_in_a_thread_hears_of_the_answers(app, network):
    ambassador, _educator, _referent, request = a_request(network)
    colleague = network.educator(school=network.run(lambda: request.organisation))
    url = f"/interventions/{request.id}/messages"
    post_form(client_of(app, colleague), url, {"body": "Je suis la collègue de SVT."})
    forget_everything_told(network)

    post_form(client_of(app, account_of(network, ambassador)), url, {"body": "Enchantée."})

    assert told(network, colleague) == [("message", request.id)]


def test_the_thread_shows_its_latest_page_first_and_pages_back(app, network):
    ambassador, educator, _referent, request = a_request(network)
    with network.app.app_context():
        for number in range(1, 26):
            with travel(datetime.timedelta(minutes=number)):
                Message.create(
                    intervention=request.id,
                    author=educator.id,
                    side="school",
                    body=f"Message numéro {number:02d}",
                )
    school = client_of(app, educator)
    url = f"/interventions/{request.id}/messages"

    latest = school.get(url).text
    assert "Message numéro 21" in latest
    assert "Message numéro 25" in latest
    assert "Message numéro 20" not in latest
    assert "Page 2 sur 2" in latest
    first = school.get(url + "?page=1").text
    assert "Message numéro 01" in first
    assert "Message numéro 20" in first
    assert "Message numéro 21" not in first

    api = api_client(app, account_of(network, ambassador))
    answer = api.get(f"/api/v1/interventions/{request.id}/messages?page=2&page_size=10")
    assert [item["body"] for item in answer.json] == [
        f"Message numéro {number:02d}" for number in range(11, 21)
    ]
    assert json.loads(answer.headers["X-Pagination"])["total"] == 25


def test_the_api_writes_a_message_with_the_session_s_csrf_token(app, network):
    _ambassador, educator, _referent, request = a_request(network)
    url = f"/api/v1/interventions/{request.id}/messages"
    forged = client_of(app, educator)
    assert forged.post(url, json={"body": "Sans jeton"}).status_code == 400

    answer = api_client(app, educator).post(url, json={"body": "Avec jeton"})

    assert answer.status_code == 201
    assert answer.json["author"] == {"name": "Alex M.", "side": "school"}
    assert answer.json["body"] == "Avec jeton"
    assert answer.json["created_at"].endswith(("+01:00", "+02:00"))
    listed = api_client(app, educator).get(url).json
    assert [item["body"] for item in listed] == ["Avec jeton"]


def test_messages_count_and_sides_from_the_service(network):
    ambassador, educator, referent, request = a_request(network)
    network.run(service.post_message, educator, request.id, {"body": "Un"})
    network.run(service.post_message, account_of(network, ambassador), request.id, {"body": "Deux"})

    assert network.run(service.message_count, referent, request.id) == 2
    page = network.run(service.messages_page, referent, request.id)
    assert [(item.side, item.body, item.mine) for item in page.items] == [
        ("school", "Un", False),
        ("ambassador", "Deux", False),
    ]


def test_the_intervention_page_can_link_to_its_thread(app, network):
    _ambassador, _educator, _referent, request = a_request(network)
    with app.test_request_context():
        html = render_template_string(
            '{% include "messaging/_intervention_links.html" ignore missing %}',
            facts={"id": request.id},
        )
    assert f'href="/interventions/{request.id}/messages"' in html
    assert "Messages de cette intervention" in html
