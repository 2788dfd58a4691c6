"""Each person's private calendar address: what it lists, who may read it, revoking it."""

from __future__ import annotations

import datetime

import icalendar

from tremplin.auth import service as accounts
from tremplin.auth.models import Account
from tremplin.calendars import service as calendars
from tremplin.calendars.models import CalendarFeed
from tremplin.clock import now, travel
from tremplin.interventions import service
from tremplin.interventions.models import Status
from tremplin.testing import PASSWORD, csrf_token_from, in_days, post_form, sign_in

PAGE = "/agenda/calendrier"
RENEW = "/agenda/calendrier/nouvelle-adresse"


def post(client, url: str, data: dict):
    """Post one of the calendar page's forms, with the token read from that page."""
    return client.post(url, data={**data, "csrf_token": csrf_token_from(client, PAGE)})


def scheduled(network, ambassador, educator, days=10):
    request = network.request(educator, ambassador, slots=[in_days(days)])
    network.run(service.accept, network.account_of(ambassador), request.id, {})
    return request


def feed_path(network, account) -> str:
    feed = network.run(calendars.create_feed, account)
    return f"/calendrier/{feed.token}.ics"


def uids(response) -> set[str]:
    calendar = icalendar.Calendar.from_ical(response.data)
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def uid(request) -> str:
    return f"intervention-{request.id}@test-region.tremplin"


def test_the_feed_lists_my_scheduled_intervention_and_not_another_school_s(client, network):
    ambassador = network.ambassador("Soudeuse")
    educator = network.educator()
    mine = scheduled(network, ambassador, educator)
    other_school = scheduled(network, network.ambassador("Boulanger"), network.educator())

    response = client.get(feed_path(network, educator))

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.data)
    assert "METHOD" not in calendar  # published, not sent
    assert uids(response) == {uid(mine)}
    assert uid(other_school) not in uids(response)
    (event,) = calendar.walk("VEVENT")
    assert event.start == in_days(10).replace(tzinfo=datetime.UTC)
    assert event["STATUS"] == "CONFIRMED"


def test_the_ambassador_s_feed_shows_accepted_interventions_as_tentative(client, network):
    # Four requests within a week often fall in one month: room for them all.
    ambassador = network.ambassador(monthly_capacity=4)
    me = network.account_of(ambassador)
    educator = network.educator()
    # Accepted before accepting fixed the date (data of an earlier version): tentative.
    accepted = network.intervention(educator, ambassador, status=Status.ACCEPTED, on=in_days(5))
    fixed = scheduled(network, ambassador, educator, days=8)
    waiting = network.request(educator, ambassador, slots=[in_days(9)])
    cancelled = scheduled(network, ambassador, educator, days=11)
    network.run(service.cancel, me, cancelled.id, {"reason": "Malade."})

    response = client.get(feed_path(network, me))

    statuses = {
        str(event["UID"]): str(event["STATUS"])
        for event in icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    }
    assert statuses == {uid(accepted): "TENTATIVE", uid(fixed): "CONFIRMED"}
    assert uid(waiting) not in statuses


def test_a_referent_s_feed_shows_the_fixed_dates_of_their_territories_only(client, network):
    referent = network.referent("59")
    in_nord = scheduled(network, network.ambassador(), network.educator())
    arras = network.school(name="Lycée d’Arras", territory="bef-62-arras")
    elsewhere = scheduled(
        network, network.ambassador(zones=("62",)), network.educator(school=arras)
    )
    undated = network.intervention(network.educator(), network.ambassador(), status="accepted")

    listed = uids(client.get(feed_path(network, referent)))

    assert listed == {uid(in_nord)}
    assert uid(elsewhere) not in listed
    assert uid(undated) not in listed


def test_the_feed_shows_public_facts_only(client, network):
    ambassador = network.ambassador(
        "Soudeuse",
        email="camille.secret@example.org",
        last_name="Dupont-Discret",
        phone="06 12 34 56 78",
    )
    educator = network.educator()
    scheduled(network, ambassador, educator)

    text = client.get(feed_path(network, educator)).text.replace("\r\n ", "")

    assert "Camille D." in text
    assert "Soudeuse" in text
    for private in ("camille.secret@example.org", "Dupont-Discret", "06 12 34 56 78", "@example"):
        assert private not in text


