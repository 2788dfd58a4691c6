"""Done when: disabling the plugin in tremplin.toml removes all of it (pages, holds, menus)
without breaking the core; enabling it again needs only ``tremplin db upgrade``."""

from __future__ import annotations

from tremplin.interventions.models import Intervention
from tremplin.testing import api_client, client_of

from .test_visibility import class_talk, found


def test_disabling_the_plugin_removes_its_pages_menus_and_holds_and_the_core_works(
    make_app, make_network, run_cli
):
    with_charter = make_app(plugins=["charter"])
    net = make_network(with_charter)
    net.publish()
    held = net.registered("Soudeuse", zones=["59"])
    assert net.holds_of(held) != []

    core = make_app()  # the same database, the plugin no longer enabled
    net.app = core
    educator = net.educator()
    school = api_client(core, educator)
    assert found(school) == [held.id]
    created = school.post("/api/v1/interventions/", json=class_talk(net, educator, held))
    assert created.status_code == 201, created.json
    assert net.run(Intervention.select().count) == 1

    ambassador = client_of(core, net.account_of(held))
    dashboard = ambassador.get("/tableau-de-bord")
    assert dashboard.status_code == 200  # not taken to the charter any more
    assert "/charte" not in dashboard.text
    for url in ("/charte", "/charte/mon-dossier", "/charte/verifications", "/api/v1/charter/"):
        assert ambassador.get(url).status_code == 404, url
    referent = client_of(core, net.referent("59"))
    assert "/charte" not in referent.get("/tableau-de-bord").text
    hidden_page = referent.get(f"/ambassadeurs/{held.id}/retenues").text
    assert "n’est pas encore acceptée" not in hidden_page
    assert "Casier judiciaire" not in core.test_client().get("/donnees-personnelles").text
    assert run_cli(core, "charter", "versions").exit_code != 0
    assert "/charte" not in core.test_client().get("/").text


def test_enabling_the_plugin_again_needs_only_db_upgrade(make_app, make_network, run_cli):
    first = make_app(plugins=["charter"])
    net = make_network(first)
    net.publish()
    ready = net.ready("Soudeuse")
    held = net.registered("Soudeur")

    net.app = make_app()  # disabled for a while: someone new arrives meanwhile
    newcomer = net.ambassador("Soudeuse")
    assert net.holds_of(held) == []
    assert net.holds_of(newcomer) == []

    again = make_app(plugins=["charter"], migrate=False)
    result = run_cli(again, "db", "upgrade")
    assert result.exit_code == 0, result.output
    net.app = again
    assert net.holds_of(ready) == []
    both = [("charter", "charter"), ("charter", "record-check")]
    assert net.holds_of(held) == both  # its stored holds count again
    assert net.holds_of(newcomer) == both  # brought up to date as the plugin starts
    school = api_client(again, net.educator())
    assert found(school) == [ready.id]
    assert client_of(again, net.account_of(newcomer)).get("/tableau-de-bord").status_code == 302
