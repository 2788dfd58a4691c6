"""Done when: disabling the plugin removes all of it without breaking the core; enabling it
again needs only ``tremplin db upgrade``."""

from __future__ import annotations

from tremplin.auth.models import Role
from tremplin.organisations.models import OrganisationKind
from tremplin.plugins.mecenat import charters, employers
from tremplin.plugins.mecenat.models import Consent
from tremplin.testing import sign_in

from .conftest import CHARTER_FILE, Network


def test_disabling_the_plugin_removes_its_pages_and_figures_and_the_core_works(
    make_mecenat_app, make_app, run_cli
):
    enabled = make_mecenat_app()
    net = Network(enabled)
    net.run(charters.publish_text, CHARTER_FILE)
    company = net.organisation("Forges de l'Escaut", siret="12345678900017")
    manager = net.account(Role.PARTNER_MANAGER, organisation=company)
    ambassador = net.ambassador("Inès", "Boulanger")
    account = net.account_of(ambassador)
    net.run(employers.set_employer, account, {"organisation": company.id})
    net.run(employers.give_consent, account)

    core = make_app()  # the same database, the plugin no longer enabled
    net.app = core
    admin = net.account(Role.ADMIN)
    for person in (account, manager, admin):
        client = sign_in(core.test_client(), person)
        assert client.get("/tableau-de-bord").status_code == 200
        assert "/mecenat" not in client.get("/").text
        for url in (
            "/mecenat/mon-employeur",
            f"/mecenat/partenaires/{company.id}",
            "/mecenat/region",
        ):
            assert client.get(url).status_code == 404, url
    assert sign_in(core.test_client(), admin).get("/statistiques").status_code in (200, 302)
    assert "Mécénat" not in core.test_client().get("/donnees-personnelles").text
    school = net.organisation("Collège Jules Ferry", kind=OrganisationKind.COLLEGE)
    assert school.id
    assert run_cli(core, "db", "status").exit_code == 0


def test_enabling_the_plugin_again_needs_only_db_upgrade(make_app, run_cli):
    core = make_app()
    net = Network(core)
    company = net.organisation("Forges de l'Escaut", siret="12345678900017")
    ambassador = net.ambassador("Inès", "Boulanger")

    enabled = make_app(plugins=["mecenat"], migrate=False)
    result = run_cli(enabled, "db", "upgrade")
    assert result.exit_code == 0, result.output
    net.app = enabled
    account = net.account_of(ambassador)
    net.run(employers.set_employer, account, {"organisation": company.id})
    net.run(employers.give_consent, account)
    assert net.run(Consent.select().count) == 1
    page = sign_in(enabled.test_client(), account).get("/mecenat/mon-employeur")
    assert page.status_code == 200
    assert "Forges de l&#39;Escaut" in page.text
