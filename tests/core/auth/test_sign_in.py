"""Signing in and out through the forms, with CSRF tokens, as a browser does."""

from tremplin.auth.models import Account, AccountStatus
from tremplin.testing import csrf_token_from


def sign_in_form(client, email, password, **extra):
    token = csrf_token_from(client, "/connexion")
    data = {"email": email, "password": password, "csrf_token": token, **extra}
    return client.post("/connexion", data=data)


def test_a_person_signs_in_then_out(client, person, password, signed_in_as):
    person("lea.martin@example.org")

    response = sign_in_form(client, "Lea.Martin@example.org ", password)
    assert response.status_code == 302
    assert signed_in_as(client) == "lea.martin@example.org"
    assert client.get("/mon-compte").status_code == 200

    token = csrf_token_from(client, "/mon-compte")
    response = client.post("/deconnexion", data={"csrf_token": token})
    assert response.status_code == 302
    assert signed_in_as(client) is None
    assert client.get("/mon-compte").headers["Location"].startswith("/connexion")


def test_signing_out_takes_a_post(client):
    assert client.get("/deconnexion").status_code == 405


def test_a_wrong_password_shows_the_form_again_with_the_email_but_not_the_password(client, person):
    person("lea.martin@example.org")
    response = sign_in_form(client, "lea.martin@example.org", "mauvais mot de passe")
    assert response.status_code == 422
    page = response.text
    assert "Cette adresse et ce mot de passe ne correspondent à aucun compte actif." in page
    assert 'value="lea.martin@example.org"' in page
    assert "mauvais mot de passe" not in page


def test_missing_fields_are_named_in_the_form(client):
    response = sign_in_form(client, "", "")
    assert response.status_code == 422
    assert response.text.count("Ce champ est obligatoire.") >= 2
    assert 'aria-invalid="true"' in response.text


def test_the_page_asked_for_is_shown_after_signing_in(client, person, password):
    person("lea.martin@example.org")
    assert client.get("/mon-compte").headers["Location"] == "/connexion?next=/mon-compte"
    assert 'name="next" value="/mon-compte"' in client.get("/connexion?next=/mon-compte").text
    response = sign_in_form(client, "lea.martin@example.org", password, next="/mon-compte")
    assert response.headers["Location"] == "/mon-compte"


def test_signing_in_never_leads_to_another_site(client, person, password):
    person("lea.martin@example.org")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        response = sign_in_form(client, "lea.martin@example.org", password, next=target)
        assert "evil" not in response.headers["Location"]
        assert not response.headers["Location"].startswith(("//", "javascript"))


def test_pending_suspended_and_deleted_accounts_cannot_sign_in(app, client, person, password):
    person("en.attente@example.org", status=AccountStatus.PENDING)
    suspended = person("suspendu@example.org")
    with app.app_context():
        Account.update(status=AccountStatus.SUSPENDED).where(Account.id == suspended.id).execute()
    for email in ("en.attente@example.org", "suspendu@example.org"):
        assert sign_in_form(client, email, password).status_code == 422


def test_signing_in_shows_the_site_in_the_account_s_language(client, person, password):
    person("sam.taylor@example.org", first_name="Sam", last_name="Taylor", locale="en")
    sign_in_form(client, "sam.taylor@example.org", password)
    page = client.get("/mon-compte").text
    assert '<html lang="en">' in page
    assert "My details" in page
