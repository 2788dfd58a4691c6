"""A person's own account: details, email, password, deletion."""

import pytest

from tremplin import hookimpl
from tremplin.auth import service as accounts
from tremplin.auth.models import Account, AccountStatus, Role, RoleGrant
from tremplin.mail.models import OutboxMessage
from tremplin.territories.models import Territory
from tremplin.testing import csrf_token_from, sign_in


def post_form(client, path, **data):
    return client.post(path, data={**data, "csrf_token": csrf_token_from(client, path)})


@pytest.fixture
def lea(client, person, password):
    """Léa, signed in with ``client``."""
    account = person("lea.martin@example.org", phone="06 12 34 56 78")
    sign_in(client, "lea.martin@example.org", password)
    return account


def stored(app, account) -> Account:
    with app.app_context():
        return Account.get_by_id(account.id)


# Details


def test_the_account_page_shows_the_person_s_own_details(client, lea):
    page = client.get("/mon-compte").text
    assert 'value="Léa"' in page
    assert 'value="06 12 34 56 78"' in page
    assert "lea.martin@example.org" in page


def test_a_person_changes_their_details(app, client, lea):
    response = post_form(
        client,
        "/mon-compte",
        first_name=" Léna ",
        last_name="Martin-Durand",
        phone="",
        locale="en",
        gender="female",
    )
    assert response.status_code == 302
    account = stored(app, lea)
    assert (account.first_name, account.last_name) == ("Léna", "Martin-Durand")
    assert account.phone is None
    assert (account.locale, account.gender) == ("en", "female")
    assert "Your details are saved." in client.get("/mon-compte").text  # now in English


def test_bad_details_show_the_form_again_with_messages_and_what_was_typed(app, client, lea):
    response = post_form(
        client, "/mon-compte", first_name="", last_name="Martin", phone="appelez-moi", locale="fr"
    )
    assert response.status_code == 422
    page = response.text
    assert "Ce champ est obligatoire." in page
    assert "Indiquez un numéro de téléphone, par exemple 06 12 34 56 78." in page
    assert 'value="appelez-moi"' in page
    assert 'href="#first_name"' in page  # the summary leads to the field
    assert stored(app, lea).first_name == "Léa"


def test_the_account_pages_are_for_signed_in_people(client):
    for path in ("/mon-compte", "/mon-compte/email", "/mon-compte/mot-de-passe"):
        assert client.get(path).headers["Location"].startswith("/connexion?next=")


def test_the_account_page_lists_the_person_s_roles(app, client, lea):
    with app.app_context():
        nord = Territory.create(code="59", name="Nord", kind="department")
        accounts.grant(lea, Role.REFERENT, territory=nord)
    assert "Référent territorial — Nord" in client.get("/mon-compte").text


# My data


def test_hook_personal_data_answers_are_downloaded_from_the_account_page(make_app, fast_passwords):
    class Badges:
        name = "badges"

        @hookimpl
        def personal_data(self, person):
            return {"Badges": [{"earned_for": "forum des métiers", "holder": person.email}]}

    app = make_app(extra_plugins=[Badges()])
    client = app.test_client()
    with app.app_context():
        accounts.create_account(
            "lea.martin@example.org",
            "Léa",
            "Martin",
            password="un mot de passe solide",
            status=AccountStatus.ACTIVE,
            phone="06 12 34 56 78",
        )
    sign_in(client, "lea.martin@example.org", "un mot de passe solide")
    assert 'href="/mon-compte/mes-donnees"' in client.get("/mon-compte").text

    response = client.get("/mon-compte/mes-donnees")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="mes-donnees.json"'
    sections = response.json["sections"]
    assert sections["Compte"]["email"] == "lea.martin@example.org"
    assert sections["Compte"]["phone"] == "06 12 34 56 78"
    assert sections["Badges"] == [
        {"earned_for": "forum des métiers", "holder": "lea.martin@example.org"}
    ]


def test_only_a_signed_in_person_downloads_their_data(client):
    response = client.get("/mon-compte/mes-donnees")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion")


# Email


def test_a_new_email_is_confirmed_by_a_link_sent_to_it_and_the_old_address_is_told(
    app, client, lea, password, outbox, link_in
):
    response = post_form(
        client, "/mon-compte/email", email="Lea@Nouvelle.example", password=password
    )
    assert response.status_code == 302
    assert stored(app, lea).email == "lea.martin@example.org"  # not yet
    [confirmation] = outbox
    assert confirmation.to == ["lea@nouvelle.example"]
    assert confirmation.subject == "Confirmez votre nouvelle adresse électronique"
    path = link_in(confirmation)

    page = client.get(path)
    assert "lea@nouvelle.example" in page.text
    assert stored(app, lea).email == "lea.martin@example.org"  # opening the link is not enough

    assert post_form(client, path).status_code == 302
    assert stored(app, lea).email == "lea@nouvelle.example"
    assert stored(app, lea).pending_email is None
    notice = outbox[-1]
    assert notice.to == ["lea.martin@example.org"]
    assert notice.subject == "L’adresse électronique de votre compte a changé"
    assert "lea@nouvelle.example" in notice.body
    assert client.get("/mon-compte").status_code == 200  # still signed in here

    assert client.get(path).status_code == 410  # once only


