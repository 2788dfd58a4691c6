"""Image rights (charter article 7): an ambassador gives or withdraws consent on their
profile; each choice is recorded with its date and text version; the school and referents
read only "yes / no"; the key figures count the consents."""

from __future__ import annotations

import datetime

from tremplin.auth import service as accounts
from tremplin.clock import now
from tremplin.interventions.models import Status
from tremplin.people import image_rights
from tremplin.people.models import ImageRightsDecision
from tremplin.stats.figures import Period, key_figures
from tremplin.testing import api_client, client_of, csrf_token_from


def decide(client, ambassador_id: int, consent: str):
    """Post the profile's image-rights form (the session's token read on the account page,
    which everybody signed in has)."""
    return client.post(
        f"/ambassadeurs/{ambassador_id}/droit-a-l-image",
        data={"consent": consent, "csrf_token": csrf_token_from(client, "/mon-compte")},
    )


def decisions(network, ambassador_id: int) -> list[tuple[bool, str, datetime.datetime]]:
    with network.app.app_context():
        return [
            (row.consented, row.text_version, row.decided_at)
            for row in ImageRightsDecision.select()
            .where(ImageRightsDecision.ambassador == ambassador_id)
            .order_by(ImageRightsDecision.id)
        ]


def test_an_ambassador_consents_then_withdraws_and_both_are_recorded_with_dates(network, clock):
    ambassador = network.ambassador("Soudeuse", zones=("59",))
    client = client_of(network, ambassador)
    page = client.get(f"/ambassadeurs/{ambassador.id}").text
    assert "Vous n’avez pas donné votre accord. C’est facultatif." in page
    before_consent = now()

    consented = decide(client, ambassador.id, "yes")
    clock.advance(days=3)
    page = client.get(consented.headers["Location"]).text
    assert "Merci : la Région peut utiliser des photos et vidéos de vous" in page
    assert "Retirer mon accord" in page
    before_withdrawal = now()
    withdrawn = decide(client, ambassador.id, "no")

    page = client.get(withdrawn.headers["Location"]).text
    assert "Votre choix est enregistré : la Région n’utilisera pas de photos" in page
    assert "Vous avez retiré votre accord le" in page
    [(first, first_version, given_at), (second, second_version, withdrawn_at)] = decisions(
        network, ambassador.id
    )
    assert (first, second) == (True, False)
    assert first_version == second_version == image_rights.TEXT_VERSION
    minute = datetime.timedelta(minutes=1)
    assert before_consent <= given_at < before_consent + minute
    assert before_withdrawal <= withdrawn_at < before_withdrawal + minute


def test_pressing_the_same_choice_twice_records_it_once(network):
    ambassador = network.ambassador("Soudeuse")
    client = client_of(network, ambassador)
    decide(client, ambassador.id, "yes")
    decide(client, ambassador.id, "yes")
    decide(client, ambassador.id, "no")
    decide(client, ambassador.id, "no")
    assert [consented for consented, _v, _at in decisions(network, ambassador.id)] == [True, False]


def test_only_the_ambassador_decides_a_referent_reads_yes_or_no(network):
    ambassador = network.ambassador("Soudeuse", zones=("59",))
    referent = client_of(network, network.referent("59"))

    refused = decide(referent, ambassador.id, "yes")

    assert refused.status_code == 403
    assert decisions(network, ambassador.id) == []
    decide(client_of(network, ambassador), ambassador.id, "yes")
    page = referent.get(f"/ambassadeurs/{ambassador.id}").text
    assert "Droit à l’image : oui" in page
    assert "Je donne mon accord" not in page
    teacher_page = client_of(network, network.educator()).get(f"/ambassadeurs/{ambassador.id}")
    assert "Droit à l’image" not in teacher_page.text


def test_the_school_reads_image_rights_on_the_intervention_and_in_the_api(network):
    teacher = network.educator()
    ambassador = network.ambassador("Soudeuse", zones=("59",))
    intervention = network.intervention(teacher, ambassador, status=Status.SCHEDULED)
    school = client_of(network, teacher)
    url = f"/interventions/{intervention.id}"
    assert "Non : ne photographiez pas et ne filmez pas cette personne." in school.get(url).text

    decide(client_of(network, ambassador), ambassador.id, "yes")

    assert "Oui : la personne accepte d’être photographiée ou filmée." in school.get(url).text
    assert api_client(network, teacher).get(f"/api/v1{url}").json["image_rights"] is True
    # The ambassador's own view of the intervention does not carry it.
    assert api_client(network, ambassador).get(f"/api/v1{url}").json["image_rights"] is None


def test_the_choices_are_in_the_ambassador_s_data_and_erased_with_the_account(network):
    ambassador = network.ambassador("Soudeuse")
    client = client_of(network, ambassador)
    decide(client, ambassador.id, "yes")
    decide(client, ambassador.id, "no")

    profile = client.get("/mon-compte/mes-donnees").json["sections"]["Profil d’ambassadeur"]

    assert [row["consented"] for row in profile["image_rights"]] == [True, False]
    assert {row["text_version"] for row in profile["image_rights"]} == {image_rights.TEXT_VERSION}
    network.run(accounts.erase_account, network.account_of(ambassador))
    assert decisions(network, ambassador.id) == []


def test_the_key_figures_count_who_consents_at_the_end_of_the_period(network, clock):
    first = network.ambassador("Soudeuse", zones=("59",))
    second = network.ambassador("Boulanger", zones=("59",))
    network.ambassador("Plombière", zones=("59",))
    network.ambassador("Maçon", zones=("62",))  # another department
    decide(client_of(network, first), first.id, "yes")
    decide(client_of(network, second), second.id, "yes")
    nord = network.territory("59")
    today = clock.today()
    this_week = Period(today, today + datetime.timedelta(days=6))

    figures = network.run(key_figures, nord, this_week)

    assert figures.value("image_rights.consenting") == 2
    assert figures.value("image_rights.share") == 2 / 3
    clock.advance(days=10)
    decide(client_of(network, second), second.id, "no")
    assert network.run(key_figures, nord, this_week).value("image_rights.consenting") == 2
    # Until tomorrow: today in UTC may still be yesterday in the region's calendar.
    later = Period(clock.today(), clock.today() + datetime.timedelta(days=1))
    assert network.run(key_figures, nord, later).value("image_rights.consenting") == 1
