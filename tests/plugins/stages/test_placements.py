"""Placements: pupils' data seen by the school and the host only, schedules refused with
the rule and its source, places and the host's cap enforced, even at the same moment."""

from __future__ import annotations

import threading

import pytest

from tremplin.auth.models import Role
from tremplin.errors import Conflict, Invalid, NotAllowed
from tremplin.organisations.models import OrganisationKind
from tremplin.people.models import Ambassador
from tremplin.plugins.stages import offers, placements
from tremplin.plugins.stages.models import Placement
from tremplin.runtime import current
from tremplin.testing import sign_in

from .conftest import moment, offer_form, post, pupil_form


@pytest.fixture
def world(net, clock):
    """A bakery with an offer of one place, a collège with its teacher."""
    clock.pin(moment("2026-03-02T09:00"))
    bakery = net.organisation("Boulangerie des Arts", siret="12345678900017")
    school = net.organisation("Collège Jean Jaurès", kind=OrganisationKind.COLLEGE, uai="0590001A")
    manager = net.account(Role.PARTNER_MANAGER, organisation=bakery)
    teacher = net.account(Role.EDUCATOR, organisation=school)
    offer = net.run(offers.publish, manager, bakery.id, offer_form(places="1"))
    return {
        "bakery": bakery,
        "school": school,
        "manager": manager,
        "teacher": teacher,
        "offer": offer,
    }


def propose(net, world, **changes):
    raw = {**pupil_form(world["school"].id, **changes), "offer": world["offer"].id}
    return net.run(placements.propose, world["teacher"], raw)


def test_a_schedule_breaking_the_rules_for_minors_is_refused_with_its_rule(app, net, world):
    client = sign_in(app.test_client(), world["teacher"])
    page = f"/stages/offres/{world['offer'].id}"
    night = "\n".join(f"{d} 13:00-20:30" for d in ("Mon", "Tue", "Wed", "Thu", "Fri"))
    refused = post(client, page, f"{page}/proposer", pupil_form(world["school"].id, schedule=night))
    assert refused.status_code == 422
    assert "L3163-1" in refused.text  # no presence after 20:00 under 16
    assert "L3162-3" in refused.text  # 7 h 30 without a break
    assert "Léa" in refused.text  # the form is shown again with what was typed
    in_holidays = pupil_form(world["school"].id, first_day="2026-04-13", last_day="2026-04-17")
    refused = post(client, page, f"{page}/proposer", in_holidays)
    assert refused.status_code == 422
    assert "D332-14" in refused.text
    assert net.run(Placement.select().count) == 0


def test_a_pupil_turning_16_during_the_stay_keeps_the_rules_of_under_16(net, world):
    # Until 21:00: lawful from 16 (night from 22:00), not under 16 (night from 20:00).
    evenings = "\n".join(
        f"{d} 14:00-17:00 17:30-21:00" for d in ("Mon", "Tue", "Wed", "Thu", "Fri")
    )
    # Born on 25 March 2010: 15 on Monday 23 March 2026, 16 on Wednesday.
    with pytest.raises(Invalid) as refused:
        propose(net, world, pupil_birth_date="2010-03-25", schedule=evenings)
    assert "L3163-1" in " ".join(refused.value.errors["schedule"])
    older = propose(net, world, pupil_birth_date="2010-03-01", schedule=evenings)
    assert older.status == "proposed"


def test_only_the_school_and_the_host_see_the_pupil(app, net, world):
    placement = propose(net, world)
    other_school = net.organisation(
        "Collège Voltaire", kind=OrganisationKind.COLLEGE, uai="0590002B"
    )
    others = [
        net.account(Role.EDUCATOR, organisation=other_school),
        net.account(Role.REFERENT, territory=net.nord),
        net.account(Role.ADMIN),
    ]
    for person in others:
        client = sign_in(app.test_client(), person)
        assert client.get(f"/stages/eleves/{placement.id}").status_code == 404
        assert "Dumont" not in client.get("/stages/eleves").text
    for person in (world["teacher"], world["manager"]):
        page = sign_in(app.test_client(), person).get(f"/stages/eleves/{placement.id}")
        assert page.status_code == 200
        assert "Léa Dumont" in page.text


