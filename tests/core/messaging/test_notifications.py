"""Who is told of each step of an intervention, in the platform and by email, and what the
emails say in the recipient's language."""

from __future__ import annotations

import datetime

from tremplin import hookimpl
from tremplin.auth import service as accounts
from tremplin.auth.models import Account
from tremplin.clock import travel
from tremplin.interventions import service
from tremplin.interventions.models import Status, SurveyInvitation
from tremplin.mail import delivery
from tremplin.mail.models import OutboxMessage
from tremplin.messaging import service as messaging

from .conftest import account_of, emails, forget_everything_told, told

THURSDAY = "2040-12-06T10:00:00"  # Paris time, 09:00 UTC
TUESDAY = "2040-12-04T14:00:00"


def a_request(network, ambassador=True, **fields):
    volunteer = network.ambassador("Soudeuse", first_name="Camille", last_name="Durand")
    school = network.school("Collège Jean Macé")
    educator = network.educator(school=school, first_name="Alex", last_name="Martin")
    colleague = network.educator(school=school)
    request = network.request(
        educator, volunteer if ambassador else None, slots=[THURSDAY, TUESDAY], **fields
    )
    return volunteer, educator, colleague, request


def accepted(network, **fields):
    volunteer, educator, colleague, request = a_request(network, **fields)
    network.run(service.accept, account_of(network, volunteer), request.id, {})
    return volunteer, educator, colleague, request


def rendered(network, recipient, area="messaging/"):
    """The emails of ``area`` to ``recipient`` as delivery renders them: ``[(subject, body)]``."""
    with network.app.app_context():
        messages = OutboxMessage.select().where(
            OutboxMessage.recipient == recipient,
            OutboxMessage.template.startswith(area),
        )
        return [(email.subject, email.body) for email in map(delivery.render, messages)]


def test_hook_intervention_changed_a_request_tells_the_ambassador_before_when_to_answer(
    network,
):
    volunteer, educator, _colleague, request = a_request(network, message="Une classe curieuse.")

    assert told(network, volunteer) == [("requested", request.id)]
    assert told(network, educator) == []
    [email] = emails(network)
    assert email.recipient == account_of(network, volunteer).email
    assert email.template == "messaging/email/requested"
    assert email.locale == "fr"
    [(subject, body)] = rendered(network, email.recipient)
    assert subject == "Une demande d’intervention attend votre réponse"
    assert "Bonjour Camille," in body
    assert "Alex M. vous sollicite pour une intervention :" in body
    assert "Date : mardi 4 décembre 2040, 14:00" in body
    assert "Établissement ou structure : Collège Jean Macé" in body
    assert "Une classe curieuse." in body
    assert "- mardi 4 décembre 2040, 14:00\n- jeudi 6 décembre 2040, 10:00\n" in body
    assert "Merci de répondre avant le mardi 4 décembre 2040, 14:00 :" in body
    assert f"http://127.0.0.1:5000/interventions/{request.id}\n" in body
    assert f"http://127.0.0.1:5000/interventions/{request.id}/messages\n" in body


def test_an_english_speaking_ambassador_is_written_to_in_english(network):
    volunteer = network.ambassador("Welder", first_name="Sam")
    network.run(
        lambda: Account.update(locale="en").where(Account.id == volunteer.account_id).execute()
    )
    educator = network.educator(school=network.school("Collège Jean Macé"))
    network.request(educator, volunteer, slots=[THURSDAY])

    [(subject, body)] = rendered(network, account_of(network, volunteer).email)

    assert subject == "A request for an intervention waits for your answer"
    assert "Hello Sam," in body
    assert "Intervention: Talk in a class (45 minutes at most)" in body
    assert "Please answer before Thursday 6 December 2040, 10:00:" in body


