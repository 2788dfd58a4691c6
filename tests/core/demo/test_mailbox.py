"""The demo's mailbox: the emails of a demo, for its admin only; nowhere else.

A demo is an app ``tremplin demo`` ran on (here: ``--no-serve``, on an empty network made
by the test kit, or ``make_demo`` directly when the network is the kit's).
"""

from __future__ import annotations

import re

import pytest

from tremplin.demo.generator import LOGIN_EMAILS, PASSWORD
from tremplin.demo.instance import make_demo
from tremplin.mail import service as mail_service
from tremplin.mail.models import OutboxMessage, OutboxStatus
from tremplin.testing import client_of, sign_in

MAILBOX = "/demo/courriels"
LINK = re.compile(r'<a href="(https?://[^"]+)">')


def queue_reset(app, recipient: str, token: str) -> int:
    """A password reset email for ``recipient`` in the outbox; return its id."""
    with app.app_context():
        return mail_service.queue(
            recipient, "auth/email/reset_password", first_name="Léa", token=token
        ).id


@pytest.fixture
def demo(app, network):
    """A demo app, its network and its admin's client."""
    make_demo(app)
    return app, network, client_of(app, network.admin())


def test_outside_a_demo_the_mailbox_does_not_exist_for_anyone(app, network):
    message_id = queue_reset(app, "lea@example.org", "t0ken")
    admin = client_of(app, network.admin())
    for client in (admin, app.test_client()):
        assert client.get(MAILBOX).status_code == 404
        assert client.get(f"{MAILBOX}/{message_id}").status_code == 404
    assert "/demo/courriels" not in admin.get("/tableau-de-bord").get_data(as_text=True)


def test_in_a_demo_only_admins_open_the_mailbox(demo):
    app, network, admin = demo
    message_id = queue_reset(app, "lea@example.org", "t0ken")
    assert admin.get(MAILBOX).status_code == 200
    assert admin.get(f"{MAILBOX}/{message_id}").status_code == 200
    others = [
        network.referent(),
        network.educator(),
        network.partner_manager(),
        network.ambassador().account,
    ]
    for person in others:
        client = client_of(app, person)
        assert client.get(MAILBOX).status_code == 403
        assert client.get(f"{MAILBOX}/{message_id}").status_code == 403
        assert MAILBOX not in client.get("/tableau-de-bord").get_data(as_text=True)
    visitor = app.test_client().get(f"{MAILBOX}/{message_id}")
    assert visitor.status_code == 302
    assert visitor.headers["Location"].startswith("/connexion")


def test_the_admin_of_a_demo_finds_the_mailbox_in_the_navigation(demo):
    _app, _network, admin = demo
    page = admin.get("/tableau-de-bord").get_data(as_text=True)
    assert f'href="{MAILBOX}"' in page
    assert "Courriels de la démo" in page


def test_the_mailbox_lists_every_email_newest_first_a_page_at_a_time(demo, clock):
    app, _network, admin = demo
    for number in range(25):
        queue_reset(app, f"person{number:02}@example.org", f"token{number}")
        clock.advance(minutes=1)
    with app.app_context():  # one was sent, one failed, the rest wait
        OutboxMessage.update(status=OutboxStatus.SENT).where(
            OutboxMessage.recipient == "person24@example.org"
        ).execute()
        OutboxMessage.update(status=OutboxStatus.FAILED).where(
            OutboxMessage.recipient == "person23@example.org"
        ).execute()

    first = admin.get(MAILBOX).get_data(as_text=True)
    recipients = re.findall(r"person\d\d@example\.org", first)
    assert recipients == [f"person{number:02}@example.org" for number in range(24, 4, -1)]
    assert "25 courriels" in first
    assert first.count("Choisissez un nouveau mot de passe") == 20
    rows = first.split("<tr>")
    assert "Distribué" in rows[2]
    assert "Échec" in rows[3]
    assert "En attente d’envoi" in rows[4]
    assert "Page 1 sur 2" in first

    second = admin.get(f"{MAILBOX}?page=2").get_data(as_text=True)
    assert re.findall(r"person\d\d@example\.org", second) == [
        f"person{number:02}@example.org" for number in range(4, -1, -1)
    ]


def test_an_email_shows_its_text_with_its_links_to_follow(demo):
    app, _network, admin = demo
    message_id = queue_reset(app, "lea@example.org", "t0ken")
    page = admin.get(f"{MAILBOX}/{message_id}").get_data(as_text=True)
    assert "<h1>Choisissez un nouveau mot de passe</h1>" in page
    assert "lea@example.org" in page
    assert "Bonjour Léa," in page
    # The test region gives no address: links are on the default one, each clickable.
    assert LINK.findall(page) == [
        "http://127.0.0.1:5000/mot-de-passe/t0ken",
        "http://127.0.0.1:5000/mot-de-passe-oublie",
    ]


def test_an_email_whose_template_is_gone_says_so_instead_of_failing(demo):
    app, _network, admin = demo
    with app.app_context():
        message_id = mail_service.queue("lea@example.org", "gone/email/hello").id
    mailbox = admin.get(MAILBOX)
    assert mailbox.status_code == 200
    assert f"Courriel n° {message_id}" in mailbox.get_data(as_text=True)
    page = admin.get(f"{MAILBOX}/{message_id}")
    assert page.status_code == 200
    assert "Ce courriel ne peut pas être affiché" in page.get_data(as_text=True)


def test_an_unknown_email_is_not_found(demo):
    _app, _network, admin = demo
    assert admin.get(f"{MAILBOX}/999999").status_code == 404


def test_tremplin_demo_makes_the_app_a_demo_even_without_serving(
    make_app, reference_region, run_cli
):
    app = make_app(region=reference_region, plugins=[], migrate=False)
    result = run_cli(app, "demo", "--no-serve", "--ambassadors", "10", "--interventions", "0")
    assert result.exit_code == 0, result.output
    admin = sign_in(app.test_client(), LOGIN_EMAILS["admin"], PASSWORD)
    assert admin.get(MAILBOX).status_code == 200
