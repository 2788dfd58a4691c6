"""Registration of candidates: the public form, eligibility at the boundaries of the target
year, the guardian of a minor, team skills, the referent's check, and the CSV import from
the command line."""

from __future__ import annotations

import datetime

import pytest

from tremplin import clock
from tremplin.auth.models import Role
from tremplin.errors import Conflict, Invalid, NotAllowed
from tremplin.plugins.worldskills import candidates, competitions
from tremplin.plugins.worldskills.models import Candidate
from tremplin.territories.models import Territory

from .conftest import post_form, sign_in


@pytest.fixture
def setting(net):
    """A regional selection of this year for WorldSkills next year; a skill at most 22, a
    team skill at most 25; a CFA and a referent of the region."""
    admin = net.account(Role.ADMIN)
    year = clock.today().year
    world = net.run(
        competitions.create,
        admin,
        {"name": "WorldSkills", "level": "worldskills", "edition": "49",
         "starts_on": f"{year + 1}-09-10", "ends_on": f"{year + 1}-09-15"},
    )  # fmt: skip
    regional = net.run(
        competitions.create,
        admin,
        {"name": "Sélections", "level": "regional", "edition": "49", "territory": "hdf",
         "starts_on": f"{year}-11-02", "ends_on": f"{year}-11-04", "selects_for": world.id},
    )  # fmt: skip
    solo = net.run(
        competitions.add_skill,
        admin,
        regional.id,
        {"number": 34, "name": "Cuisine", "max_age": 22},
    )
    team = net.run(
        competitions.add_skill,
        admin,
        regional.id,
        {"number": 3, "name": "Mechatronics", "max_age": 25, "team": "yes"},
    )
    return {
        "admin": admin,
        "competition": regional,
        "solo": solo,
        "team": team,
        "cfa": net.organisation("CFA des Flandres"),
        "target": year + 1,
        "referent": net.account(Role.REFERENT, territory=net.region),
    }


def registration(setting, born: datetime.date, **changes):
    return {
        "skill": str(setting["solo"].id),
        "first_name": "Lina",
        "last_name": "Durand",
        "birth_date": born.isoformat(),
        "pathway": "school",
        "training_centre": str(setting["cfa"].id),
        "consent": "yes",
        **changes,
    }


def test_born_on_1_january_of_the_first_allowed_year_registers_31_december_before_does_not(
    net, setting
):
    first_year = setting["target"] - 22
    ok = net.run(
        candidates.register,
        None,
        setting["competition"].id,
        registration(setting, datetime.date(first_year, 1, 1)),
    )
    assert ok.status == "pending"
    also = registration(setting, datetime.date(first_year, 12, 31), first_name="Tom")
    assert net.run(candidates.register, None, setting["competition"].id, also).id
    with pytest.raises(Invalid) as refused:
        net.run(
            candidates.register,
            None,
            setting["competition"].id,
            registration(setting, datetime.date(first_year - 1, 12, 31), first_name="Max"),
        )
    assert refused.value.errors["birth_date"] == [
        f"Limite d’âge dépassée : naissance avant le 1er janvier {first_year} "
        f"(22 ans au plus en {setting['target']})."
    ]


def test_the_public_form_shows_a_minor_s_missing_guardian_again_with_the_values(app, net, setting):
    client = app.test_client()
    path = f"/worldskills/concours/{setting['competition'].id}/inscription"
    born = clock.today().replace(year=clock.today().year - 16)
    answer = post_form(client, path, path, registration(setting, born))
    assert answer.status_code == 422
    assert "représentant légal" in answer.text
    assert 'value="Durand"' in answer.text
    assert net.run(Candidate.select().count) == 0
    answer = post_form(
        client,
        path,
        path,
        registration(setting, born, guardian_name="Sam Durand", guardian_consent="yes"),
    )
    assert answer.status_code == 200
    assert "Inscription reçue" in answer.text
    stored = net.run(Candidate.get)
    assert (stored.guardian_name, stored.guardian_consent_at is not None) == ("Sam Durand", True)
    assert stored.registered_by_id is None


