"""Disabling the plugin removes all of it without breaking the core; enabling it again needs
only ``tremplin db upgrade``; its command line refuses bad input in one line."""

from __future__ import annotations

from tremplin.people.holds import holds_of
from tremplin.plugins.rgpd import requests

from .network import SETTINGS, Network, sign_in


def test_disabling_the_plugin_removes_its_pages_links_and_holds(make_app, run_cli):
    enabled = make_app(plugins=["rgpd"], settings={"rgpd": SETTINGS})
    net = Network(enabled)
    officer = net.account(email="dpo@example.org")
    assert run_cli(enabled, "rgpd", "officer", "add", "dpo@example.org").exit_code == 0
    ambassador = net.ambassador("Inès", "Boulanger")
    person = net.account_of(ambassador)
    made = net.run(requests.file_own, person, {"kind": "restriction"})
    net.run(requests.answer, officer, made.id, {})
    assert [hold.code for hold in net.run(holds_of, ambassador)] == ["restriction"]

    core = make_app()  # the same database, the plugin no longer enabled
    net.app = core
    for account in (person, officer):
        client = sign_in(core.test_client(), account)
        assert client.get("/tableau-de-bord").status_code == 200
        assert "/mes-droits" not in client.get("/").text
        for url in ("/mes-droits", f"/mes-droits/{made.id}", "/rgpd/demandes", "/rgpd/registre"):
            assert client.get(url).status_code == 404, url
        assert client.get("/mon-compte/mes-donnees").status_code == 200
    assert core.test_client().get("/vos-droits").status_code == 404
    assert core.test_client().get("/donnees-personnelles").status_code == 200
    assert "Demandes d&#39;exercice" not in core.test_client().get("/donnees-personnelles").text
    assert run_cli(core, "purge").exit_code == 0
    assert run_cli(core, "db", "status").exit_code == 0


def test_enabling_the_plugin_again_needs_only_db_upgrade(make_app, run_cli):
    core = make_app()
    net = Network(core)
    person = net.account(email="ines@example.org")
    enabled = make_app(plugins=["rgpd"], settings={"rgpd": SETTINGS}, migrate=False)
    result = run_cli(enabled, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "rgpd/0001_create_rgpd" in result.output
    response = sign_in(enabled.test_client(), person).get("/mes-droits")
    assert response.status_code == 200


def test_naming_an_unknown_officer_fails_in_one_line(app, run_cli):
    result = run_cli(app, "rgpd", "officer", "add", "personne@example.org")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "Erreur : Aucun compte actif n'a cette adresse électronique."
    ]