def test_hook_intervention_changed_a_request_without_ambassador_tells_the_referents_above_it(
    network,
):
    nord = network.referent("59")
    region = network.referent("hdf")
    pas_de_calais = network.referent("62")
    _volunteer, educator, _colleague, request = a_request(network, ambassador=False)

    assert told(network, nord) == [("to_match", request.id)]
    assert told(network, region) == [("to_match", request.id)]
    assert told(network, pas_de_calais) == []
    assert {email.recipient for email in emails(network)} == {nord.email, region.email}
    [(subject, body)] = rendered(network, nord.email)
    assert subject == "Une demande attend un ambassadeur dans votre territoire"
    assert "Trouvez-lui un ambassadeur" in body
    assert f"/interventions/{request.id}\n" in body
    assert told(network, educator) == []


def test_a_request_nobody_referees_reaches_the_admins(network):
    admin = network.admin()

    _volunteer, _educator, _colleague, request = a_request(network, ambassador=False)

    assert told(network, admin) == [("to_match", request.id)]


def test_hook_intervention_changed_a_referent_s_match_tells_the_ambassador(network):
    referent = network.referent("59")
    volunteer, _educator, _colleague, request = a_request(network, ambassador=False)
    forget_everything_told(network)

    network.run(service.assign, referent, request.id, {"ambassador": volunteer.id})

    assert told(network, volunteer) == [("requested", request.id)]
    assert told(network, referent) == []
    [email] = emails(network)
    assert (email.recipient, email.template) == (
        account_of(network, volunteer).email,
        "messaging/email/requested",
    )


def test_an_acceptance_tells_the_requester_only_in_one_email_with_the_invitation(network):
    volunteer, educator, colleague, request = a_request(network)
    forget_everything_told(network)

    network.run(service.accept, account_of(network, volunteer), request.id, {})

    assert told(network, educator) == [("accepted", request.id)]
    assert told(network, colleague) == []
    assert told(network, volunteer) == []
    # Messaging sends the requester nothing: calendars' email says it all, invitation attached.
    assert rendered(network, educator.email) == []
    [(subject, body)] = rendered(network, educator.email, "calendars/")
    assert subject == (
        "Camille D. a accepté votre demande : l’intervention aura lieu le mardi 4 décembre 2040,"
        " 14:00"
    )
    assert "Camille D. a accepté votre demande. La date est fixée :" in body
    assert "puis convenez des détails avec cette personne par la messagerie" in body
    assert f"/interventions/{request.id}/messages" in body


def test_a_decline_tells_the_requester_why_and_the_dates_the_ambassador_proposes(network):
    volunteer, educator, _colleague, request = a_request(network)
    forget_everything_told(network)

    network.run(
        service.decline,
        account_of(network, volunteer),
        request.id,
        {"reason": "dates", "message": "Pas ce jour-là.", "slots": ["2040-12-11T09:30:00"]},
    )

    assert told(network, educator) == [("declined", request.id)]
    [(subject, body)] = rendered(network, educator.email)
    assert subject == "Camille D. a décliné votre demande"
    assert "Motif : Je ne suis pas disponible à ces dates" in body
    assert "Pas ce jour-là." in body
    assert (
        "Cette personne pourrait venir plutôt à ces dates :\n- mardi 11 décembre 2040, 09:30"
        in body
    )


def test_when_the_requester_s_account_is_gone_the_school_s_educators_are_told(network):
    volunteer, educator, colleague, request = a_request(network)
    network.run(accounts.erase_account, educator)
    forget_everything_told(network)

    network.run(service.accept, account_of(network, volunteer), request.id, {})

    assert told(network, colleague) == [("accepted", request.id)]
    # No invitation reaches them (it is for who asked): messaging emails the acceptance.
    assert rendered(network, colleague.email, "calendars/") == []
    [(subject, body)] = rendered(network, colleague.email)
    assert subject == "Camille D. a accepté votre demande"
    assert "Camille D. a accepté votre demande. La date est fixée :" in body
    assert "Que faire maintenant : convenez des détails avec cette personne" in body


