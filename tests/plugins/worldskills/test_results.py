"""Results beyond the regional selection: the national finals' medal table by region with
total and average medal points, and the demo's selection."""

from __future__ import annotations

import datetime

from tremplin.auth.models import Role
from tremplin.demo.generator import LOGIN_EMAILS, PASSWORD
from tremplin.organisations.models import Organisation, OrganisationKind
from tremplin.plugins.worldskills import candidates, competitions, judges, marks, results
from tremplin.plugins.worldskills.models import Candidate, Competition
from tremplin.territories.models import Territory
from tremplin.testing import sign_in as sign_in_form


def test_the_national_finals_rank_regions_by_medal_points_with_their_average(app, net):
    admin = net.account(Role.ADMIN)
    brittany = net.run(Territory.create, code="bzh", name="Bretagne", kind="region")
    finistere = net.run(
        Territory.create, code="29", name="Finistère", kind="department", parent=brittany
    )
    lille = net.organisation("CFA de Lille")
    brest = net.run(
        Organisation.create,
        name="CFA de Brest",
        search_name="cfa de brest",
        search_text="cfa de brest",
        kind=OrganisationKind.CFA,
        territory=finistere,
    )
    finals = net.run(
        competitions.create,
        admin,
        {"name": "Finales nationales", "level": "national", "edition": "49",
         "starts_on": "2026-11-10", "ends_on": "2026-11-14"},
    )  # fmt: skip
    raw = {"number": 7, "name": "Cuisine", "max_age": 22}
    skill = net.run(competitions.add_skill, admin, finals.id, raw)
    aspect = net.run(
        competitions.add_aspect,
        admin,
        skill.id,
        {"code": "A", "title": "Tout", "kind": "measurement", "max_mark": "100"},
    )
    chief = net.account(email="chief@example.org")
    net.run(judges.appoint, admin, skill.id, {"email": chief.email, "role": "chief_expert"})
    for number, (name, centre, mark) in enumerate(
        (("Lina", lille, 90), ("Yann", brest, 80), ("Tom", lille, 70))
    ):
        raw = {
            "skill": skill.id, "first_name": name, "last_name": "Durand",
            "birth_date": datetime.date(2005, 1 + number, 9).isoformat(), "pathway": "school",
            "training_centre": centre.name, "consent": "yes",
        }  # fmt: skip
        candidate = net.run(candidates.register, admin, finals.id, raw)
        net.run(candidates.check, admin, candidate.id, {"decision": "accepted"})
        mark_raw = {"aspect": aspect.id, "candidate": candidate.id, "value": mark}
        net.run(marks.enter, chief, skill.id, mark_raw)
    net.run(marks.lock, chief, skill.id)
    table = net.run(results.medal_table, finals.id)
    # Gold and bronze for Hauts-de-France (4 + 2 over two entries), silver for Bretagne.
    assert [(rank, group, t.points, t.entries) for rank, group, t in table] == [
        (1, "Hauts-de-France", 6, 2),
        (2, "Bretagne", 3, 1),
    ]
    net.run(results.publish, admin, finals.id)
    page = app.test_client().get(f"/worldskills/resultats/{finals.id}").text
    assert '<th scope="col">Région</th>' in page
    cells = ("Hauts-de-France", 1, 0, 1, 0, 6, 2, "3,00")  # gold, silver, bronze, medallions...
    assert "".join(f"<td>{cell}</td>" for cell in cells) in page


def test_the_demo_has_a_regional_selection_its_referents_run(reference_region, make_app, run_cli):
    app = make_app(region=reference_region, plugins=["worldskills"])
    result = run_cli(app, "demo", "--no-serve", "--ambassadors", "50", "--interventions", "20")
    assert result.exit_code == 0, result.output
    with app.app_context():
        regional = Competition.get(Competition.level == "regional")
        waiting = Candidate.select().where(Candidate.status == "pending").count()
    assert waiting > 0
    client = app.test_client()
    sign_in_form(client, LOGIN_EMAILS["admin"], PASSWORD)
    page = client.get(f"/worldskills/concours/{regional.id}")
    assert page.status_code == 200
    assert "En attente d’un référent" in page.text
