"""Figures and equity: placements by territory, level, gender, sector and priority flags;
referents see the priority schools' 3e classes still without placement a month before;
the API checks a schedule; personal data and retention."""

from __future__ import annotations

import datetime

from tremplin.auth.models import Role
from tremplin.organisations.models import OrganisationKind
from tremplin.people.models import Ambassador
from tremplin.plugins.stages import offers, overview, placements, privacy
from tremplin.plugins.stages.models import Offer, Placement
from tremplin.stats.figures import Period
from tremplin.testing import csrf_token_from, sign_in

from .conftest import moment, offer_form, post, pupil_form


def test_key_figures_count_placements_by_level_gender_sector_and_priority(net, clock):
    clock.pin(moment("2026-03-02T09:00"))
    bakery = net.organisation("Boulangerie des Arts", siret="12345678900017")
    rep = net.organisation(
        "Collège Jean Jaurès", kind=OrganisationKind.COLLEGE, uai="0590001A", rep=True
    )
    amiens = net.organisation(
        "Collège de la Somme", kind=OrganisationKind.COLLEGE, uai="0800001A", territory=net.somme
    )
    manager = net.account(Role.PARTNER_MANAGER, organisation=bakery)
    ambassador_account = net.account(Role.AMBASSADOR)
    net.run(
        Ambassador.create,
        account=ambassador_account,
        kind="professional",
        occupation="Boulangère",
        sector="Alimentation",
        organisation=bakery,
        search_text="boulangere",
    )
    offer = net.run(offers.publish, manager, bakery.id, offer_form(places="5"))
    made = []
    for school, gender, first in (
        (rep, "female", "Léa"),
        (rep, "male", "Hugo"),
        (amiens, None, "Inès"),
    ):
        teacher = net.account(Role.EDUCATOR, organisation=school)
        raw = {**pupil_form(school.id, pupil_first_name=first), "offer": offer.id}
        if gender is None:
            raw.pop("pupil_gender")
        made.append(net.run(placements.propose, teacher, raw))
    for placement in made:
        net.run(placements.answer, manager, placement.id, {"outcome": "accept"})
    net.run(placements.cancel, manager, made[1].id, {"reason": "Déménagement"})

    period = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    figures = {f.key: f.value for f in net.run(overview.key_figures, period, net.region)}
    assert figures["stages.placements"] == 2  # the cancelled one does not count
    assert figures["stages.placements.level.3e"] == 2
    assert figures["stages.placements.gender.female"] == 1
    assert figures["stages.placements.gender.unknown"] == 1
    assert figures["stages.placements.rep"] == 1
    assert figures["stages.placements.qpv"] == 0
    assert figures["stages.placements.sector.Alimentation"] == 2
    nord = {f.key: f.value for f in net.run(overview.key_figures, period, net.nord)}
    assert nord["stages.placements"] == 1  # the school's territory counts


def test_referents_see_priority_classes_without_placement_a_month_before(app, net, clock):
    clock.pin(moment("2026-03-02T09:00"))
    rep = net.organisation(
        "Collège Jean Jaurès", kind=OrganisationKind.COLLEGE, uai="0590001A", rep=True
    )
    plain = net.organisation("Collège Voltaire", kind=OrganisationKind.COLLEGE, uai="0590002B")
    far = net.organisation(
        "Collège rural de Picardie",
        kind=OrganisationKind.COLLEGE,
        uai="0800001A",
        rural=True,
        territory=net.somme,
    )
    bakery = net.organisation("Boulangerie des Arts", siret="12345678900017")
    manager = net.account(Role.PARTNER_MANAGER, organisation=bakery)
    offer = net.run(offers.publish, manager, bakery.id, offer_form(places="5"))
    for school in (rep, plain, far):
        teacher = net.account(Role.EDUCATOR, organisation=school)
        client = sign_in(app.test_client(), teacher)
        page = f"/stages/ecoles/{school.id}/classes"
        for name, first in (("3e B", "2026-03-23"), ("3e C", "2026-05-18")):
            last = (datetime.date.fromisoformat(first) + datetime.timedelta(days=4)).isoformat()
            saved = post(
                client,
                page,
                page,
                {"name": name, "pupils": "2", "first_day": first, "last_day": last},
            )
            assert saved.status_code == 302, saved.text
    teacher = net.account(Role.EDUCATOR, organisation=rep)
    for first in ("Léa", "Hugo"):
        made = net.run(
            placements.propose,
            teacher,
            {**pupil_form(rep.id, pupil_first_name=first), "offer": offer.id},
        )
        if first == "Léa":
            net.run(placements.answer, manager, made.id, {"outcome": "accept"})

    referent = net.account(Role.REFERENT, territory=net.nord)
    rows = net.run(overview.classes_without_placement, referent)
    # Jaurès' 3e B starts in three weeks with one pupil of two placed; Voltaire is not a
    # priority school; the Somme is another referent's; 3e C starts in eleven weeks.
    assert [(r.school, r.name, r.without) for r in rows] == [("Collège Jean Jaurès", "3e B", 1)]
    page = sign_in(app.test_client(), referent).get("/stages/classes-sans-stage")
    assert "Collège Jean Jaurès" in page.text
    assert "Léa" not in page.text
    assert "Hugo" not in page.text
    admin = net.account(Role.ADMIN)
    assert len(net.run(overview.classes_without_placement, admin)) == 2
    refused = sign_in(app.test_client(), teacher).get("/stages/classes-sans-stage")
    assert refused.status_code == 403


