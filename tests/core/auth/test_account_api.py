"""``/api/v1/me``: the signed-in person's own account in JSON."""

import pytest

from tremplin.auth import service as accounts
from tremplin.auth.models import AccountStatus, Role
from tremplin.territories.models import Territory
from tremplin.testing import api_client, csrf_token_from, sign_in


@pytest.fixture
def api(app, person, password):
    """A client signed in as Léa, referent of the Nord, sending its CSRF token."""
    account = person("lea.martin@example.org", phone="06 12 34 56 78")
    with app.app_context():
        nord = Territory.create(code="59", name="Nord", kind="department")
        accounts.grant(account, Role.REFERENT, territory=nord)
    return api_client(app, "lea.martin@example.org", password)


def test_a_signed_in_person_gets_their_own_account_with_its_private_details(api):
    response = api.get("/api/v1/me")
    assert response.status_code == 200
    me = response.json
    assert me["email"] == "lea.martin@example.org"  # hers to see
    assert me["phone"] == "06 12 34 56 78"
    assert (me["first_name"], me["last_name"], me["locale"]) == ("Léa", "Martin", "fr")
    assert me["status"] == "active"
    assert me["roles"] == [
        {"role": "referent", "territory": "59", "organisation": None, "pending": False}
    ]
    assert "password_hash" not in me
    assert "token_nonce" not in me


def test_patch_changes_the_details_given(api):
    response = api.patch("/api/v1/me", json={"phone": "+33 6 00 00 00 00", "gender": "other"})
    assert response.status_code == 200
    assert response.json["phone"] == "+33 6 00 00 00 00"
    assert response.json["gender"] == "other"
    assert response.json["first_name"] == "Léa"  # untouched


def test_patch_answers_422_with_field_errors(api):
    response = api.patch(
        "/api/v1/me",
        json={"first_name": "", "locale": "de", "email": "autre@example.org"},
    )
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert errors["first_name"] == ["La longueur doit être comprise entre 1 et 100."]
    assert errors["locale"] == ["La valeur doit être l’une des suivantes : fr, en."]
    assert errors["email"] == ["Champ inconnu."]  # changed with a confirmed link only
    assert api.get("/api/v1/me").json["first_name"] == "Léa"


def test_a_language_the_region_does_not_offer_is_refused(make_app, fast_passwords, write_region):
    folder = write_region(
        '[region]\ncode = "fr-seul"\nname = "Seul"\nlocales = ["fr"]\n[mail]\nbackend = "locmem"\n'
    )
    app = make_app(region=folder)
    with app.app_context():
        accounts.create_account(
            "lea.martin@example.org",
            "Léa",
            "Martin",
            password="un mot de passe solide",
            status=AccountStatus.ACTIVE,
        )
    client = app.test_client()
    sign_in(client, "lea.martin@example.org", "un mot de passe solide")
    response = client.patch(
        "/api/v1/me",
        json={"locale": "en"},
        headers={"X-CSRFToken": csrf_token_from(client, "/mon-compte")},
    )
    assert response.status_code == 422
    assert response.json["errors"]["json"]["locale"] == ["Cette langue n’est pas proposée ici."]


def test_visitors_get_401(client):
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me").json["code"] == 401


def test_the_endpoint_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert set(paths["/api/v1/me"]) >= {"get", "patch"}
