"""Done when: disabling the plugin removes all of it without breaking the core; enabling it
again needs only ``tremplin db upgrade``."""

from __future__ import annotations

from tremplin.auth.models import Role
from tremplin.organisations.models import OrganisationKind
from tremplin.plugins.stages import offers
from tremplin.plugins.stages.models import Offer
from tremplin.testing import sign_in

from .conftest import Network, offer_form


def test_disabling_the_plugin_removes_its_pages_and_figures_and_the_core_works(
    make_app, run_cli, clock
):
    enabled = make_app(plugins=["stages"])
    net = Network(enabled)
    bakery = net.organisation("Boulangerie des Arts", siret="12345678900017")
    manager = net.account(Role.PARTNER_MANAGER, organisation=bakery)
    net.run(offers.publish, manager, bakery.id, offer_form(first_day="2026-03-10"))

    core = make_app()  # the same database, the plugin no longer enabled
    net.app = core
    school = net.organisation("Collège Jean Jaurès", kind=OrganisationKind.COLLEGE, uai="0590001A")
    teacher = net.account(Role.EDUCATOR, organisation=school)
    admin = net.account(Role.ADMIN)
    for person in (manager, teacher, admin):
        client = sign_in(core.test_client(), person)
        assert client.get("/tableau-de-bord").status_code == 200
        assert "/stages" not in client.get("/").text
        for url in ("/stages/", "/stages/offres/1", "/stages/classes-sans-stage"):
            assert client.get(url).status_code == 404, url
        assert client.get("/api/v1/stages/offers").status_code == 404
    assert sign_in(core.test_client(), admin).get("/statistiques").status_code in (200, 302)
    assert "Stages" not in core.test_client().get("/donnees-personnelles").text
    assert run_cli(core, "db", "status").exit_code == 0


def test_enabling_the_plugin_again_needs_only_db_upgrade(make_app, run_cli):
    core = make_app()
    net = Network(core)
    bakery = net.organisation("Boulangerie des Arts", siret="12345678900017")
    manager = net.account(Role.PARTNER_MANAGER, organisation=bakery)

    enabled = make_app(plugins=["stages"], migrate=False)
    result = run_cli(enabled, "db", "upgrade")
    assert result.exit_code == 0, result.output
    net.app = enabled
    net.run(offers.publish, manager, bakery.id, offer_form())
    assert net.run(Offer.select().count) == 1
    page = sign_in(enabled.test_client(), manager).get("/stages/")
    assert page.status_code == 200
    assert "Boulanger" in page.text