def test_only_the_latest_email_change_link_works(app, client, lea, password, outbox, link_in):
    post_form(client, "/mon-compte/email", email="premiere@example.org", password=password)
    post_form(client, "/mon-compte/email", email="seconde@example.org", password=password)
    first, second = (link_in(message) for message in outbox)
    replaced = client.get(first)
    assert replaced.status_code == 410
    assert "Ce lien a été remplacé par un lien plus récent." in replaced.text
    assert post_form(client, second).status_code == 302
    assert stored(app, lea).email == "seconde@example.org"


def test_changing_email_needs_the_password_and_a_free_address(
    app, client, person, lea, password, outbox
):
    person("pris@example.org")
    wrong = post_form(client, "/mon-compte/email", email="autre@example.org", password="non")
    assert wrong.status_code == 422
    assert "Ce n’est pas votre mot de passe actuel." in wrong.text
    assert 'value="autre@example.org"' in wrong.text

    taken = post_form(client, "/mon-compte/email", email="pris@example.org", password=password)
    assert "Un compte utilise déjà cette adresse électronique." in taken.text

    invalid = post_form(client, "/mon-compte/email", email="pas une adresse", password=password)
    assert "Adresse électronique non valide." in invalid.text
    assert outbox == []


# Password


def test_changing_the_password_keeps_this_session_and_ends_the_others(
    app, client, lea, password, signed_in_as, outbox
):
    other = app.test_client()
    sign_in(other, "lea.martin@example.org", password)
    response = post_form(
        client,
        "/mon-compte/mot-de-passe",
        current_password=password,
        password="une phrase toute neuve",
        password_confirmation="une phrase toute neuve",
    )
    assert response.status_code == 302
    assert signed_in_as(client) == "lea.martin@example.org"
    assert signed_in_as(other) is None
    assert outbox[-1].subject == "Votre mot de passe a été modifié"


def test_a_wrong_current_password_changes_nothing(app, client, lea, password):
    response = post_form(
        client,
        "/mon-compte/mot-de-passe",
        current_password="pas le bon",
        password="une phrase toute neuve",
        password_confirmation="une phrase toute neuve",
    )
    assert response.status_code == 422
    assert "Ce n’est pas votre mot de passe actuel." in response.text
    with app.app_context():
        assert accounts.authenticate("lea.martin@example.org", password)


# Deletion


class Recorder:
    """A plugin remembering whom it was asked to erase, and what it saw of them."""

    name = "recorder"

    def __init__(self):
        self.erased = []

    @hookimpl
    def erase_personal_data(self, person):
        # Called inside the deletion's transaction, before the account is anonymised.
        self.erased.append((person.id, person.email, person.first_name))


def test_hook_erase_personal_data_is_called_when_a_person_deletes_their_account(
    make_app, fast_passwords, password, signed_in_as
):
    recorder = Recorder()
    app = make_app(extra_plugins=[recorder])
    client = app.test_client()
    with app.app_context():
        nord = Territory.create(code="59", name="Nord", kind="department")
        account = accounts.create_account(
            "lea.martin@example.org",
            "Léa",
            "Martin",
            phone="06 12 34 56 78",
            gender="female",
            password=password,
            status=AccountStatus.ACTIVE,
        )
        accounts.grant(account, Role.REFERENT, territory=nord)
        accounts.request_password_reset("lea.martin@example.org")  # an email to her
    sign_in(client, "lea.martin@example.org", password)

    page = client.get("/mon-compte/supprimer").text
    assert "La suppression de votre compte est définitive" in page
    response = post_form(client, "/mon-compte/supprimer", password=password)
    assert response.status_code == 302
    assert "Votre compte est supprimé" in client.get(response.headers["Location"]).text

    assert recorder.erased == [(account.id, "lea.martin@example.org", "Léa")]
    assert signed_in_as(client) is None
    with app.app_context():
        kept = Account.get_by_id(account.id)  # the row stays, for the figures
        assert kept.status == AccountStatus.DELETED
        assert kept.email == f"deleted-{account.id}@invalid"
        assert (kept.first_name, kept.last_name, kept.phone) == ("", "", None)
        assert kept.password_hash is None
        assert kept.deleted_at is not None
        assert kept.gender == "female"  # counted, identifies nobody
        assert not RoleGrant.select().where(RoleGrant.account == account.id).exists()
        assert (
            not OutboxMessage.select()
            .where(OutboxMessage.recipient == "lea.martin@example.org")
            .exists()
        )
    fresh = app.test_client()
    refused = fresh.post(
        "/connexion",
        data={
            "email": "lea.martin@example.org",
            "password": password,
            "csrf_token": csrf_token_from(fresh, "/connexion"),
        },
    )
    assert refused.status_code == 422


def test_deleting_needs_the_password(app, client, lea):
    response = post_form(client, "/mon-compte/supprimer", password="pas le bon")
    assert response.status_code == 422
    assert "Ce n’est pas votre mot de passe actuel." in response.text
    assert stored(app, lea).status == AccountStatus.ACTIVE


def test_a_failing_plugin_leaves_the_account_untouched(make_app, fast_passwords, password):
    class Failing:
        name = "failing"

        @hookimpl
        def erase_personal_data(self, person):
            raise RuntimeError("the plugin's storage is down")

    app = make_app(extra_plugins=[Failing()])
    with app.app_context():
        account = accounts.create_account(
            "lea.martin@example.org",
            "Léa",
            "Martin",
            password=password,
            status=AccountStatus.ACTIVE,
        )
        with pytest.raises(RuntimeError):
            accounts.delete_account(account, password)
        assert Account.get_by_id(account.id).email == "lea.martin@example.org"
