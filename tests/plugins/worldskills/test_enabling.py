"""Done when: disabling the plugin removes all of it without breaking the core; enabling it
again needs only ``tremplin db upgrade``."""

from __future__ import annotations

from tremplin.auth.models import Role
from tremplin.organisations.models import OrganisationKind
from tremplin.plugins.worldskills import competitions
from tremplin.plugins.worldskills.models import Competition

from .conftest import Network, sign_in

REGIONAL = {
    "name": "Sélections régionales",
    "level": "regional",
    "edition": "49",
    "starts_on": "2026-06-02",
    "ends_on": "2026-06-04",
    "territory": "hdf",
}


def test_disabling_the_plugin_removes_its_pages_and_figures_and_the_core_works(make_app, run_cli):
    enabled = make_app(plugins=["worldskills"])
    net = Network(enabled)
    admin = net.account(Role.ADMIN)
    competition = net.run(competitions.create, admin, REGIONAL)
    assert "/worldskills" in sign_in(enabled.test_client(), admin).get("/").text
    assert "Candidats WorldSkills" in enabled.test_client().get("/donnees-personnelles").text

    core = make_app()  # the same database, the plugin no longer enabled
    net.app = core
    referent = net.account(Role.REFERENT, territory=net.region)
    for person in (admin, referent):
        client = sign_in(core.test_client(), person)
        assert client.get("/tableau-de-bord").status_code == 200
        assert "/worldskills" not in client.get("/").text
        for url in (
            "/worldskills/",
            f"/worldskills/concours/{competition.id}",
            f"/worldskills/resultats/{competition.id}",
            f"/api/v1/worldskills/competitions/{competition.id}/results",
        ):
            assert client.get(url).status_code == 404, url
    assert sign_in(core.test_client(), admin).get("/statistiques").status_code in (200, 302)
    assert "WorldSkills" not in core.test_client().get("/donnees-personnelles").text
    school = net.organisation("Lycée Watteau", kind=OrganisationKind.LYCEE_PRO)
    assert school.id
    assert run_cli(core, "db", "status").exit_code == 0


def test_enabling_the_plugin_again_needs_only_db_upgrade(make_app, run_cli):
    core = make_app()
    net = Network(core)
    admin = net.account(Role.ADMIN)

    enabled = make_app(plugins=["worldskills"], migrate=False)
    result = run_cli(enabled, "db", "upgrade")
    assert result.exit_code == 0, result.output
    net.app = enabled
    net.run(competitions.create, admin, REGIONAL)
    assert net.run(Competition.select().count) == 1
    page = sign_in(enabled.test_client(), admin).get("/worldskills/")
    assert page.status_code == 200
    assert "Sélections régionales" in page.text
