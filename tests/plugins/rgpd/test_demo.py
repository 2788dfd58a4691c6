"""``tremplin demo`` with the plugin: the administrator is an officer and finds requests
waiting on the dashboard, the overdue one first, one awaiting identity proof."""

from __future__ import annotations

from tremplin.testing import sign_in

ADMIN = "admin@demo.example.org"  # the demo logins of docs/demo.md


def test_the_demo_admin_handles_waiting_requests(reference_region, make_app, run_cli):
    app = make_app(region=reference_region, plugins=["rgpd"])
    result = run_cli(app, "demo", "--no-serve", "--ambassadors", "40", "--interventions", "20")
    assert result.exit_code == 0, result.output
    client = app.test_client()
    sign_in(client, ADMIN, "tremplin-demo")
    page = client.get("/rgpd/demandes")
    assert page.status_code == 200
    rows = page.text[: page.text.index("Enregistrer une demande")]
    assert rows.count("/mes-droits/") == 3
    assert rows.count("en retard") == 1
    assert rows.index("en retard") < rows.index("suspendu")
    assert "Demandes sur les données" in client.get("/tableau-de-bord").text
