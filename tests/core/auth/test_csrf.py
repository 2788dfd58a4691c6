"""Forms and signed-in API calls carry a CSRF token; test apps check it as production does."""

from tremplin.testing import csrf_token_from, sign_in


def test_a_form_sent_without_its_token_is_refused_with_a_readable_page(client, person, password):
    person("lea.martin@example.org")
    response = client.post(
        "/connexion", data={"email": "lea.martin@example.org", "password": password}
    )
    assert response.status_code == 400
    assert "Ce formulaire a expiré" in response.text
    assert "rechargez la page et envoyez de nouveau le formulaire" in response.text
    assert 'id="contenu"' in response.text  # in the site's layout

    english = client.post("/connexion?lang=en", data={"email": "x@example.org"})
    assert "This form has expired" in english.text


def test_a_token_of_another_session_is_refused(app, person, password):
    person("lea.martin@example.org")
    someone_else = app.test_client()
    token = csrf_token_from(someone_else, "/connexion")
    response = app.test_client().post(
        "/connexion",
        data={"email": "lea.martin@example.org", "password": password, "csrf_token": token},
    )
    assert response.status_code == 400


def test_every_form_of_the_account_pages_carries_a_token(client, person, password):
    person("lea.martin@example.org")
    sign_in(client, "lea.martin@example.org", password)
    for page in ("/mon-compte", "/mon-compte/email", "/mon-compte/mot-de-passe"):
        assert csrf_token_from(client, page)
    assert csrf_token_from(client, "/mon-compte/supprimer")


def test_a_signed_in_api_call_sends_the_x_csrftoken_header(client, person, password):
    person("lea.martin@example.org")
    sign_in(client, "lea.martin@example.org", password)

    refused = client.patch("/api/v1/me", json={"first_name": "Léna"})
    assert refused.status_code == 400
    assert (
        refused.json["message"] == "Envoyez l’en-tête X-CSRFToken avec le jeton de votre session."
    )

    token = csrf_token_from(client, "/mon-compte")
    accepted = client.patch(
        "/api/v1/me", json={"first_name": "Léna"}, headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 200
    assert accepted.json["first_name"] == "Léna"


def test_an_anonymous_api_call_needs_no_token_and_is_simply_unauthorised(client):
    response = client.patch("/api/v1/me", json={"first_name": "Léna"})
    assert response.status_code == 401


def test_the_test_kit_gives_the_token_of_a_page_as_a_fixture_too(client, csrf_token_from):
    token = csrf_token_from(client, "/mot-de-passe-oublie")
    response = client.post(
        "/mot-de-passe-oublie", data={"email": "x@example.org", "csrf_token": token}
    )
    assert response.status_code == 200
