"""Links sent by email: activation (12 hours), password reset (5 minutes); each works once."""

from tremplin.auth import service as accounts
from tremplin.auth import tokens
from tremplin.auth.models import Account, AccountStatus
from tremplin.testing import csrf_token_from, sign_in

NEW_PASSWORD = "une toute nouvelle phrase"


def choose_password(client, path, password=NEW_PASSWORD, again=None):
    token = csrf_token_from(client, path)
    return client.post(
        path,
        data={
            "password": password,
            "password_confirmation": again if again is not None else password,
            "csrf_token": token,
        },
    )


def ask_reset(client, email):
    token = csrf_token_from(client, "/mot-de-passe-oublie")
    return client.post("/mot-de-passe-oublie", data={"email": email, "csrf_token": token})


def send_activation(app, account):
    with app.app_context():
        accounts.send_activation(account)


# Activation


def test_an_activation_email_leads_to_choosing_a_password_then_the_account_is_active(
    app, client, person, outbox, deliver, link_in, signed_in_as, clock
):
    account = person("lea.martin@example.org", status=AccountStatus.PENDING)
    send_activation(app, account)
    assert deliver() == (1, 0)

    [email] = outbox
    assert email.to == ["lea.martin@example.org"]
    assert email.subject == "Activez votre compte"
    assert "Bonjour Léa," in email.body
    assert "valable 12 heures" in email.body
    path = link_in(email)
    assert path.startswith("/activation/")

    page = client.get(path)
    assert page.status_code == 200
    assert "Activez votre compte" in page.text

    response = choose_password(client, path)
    assert response.status_code == 302
    assert signed_in_as(client) == "lea.martin@example.org"
    with app.app_context():
        assert Account.get_by_id(account.id).status == AccountStatus.ACTIVE


def test_an_activation_link_works_once(app, person, outbox, deliver, link_in, clock):
    account = person("lea.martin@example.org", status=AccountStatus.PENDING)
    send_activation(app, account)
    deliver()
    path = link_in(outbox[0])
    assert choose_password(app.test_client(), path).status_code == 302

    again = app.test_client().get(path)
    assert again.status_code == 410
    assert "Ce lien a déjà été utilisé." in again.text
    assert "Demander un nouveau lien" in again.text


def test_an_activation_link_is_valid_12_hours(app, person, outbox, deliver, link_in, clock):
    account = person("lea.martin@example.org", status=AccountStatus.PENDING)
    send_activation(app, account)
    deliver()
    path = link_in(outbox[0])

    clock.advance(hours=12, seconds=-60)
    assert app.test_client().get(path).status_code == 200

    clock.advance(seconds=120)
    expired = app.test_client().get(path)
    assert expired.status_code == 410
    assert "Ce lien a expiré. Demandez-en un nouveau." in expired.text


def test_a_password_too_short_or_typed_differently_shows_the_form_again(
    app, client, person, outbox, deliver, link_in, clock
):
    account = person("lea.martin@example.org", status=AccountStatus.PENDING)
    send_activation(app, account)
    deliver()
    path = link_in(outbox[0])

    short = choose_password(client, path, "court")
    assert short.status_code == 422
    assert "Choisissez un mot de passe d’au moins 12 caractères." in short.text
    assert 'value="court"' not in short.text

    different = choose_password(client, path, NEW_PASSWORD, again="une autre phrase longue")
    assert different.status_code == 422
    assert "Les deux mots de passe sont différents." in different.text

    # The link was not used up by the mistakes.
    assert choose_password(client, path).status_code == 302


# Forgotten password


def test_asking_for_a_new_password_answers_the_same_whether_the_email_has_an_account(
    client, person, outbox, clock
):
    person("lea.martin@example.org")
    known = ask_reset(client, "lea.martin@example.org")
    unknown = ask_reset(client, "inconnu@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace("lea.martin@", "X@") == unknown.text.replace("inconnu@", "X@")
    assert "Consultez votre messagerie" in known.text
    assert [email.to for email in outbox] == [["lea.martin@example.org"]]


def test_a_reset_link_sets_a_new_password_once_and_signs_out_other_sessions(
    app, person, password, outbox, link_in, signed_in_as, clock
):
    person("lea.martin@example.org")
    laptop = app.test_client()
    sign_in(laptop, "lea.martin@example.org", password)
    assert signed_in_as(laptop) == "lea.martin@example.org"

    phone = app.test_client()
    ask_reset(phone, "lea.martin@example.org")
    [email] = outbox
    assert email.subject == "Choisissez un nouveau mot de passe"
    assert "dans les 5 minutes" in email.body
    path = link_in(email)
    assert path.startswith("/mot-de-passe/")

    assert choose_password(phone, path).status_code == 302
    assert signed_in_as(phone) == "lea.martin@example.org"
    assert signed_in_as(laptop) is None  # the other session is over

    assert phone.get(path).status_code == 410  # once only
    notice = outbox[-1]
    assert notice.subject == "Votre mot de passe a été modifié"

    other = app.test_client()
    sign_in(other, "lea.martin@example.org", NEW_PASSWORD)
    refused = other.post(
        "/connexion",
        data={
            "email": "lea.martin@example.org",
            "password": password,
            "csrf_token": csrf_token_from(other, "/connexion"),
        },
    )
    assert refused.status_code == 422


def test_a_reset_link_is_valid_5_minutes(app, client, person, outbox, link_in, clock):
    person("lea.martin@example.org")
    ask_reset(client, "lea.martin@example.org")
    path = link_in(outbox[0])
    clock.advance(minutes=4)
    assert client.get(path).status_code == 200
    clock.advance(seconds=61)
    response = client.get(path)
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.text


def test_a_person_still_waiting_for_activation_gets_a_new_activation_link(
    client, person, outbox, link_in, clock
):
    person("lea.martin@example.org", status=AccountStatus.PENDING)
    ask_reset(client, "lea.martin@example.org")
    [email] = outbox
    assert email.subject == "Activez votre compte"
    assert link_in(email).startswith("/activation/")


def test_emails_speak_the_recipient_s_language(client, person, outbox, link_in, clock):
    person("sam.taylor@example.org", first_name="Sam", last_name="Taylor", locale="en")
    ask_reset(client, "sam.taylor@example.org")  # asked from a French page
    [email] = outbox
    assert email.subject == "Choose a new password"
    assert "Hello Sam," in email.body
    assert "within 5 minutes" in email.body


def test_links_in_emails_use_the_region_s_address_whatever_host_the_request_named(
    client, person, outbox, link_in, clock
):
    person("lea.martin@example.org")
    forged = {"Host": "evil.example"}
    form = client.get("/mot-de-passe-oublie", headers=forged).text
    token = form.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/mot-de-passe-oublie",
        data={"email": "lea.martin@example.org", "csrf_token": token},
        headers=forged,
    )
    assert response.status_code == 200
    [email] = outbox
    assert "evil.example" not in email.body
    link_in(email)  # asserts the region's base URL


def test_links_signed_for_many_accounts_at_once_are_those_signed_one_by_one(app, clock):
    # An import signs its activation links in bulk (``tokens.sign_many``).
    claims = [(number, f"nonce-{number}") for number in range(1, 50)]
    with app.app_context():
        for purpose in tokens.Purpose:
            one_by_one = [tokens.sign(purpose, account, nonce) for account, nonce in claims]
            assert tokens.sign_many(purpose, claims) == one_by_one
