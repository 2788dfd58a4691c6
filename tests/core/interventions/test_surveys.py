"""Satisfaction surveys after an intervention (charter article 7): a signed link in the
thanks, used once, expiring; answers withdrawn at will; declined in the notification
settings; counted in the key figures."""

from __future__ import annotations

import datetime

from tremplin import hookimpl
from tremplin.clock import now, today, travel
from tremplin.interventions import service, surveys, times
from tremplin.interventions.models import Feedback, Status, SurveyInvitation
from tremplin.stats.figures import Period, key_figures, school_year_of
from tremplin.testing import api_client, client_of, csrf_token_from, post_form, queued_emails


def completed(network, reported_mark: int | None = None):
    """A completed intervention: its ambassador, teacher and the intervention. The teacher
    gives ``reported_mark`` with the report, or no mark."""
    teacher = network.educator(first_name="Alex")
    ambassador = network.ambassador("Soudeuse", zones=("59",))
    if reported_mark is None:
        return ambassador, teacher, network.intervention(teacher, ambassador, Status.COMPLETED)
    scheduled = network.intervention(teacher, ambassador)
    report = {"reach": {"college_3": 24}, "rating": reported_mark, "comment": "Très clair."}
    with travel(scheduled.starts_at + datetime.timedelta(hours=2) - now()):
        return ambassador, teacher, network.run(service.complete, teacher, scheduled.id, report)


def survey_path(network, email: str) -> str:
    """The survey link of the thanks sent to ``email``, as a path."""
    [thanks] = [
        message
        for message in queued_emails(network.app, "messaging/email/completed")
        if message.recipient == email
    ]
    assert thanks.context["ask_feedback"] is True
    return f"/enquete/{thanks.context['survey_token']}"


def send(client, page: str, url: str, data: dict):
    """Post ``data`` to ``url`` from the form of ``page`` (with that page's CSRF token)."""
    return client.post(url, data={**data, "csrf_token": csrf_token_from(client, page)})


def feedback_rows(network, intervention_id: int) -> list[tuple[str, int, int | None]]:
    with network.app.app_context():
        return [
            (row.side, row.rating, row.author_id)
            for row in Feedback.select()
            .where(Feedback.intervention == intervention_id)
            .order_by(Feedback.side)
        ]


def test_the_ambassador_answers_once_through_the_link_of_the_thanks(network):
    ambassador, _teacher, intervention = completed(network)
    account = network.account_of(ambassador)
    path = survey_path(network, account.email)
    visitor = network.app.test_client()  # the link works without signing in

    page = visitor.get(path)
    assert page.status_code == 200
    csrf = csrf_token_from(visitor, path)
    assert "Comment s’est passée l’intervention ?" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    answered = post_form(visitor, path, {"rating": "4", "comment": "Classe attentive."})

    assert answered.status_code == 200
    assert "Merci pour votre réponse" in answered.text
    assert feedback_rows(network, intervention.id) == [("ambassador", 4, account.id)]
    again = visitor.get(path)
    assert again.status_code == 410
    assert "Cette enquête a déjà reçu une réponse par ce lien." in again.text
    refused = visitor.post(path, data={"rating": "1", "csrf_token": csrf})
    assert refused.status_code == 410
    assert feedback_rows(network, intervention.id) == [("ambassador", 4, account.id)]


def test_the_teacher_who_gave_no_mark_with_the_report_is_sent_the_survey_too(network):
    _ambassador, teacher, intervention = completed(network)
    path = survey_path(network, teacher.email)

    post_form(network.app.test_client(), path, {"rating": "5"})

    assert feedback_rows(network, intervention.id) == [("school", 5, teacher.id)]


def test_a_teacher_who_marked_the_intervention_in_the_report_is_not_asked_again(network):
    _ambassador, teacher, _intervention = completed(network, reported_mark=5)
    recipients = {
        message.recipient for message in queued_emails(network.app, "messaging/email/completed")
    }
    assert teacher.email not in recipients


def test_a_bad_answer_is_shown_again_and_leaves_the_link_usable(network):
    ambassador, _teacher, intervention = completed(network)
    path = survey_path(network, network.account_of(ambassador).email)
    visitor = network.app.test_client()

    wrong = post_form(visitor, path, {"rating": "9", "comment": "Gardé"})

    assert wrong.status_code == 422
    assert "Gardé" in wrong.text
    assert feedback_rows(network, intervention.id) == []
    assert post_form(visitor, path, {"rating": "3"}).status_code == 200