def test_an_unknown_address_answers_404(client, network):
    assert client.get("/calendrier/nothing-here.ics").status_code == 404


def test_a_revoked_address_answers_404_and_the_new_one_works(client, network):
    ambassador = network.ambassador()
    educator = network.educator()
    request = scheduled(network, ambassador, educator)
    sign_in(client, educator)
    post_form(client, PAGE, {})
    old = network.run(calendars.feed_of, educator)
    assert client.get(f"/calendrier/{old.token}.ics").status_code == 200
    assert f"/calendrier/{old.token}.ics" in client.get(PAGE).text

    response = post(client, RENEW, {"confirm": "yes"})

    assert response.status_code == 302
    new = network.run(calendars.feed_of, educator)
    assert new.token != old.token
    assert client.get(f"/calendrier/{old.token}.ics").status_code == 404
    assert uids(client.get(f"/calendrier/{new.token}.ics")) == {uid(request)}
    page = client.get(PAGE).text
    assert new.token in page
    assert old.token not in page


def test_revoking_without_confirming_keeps_the_address(client, network):
    educator = network.educator()
    path = feed_path(network, educator)
    sign_in(client, educator)

    response = post(client, RENEW, {})

    assert response.status_code == 422
    assert "error-confirm" in response.text
    assert client.get(path).status_code == 200


def test_creating_the_address_twice_keeps_one(client, network):
    educator = network.educator()
    sign_in(client, educator)
    assert "Create my private address" in client.get(PAGE, query_string={"lang": "en"}).text
    post_form(client, PAGE, {})
    post_form(client, PAGE, {})
    assert network.run(lambda: CalendarFeed.select().count()) == 1


def test_the_calendar_page_asks_to_sign_in(client, network):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]


def test_a_suspended_account_s_feed_answers_404(client, network):
    educator = network.educator()
    path = feed_path(network, educator)
    network.run(
        lambda: Account.update(status="suspended").where(Account.id == educator.id).execute()
    )
    assert client.get(path).status_code == 404


def test_the_feed_forgets_interventions_older_than_a_year(client, network):
    ambassador = network.ambassador()
    educator = network.educator()
    scheduled(network, ambassador, educator)
    path = feed_path(network, educator)
    with travel(datetime.timedelta(days=400)):
        assert uids(client.get(path)) == set()


def test_everyone_signed_in_finds_my_calendar_in_the_menu(client, network):
    assert 'href="/agenda/calendrier"' not in client.get("/").text
    sign_in(client, network.educator())
    assert 'href="/agenda/calendrier"' in client.get("/").text


def test_hook_erase_personal_data_deletes_the_private_calendar_addresses(client, network):
    educator = network.educator()
    path = feed_path(network, educator)

    network.run(accounts.delete_account, network.run(Account.get_by_id, educator.id), PASSWORD)

    assert network.run(lambda: CalendarFeed.select().count()) == 0
    assert client.get(path).status_code == 404


def test_hook_purge_expired_deletes_addresses_revoked_over_30_days_ago(network):
    educator = network.educator()
    network.run(calendars.create_feed, educator)
    network.run(calendars.renew_feed, educator, confirmed=True)
    with network.app.app_context():
        from tremplin.privacy import service as privacy

        privacy.purge((now() + datetime.timedelta(days=10)).replace(tzinfo=datetime.UTC))
        assert CalendarFeed.select().count() == 2
        privacy.purge((now() + datetime.timedelta(days=31)).replace(tzinfo=datetime.UTC))
        assert [feed.revoked_at for feed in CalendarFeed.select()] == [None]


def test_the_register_of_processing_activities_lists_calendars(client):
    register = client.get("/api/v1/privacy/processing-activities?lang=en").json
    assert "Calendar invitations and private calendar addresses" in [
        row["name"] for row in register
    ]
