"""Joining a school's team needs someone's yes; leaving it leaves the school's requests behind.

A person who registers as an educator of a school and activates the account sees nothing
of that school (its interventions, their message threads, its agenda) until an active
member of the school or a referent of its territory approves the membership.
"""

from __future__ import annotations

from tremplin.auth import service as accounts
from tremplin.auth.models import Account, Role, RoleGrant
from tremplin.mail import delivery
from tremplin.mail.models import OutboxMessage
from tremplin.people import educators

from .conftest import PASSWORD, csrf_token, post_form, sign_in


def joining_educator(network, school, email: str = "nouvelle@ac-lille.fr") -> Account:
    """Someone who registered as an educator of ``school`` and activated their account."""
    with network.app.app_context():
        account = educators.register_educator(
            school.id, {"first_name": "Inès", "last_name": "Nouvelle", "email": email}
        )
        token = accounts.send_activation(account)
        return accounts.activate(token, PASSWORD)


def school_of(network, educator):
    with network.app.app_context():
        grant = RoleGrant.get(RoleGrant.account == educator.id, RoleGrant.role == Role.EDUCATOR)
        return grant.organisation


def client_of(app, account):
    with app.app_context():
        return sign_in(app.test_client(), Account.get_by_id(account.id))


def emails_to(app, address: str) -> list[OutboxMessage]:
    with app.app_context():
        return list(OutboxMessage.select().where(OutboxMessage.recipient == address))


def delivered(app) -> list:
    """The emails sent once the outbox is delivered (the test region keeps them in memory)."""
    app.extensions["mailman"].outbox = []
    with app.app_context():
        delivery.deliver_pending()
    return app.extensions["mailman"].outbox


def test_a_new_educator_sees_nothing_of_the_school_until_approved(app, network):
    member = network.educator()
    school = school_of(network, member)
    request = network.request(member, network.ambassador())
    newcomer = joining_educator(network, school)
    client = client_of(app, newcomer)

    assert client.get(f"/interventions/{request.id}").status_code == 404
    assert client.get(f"/interventions/{request.id}/messages").status_code == 404
    assert client.get("/api/v1/interventions/").json == []
    assert school.name not in client.get("/interventions").text
    waiting = client.get("/mon-equipe")
    assert waiting.status_code == 200
    assert school.name in waiting.text
    assert "Un membre de l’équipe" in waiting.text  # whom they wait for
    assert "/mon-equipe" in client.get("/tableau-de-bord").text

    approver = client_of(app, member)
    assert "/equipes/adhesions" in approver.get("/tableau-de-bord").text
    assert "Inès N." in approver.get("/equipes/adhesions").text
    grant_id = _grant_of(app, newcomer).id
    response = approve_as(approver, grant_id)
    assert response.status_code == 302

    assert client.get(f"/interventions/{request.id}").status_code == 200
    assert [item["id"] for item in client.get("/api/v1/interventions/").json] == [request.id]


def approve_as(client, grant_id: int):
    """Press "Approve" on a membership request (the form's token is the session's)."""
    return client.post(
        f"/equipes/adhesions/{grant_id}/accepter",
        data={"csrf_token": csrf_token(client, "/mon-compte")},
    )


def _grant_of(app, account) -> RoleGrant:
    with app.app_context():
        return RoleGrant.get(RoleGrant.account == account.id)


def test_the_members_are_told_by_email_and_the_newcomer_hears_the_answer(app, network):
    member = network.educator()
    school = school_of(network, member)
    newcomer = joining_educator(network, school)

    [told] = emails_to(app, member.email)
    assert told.template == "auth/email/membership_requested"
    [email] = [message for message in delivered(app) if message.to == [member.email]]
    assert "Inès N." in email.subject
    assert "/equipes/adhesions\n" in email.body

    approve_as(client_of(app, member), _grant_of(app, newcomer).id)
    answers = [m.template for m in emails_to(app, newcomer.email)]
    assert "auth/email/membership_approved" in answers


def test_the_first_member_of_a_school_is_approved_by_a_referent_of_its_territory(app, network):
    school = network.school(name="Collège sans équipe")
    referent = network.referent("59")
    elsewhere = network.referent("62")
    stranger = network.educator()
    newcomer = joining_educator(network, school)

    assert emails_to(app, referent.email)
    assert not emails_to(app, elsewhere.email)
    grant_id = _grant_of(app, newcomer).id
    for outsider in (elsewhere, stranger):
        client = client_of(app, outsider)
        assert "Inès N." not in client.get("/equipes/adhesions").text
        assert approve_as(client, grant_id).status_code == 404
    assert not _grant_of(app, newcomer).approved

    assert approve_as(client_of(app, referent), grant_id).status_code == 302
    assert _grant_of(app, newcomer).approved


def test_a_refusal_is_confirmed_then_logged_and_the_person_keeps_no_access(app, network, caplog):
    member = network.educator()
    school = school_of(network, member)
    newcomer = joining_educator(network, school, email="intrus@example.org")
    grant_id = _grant_of(app, newcomer).id
    approver = client_of(app, member)

    confirm = approver.get(f"/equipes/adhesions/{grant_id}/refuser")
    assert confirm.status_code == 200
    assert "Inès N." in confirm.text
    with caplog.at_level("INFO", logger="tremplin.auth.memberships"):
        response = post_form(approver, f"/equipes/adhesions/{grant_id}/refuser", {"confirm": "yes"})
    assert response.status_code == 302

    with app.app_context():
        assert not RoleGrant.select().where(RoleGrant.account == newcomer.id).exists()
        from tremplin.auth.models import MembershipDecision

        [decision] = MembershipDecision.select()
        assert (decision.decision, decision.member_id, decision.decided_by_id) == (
            "refused",
            newcomer.id,
            member.id,
        )
    assert any("refused" in record.getMessage() for record in caplog.records)
    assert "auth/email/membership_refused" in [m.template for m in emails_to(app, newcomer.email)]


def test_a_refusal_without_confirmation_changes_nothing(app, network):
    member = network.educator()
    newcomer = joining_educator(network, school_of(network, member))
    grant_id = _grant_of(app, newcomer).id
    approver = client_of(app, member)
    response = approver.post(
        f"/equipes/adhesions/{grant_id}/refuser",
        data={"csrf_token": csrf_token(approver, f"/equipes/adhesions/{grant_id}/refuser")},
    )
    assert response.status_code == 422
    with app.app_context():
        assert RoleGrant.select().where(RoleGrant.id == grant_id).exists()


def test_a_pending_member_cannot_approve_anybody(app, network):
    school = network.school(name="Collège des Dunes")
    first = joining_educator(network, school, email="premiere@ac-lille.fr")
    second = joining_educator(network, school, email="seconde@ac-lille.fr")
    client = client_of(app, first)
    grant_id = _grant_of(app, second).id
    assert approve_as(client, grant_id).status_code == 404
    assert not _grant_of(app, second).approved


def test_an_educator_who_leaves_the_school_no_longer_sees_the_requests_they_made(app, network):
    educator = network.educator()
    school = school_of(network, educator)
    colleague = network.educator(school)
    request = network.request(educator, network.ambassador())
    with app.app_context():
        accounts.revoke(educator, Role.EDUCATOR, organisation=school)

    assert client_of(app, educator).get(f"/interventions/{request.id}").status_code == 404
    assert client_of(app, colleague).get(f"/interventions/{request.id}").status_code == 200
    with app.app_context():
        from tremplin.interventions.models import Intervention
        from tremplin.messaging import notifications

        school_side = notifications.school_side(Intervention.get_by_id(request.id))
        assert [account.id for account in school_side] == [colleague.id]