def test_the_last_place_goes_to_one_pupil_only(net, world):
    first = propose(net, world)
    second = propose(net, world, pupil_first_name="Hugo", guardian2_name="", guardian2_email="")
    net.run(placements.answer, world["manager"], first.id, {"outcome": "accept"})
    with pytest.raises(Conflict):
        net.run(placements.answer, world["manager"], second.id, {"outcome": "accept"})
    assert net.run(Placement.get_by_id, second.id).status == "proposed"


def test_the_hosts_cap_holds_across_its_offers(make_app, clock):
    from .conftest import Network

    app = make_app(plugins=["stages"], settings={"stages": {"host_cap": 1}})
    net = Network(app)
    clock.pin(moment("2026-03-02T09:00"))
    bakery = net.organisation("Boulangerie des Arts", siret="12345678900017")
    school = net.organisation("Collège Jean Jaurès", kind=OrganisationKind.COLLEGE, uai="0590001A")
    manager = net.account(Role.PARTNER_MANAGER, organisation=bakery)
    teacher = net.account(Role.EDUCATOR, organisation=school)
    made = []
    for occupation in ("Boulanger", "Pâtissier"):
        offer = net.run(offers.publish, manager, bakery.id, offer_form(occupation=occupation))
        raw = {**pupil_form(school.id), "offer": offer.id}
        made.append(net.run(placements.propose, teacher, raw))
    net.run(placements.answer, manager, made[0].id, {"outcome": "accept"})
    with pytest.raises(Conflict):
        net.run(placements.answer, manager, made[1].id, {"outcome": "accept"})


def test_two_acceptances_at_the_same_moment_cannot_both_take_the_last_place(
    app, net, world, monkeypatch
):
    made = [propose(net, world), propose(net, world, pupil_first_name="Hugo")]
    barrier = threading.Barrier(2, timeout=10)
    lock = placements._lock_host

    def lock_together(host_id):
        barrier.wait()
        lock(host_id)

    monkeypatch.setattr(placements, "_lock_host", lock_together)
    outcomes = []

    def run(placement_id):
        with app.app_context():
            try:
                placements.answer(world["manager"], placement_id, {"outcome": "accept"})
                outcomes.append("won")
            except Conflict:
                outcomes.append("conflict")
            finally:
                current().database.close()

    threads = [threading.Thread(target=run, args=(p.id,)) for p in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "won"]
    statuses = net.run(lambda: sorted(p.status for p in Placement.select()))
    assert statuses == ["accepted", "proposed"]


def test_a_search_finds_masculine_and_feminine_forms_and_keeps_to_the_territory(app, net, world):
    somme = net.organisation("Coiffure Picarde", siret="98765432100019", territory=net.somme)
    manager = net.account(Role.PARTNER_MANAGER, organisation=somme)
    net.run(
        offers.publish,
        manager,
        somme.id,
        offer_form(occupation="Coiffeuse", rome_code="D1202", territory="80", place="Amiens"),
    )
    client = sign_in(app.test_client(), world["teacher"])
    for query, expected in (
        ("q=BOULANGÈRE", ["Boulanger"]),
        ("q=coiffeur", ["Coiffeuse"]),
        ("q=coiffeurs&territory=59", []),
        ("territory=80", ["Coiffeuse"]),
        ("q=d1102", ["Boulanger"]),
    ):
        found = client.get(f"/api/v1/stages/offers?{query}").json
        assert [item["occupation"] for item in found["items"]] == expected, query