def test_the_api_checks_a_schedule_in_the_readers_language(app, net):
    school = net.organisation("Collège Jean Jaurès", kind=OrganisationKind.COLLEGE, uai="0590001A")
    teacher = net.account(Role.EDUCATOR, organisation=school)
    client = sign_in(app.test_client(), teacher)
    headers = {"X-CSRFToken": csrf_token_from(client, f"/stages/ecoles/{school.id}/classes")}
    body = {
        "level": "3e",
        "birth_date": "2011-09-15",
        "first_day": "2026-03-23",
        "last_day": "2026-03-27",
        "schedule": {d: [["08:00", "16:00"]] for d in ("Mon", "Tue", "Wed", "Thu", "Fri")},
    }
    answer = client.post("/api/v1/stages/check", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json["lawful"] is False
    assert [v["code"] for v in answer.json["violations"]] == [
        "daily_hours",
        "weekly_hours",
        "break",
    ]
    assert "7 heures" in answer.json["violations"][0]["message"]
    body["schedule"] = {"Mon": [["09:00", "25:00"]]}
    assert client.post("/api/v1/stages/check", json=body, headers=headers).status_code == 422
    lawful = dict(
        body,
        schedule={
            d: [["09:00", "12:00"], ["13:30", "17:00"]] for d in ("Mon", "Tue", "Wed", "Thu", "Fri")
        },
    )
    assert client.post("/api/v1/stages/check", json=lawful, headers=headers).json == {
        "lawful": True,
        "violations": [],
    }


def test_personal_data_erasure_and_retention(net, clock):
    clock.pin(moment("2026-03-02T09:00"))
    bakery = net.organisation("Boulangerie des Arts", siret="12345678900017")
    school = net.organisation("Collège Jean Jaurès", kind=OrganisationKind.COLLEGE, uai="0590001A")
    manager = net.account(Role.PARTNER_MANAGER, organisation=bakery)
    teacher = net.account(Role.EDUCATOR, organisation=school)
    offer = net.run(offers.publish, manager, bakery.id, offer_form())
    net.run(placements.propose, teacher, {**pupil_form(school.id), "offer": offer.id})
    data = net.run(privacy.personal_data, teacher)
    assert list(data) == ["Stages : élèves proposés"]
    assert "Dumont" not in str(data)  # the pupil's data is not the teacher's
    net.run(privacy.erase, teacher)
    assert net.run(Placement.get).teacher_id is None
    # Kept a year after the school year of the stay (31 August 2026), then deleted.
    net.run(privacy.purge, moment("2027-08-30T00:00"))
    assert net.run(Placement.select().count) == 1
    net.run(privacy.purge, moment("2027-09-01T00:00"))
    assert net.run(Placement.select().count) == 0
    assert net.run(Offer.select().count) == 0


def test_the_statistics_page_shows_the_placements(app, net):
    admin = net.account(Role.ADMIN)
    page = sign_in(app.test_client(), admin).get("/statistiques")
    assert page.status_code == 200
    assert "Stages : élèves placés" in page.text
    assert "Offres de stage" in page.text
