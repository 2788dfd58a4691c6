"""The GDPR hooks (what a person reads, what their erasure removes, the register, the
retention) and the key figures: candidates by skill, gender, pathway and territory; medals."""

from __future__ import annotations

import datetime

import pytest

from tremplin.auth.models import Role
from tremplin.plugins.worldskills import candidates, competitions, judges, marks
from tremplin.plugins.worldskills.models import Candidate, Result
from tremplin.runtime import hooks
from tremplin.stats.figures import Period, key_figures

from .conftest import post_form, sign_in

PEOPLE = (
    ("Lina", "female", "apprenticeship", 90),
    ("Tom", "male", "school", 80),
    ("Jade", "female", "school", 70),
    ("Nael", None, "continuing", 40),
)


@pytest.fixture
def selection(net):
    """A regional selection of 2026 in one skill marked on one measurement aspect, locked:
    Lina gold, Tom silver, Jade bronze, Nael nothing (70 and 40 below the median 75)."""
    admin = net.account(Role.ADMIN)
    competition = net.run(
        competitions.create,
        admin,
        {"name": "Sélections", "level": "regional", "edition": "49", "territory": "hdf",
         "starts_on": "2026-06-02", "ends_on": "2026-06-04"},
    )  # fmt: skip
    raw = {"number": 34, "name": "Cuisine", "max_age": 22}
    skill = net.run(competitions.add_skill, admin, competition.id, raw)
    aspect = net.run(
        competitions.add_aspect,
        admin,
        skill.id,
        {"code": "A", "title": "Tout", "kind": "measurement", "max_mark": "100"},
    )
    cfa = net.organisation("CFA des Flandres")
    employer = net.organisation("Brasserie du Beffroi", kind="company", siret="12345678900017")
    chief = net.account(email="chief@example.org")
    net.run(judges.appoint, admin, skill.id, {"email": chief.email, "role": "chief_expert"})
    made = {}
    for number, (name, gender, pathway, mark) in enumerate(PEOPLE):
        raw = {
            "skill": skill.id, "first_name": name, "last_name": "Durand",
            "birth_date": datetime.date(2005, 1 + number, 9).isoformat(), "pathway": pathway,
            "training_centre": cfa.name if pathway != "continuing" else None,
            "employer": employer.siret if pathway == "apprenticeship" else None,
            "email": f"{name.lower()}@example.org", "gender": gender, "consent": "yes",
        }  # fmt: skip
        candidate = net.run(candidates.register, None, competition.id, raw)
        net.run(candidates.check, admin, candidate.id, {"decision": "accepted"})
        raw = {"aspect": aspect.id, "candidate": candidate.id, "value": mark}
        net.run(marks.enter, chief, skill.id, raw)
        made[name] = candidate
    net.run(marks.lock, chief, skill.id)
    return {"admin": admin, "competition": competition, "made": made}


