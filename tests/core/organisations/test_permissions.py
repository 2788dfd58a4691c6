"""Who may see and change an organisation: a matrix of roles, pages and API, on the server.

The organisation is a collège of the Lille Est basin, in the Nord (59). Referents of the
Nord may change it (the basin is inside their department); a referent of the
Pas-de-Calais, its own educators and other educators may see it but not change it.
"""

import pytest

from .conftest import csrf_headers, csrf_token

ROLES = [
    "admin",
    "referent_of_its_department",
    "referent_of_another_department",
    "educator_of_it",
    "educator_elsewhere",
    "ambassador",
    "anonymous",
]
# What each role gets: "ok", "forbidden", or "sign in" (sent to the sign-in page / 401).
SEE = {
    "admin": "ok",
    "referent_of_its_department": "ok",
    "referent_of_another_department": "ok",
    "educator_of_it": "ok",
    "educator_elsewhere": "ok",
    "ambassador": "forbidden",
    "anonymous": "sign in",
}
CHANGE = {
    "admin": "ok",
    "referent_of_its_department": "ok",
    "referent_of_another_department": "forbidden",
    "educator_of_it": "forbidden",
    "educator_elsewhere": "forbidden",
    "ambassador": "forbidden",
    "anonymous": "sign in",
}
PAGE_STATUS = {"ok": 200, "forbidden": 403, "sign in": 302}
API_STATUS = {"ok": 200, "forbidden": 403, "sign in": 401}


def check_page(response, expected):
    assert response.status_code == PAGE_STATUS[expected], response.text[:500]
    if expected == "sign in":
        assert "/connexion" in response.headers["Location"]


def stored_name(network):
    from tremplin.organisations.models import Organisation

    with network.app.app_context():
        return Organisation.get_by_id(network.school.id).name


@pytest.mark.parametrize("role", ROLES)
def test_the_list_page(network, role):
    response = network.client(role).get("/organisations")
    check_page(response, SEE[role])
    if SEE[role] == "ok":
        assert "Collège Jean Moulin" in response.text
        assert "Collège Jules Ferry" in response.text


@pytest.mark.parametrize("role", ROLES)
def test_the_detail_page(network, role):
    response = network.client(role).get(f"/organisations/{network.school.id}")
    check_page(response, SEE[role])
    if SEE[role] == "ok":
        assert "0590117G" in response.text
        editable = f"/organisations/{network.school.id}/modifier" in response.text
        assert editable == (CHANGE[role] == "ok")


@pytest.mark.parametrize("role", ROLES)
def test_the_edit_form(network, role):
    client = network.client(role)
    check_page(client.get(f"/organisations/{network.school.id}/modifier"), CHANGE[role])

    form = {
        "csrf_token": csrf_token(network.app, client),
        "name": "Collège Jean Moulin (changé)",
        "kind": "college",
        "uai": "0590117G",
        "territory": "bef-59-lille-est",
    }
    response = client.post(f"/organisations/{network.school.id}/modifier", data=form)

    if CHANGE[role] == "ok":
        assert response.status_code == 302
        assert stored_name(network) == "Collège Jean Moulin (changé)"
    else:
        check_page(response, CHANGE[role])
        assert stored_name(network) == "Collège Jean Moulin"


@pytest.mark.parametrize("role", ROLES)
def test_the_api_list(network, role):
    response = network.client(role).get("/api/v1/organisations/")
    assert response.status_code == API_STATUS[SEE[role]]
    if SEE[role] == "ok":
        assert {item["name"] for item in response.json} == {
            "Collège Jean Moulin",
            "Collège Jules Ferry",
        }


@pytest.mark.parametrize("role", ROLES)
def test_the_api_detail(network, role):
    response = network.client(role).get(f"/api/v1/organisations/{network.school.id}")
    assert response.status_code == API_STATUS[SEE[role]]
    if SEE[role] == "ok":
        assert response.json["uai"] == "0590117G"


@pytest.mark.parametrize("role", ROLES)
def test_the_api_change(network, role):
    client = network.client(role)
    response = client.patch(
        f"/api/v1/organisations/{network.school.id}",
        json={"name": "Collège Jean Moulin (changé)"},
        headers=csrf_headers(network.app, client),
    )
    assert response.status_code == API_STATUS[CHANGE[role]], response.json
    expected = "Collège Jean Moulin (changé)" if CHANGE[role] == "ok" else "Collège Jean Moulin"
    assert stored_name(network) == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_api_creation_in_the_nord(network, role):
    client = network.client(role)
    response = client.post(
        "/api/v1/organisations/",
        json={
            "name": "Garage Dupont",
            "kind": "company",
            "siret": "73282932000074",
            "territory": "59",
        },
        headers=csrf_headers(network.app, client),
    )
    expected = {"ok": 201, "forbidden": 403, "sign in": 401}[CHANGE[role]]
    assert response.status_code == expected, response.json


def test_a_referent_adds_organisations_only_in_their_territories(network):
    client = network.client("referent_of_another_department")
    body = {"name": "Garage Dupont", "kind": "company", "siret": "73282932000074"}
    headers = csrf_headers(network.app, client)

    outside = client.post(
        "/api/v1/organisations/", json={**body, "territory": "59"}, headers=headers
    )
    inside = client.post(
        "/api/v1/organisations/", json={**body, "territory": "62"}, headers=headers
    )

    assert outside.status_code == 403
    assert inside.status_code == 201
    assert inside.json["territory"] == "62"


def test_a_referent_cannot_move_an_organisation_out_of_their_territories(network):
    client = network.client("referent_of_its_department")
    response = client.patch(
        f"/api/v1/organisations/{network.school.id}",
        json={"territory": "62"},
        headers=csrf_headers(network.app, client),
    )
    assert response.status_code == 403


def test_a_forbidden_change_is_refused_before_its_input_is_read(network):
    client = network.client("educator_of_it")
    response = client.patch(
        f"/api/v1/organisations/{network.school.id}",
        json={"uai": "not a UAI", "colour": "blue"},
        headers=csrf_headers(network.app, client),
    )
    assert response.status_code == 403