def test_changing_the_date_tells_both_sides_in_the_platform_only(network):
    volunteer, educator, _colleague, request = accepted(network)
    forget_everything_told(network)

    network.run(service.schedule, educator, request.id, {"starts_at": "2040-12-07T10:00:00"})

    assert told(network, volunteer) == [("rescheduled", request.id)]
    assert told(network, educator) == [("rescheduled", request.id)]
    assert emails(network) == []


def test_fixing_the_date_of_one_accepted_before_tells_both_sides_in_the_platform_only(network):
    volunteer, educator, _colleague, _request = a_request(network)
    older = network.intervention(educator, volunteer, status=Status.ACCEPTED)
    forget_everything_told(network)

    network.run(service.schedule, educator, older.id, {})

    assert told(network, volunteer) == [("scheduled", older.id)]
    assert told(network, educator) == [("scheduled", older.id)]
    assert emails(network) == []


def test_a_cancelled_request_tells_the_ambassador_why_by_email(network):
    volunteer, educator, _colleague, request = a_request(network)
    forget_everything_told(network)

    network.run(service.cancel, educator, request.id, {"reason": "Sortie scolaire ce jour-là."})

    assert told(network, volunteer) == [("cancelled", request.id)]
    assert told(network, educator) == []
    [(subject, body)] = rendered(network, account_of(network, volunteer).email)
    assert subject == "Une intervention est annulée"
    assert "Alex M. a annulé cette intervention :" in body
    assert "Motif : Sortie scolaire ce jour-là." in body
    assert "la date est de nouveau libre dans votre agenda" in body


def test_an_ambassador_s_cancellation_tells_the_school_what_to_do_next(network):
    volunteer, educator, _colleague, request = accepted(network)
    forget_everything_told(network)

    network.run(
        service.cancel, account_of(network, volunteer), request.id, {"reason": "Un imprévu."}
    )

    assert told(network, educator) == [("cancelled", request.id)]
    assert told(network, volunteer) == []
    # Its date was fixed: calendars' cancellation is the one email, removing the event.
    assert rendered(network, educator.email) == []
    [(_subject, body)] = rendered(network, educator.email, "calendars/")
    assert "Motif donné : Un imprévu." in body
    assert "Pour organiser une autre intervention, partez de vos interventions" in body


def test_cancelling_one_accepted_before_its_date_was_fixed_tells_the_school_by_email(network):
    volunteer, educator, _colleague, _request = a_request(network)
    older = network.intervention(educator, volunteer, status=Status.ACCEPTED)
    forget_everything_told(network)

    network.run(service.cancel, account_of(network, volunteer), older.id, {"reason": "Un imprévu."})

    assert told(network, educator) == [("cancelled", older.id)]
    [(_subject, body)] = rendered(network, educator.email)
    assert "faites une nouvelle demande :\nhttp://127.0.0.1:5000/interventions/demander" in body


def test_a_scheduled_intervention_s_cancellation_is_told_in_the_platform_only(network):
    volunteer, educator, _colleague, request = accepted(network)
    forget_everything_told(network)

    network.run(service.cancel, educator, request.id, {"reason": "Grève des transports."})

    assert told(network, volunteer) == [("cancelled", request.id)]
    assert [email for email in emails(network) if email.template.startswith("messaging/")] == []


def test_a_referent_s_cancellation_tells_both_sides(network):
    referent = network.referent("59")
    volunteer, educator, _colleague, request = accepted(network)
    forget_everything_told(network)

    network.run(service.cancel, referent, request.id, {"reason": "Fermeture du collège."})

    assert told(network, volunteer) == [("cancelled", request.id)]
    assert told(network, educator) == [("cancelled", request.id)]


def test_a_completed_intervention_thanks_the_ambassador_and_asks_for_feedback(network):
    volunteer, educator, _colleague, request = accepted(network)
    forget_everything_told(network)

    with travel(datetime.timedelta(days=365 * 20)):
        network.run(service.complete, educator, request.id, {"reach": {"college_3": 24}})

    assert told(network, volunteer) == [("completed", request.id)]
    [(subject, body)] = rendered(network, account_of(network, volunteer).email)
    assert subject == "Merci pour votre intervention"
    assert "24 jeunes touchés" in body
    assert f"/interventions/{request.id}#feedback-title" in body