def test_referents_highlight_the_offers_of_their_territory_only(app, net, world):
    net.run(
        offers.publish,
        world["manager"],
        world["bakery"].id,
        offer_form(occupation="Pâtissier", first_day="2026-03-01"),
    )
    referent = net.account(Role.REFERENT, territory=net.nord)
    elsewhere = net.account(Role.REFERENT, territory=net.somme)
    page = f"/stages/offres/{world['offer'].id}"
    client = sign_in(app.test_client(), elsewhere)
    assert "Mettre cette offre en avant" not in client.get(page).text
    assert post(client, "/mon-compte", f"{page}/mise-en-avant", {"on": "1"}).status_code == 403
    client = sign_in(app.test_client(), referent)
    assert post(client, page, f"{page}/mise-en-avant", {"on": "1"}).status_code == 302
    found = sign_in(app.test_client(), world["teacher"]).get("/api/v1/stages/offers").json
    # Highlighted first, though the other starts earlier.
    assert [item["occupation"] for item in found["items"]] == ["Boulanger", "Pâtissier"]
    assert found["items"][0]["highlighted"] is True


def test_a_search_by_distance_keeps_the_hosts_near_the_school(app, net, world, clock):
    lille = net.organisation(
        "Collège de Lille",
        kind=OrganisationKind.COLLEGE,
        uai="0590003C",
        latitude=50.63,
        longitude=3.06,
    )
    teacher = net.account(Role.EDUCATOR, organisation=lille)
    for name, siret, latitude, longitude in (
        ("Fournil de Roubaix", "11111111100011", 50.69, 3.18),  # about 11 km
        ("Fournil d'Amiens", "22222222200022", 49.89, 2.30),  # about 100 km
    ):
        host = net.organisation(name, siret=siret, latitude=latitude, longitude=longitude)
        manager = net.account(Role.PARTNER_MANAGER, organisation=host)
        net.run(offers.publish, manager, host.id, offer_form(place=name))
    client = sign_in(app.test_client(), teacher)
    found = client.get(f"/api/v1/stages/offers?school={lille.id}&km=20").json
    assert [item["host"] for item in found["items"]] == ["Fournil de Roubaix"]
    found = client.get(f"/api/v1/stages/offers?school={lille.id}&km=150").json
    assert len(found["items"]) == 2
    no_place = client.get(f"/api/v1/stages/offers?school={world['school'].id}&km=20")
    assert no_place.status_code == 422


def test_a_seconde_stay_may_split_between_two_hosts_but_not_three(net, world):
    hosts = []
    for name, siret in (
        ("Garage du Nord", "33333333300033"),
        ("Atelier Vélo", "44444444400044"),
        ("Ferme Bio", "55555555500055"),
    ):
        host = net.organisation(name, siret=siret)
        manager = net.account(Role.PARTNER_MANAGER, organisation=host)
        offer = net.run(
            offers.publish, manager, host.id, offer_form(levels=["2de"], last_day="2026-06-30")
        )
        hosts.append(offer)
    seconde = {"level": "2de", "pupil_birth_date": "2010-05-02", "pupil_class": "2de 4"}
    weeks = [
        ("2026-06-15", "2026-06-19"),
        ("2026-06-22", "2026-06-26"),
        ("2026-06-29", "2026-06-30"),
    ]
    for offer, (first, last) in zip(hosts[:2], weeks[:2], strict=True):
        raw = {
            **pupil_form(world["school"].id, **seconde, first_day=first, last_day=last),
            "offer": offer.id,
        }
        assert net.run(placements.propose, world["teacher"], raw).status == "proposed"
    raw = {
        **pupil_form(world["school"].id, **seconde, first_day=weeks[2][0], last_day=weeks[2][1]),
        "offer": hosts[2].id,
    }
    with pytest.raises(Invalid) as refused:
        net.run(placements.propose, world["teacher"], raw)
    assert "entre deux structures" in " ".join(refused.value.errors["first_day"])


