"""The demo network of a region with the plugin: its teacher finds offers to propose pupils
to, some highlighted, and a second run changes nothing."""

from __future__ import annotations

from tremplin.plugins.stages.models import Offer
from tremplin.testing import sign_in

SIZE = ("--ambassadors", "60", "--interventions", "20")


def test_the_demo_teacher_finds_offers_of_internships(reference_region, make_app, run_cli):
    app = make_app(region=reference_region, plugins=["stages"])
    result = run_cli(app, "demo", "--no-serve", *SIZE)
    assert result.exit_code == 0, result.output
    client = app.test_client()
    sign_in(
        client, "enseignant@" + result.output.split("enseignant@")[1].split()[0], "tremplin-demo"
    )
    found = client.get("/api/v1/stages/offers").json
    assert found["total"] >= 1
    assert any(item["highlighted"] for item in found["items"])
    with app.app_context():
        count = Offer.select().count()
    assert run_cli(app, "demo", "--no-serve", *SIZE).exit_code == 0
    with app.app_context():
        assert Offer.select().count() == count
