"""``tremplin accounts``: operators create the accounts that act for the network."""

import pytest

from tremplin.auth import permissions
from tremplin.auth.models import Account, AccountStatus, Role, RoleGrant
from tremplin.organisations.models import Organisation
from tremplin.territories.models import Territory


@pytest.fixture
def nord(app):
    with app.app_context():
        return Territory.create(code="59", name="Nord", kind="department")


@pytest.fixture
def company(app, nord):
    with app.app_context():
        return Organisation.create(
            name="Aciéries du Nord",
            search_name="acieries du nord",
            kind="company",
            siret="73282932000074",
            territory=nord,
        )


def account(app, email) -> Account:
    with app.app_context():
        return Account.get(Account.email == email)


def test_a_referent_is_created_with_a_territory_and_receives_an_activation_link(
    app, run_cli, nord, outbox
):
    result = run_cli(
        app,
        "accounts", "create", "Camille.Referente@Example.org",
        "--first-name", "Camille", "--last-name", "Lefebvre",
        "--role", "referent", "--territory", "59",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # The command only queues the email: it says so, and who sends it.
    assert (
        "Compte camille.referente@example.org créé ; le courriel d’activation est dans la file "
        "d’envoi : `tremplin worker` l’envoie."
    ) in result.output
    camille = account(app, "camille.referente@example.org")
    assert camille.status == AccountStatus.PENDING
    with app.app_context():
        grant = RoleGrant.get(RoleGrant.account == camille)
        assert (grant.role, grant.territory_id) == (Role.REFERENT, nord.id)
    [email] = outbox
    assert email.to == ["camille.referente@example.org"]
    assert "/activation/" in email.body


def test_an_admin_with_a_password_from_stdin_is_active_at_once(
    app, run_cli, outbox, fast_passwords
):
    result = run_cli(
        app,
        "accounts", "create", "admin@example.org",
        "--first-name", "Alex", "--last-name", "Durand", "--role", "admin", "--password-stdin",
        input="une phrase de passe longue\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    admin = account(app, "admin@example.org")
    assert admin.status == AccountStatus.ACTIVE
    assert outbox == []
    with app.app_context():
        assert permissions.is_admin(admin)


def test_a_partner_manager_is_found_by_siret(app, run_cli, company):
    result = run_cli(
        app,
        "accounts", "create", "rh@acieries.example",
        "--first-name", "Inès", "--last-name", "Roux",
        "--role", "partner_manager", "--organisation", "732 829 320 00074",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with app.app_context():
        manager = Account.get(Account.email == "rh@acieries.example")
        assert permissions.organisations_of(manager, Role.PARTNER_MANAGER) == set()  # pending
        assert RoleGrant.get(RoleGrant.account == manager).organisation_id == company.id


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["pas-une-adresse", "--role", "admin"], "'pas-une-adresse' n’est pas une adresse"),
        (["x@example.org", "--role", "roi"], "rôle inconnu : 'roi'"),
        (["x@example.org"], "indiquez --role"),
        (["x@example.org", "--role", "referent"], "un référent a besoin de --territory CODE"),
        (["x@example.org", "--role", "referent", "--territory", "99"], "aucun territoire"),
        (["x@example.org", "--role", "admin", "--territory", "59"], "--territory ne concerne"),
        (["x@example.org", "--role", "partner_manager"], "ce rôle a besoin de --organisation"),
        (
            ["x@example.org", "--role", "partner_manager", "--organisation", "12"],
            "aucune structure",
        ),
        (["x@example.org", "--role", "ambassador"], "rôle inconnu"),
    ],
)
def test_bad_input_ends_with_one_line_and_exit_code_2(app, run_cli, nord, arguments, message):
    result = run_cli(
        app, "accounts", "create", *arguments[:1], "--first-name", "A", "--last-name", "B",
        *arguments[1:],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    with app.app_context():
        assert not Account.select().exists()  # nothing half-written


def test_an_email_already_used_or_a_short_password_is_refused(app, run_cli, fast_passwords):
    create = ["accounts", "create", "admin@example.org", "--first-name", "A", "--last-name", "B",
              "--role", "admin"]  # fmt: skip
    assert run_cli(app, *create).exit_code == 0
    again = run_cli(app, *create)
    assert again.exit_code == 2
    assert "Un compte utilise déjà cette adresse électronique." in again.output

    short = run_cli(app, *create[:2], "autre@example.org", *create[3:], "--password-stdin",
                    input="court\n")  # fmt: skip
    assert short.exit_code == 2
    assert "au moins 12 caractères" in short.output


def test_roles_are_granted_and_revoked(app, run_cli, nord):
    run_cli(app, "accounts", "create", "camille@example.org", "--first-name", "Camille",
            "--last-name", "Lefebvre", "--role", "admin")  # fmt: skip
    granted = run_cli(
        app, "accounts", "grant", "camille@example.org", "--role", "referent", "--territory", "59"
    )
    assert granted.exit_code == 0, granted.output
    assert "camille@example.org a désormais le rôle referent." in granted.output

    revoked = run_cli(app, "accounts", "revoke", "camille@example.org", "--role", "admin")
    assert revoked.exit_code == 0, revoked.output
    with app.app_context():
        roles = {grant.role for grant in RoleGrant.select()}
    assert roles == {"referent"}

    nothing = run_cli(app, "accounts", "revoke", "camille@example.org", "--role", "admin")
    assert nothing.exit_code == 2
    unknown = run_cli(app, "accounts", "grant", "nobody@example.org", "--role", "admin")
    assert unknown.exit_code == 2
    assert "aucun compte n’utilise nobody@example.org" in unknown.output
