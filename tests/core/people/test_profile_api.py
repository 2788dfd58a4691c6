"""``/api/v1/ambassadors/me``: an ambassador's own profile through the API, as a machine
client with a personal access token would edit it."""

from __future__ import annotations

import datetime

import pytest

from tremplin.auth import access_tokens
from tremplin.auth.models import Account
from tremplin.people import service
from tremplin.people.models import Ambassador

from .conftest import csrf_token, sign_in


def token_of(app, account_id: int, scope: str) -> str:
    with app.app_context():
        account = Account.get_by_id(account_id)
        _row, secret = access_tokens.create(
            account, {"name": "Mon script", "scope": scope, "expires_on": "2026-06-30"}
        )
    return secret


@pytest.fixture
def camille(people):
    return people.ambassador("Soudeuse", zones=["59"], presentation="Je soude.")


@pytest.fixture
def machine(app):
    return app.test_client(use_cookies=False)


def call(machine, method: str, token: str, **kwargs):
    return machine.open(
        "/api/v1/ambassadors/me",
        method=method,
        headers={"Authorization": f"Bearer {token}"},
        **kwargs,
    )


def test_an_ambassador_reads_their_own_profile(app, machine, camille):
    token = token_of(app, camille.account_id, "read")
    response = call(machine, "GET", token)
    assert response.status_code == 200
    profile = response.json
    assert profile["id"] == camille.id
    assert profile["occupation"] == "Soudeuse"
    assert profile["zones"] == ["59"]
    assert profile["presentation"] == "Je soude."
    assert profile["paused_until"] is None
    assert "email" not in profile  # the account's details are at /api/v1/me
    assert "phone" not in profile


def test_a_read_write_token_edits_the_profile(app, machine, camille):
    token = token_of(app, camille.account_id, "read-write")
    changes = {
        "presentation": "Je soude et je forme.",
        "zones": ["59", "62"],
        "paused_until": "2026-04-30",
        "monthly_capacity": 5,
    }
    response = call(machine, "PATCH", token, json=changes)
    assert response.status_code == 200, response.json
    assert response.json["presentation"] == "Je soude et je forme."
    assert response.json["paused_until"] == "2026-04-30"
    with app.app_context():
        stored = Ambassador.get_by_id(camille.id)
        assert stored.presentation == "Je soude et je forme."
        assert stored.paused_until == datetime.date(2026, 4, 30)
        assert stored.monthly_capacity == 5
        assert service.profile_values(stored)["zones"] == ["59", "62"]
        assert stored.occupation == "Soudeuse"  # not sent: kept


def test_a_read_token_cannot_edit_the_profile(app, machine, camille):
    token = token_of(app, camille.account_id, "read")
    response = call(machine, "PATCH", token, json={"presentation": "Autre chose."})
    assert response.status_code == 403
    with app.app_context():
        assert Ambassador.get_by_id(camille.id).presentation == "Je soude."


def test_mistakes_are_answered_422_with_each_field_and_nothing_changes(app, machine, camille):
    token = token_of(app, camille.account_id, "read-write")
    response = call(
        machine,
        "PATCH",
        token,
        json={"modes": ["en_ballon"], "monthly_capacity": 1000, "email": "x@example.org"},
    )
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert set(errors) == {"email"}  # an unknown field is refused before anything else
    response = call(
        machine, "PATCH", token, json={"modes": ["en_ballon"], "monthly_capacity": 1000}
    )
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"modes", "monthly_capacity"}
    with app.app_context():
        assert service.profile_values(Ambassador.get_by_id(camille.id))["modes"] == ["on_site"]


def test_an_account_without_a_profile_is_answered_404(app, machine, people):
    referent = people.referent("59")
    token = token_of(app, referent.id, "read-write")
    assert call(machine, "GET", token).status_code == 404
    assert call(machine, "PATCH", token, json={"presentation": "x"}).status_code == 404


def test_signed_in_by_session_the_profile_needs_the_csrf_token(app, camille):
    with app.app_context():
        client = sign_in(app.test_client(), Account.get_by_id(camille.account_id))
    refused = client.patch("/api/v1/ambassadors/me", json={"presentation": "Sans jeton."})
    assert refused.status_code == 400
    token = csrf_token(client, "/mon-compte")
    response = client.patch(
        "/api/v1/ambassadors/me",
        json={"presentation": "Avec jeton."},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert response.json["presentation"] == "Avec jeton."


def test_visitors_are_answered_401(machine):
    assert machine.get("/api/v1/ambassadors/me").status_code == 401
