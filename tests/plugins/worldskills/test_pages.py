"""Bad input on the pages: each form is shown again with its values and messages (422),
nothing half-written; who may not see a page gets 403 or 404."""

from __future__ import annotations

import datetime
import io

import pytest

from tremplin.auth.models import Role
from tremplin.plugins.worldskills import candidates, competitions
from tremplin.plugins.worldskills.models import Aspect, Competition

from .conftest import post_form, sign_in


@pytest.fixture
def ready(app, net):
    """A referent of the region signed in, a regional selection with a skill and a candidate."""
    referent = net.account(Role.REFERENT, territory=net.region)
    competition = net.run(
        competitions.create,
        referent,
        {"name": "Sélections", "level": "regional", "edition": "49", "territory": "hdf",
         "starts_on": "2026-06-02", "ends_on": "2026-06-04"},
    )  # fmt: skip
    raw = {"number": 34, "name": "Cuisine", "max_age": 22}
    skill = net.run(competitions.add_skill, referent, competition.id, raw)
    net.organisation("CFA des Flandres")
    candidate = net.run(
        candidates.register,
        None,
        competition.id,
        {"skill": skill.id, "first_name": "Lina", "last_name": "Durand",
         "birth_date": datetime.date(2005, 3, 3).isoformat(), "pathway": "school",
         "training_centre": "cfa des flandres", "consent": "yes"},
    )  # fmt: skip
    client = sign_in(app.test_client(), referent)
    return {"client": client, "competition": competition, "skill": skill, "candidate": candidate}


def test_a_competition_ending_before_it_starts_is_shown_again(net, ready):
    answer = post_form(
        ready["client"],
        "/worldskills/concours",
        "/worldskills/",
        {"name": "Finales", "level": "national", "edition": "49",
         "starts_on": "2026-11-10", "ends_on": "2026-11-01"},
    )  # fmt: skip
    assert answer.status_code == 422
    assert "Le concours ne peut pas finir avant de commencer." in answer.text
    assert 'value="Finales"' in answer.text
    assert net.run(Competition.select().count) == 1


def test_a_scheme_over_100_marks_is_refused_and_a_refusal_needs_a_reason(net, ready):
    page = f"/worldskills/epreuves/{ready['skill'].id}"
    answer = post_form(
        ready["client"],
        f"{page}/aspects",
        page,
        {"code": "A", "title": "Tout", "kind": "measurement", "max_mark": "100.5"},
    )
    assert answer.status_code == 422
    assert net.run(Aspect.select().count) == 0
    competition_page = f"/worldskills/concours/{ready['competition'].id}"
    refused = post_form(
        ready["client"],
        f"/worldskills/candidats/{ready['candidate'].id}/verification",
        competition_page,
        {"decision": "refused"},
    )
    assert refused.status_code == 422
    assert "Indiquez pourquoi l’inscription est refusée." in refused.text


def test_an_import_without_the_columns_says_which_are_missing(ready):
    page = f"/worldskills/concours/{ready['competition'].id}"
    answer = post_form(
        ready["client"],
        f"{page}/import",
        page,
        {"file": (io.BytesIO(b"nom;prenom\nDurand;Lina\n"), "liste.csv")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 422
    assert "Il manque au fichier la ou les colonnes skill, first_name" in answer.text


def test_people_outside_the_competition_do_not_see_its_pages(app, net, ready):
    educator = net.account(Role.EDUCATOR, organisation=net.organisation("Lycée Watteau"))
    client = sign_in(app.test_client(), educator)
    competition = f"/worldskills/concours/{ready['competition'].id}"
    for page in (
        competition,
        f"/worldskills/epreuves/{ready['skill'].id}",
        f"{competition}/resultats.csv",
    ):
        assert client.get(page).status_code == 403, page
    unpublished = f"/worldskills/resultats/{ready['competition'].id}"
    assert app.test_client().get(unpublished).status_code == 404
    assert client.get("/worldskills/invitation/not-a-token").status_code == 404
