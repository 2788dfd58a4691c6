"""The workflow without detours: what took place stays, the report starts from the request."""

from __future__ import annotations

import datetime

import pytest

from tremplin.clock import travel
from tremplin.errors import Conflict, Invalid
from tremplin.interventions import service
from tremplin.interventions.models import Status
from tremplin.people.models import Ambassador
from tremplin.testing import in_days

from .conftest import sign_in


def account_of(network, ambassador):
    return network.run(lambda: Ambassador.get_by_id(ambassador.id).account)


def scheduled(network):
    """An intervention 10 days ahead, accepted (so scheduled); its educator and ambassador."""
    ambassador = network.ambassador()
    educator = network.educator()
    request = network.request(educator, ambassador)
    me = account_of(network, ambassador)
    network.run(service.accept, me, request.id, {})
    return request, educator, me


@pytest.mark.parametrize("side", ["school", "ambassador"])
def test_an_intervention_that_took_place_can_no_longer_be_cancelled(app, network, side):
    request, educator, me = scheduled(network)
    actor = educator if side == "school" else me
    with travel(datetime.timedelta(days=11)):
        with pytest.raises(Conflict):
            network.run(service.cancel, actor, request.id, {"reason": "Finalement non."})
        page = sign_in(app.test_client(), actor).get(f"/interventions/{request.id}").text
    assert network.get(request.id).status == Status.SCHEDULED
    assert "/annuler" not in page


def test_a_scheduled_intervention_still_ahead_can_be_cancelled(network):
    request, educator, _me = scheduled(network)
    network.run(service.cancel, educator, request.id, {"reason": "La sortie est annulée."})
    assert network.get(request.id).status == Status.CANCELLED


def test_the_report_starts_from_the_group_that_was_requested(app, network):
    request, educator, _me = scheduled(network)
    teacher = sign_in(app.test_client(), educator)
    with travel(datetime.timedelta(days=11)):
        page = teacher.get(f"/interventions/{request.id}").text
    level, size = request.audience_level, request.group_size
    assert f'name="reach_{level}"' in page
    field = page.split(f'name="reach_{level}"', 1)[1].split(">", 1)[0]
    assert f'value="{size}"' in field, field


def test_declining_asks_for_confirmation_and_keeps_what_was_typed(app, network):
    ambassador = network.ambassador()
    request = network.request(network.educator(), ambassador)
    volunteer = sign_in(app.test_client(), account_of(network, ambassador))
    detail = f"/interventions/{request.id}"
    token = volunteer.get(detail).text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    form = {"reason": "dates", "message": "Pas ces jours-là.", "csrf_token": token}

    unconfirmed = volunteer.post(f"{detail}/refuser", data=form)

    assert unconfirmed.status_code == 422
    assert "Cochez la case pour confirmer que vous refusez la demande." in unconfirmed.text
    assert "Pas ces jours-là." in unconfirmed.text
    assert network.get(request.id).status == Status.REQUESTED
    confirmed = volunteer.post(f"{detail}/refuser", data={**form, "confirm": "yes"})
    assert confirmed.status_code == 302
    assert network.get(request.id).status == Status.DECLINED


def dashboard_of(app, account) -> str:
    return sign_in(app.test_client(), account).get("/tableau-de-bord").text


def test_each_dashboard_lists_the_work_waiting_with_where_to_do_it(app, network):
    ambassador = network.ambassador()
    me = account_of(network, ambassador)
    educator = network.educator()
    network.request(educator, ambassador)
    network.request(educator, ambassador)
    accepted = network.request(educator, ambassador)
    network.run(service.accept, me, accepted.id, {})  # its date is fixed: nothing to fix
    # Accepted before accepting fixed the date (data of an earlier version): one to fix.
    network.intervention(educator, ambassador, status=Status.ACCEPTED, on=in_days(20))

    volunteer = dashboard_of(app, me)
    assert "À faire" in volunteer
    assert "2 demandes auxquelles répondre" in volunteer
    assert "1 date à fixer" in volunteer
    assert "/interventions#page_repondre-title" in volunteer

    with travel(datetime.timedelta(days=11)):
        school = dashboard_of(app, educator)
    assert "1 date à fixer" in school
    assert "/interventions?statut=accepted#page-title" in school
    assert "1 compte rendu à rédiger" in school  # the one accepted, which took place
    assert "/interventions?statut=scheduled#page-title" in school


def test_a_referent_sees_requests_to_match_and_requests_left_unanswered(app, network):
    educator = network.educator()
    network.request(educator)  # no ambassador: the referents match it
    network.request(educator, network.ambassador())
    referent = network.referent()
    with travel(datetime.timedelta(days=8)):
        page = dashboard_of(app, referent)
    assert "1 demande en attente d’un ambassadeur" in page
    assert "1 demande sans réponse depuis plus de 7 jours" in page


def test_nothing_waiting_shows_no_to_do_panel(app, network):
    assert "À faire" not in dashboard_of(app, network.educator())


def test_a_referent_gives_a_request_left_unanswered_to_another_ambassador(network):
    silent = network.ambassador()
    other = network.ambassador("Boulangère")
    educator = network.educator()
    request = network.request(educator, silent)
    referent = network.referent()
    with pytest.raises(Conflict):  # the ambassador still has time to answer
        network.run(service.assign, referent, request.id, {"ambassador": other.id})

    with travel(datetime.timedelta(days=8)):
        with pytest.raises(Invalid):
            network.run(service.assign, referent, request.id, {"ambassador": silent.id})
        network.run(service.assign, referent, request.id, {"ambassador": other.id})

    moved = network.get(request.id)
    assert (moved.status, moved.ambassador_id) == (Status.REQUESTED, other.id)
    with pytest.raises(Conflict):  # the new ambassador has their own time to answer
        network.run(service.assign, referent, request.id, {"ambassador": silent.id})
