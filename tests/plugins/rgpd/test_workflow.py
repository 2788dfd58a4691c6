"""The officer's workflow: due dates kept on the request, identity proof stopping the clock,
an extension refused after the first month, the dashboard overdue first, reminders; the
public form confirmed by its link; who sees what."""

from __future__ import annotations

import datetime

import pytest

from tremplin.errors import Conflict, NotAllowed
from tremplin.people.holds import holds_of
from tremplin.plugins.rgpd import reminders, requests
from tremplin.plugins.rgpd.models import Request
from tremplin.testing import csrf_token_from

from .network import link_in, post_form, sign_in

THURSDAY_5_MARCH = datetime.datetime(2026, 3, 5, 9, 0)  # UTC, 10:00 in Paris


@pytest.fixture
def officer(app, net, run_cli):
    """The region's data protection officer."""
    account = net.account(first_name="Dominique", last_name="Garde", email="dpo@example.org")
    assert run_cli(app, "rgpd", "officer", "add", "dpo@example.org").exit_code == 0
    return account


@pytest.fixture
def person(net):
    """Someone with an account."""
    return net.account(first_name="Inès", last_name="Boulanger", email="ines@example.org")


def stored(net, request_id) -> Request:
    return net.run(Request.get_by_id, request_id)


def filed(net, person, kind="access") -> int:
    return net.run(requests.file_own, person, {"kind": kind}).id


def test_the_due_dates_skip_the_weekend_and_easter_monday(app, net, clock, person, officer):
    clock.pin(THURSDAY_5_MARCH)
    request = stored(net, filed(net, person))
    assert request.received_on == datetime.date(2026, 3, 5)
    assert request.calendar_due == datetime.date(2026, 4, 5)  # Easter Sunday
    assert request.legal_due == datetime.date(2026, 4, 7)  # after Easter Monday
    page = sign_in(app.test_client(), person).get(f"/mes-droits/{request.id}")
    assert "mardi 7 avril 2026" in page.text


def test_waiting_for_identity_proof_stops_the_clock(app, net, clock, person, officer, mailbox):
    clock.pin(THURSDAY_5_MARCH)
    request_id = filed(net, person)
    clock.advance(days=4)
    net.run(requests.ask_identity, officer, request_id, {"note": "Adresse différente."})
    assert mailbox.to(person.email)[-1].subject == (
        "Un justificatif d'identité est nécessaire pour votre demande"
    )
    waiting = stored(net, request_id)
    assert (waiting.status, waiting.legal_due) == ("awaiting_identity", None)
    with pytest.raises(Conflict):
        net.run(requests.answer, officer, request_id, {})
    clock.advance(days=10)  # proof arrives on 19 March: ten days stood still
    net.run(
        requests.record_identity,
        officer,
        request_id,
        {"checked": "yes", "method": "Pièce présentée à l'accueil"},
    )
    checked = stored(net, request_id)
    assert checked.status == "in_progress"
    assert checked.legal_due == datetime.date(2026, 4, 15)
    assert (checked.identity_checked, checked.identity_method) == (
        True,
        "Pièce présentée à l'accueil",
    )
    assert checked.identity_checked_by_id == officer.id


def test_identity_not_established_refuses_with_the_right_to_complain(net, person, officer, mailbox):
    request_id = filed(net, person)
    net.run(requests.ask_identity, officer, request_id, {"note": "Doute."})
    net.run(requests.record_identity, officer, request_id, {"checked": "no", "method": "Aucune"})
    assert stored(net, request_id).status == "refused"
    refusal = mailbox.to(person.email)[-1]
    assert "CNIL" in refusal.body


def test_an_extension_is_refused_after_the_first_month(app, net, clock, person, officer, mailbox):
    clock.pin(THURSDAY_5_MARCH)
    late = filed(net, person)
    in_time = filed(net, person, "rectification")
    clock.advance(days=34)  # Wednesday 8 April: the month ended on Tuesday 7 April
    client = sign_in(app.test_client(), officer)
    refused = post_form(
        client, f"/rgpd/demandes/{late}/extend", {"note": "Volume."}, page=f"/mes-droits/{late}"
    )
    assert refused.status_code == 409
    assert "dans le mois" in refused.text
    assert stored(net, late).extended_on is None
    clock.pin(datetime.datetime(2026, 4, 7, 15, 0))
    net.run(requests.extend, officer, in_time, {"note": "Données dispersées."})
    extended = stored(net, in_time)
    assert (extended.status, extended.legal_due) == ("extended", datetime.date(2026, 6, 5))
    told = mailbox.to(person.email)[-1]
    assert "Données dispersées." in told.body