class NoSurveys:
    """A plugin whose people were asked nothing: no surveys, communications left alone."""

    def __init__(self):
        self.asked = []

    @hookimpl
    def may_contact(self, person, purpose):
        self.asked.append((person.email, purpose))
        return False if purpose == "survey" else None


def test_hook_may_contact_keeps_the_feedback_request_out_of_the_thanks(make_app, make_network):
    plugin = NoSurveys()
    network = make_network(make_app(extra_plugins=[plugin]))
    volunteer, educator, _colleague, request = accepted(network)
    forget_everything_told(network)

    with travel(datetime.timedelta(days=365 * 20)):
        network.run(service.complete, educator, request.id, {"reach": {"college_3": 24}})

    email = account_of(network, volunteer).email
    [(subject, body)] = rendered(network, email)
    assert subject == "Merci pour votre intervention"
    assert "24 jeunes touchés" in body
    assert "#feedback-title" not in body
    assert "avis" not in body
    # Asked for the survey emails only: the thanks to the ambassador and to the teacher, who
    # gave no mark with the report; neither carries a survey link.
    assert plugin.asked == [(email, "survey"), (educator.email, "survey")]
    [(subject, body)] = rendered(network, educator.email)
    assert subject == "Merci pour votre compte rendu"
    assert "/enquete/" not in body
    with network.app.app_context():
        assert SurveyInvitation.select().count() == 0


def test_an_expired_request_tells_the_requester_to_ask_someone_else(network):
    _volunteer, educator, _colleague, request = a_request(network)
    forget_everything_told(network)

    with travel(datetime.timedelta(days=365 * 20)):
        assert network.run(service.expire_overdue) == 1

    assert told(network, educator) == [("expired", request.id)]
    [(subject, body)] = rendered(network, educator.email)
    assert subject == "Votre demande a expiré sans réponse"
    assert "Sollicitez un autre ambassadeur" in body


def test_every_email_of_messaging_renders_with_a_link_in_french_and_english(network):
    referent = network.referent("59")
    volunteer, educator, colleague, request = a_request(network)  # requested
    network.run(accounts.erase_account, educator)
    network.run(service.accept, account_of(network, volunteer), request.id, {})  # accepted
    educator = colleague  # who asked is gone: the colleague is the school side
    cancelled = network.request(educator, volunteer, slots=[THURSDAY])
    network.run(service.cancel, educator, cancelled.id, {"reason": "Une sortie."})  # cancelled
    declined = network.request(educator, volunteer, slots=[THURSDAY])
    network.run(service.decline, account_of(network, volunteer), declined.id, {"reason": "other"})
    network.request(educator, None, slots=[THURSDAY])  # to_match
    late = network.request(educator, volunteer, slots=[TUESDAY])
    network.run(service.accept, account_of(network, volunteer), late.id, {})
    network.run(messaging.post_message, referent, late.id, {"body": "Tout est prêt ?"})  # message
    with travel(datetime.timedelta(days=365 * 20)):
        network.run(service.complete, educator, late.id, {"reach": {"college_3": 20}})
        network.run(service.expire_overdue)  # the request of the referents: expired
    templates = {email.template.removeprefix("messaging/email/") for email in emails(network)}
    assert templates == {
        "requested",
        "accepted",
        "cancelled",
        "declined",
        "to_match",
        "message",
        "completed",
        "completed_school",
        "expired",
    }
    with network.app.app_context():
        for locale in ("fr", "en"):
            for row in OutboxMessage.select().where(
                OutboxMessage.template.startswith("messaging/")
            ):
                row.locale = locale
                email = delivery.render(row)
                assert email.subject.strip()
                assert "http://127.0.0.1:5000/" in email.body, row.template
                assert "%(" not in email.body
                assert "{{" not in email.body
                if locale == "fr":
                    assert "L’équipe de Région de test" in email.body
                else:
                    assert "The team of Région de test" in email.body
