"""Passwords are kept as argon2id hashes, never as typed."""

from tremplin.auth import passwords
from tremplin.auth import service as accounts
from tremplin.auth.models import Account, AccountStatus


def test_the_password_is_stored_as_an_argon2id_hash_with_the_recommended_parameters(app):
    with app.app_context():
        account = accounts.create_account(
            "lea.martin@example.org",
            "Léa",
            "Martin",
            password="un mot de passe solide",
            status=AccountStatus.ACTIVE,
        )
        stored = Account.get_by_id(account.id).password_hash
    assert "un mot de passe solide" not in stored
    # RFC 9106's second recommended option: argon2id, 64 MiB, 3 passes, 4 lanes.
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(stored, "un mot de passe solide")
    assert not passwords.verify_password(stored, "un autre mot de passe")


def test_an_account_without_a_password_never_matches():
    assert not passwords.verify_password(None, "")
    assert not passwords.verify_password("not a hash", "anything")


def test_a_hash_made_with_older_parameters_is_renewed_at_sign_in(app, fast_passwords):
    from argon2 import PasswordHasher, profiles

    weak = PasswordHasher.from_parameters(profiles.PRE_21_2).hash("un mot de passe solide")
    with app.app_context():
        account = accounts.create_account(
            "lea.martin@example.org", "Léa", "Martin", status=AccountStatus.ACTIVE
        )
        Account.update(password_hash=weak).where(Account.id == account.id).execute()
        assert accounts.authenticate("lea.martin@example.org", "un mot de passe solide")
        renewed = Account.get_by_id(account.id).password_hash
    assert renewed != weak
    assert not passwords.needs_rehash(renewed)