def test_the_dashboard_shows_overdue_requests_first(app, net, clock, officer):
    clock.pin(THURSDAY_5_MARCH)
    client = sign_in(app.test_client(), officer)
    for name, day in (("Ben", "2026-03-01"), ("Ana", "2026-02-02"), ("Chloé", "2026-02-20")):
        response = post_form(
            client,
            "/rgpd/demandes",
            {
                "name": name,
                "email": f"{name.lower()}@example.org",
                "kind": "access",
                "channel": "letter",
                "received_on": day,
            },
        )
        assert response.status_code == 302, response.text
    page = client.get("/rgpd/demandes").text
    open_part = page[: page.index("Enregistrer une demande")]
    # Due 2 March (overdue), 20 March, 1 April.
    assert open_part.index("lundi 2 mars 2026") < open_part.index("vendredi 20 mars 2026")
    assert open_part.index("vendredi 20 mars 2026") < open_part.index("mercredi 1 avril 2026")
    assert open_part.count("en retard") == 1


def test_a_request_received_in_the_future_is_refused_with_the_form_again(app, clock, officer):
    clock.pin(THURSDAY_5_MARCH)
    client = sign_in(app.test_client(), officer)
    values = {
        "name": "Ana",
        "email": "ana@example.org",
        "kind": "erasure",
        "channel": "email",
        "received_on": "2026-03-06",
    }
    response = post_form(client, "/rgpd/demandes", values)
    assert response.status_code == 422
    assert "ne peut pas être reçue dans le futur" in response.text
    assert 'value="ana@example.org"' in response.text


def test_officers_are_reminded_seven_and_two_days_before(app, net, clock, person, officer):
    clock.pin(THURSDAY_5_MARCH)
    filed(net, person)  # legal date: Tuesday 7 April
    sent = {}
    for day in range(20, 40):
        moment = datetime.datetime(2026, 3, 5) + datetime.timedelta(days=day)
        clock.pin(moment)
        count = net.run(reminders.remind)
        if count:
            sent[moment.date()] = count
        assert net.run(reminders.remind) == 0  # once a day
    assert list(sent) == [
        datetime.date(2026, 3, 31),
        datetime.date(2026, 4, 5),
        *[datetime.date(2026, 4, 8) + datetime.timedelta(days=n) for n in range(6)],
    ]


def test_the_public_form_is_received_once_its_link_is_opened(app, net, clock, person, mailbox):
    clock.pin(THURSDAY_5_MARCH)
    client = app.test_client()
    missing = post_form(client, "/exercer-mes-droits", {"name": "Inès B.", "kind": "access"})
    assert missing.status_code == 422
    assert 'value="Inès B."' in missing.text
    response = post_form(
        client,
        "/exercer-mes-droits",
        {"name": "Inès B.", "email": "Ines@example.org", "kind": "objection"},
    )
    assert response.status_code == 200
    confirmation = mailbox.to("ines@example.org")[-1]
    path = link_in(confirmation)
    assert net.run(Request.select().where(Request.status == "unconfirmed").count) == 1
    clock.advance(days=1)
    assert client.get(path).status_code == 200  # opening the page confirms nothing
    assert net.run(Request.get).status == "unconfirmed"
    confirmed = post_form(client, path, {})
    assert confirmed.status_code == 200
    assert "vendredi 6 mars 2026" in confirmed.text
    request = net.run(Request.get)
    assert (request.status, request.account_id) == ("received", person.id)
    assert post_form(client, path, {}).status_code == 404


def test_an_unconfirmed_request_expires_and_is_purged(app, net, clock, mailbox, run_cli):
    client = app.test_client()
    post_form(
        client,
        "/exercer-mes-droits",
        {"name": "Paul", "email": "paul@example.org", "kind": "erasure"},
    )
    path = link_in(mailbox.to("paul@example.org")[-1])
    clock.advance(hours=49)
    assert post_form(client, path, {}, page="/exercer-mes-droits").status_code == 404
    result = run_cli(app, "purge")
    assert result.exit_code == 0
    assert "rgpd : fichiers d'export 0, demandes non confirmées 1, demandes closes 0" in (
        result.output
    )
    assert net.run(Request.select().count) == 0


