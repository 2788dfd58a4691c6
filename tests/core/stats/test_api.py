"""The key figures API: exact figures for referents and admins, 403 for others, 422 for bad
questions, documented in the OpenAPI document."""

from __future__ import annotations

import pytest

from tremplin.testing import client_of, in_days

from .conftest import answer, complete


def one_talk(network):
    ambassador = network.ambassador("Soudeuse", zones=("59",))
    teacher = network.educator(network.school(name="Collège Jean Jaurès"))
    request = network.request(teacher, ambassador)
    answer(network, ambassador, request, 4)
    complete(network, teacher, request, {"college_3": 22, "educational_teams": 1})


def period_query() -> str:
    return f"start={in_days(-1).date()}&end={in_days(30).date()}"


def test_a_referent_reads_the_exact_figures_of_their_department(network):
    one_talk(network)
    client = client_of(network.app, network.referent("59"))
    response = client.get(f"/api/v1/stats/key-figures?territory=59&{period_query()}")
    assert response.status_code == 200
    body = response.json
    assert body["territory"] == {"code": "59", "name": "Nord", "kind": "department"}
    assert body["period"] == {"start": str(in_days(-1).date()), "end": str(in_days(30).date())}
    values = {figure["key"]: figure["value"] for figure in body["figures"]}
    assert values["beneficiaries"] == 23
    assert values["young_people"] == 22
    assert values["interventions.completed"] == 1
    assert values["response_rate"] == 1
    assert values["response_time_median"] == pytest.approx(4, abs=0.01)
    assert values["schools.priority_coverage"] is None
    units = {figure["key"]: figure["unit"] for figure in body["figures"]}
    assert (units["response_rate"], units["response_time_median"]) == ("percent", "hours")
    assert {bar["key"]: bar["value"] for bar in body["series"]["type"]}["class_talk"] == 1


def test_without_a_territory_a_referent_gets_theirs_and_an_admin_the_region(network):
    network.territories()
    referent = client_of(network.app, network.referent("62"))
    assert referent.get("/api/v1/stats/key-figures").json["territory"]["code"] == "62"
    admin = client_of(network.app, network.admin())
    assert admin.get("/api/v1/stats/key-figures?year=2025").json["period"] == {
        "start": "2025-09-01",
        "end": "2026-08-31",
    }
    assert admin.get("/api/v1/stats/key-figures").json["territory"]["code"] == "hdf"


def test_others_are_refused(network):
    assert network.app.test_client().get("/api/v1/stats/key-figures").status_code == 401
    educator = client_of(network.app, network.educator())
    assert educator.get("/api/v1/stats/key-figures?territory=59").status_code == 403
    referent = client_of(network.app, network.referent("59"))
    assert referent.get("/api/v1/stats/key-figures?territory=62").status_code == 403
    assert referent.get("/api/v1/stats/key-figures?territory=hdf").status_code == 403


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("territory=nowhere", "territory", "Territoire inconnu : nowhere."),
        ("year=twenty", "year", "Un nombre entier est attendu."),
        ("start=2026-09-01", "end", "Indiquez le début et la fin de la période."),
        ("start=2026-13-01&end=2026-12-31", "start", "Date non valide."),
        ("start=2026-09-01&end=2026-08-01", "end", "La fin ne peut pas précéder le début."),
        ("start=2000-01-01&end=2026-08-01", "end", "Une période dure dix ans au plus."),
        (
            "year=2026&start=2026-09-01&end=2026-10-01",
            "year",
            "Indiquez une année scolaire ou une période",
        ),
    ],
)
def test_a_bad_question_is_a_422_naming_the_parameter(network, query, field, message):
    client = client_of(network.app, network.admin())
    response = client.get(f"/api/v1/stats/key-figures?{query}")
    assert response.status_code == 422
    messages = response.json["errors"]["query"][field]
    assert any(text.startswith(message) for text in messages), messages


def test_the_api_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/api/v1/stats/key-figures"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {
        "territory",
        "year",
        "start",
        "end",
    }
    assert {"200", "403", "422"} <= set(operation["responses"])


def test_a_region_s_information_system_reads_figures_and_interventions_with_a_token(network):
    """A referent's read-only personal access token, as the region's information system
    uses it: no session, no cookie, the referent's own permissions."""
    from tremplin.auth import access_tokens

    one_talk(network)
    referent = network.referent("59")
    with network.app.app_context():
        _row, token = access_tokens.create(
            referent, {"name": "SI régional", "scope": "read", "expires_on": "2026-12-31"}
        )
    machine = network.app.test_client(use_cookies=False)
    headers = {"Authorization": f"Bearer {token}"}

    figures = machine.get(
        f"/api/v1/stats/key-figures?territory=59&{period_query()}", headers=headers
    )
    assert figures.status_code == 200
    values = {figure["key"]: figure["value"] for figure in figures.json["figures"]}
    assert values["interventions.completed"] == 1

    interventions = machine.get("/api/v1/interventions/", headers=headers)
    assert interventions.status_code == 200
    assert [item["status"] for item in interventions.json] == ["completed"]

    outside = machine.get("/api/v1/stats/key-figures?territory=62", headers=headers)
    assert outside.status_code == 403  # the token has the referent's reach, no more
