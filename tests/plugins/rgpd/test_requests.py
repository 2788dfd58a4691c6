"""Done when: a request goes end to end for each kind — filed from the account, taken in
hand and answered by the officer through the pages, the person told by email and following
it on their page; what the answer does is what the right says."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from tremplin.auth.models import Account, AccountStatus
from tremplin.people.holds import holds_of
from tremplin.plugins.rgpd import rights
from tremplin.plugins.rgpd.models import Request
from tremplin.testing import sign_in

from .network import link_in, post_form

KINDS = ["access", "rectification", "erasure", "restriction", "portability", "objection"]


@pytest.fixture
def officer(app, net, run_cli):
    """The region's data protection officer, named through the command line."""
    account = net.account(first_name="Dominique", last_name="Garde", email="dpo@example.org")
    result = run_cli(app, "rgpd", "officer", "add", "dpo@example.org")
    assert result.exit_code == 0, result.output
    return account


def file_request(app, person, kind, details="") -> int:
    """The person files a request from their account page; its id."""
    client = sign_in(app.test_client(), person)
    response = post_form(client, "/mes-droits", {"kind": kind, "details": details})
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1])


def officer_does(app, officer, request_id, action, **data):
    """The officer presses a button of the request's page."""
    client = sign_in(app.test_client(), officer)
    page = f"/mes-droits/{request_id}"
    return post_form(client, f"/rgpd/demandes/{request_id}/{action}", data, page=page)


@pytest.mark.parametrize("kind", KINDS)
def test_a_request_of_each_kind_goes_end_to_end(app, net, officer, mailbox, kind):
    ambassador = net.ambassador("Inès", "Boulanger")
    person = net.account_of(ambassador)
    mailbox.deliver()
    request_id = file_request(app, person, kind, "Merci de traiter ma demande.")
    received = mailbox.to(person.email)
    assert [m.subject for m in received] == ["Votre demande sur vos données personnelles est reçue"]

    page = sign_in(app.test_client(), person).get(f"/mes-droits/{request_id}")
    assert page.status_code == 200
    assert "Reçue" in page.text

    assert officer_does(app, officer, request_id, "start").status_code == 302
    response = officer_does(app, officer, request_id, "answer", note="Traité.")
    assert response.status_code == 302, response.text
    answered = mailbox.to(person.email)
    assert [m.subject for m in answered] == [
        "Votre demande sur vos données personnelles a reçu sa réponse"
    ]
    stored = net.run(Request.get_by_id, request_id)
    assert stored.status == "answered"
    steps = [step.action for step in net.run(lambda: list(stored.steps))]
    assert steps == ["received", "in_progress", "answered"]

    now = net.run(Account.get_by_id, person.id)
    if kind in ("access", "portability"):
        path = link_in(answered[0])
        client = app.test_client()
        assert client.get(path).status_code == 200
        download = post_form(client, path, {})
        assert download.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(download.data))
        everything = json.loads(archive.read("donnees.json"))
        assert everything["sections"]["Compte"]["email"] == person.email
        assert "LISEZMOI.html" in archive.namelist()
        assert post_form(client, path, {}).status_code == 404  # single use
    elif kind == "erasure":
        assert now.status == AccountStatus.DELETED
        assert person.email not in now.email
    elif kind == "restriction":
        assert [hold.code for hold in net.run(holds_of, ambassador)] == ["restriction"]
        assert now.status == AccountStatus.ACTIVE
    elif kind == "objection":
        assert net.run(rights.objects, now)
    else:
        assert now.status == AccountStatus.ACTIVE

    followed = sign_in(app.test_client(), officer).get(f"/mes-droits/{request_id}")
    assert "Répondue" in followed.text


def test_the_persons_data_lists_each_request_with_its_own_steps(app, net, officer):
    from tremplin.plugins.rgpd import privacy, requests

    person = net.account_of(net.ambassador("Inès", "Boulanger"))
    first = file_request(app, person, "access")
    second = file_request(app, person, "rectification")
    with app.app_context():
        requests.start(Account.get_by_id(officer.id), second)
        data = privacy.personal_data(Account.get_by_id(person.id))

    listed = data["Demandes sur vos données personnelles"]
    assert [(row["kind"], [step["action"] for step in row["steps"]]) for row in listed] == [
        ("access", ["received"]),
        ("rectification", ["received", "in_progress"]),
    ]
    assert first < second