def test_an_expired_link_is_refused(network, clock):
    ambassador, _teacher, intervention = completed(network)
    path = survey_path(network, network.account_of(ambassador).email)
    with network.app.app_context():
        invitation = SurveyInvitation.get(SurveyInvitation.account == ambassador.account_id)
    assert invitation.expires_at == invitation.sent_at + datetime.timedelta(days=30)
    visitor = network.app.test_client()
    clock.pin(invitation.expires_at - datetime.timedelta(minutes=1))
    csrf = csrf_token_from(visitor, path)  # still open a minute before
    clock.pin(invitation.expires_at)

    page = visitor.get(path)

    assert page.status_code == 410
    assert "Ce lien d’enquête a expiré." in page.text
    refused = visitor.post(path, data={"rating": "4", "csrf_token": csrf})
    assert refused.status_code == 410
    assert feedback_rows(network, intervention.id) == []


def test_a_link_is_refused_to_another_signed_in_person_and_a_forged_one_to_all(network):
    ambassador, teacher, intervention = completed(network)
    path = survey_path(network, network.account_of(ambassador).email)

    other = post_form(client_of(network, teacher), path, {"rating": "1"})

    assert other.status_code == 403
    assert "Cette enquête a été envoyée à quelqu’un d’autre." in other.text
    assert feedback_rows(network, intervention.id) == []
    forged = network.app.test_client().get(path[:-3] + "abc")
    assert forged.status_code == 410
    assert "Ce lien n’est pas valide." in forged.text


def test_a_person_withdraws_their_answer_and_it_leaves_the_key_figures(network):
    ambassador, teacher, intervention = completed(network)
    account = network.account_of(ambassador)
    post_form(network.app.test_client(), survey_path(network, account.email), {"rating": "4"})
    post_form(network.app.test_client(), survey_path(network, teacher.email), {"rating": "1"})
    period = Period(today(), today() + datetime.timedelta(days=30))
    figures = network.run(key_figures, network.territory("59"), period)
    assert figures.value("surveys.answers") == 2
    assert figures.value("surveys.satisfaction") == 2.5  # (4 + 1) / 2

    client = client_of(network, ambassador)
    page = client.get(f"/interventions/{intervention.id}")
    assert "Vous avez donné 4 sur 5" in page.text
    show, withdraw = (
        f"/interventions/{intervention.id}",
        f"/interventions/{intervention.id}/avis/retirer",
    )
    unconfirmed = send(client, show, withdraw, {})
    assert "Cochez la case" in client.get(unconfirmed.headers["Location"]).text
    assert len(feedback_rows(network, intervention.id)) == 2
    withdrawn = send(client, show, withdraw, {"confirm": "yes"})

    assert "Votre réponse a été supprimée." in client.get(withdrawn.headers["Location"]).text
    assert feedback_rows(network, intervention.id) == [("school", 1, teacher.id)]
    figures = network.run(key_figures, network.territory("59"), period)
    assert figures.value("surveys.answers") == 1
    assert figures.value("surveys.satisfaction") == 1
    # The figures of whole months read the aggregates, which the withdrawal recounted.
    figures = month_figures(network, intervention)
    assert figures.value("surveys.answers") == 1
    assert figures.value("surveys.satisfaction") == 1


def test_the_api_withdraws_my_answer_and_answers_404_when_there_is_none(network):
    ambassador, _teacher, intervention = completed(network)
    client = api_client(network, ambassador)
    url = f"/api/v1/interventions/{intervention.id}/feedback"
    assert client.post(url, json={"rating": 5}).status_code == 200

    assert client.delete(url).status_code == 200
    assert feedback_rows(network, intervention.id) == []
    assert client.delete(url).status_code == 404


def test_a_person_who_declined_surveys_is_sent_the_thanks_without_a_link(network):
    teacher = network.educator()
    ambassador = network.ambassador("Soudeuse", zones=("59",))
    client = client_of(network, ambassador)
    assert (
        'id="surveys-yes" name="surveys" value="yes" checked' in client.get("/notifications").text
    )
    chosen = send(client, "/notifications", "/notifications/enquetes", {"surveys": "no"})
    assert "Vous ne recevrez plus d’enquêtes." in client.get(chosen.headers["Location"]).text
    intervention = network.intervention(teacher, ambassador, status=Status.COMPLETED)

    [thanks] = [
        message
        for message in queued_emails(network.app, "messaging/email/completed")
        if message.recipient == network.account_of(ambassador).email
    ]
    assert thanks.context["ask_feedback"] is False
    assert thanks.context["survey_token"] is None
    with network.app.app_context():
        assert (
            not SurveyInvitation.select()
            .where(
                SurveyInvitation.intervention == intervention.id,
                SurveyInvitation.account == ambassador.account_id,
            )
            .exists()
        )
    assert 'id="surveys-no" name="surveys" value="no" checked' in client.get("/notifications").text