def test_without_consent_nothing_is_registered(net, setting):
    raw = registration(setting, datetime.date(2005, 5, 5), consent="")
    with pytest.raises(Invalid) as refused:
        net.run(candidates.register, None, setting["competition"].id, raw)
    assert "consent" in refused.value.errors


def test_a_team_skill_needs_the_team_s_name(net, setting):
    raw = registration(setting, datetime.date(2005, 5, 5), skill=str(setting["team"].id))
    with pytest.raises(Invalid) as refused:
        net.run(candidates.register, None, setting["competition"].id, raw)
    assert refused.value.errors["team"] == [
        "C’est un métier en équipe : indiquez le nom de l’équipe."
    ]


def test_only_referents_of_the_territory_check_and_a_refusal_says_why(net, setting):
    candidate = net.run(
        candidates.register,
        None,
        setting["competition"].id,
        registration(setting, datetime.date(2005, 5, 5)),
    )
    elsewhere = net.run(Territory.create, code="bzh", name="Bretagne", kind="region")
    outsider = net.account(Role.REFERENT, territory=elsewhere)
    with pytest.raises(NotAllowed):
        net.run(candidates.check, outsider, candidate.id, {"decision": "accepted"})
    with pytest.raises(Invalid):
        net.run(candidates.check, setting["referent"], candidate.id, {"decision": "refused"})
    refused = net.run(
        candidates.check,
        setting["referent"],
        candidate.id,
        {"decision": "refused", "reason": "Dossier incomplet"},
    )
    assert (refused.status, refused.refusal) == ("refused", "Dossier incomplet")
    with pytest.raises(Conflict):
        net.run(candidates.check, setting["referent"], candidate.id, {"decision": "accepted"})


def test_the_command_line_imports_candidates_and_reports_bad_rows(
    app, net, setting, run_cli, tmp_path
):
    first_year = setting["target"] - 22
    competition = setting["competition"].id
    path = tmp_path / "candidats.csv"
    path.write_text(
        "competition;skill;first_name;last_name;birth_date;pathway;training_centre;employer;consent\n"
        f"{competition};34;Lina;Durand;{first_year}-01-01;school;CFA des Flandres;;yes\n"
        f"{competition};34;Max;Trop;{first_year - 1}-12-31;school;CFA des Flandres;;yes\n"
        f"{competition};99;Tom;Caron;{first_year}-05-01;school;CFA des Flandres;;yes\n"
        f"9999;34;Zoé;Lemaire;{first_year}-05-01;school;CFA des Flandres;;yes\n",
        encoding="utf-8",
    )
    result = run_cli(app, "import", "worldskills-candidates", str(path))
    assert result.exit_code == 1, result.output
    assert "Candidats : 1 créé(s), 0 mis à jour, 0 inchangé(s), 3 rejeté(s)" in result.output
    assert "Limite d’âge dépassée" in result.output
    assert "Ce concours n’a pas de métier numéro 99." in result.output
    again = run_cli(app, "import", "worldskills-candidates", str(path))
    assert "Candidats : 0 créé(s), 0 mis à jour, 1 inchangé(s), 3 rejeté(s)" in again.output
    assert net.run(Candidate.select().count) == 1


def test_a_training_centre_sees_the_form_and_registers_in_its_name(app, net, setting):
    educator = net.account(Role.EDUCATOR, organisation=setting["cfa"])
    client = sign_in(app.test_client(), educator)
    path = f"/worldskills/concours/{setting['competition'].id}/inscription"
    answer = post_form(client, path, path, registration(setting, datetime.date(2005, 5, 5)))
    assert answer.status_code == 200
    assert net.run(Candidate.get).registered_by_id == educator.id
