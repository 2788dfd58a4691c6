"""The charter's JSON API: the charter in force, accepting it, the referents' checks."""

from __future__ import annotations

from tremplin import clock
from tremplin.testing import api_client


def test_the_charter_in_force_is_public_with_its_text_and_html(app, net):
    response = app.test_client().get("/api/v1/charter/")
    assert response.status_code == 200
    assert response.json["version"] == "2025-1"
    assert response.json["effective_on"] == clock.today().isoformat()
    assert response.json["html"].startswith("<h2>Article 1 — Objet</h2>")


def test_without_a_charter_in_force_the_api_answers_404(app):
    response = app.test_client().get("/api/v1/charter/")
    assert response.status_code == 404
    assert response.json["message"] == "Aucune charte n’est encore en vigueur."


def test_an_ambassador_accepts_the_charter_in_force_through_the_api(app, net):
    ambassador = net.registered("Soudeuse")
    client = api_client(app, net.account_of(ambassador))
    response = client.post("/api/v1/charter/acceptances", json={})
    assert response.status_code == 201, response.json
    assert response.json["version"] == "2025-1"
    assert net.holds_of(ambassador) == [("charter", "record-check")]
    assert (
        api_client(app, net.educator()).post("/api/v1/charter/acceptances", json={}).status_code
        == 403
    )


def test_a_referent_lists_and_decides_checks_through_the_api(app, net):
    ambassador = net.registered("Soudeuse", zones=["59"])
    net.accept(ambassador)
    check = net.declare(ambassador)
    referent = api_client(app, net.referent("59"))

    listed = referent.get("/api/v1/charter/checks")
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json] == [check.id]
    assert listed.json[0]["has_file"] is False
    assert listed.json[0]["ambassador"] == ambassador.id  # was null
    assert listed.json[0]["declared_at"].endswith("+00:00")  # was without its offset

    url = f"/api/v1/charter/checks/{check.id}/decision"
    invalid = referent.post(url, json={"outcome": "maybe"})
    assert invalid.status_code == 422
    assert "outcome" in invalid.json["errors"]["json"]
    decided = referent.post(
        url, json={"outcome": "verified", "extract_issued_on": clock.today().isoformat()}
    )
    assert decided.status_code == 200, decided.json
    assert decided.json["status"] == "verified"
    assert net.holds_of(ambassador) == []
    assert referent.post(url, json={"outcome": "refused"}).status_code == 409

    stranger = api_client(app, net.referent("62"))
    assert stranger.get("/api/v1/charter/checks").json == []
    assert stranger.post(url, json={"outcome": "refused"}).status_code == 404
    assert api_client(app, net.educator()).get("/api/v1/charter/checks").status_code == 403
    assert app.test_client().get("/api/v1/charter/checks").status_code == 401


def test_hook_register_blueprints_documents_the_api_in_openapi(app):
    paths = app.test_client().get("/api/v1/openapi.json").json["paths"]
    assert {
        "/api/v1/charter/",
        "/api/v1/charter/acceptances",
        "/api/v1/charter/checks",
        "/api/v1/charter/checks/{check_id}/decision",
    } <= set(paths)