class Objected:
    """A plugin that says no to surveys for everyone (an objection, GDPR art. 21)."""

    @hookimpl
    def may_contact(self, person, purpose):
        return False if purpose == "survey" else None


def test_hook_may_contact_refusal_stops_the_survey_link(make_app, make_network):
    network = make_network(make_app(extra_plugins=[Objected()]))
    teacher = network.educator()
    ambassador = network.ambassador("Soudeuse", zones=("59",))
    network.intervention(teacher, ambassador, status=Status.COMPLETED)

    contexts = [m.context for m in queued_emails(network.app, "messaging/email/completed")]
    assert len(contexts) == 2  # the ambassador and the teacher are thanked
    assert [context["survey_token"] for context in contexts] == [None, None]
    with network.app.app_context():
        assert SurveyInvitation.select().count() == 0


class Listening:
    """A plugin that writes down the interventions whose survey answers changed."""

    def __init__(self):
        self.heard = []

    @hookimpl
    def survey_answers_changed(self, intervention):
        self.heard.append((intervention.id, intervention.status))


def test_hook_survey_answers_changed_follows_each_answer_given_or_withdrawn(make_app, make_network):
    listening = Listening()
    network = make_network(make_app(extra_plugins=[listening]))
    ambassador, teacher, intervention = completed(network)
    account = network.account_of(ambassador)
    post_form(network.app.test_client(), survey_path(network, account.email), {"rating": "5"})
    network.run(service.give_feedback, teacher, intervention.id, {"rating": "2"})
    network.run(surveys.withdraw, account, intervention.id)

    assert listening.heard == [(intervention.id, "completed")] * 3
    figures = month_figures(network, intervention)
    assert figures.value("surveys.answers") == 1
    assert figures.value("surveys.satisfaction") == 2


def month_figures(network, intervention):
    """The key figures of the Nord over the calendar month of the intervention's date: whole
    months, so read from the aggregates."""
    territory = network.territory("59")

    def compute():
        first = times.to_local(intervention.starts_at).date().replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        return key_figures(territory, Period(first, following - datetime.timedelta(days=1)))

    return network.run(compute)


def test_survey_answers_and_choices_are_in_the_person_s_data_and_erased_with_it(network):
    ambassador, _teacher, intervention = completed(network)
    account = network.account_of(ambassador)
    post_form(
        network.app.test_client(),
        survey_path(network, account.email),
        {"rating": "4", "comment": "Une classe curieuse."},
    )
    client = client_of(network, ambassador)
    send(client, "/notifications", "/notifications/enquetes", {"surveys": "no"})

    sections = client.get("/mon-compte/mes-donnees").json["sections"]

    [answer] = sections["Réponses aux enquêtes"]
    assert (answer["intervention"], answer["rating"], answer["comment"]) == (
        intervention.id,
        4,
        "Une classe curieuse.",
    )
    assert sections["Enquêtes reçues"][0]["used_at"] is not None
    assert sections["Enquêtes"] == "Vous avez demandé à ne plus recevoir d’enquêtes."

    with network.app.app_context():
        surveys.erase(account)
        assert [(row.rating, row.comment, row.author_id) for row in Feedback.select()] == [
            (4, "", None)
        ]
        assert not SurveyInvitation.select().where(SurveyInvitation.account == account.id).exists()
        assert not surveys.refuses_surveys(account)


def test_the_statistics_page_and_csv_show_the_answers_and_the_average_mark(network):
    ambassador, teacher, intervention = completed(network)
    post_form(network.app.test_client(), survey_path(network, teacher.email), {"rating": "5"})
    email = network.account_of(ambassador).email
    post_form(network.app.test_client(), survey_path(network, email), {"rating": "4"})
    year = school_year_of(intervention.starts_at.date())
    referent = client_of(network, network.referent("59"))

    page = referent.get(f"/statistiques?territoire=59&annee={year}").text
    csv = referent.get(f"/statistiques/export.csv?territoire=59&annee={year}").text

    assert "<caption>Enquêtes de satisfaction et droit à l’image</caption>" in page
    assert (
        '<th scope="row">Réponses aux enquêtes de satisfaction</th><td class="number">2</td>'
        in page
    )
    assert '<th scope="row">Satisfaction moyenne</th><td class="number">4,5 sur 5</td>' in page
    assert ";surveys.answers;Réponses aux enquêtes de satisfaction;2;\r\n" in csv
    assert ";surveys.satisfaction;Satisfaction moyenne;4,5;/5\r\n" in csv