def test_only_the_person_and_the_officers_see_a_request(app, net, person, officer):
    request_id = filed(net, person)
    other = net.account(email="autre@example.org")
    assert sign_in(app.test_client(), other).get(f"/mes-droits/{request_id}").status_code == 404
    assert sign_in(app.test_client(), other).get("/rgpd/demandes").status_code == 403
    assert sign_in(app.test_client(), person).get("/rgpd/registre").status_code == 403
    as_officer = sign_in(app.test_client(), officer).get(f"/mes-droits/{request_id}")
    assert "ines@example.org" in as_officer.text
    with pytest.raises(NotAllowed):
        net.run(requests.answer, person, request_id, {})


def test_the_api_lists_and_files_the_persons_own_requests(app, net, person):
    client = sign_in(app.test_client(), person)
    headers = {"X-CSRFToken": csrf_token_from(client, "/mes-droits")}
    refused = client.post("/api/v1/rgpd/requests", json={"kind": "oubli"}, headers=headers)
    assert refused.status_code == 422
    assert "kind" in refused.json["errors"]["json"]
    made = client.post("/api/v1/rgpd/requests", json={"kind": "portability"}, headers=headers)
    assert made.status_code == 201, made.json
    listed = client.get("/api/v1/rgpd/requests")
    assert listed.status_code == 200
    assert [(r["kind"], r["status"]) for r in listed.json] == [("portability", "received")]
    assert listed.json[0]["legal_due"] == made.json["legal_due"]


def test_an_extension_told_while_proof_is_awaited_runs_from_receipt(net, clock, person, officer):
    clock.pin(THURSDAY_5_MARCH)
    request_id = filed(net, person)
    net.run(requests.ask_identity, officer, request_id, {"note": "Homonyme."})
    clock.advance(days=40)  # the clock stands still: still within the first month
    net.run(requests.extend, officer, request_id, {"note": "Archives papier."})
    clock.advance(days=1)  # proof arrives 15 April: 41 days stood still
    net.run(requests.record_identity, officer, request_id, {"checked": "yes", "method": "Appel"})
    request = stored(net, request_id)
    assert request.status == "extended"
    # 5 June + 41 days = 16 July 2026, a Thursday.
    assert (request.calendar_due, request.legal_due) == (
        datetime.date(2026, 7, 16),
        datetime.date(2026, 7, 16),
    )


def test_lifting_a_restriction_shows_the_ambassador_again_and_tells_them(
    app, net, officer, mailbox
):
    ambassador = net.ambassador("Inès", "Boulanger")
    person = net.account_of(ambassador)
    request_id = filed(net, person, "restriction")
    net.run(requests.answer, officer, request_id, {})
    assert [hold.code for hold in net.run(holds_of, ambassador)] == ["restriction"]
    mailbox.deliver()
    client = sign_in(app.test_client(), officer)
    page = f"/mes-droits/{request_id}"
    empty = post_form(client, f"/rgpd/demandes/{request_id}/lift", {}, page=page)
    assert empty.status_code == 422
    lifted = post_form(
        client, f"/rgpd/demandes/{request_id}/lift", {"note": "Exactitude vérifiée."}, page=page
    )
    assert lifted.status_code == 302
    assert net.run(holds_of, ambassador) == []
    told = mailbox.to(person.email)
    assert [m.subject for m in told] == [
        "Une limitation ou une opposition sur vos données personnelles est levée"
    ]
    assert "Exactitude vérifiée." in told[0].body
    again = post_form(client, f"/rgpd/demandes/{request_id}/lift", {"note": "Encore."}, page=page)
    assert again.status_code == 409


def test_the_public_form_cannot_flood_a_mailbox(app, mailbox):
    client = app.test_client()
    for _ in range(5):
        response = post_form(
            client,
            "/exercer-mes-droits",
            {"name": "Quelqu'un", "email": "cible@example.org", "kind": "access"},
        )
        assert response.status_code == 200
    assert len(mailbox.to("cible@example.org")) == 3