def figures_of(net, territory, start="2026-01-01", end="2026-12-31"):
    period = Period(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
    found = net.run(lambda: key_figures(territory, period))
    return {
        figure.key: figure.value for figure in found.rows if figure.key.startswith("worldskills")
    }


def test_key_figures_count_candidates_by_skill_gender_pathway_territory_and_the_medals(
    net, selection
):
    figures = figures_of(net, net.region)
    assert figures["worldskills.candidates"] == 4
    assert figures["worldskills.candidates.skill.Cuisine"] == 4
    assert figures["worldskills.candidates.gender.female"] == 2
    assert figures["worldskills.candidates.gender.male"] == 1
    assert figures["worldskills.candidates.gender.-"] == 1
    assert figures["worldskills.candidates.pathway.school"] == 2
    assert figures["worldskills.candidates.pathway.apprenticeship"] == 1
    assert figures["worldskills.candidates.pathway.continuing"] == 1
    # Nael trains in continuing education, without a training centre: no territory.
    assert figures["worldskills.candidates.territory.Nord"] == 3
    assert figures["worldskills.candidates.territory.-"] == 1
    awards = ("gold", "silver", "bronze", "medallion")
    assert [figures[f"worldskills.awards.{award}"] for award in awards] == [1, 1, 1, 0]
    assert figures_of(net, net.nord)["worldskills.candidates"] == 3
    assert figures_of(net, net.region, "2025-01-01", "2025-12-31")["worldskills.candidates"] == 0


def test_a_candidate_reads_their_registration_and_result_and_nothing_of_others(net, selection):
    lina = net.account(email="lina@example.org", first_name="Lina", last_name="Durand")
    answers = net.run(lambda: hooks().personal_data(person=lina))
    mine = next(answer for answer in answers if "Inscriptions WorldSkills" in answer)
    [registration] = mine["Inscriptions WorldSkills"]
    assert registration["first_name"] == "Lina"
    assert registration["birth_date"] == "2005-01-09"
    assert registration["award"] == "gold"
    stranger = net.account(email="someone@example.org")
    answers = net.run(lambda: hooks().personal_data(person=stranger))
    assert not any("Inscriptions WorldSkills" in answer for answer in answers)


def test_erasing_a_candidate_keeps_the_result_without_the_person(net, selection):
    lina = net.account(email="lina@example.org")
    net.run(lambda: hooks().erase_personal_data(person=lina))
    erased = net.run(Candidate.get_by_id, selection["made"]["Lina"].id)
    assert (erased.first_name, erased.last_name, erased.email) == ("", "", None)
    assert erased.birth_date == datetime.date(2005, 1, 1)
    assert net.run(Result.get, Result.candidate == erased.id).award == "gold"
    tom = net.run(Candidate.get_by_id, selection["made"]["Tom"].id)
    assert tom.first_name == "Tom"


def test_candidates_are_anonymised_kept_years_after_their_competition(net, selection):
    # The competition ended on 4 June 2026: three years later to the day, still kept.
    on_the_day = datetime.datetime(2029, 6, 4, 12, tzinfo=datetime.UTC)
    net.run(lambda: hooks().purge_expired(now=on_the_day))
    assert net.run(Candidate.get_by_id, selection["made"]["Tom"].id).first_name == "Tom"
    later = datetime.datetime(2029, 6, 6, tzinfo=datetime.UTC)
    net.run(lambda: hooks().purge_expired(now=later))
    names = net.run(lambda: sorted(c.first_name for c in Candidate.select()))
    assert names == ["", "", "", ""]


def test_the_register_names_candidates_judges_and_invitations(app, net, selection):
    page = app.test_client().get("/donnees-personnelles").text
    for name in ("Candidats WorldSkills", "Jurys WorldSkills", "Invitations des médaillés"):
        assert name in page
    assert "Anonymisées 3 ans après la fin du concours." in page


def test_the_public_results_never_show_last_names_nor_birth_dates(app, net, selection):
    admin = sign_in(app.test_client(), selection["admin"])
    competition = selection["competition"]
    post_form(
        admin,
        f"/worldskills/concours/{competition.id}/publication",
        f"/worldskills/concours/{competition.id}",
        {},
    )
    skill_id = selection["made"]["Lina"].skill_id
    page = app.test_client().get(f"/worldskills/resultats/{competition.id}/{skill_id}").text
    assert "Lina D." in page
    assert "Durand" not in page
    assert "2005" not in page


def test_an_email_typed_in_capitals_still_finds_the_registration(net, selection):
    competition = selection["competition"]
    skill_id = selection["made"]["Lina"].skill_id
    raw = {
        "skill": skill_id, "first_name": "Zoé", "last_name": "Caron", "birth_date": "2006-02-02",
        "pathway": "continuing", "email": "Zoe.Caron@Example.org", "consent": "yes",
    }  # fmt: skip
    net.run(candidates.register, None, competition.id, raw)
    zoe = net.account(email="zoe.caron@example.org")
    answers = net.run(lambda: hooks().personal_data(person=zoe))
    assert any("Inscriptions WorldSkills" in answer for answer in answers)