def test_a_holiday_mini_stage_takes_place_during_the_holidays(net, world):
    offer = net.run(
        offers.publish,
        world["manager"],
        world["bakery"].id,
        offer_form(levels=["holidays"], first_day="2026-04-01", last_day="2026-04-30"),
    )
    # Zone B's spring holidays run from 11 to 27 April 2026.
    raw = {**pupil_form(world["school"].id, level="holidays"), "offer": offer.id}
    in_holidays = {**raw, "first_day": "2026-04-14", "last_day": "2026-04-16"}
    assert net.run(placements.propose, world["teacher"], in_holidays).status == "proposed"
    in_school_time = {**raw, "first_day": "2026-04-07", "last_day": "2026-04-09"}
    with pytest.raises(Invalid) as refused:
        net.run(placements.propose, world["teacher"], in_school_time)
    assert "vacances scolaires" in " ".join(refused.value.errors["first_day"])


def test_the_dashboard_says_what_waits_for_the_host_and_the_school(app, net, world):
    placement = propose(net, world)
    host = sign_in(app.test_client(), world["manager"]).get("/tableau-de-bord").text
    assert "1 élève attend votre réponse." in host
    net.run(placements.answer, world["manager"], placement.id, {"outcome": "accept"})
    school = sign_in(app.test_client(), world["teacher"]).get("/tableau-de-bord").text
    assert "1 convention n" in school
    assert "est pas encore signée par tous." in school


def test_a_birth_date_after_the_stay_is_refused_by_name(net, world):
    with pytest.raises(Invalid) as refused:
        propose(net, world, pupil_birth_date="2026-04-01")
    assert list(refused.value.errors) == ["pupil_birth_date"]


def test_an_ambassador_publishes_for_their_employer_only(net, world):
    account = net.account(Role.AMBASSADOR)
    net.run(
        Ambassador.create,
        account=account,
        kind="professional",
        occupation="Boulangère",
        organisation=world["bakery"],
        search_text="boulangere",
    )
    offer = net.run(offers.publish, account, world["bakery"].id, offer_form(occupation="Vendeuse"))
    assert offer.host_id == world["bakery"].id
    with pytest.raises(NotAllowed):
        net.run(offers.publish, account, world["school"].id, offer_form())


def test_an_offer_of_several_periods_takes_pupils_within_one_of_them(app, net, world):
    client = sign_in(app.test_client(), world["manager"])
    form = f"/stages/hotes/{world['bakery'].id}/offres"
    periods = "2026-03-16 2026-03-20\n2026-05-18 2026-05-29"
    raw = {**offer_form(occupation="Pâtissière", periods=periods), "first_day": "", "last_day": ""}
    published = post(client, form, form, raw)
    assert published.status_code == 302, published.text
    offer_id = int(published.headers["Location"].rsplit("/", 1)[1])
    found = sign_in(app.test_client(), world["teacher"]).get("/api/v1/stages/offers?q=patissier")
    assert found.json["items"][0]["periods"] == [
        ["2026-03-16", "2026-03-20"],
        ["2026-05-18", "2026-05-29"],
    ]
    inside = {**pupil_form(world["school"].id), "offer": offer_id}
    inside.update(first_day="2026-05-18", last_day="2026-05-22")
    assert net.run(placements.propose, world["teacher"], inside).status == "proposed"
    between = {**inside, "first_day": "2026-03-23", "last_day": "2026-03-27"}
    with pytest.raises(Invalid) as refused:
        net.run(placements.propose, world["teacher"], between)
    assert "18 mai 2026 – 29 mai 2026" in refused.value.errors["first_day"][0]
    wrong = post(client, form, form, {**raw, "periods": "2026-03-20 2026-03-16"})
    assert wrong.status_code == 422


def test_the_host_is_told_of_a_proposed_pupil_with_the_first_day_in_words(net, world, deliver):
    deliver()
    propose(net, world)
    [body] = [m.body for m in deliver() if "propose un élève" in m.body]
    assert "à partir du 23 mars 2026" in body
    assert "2026-03-23" not in body
