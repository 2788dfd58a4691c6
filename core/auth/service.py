"""Accounts: creation, activation, sign-in, roles, links and erasure.

No Flask here: callable from the command line, jobs and tests. Every link a person
receives is signed, expires and works once (see ``tokens``); using one rotates the
account's ``token_nonce``, which also ends the account's other sessions.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import peewee

from .. import runtime
from ..clock import now
from ..db import database
from ..errors import Invalid
from ..i18n import _
from ..mail import service as mail
from ..organisations.models import Organisation
from ..territories.models import Territory
from . import access_tokens, memberships, passwords, sessions, tokens
from .models import Account, AccountStatus, Departure, Role, RoleGrant, new_nonce

# What a person may change on their own account (``update_details``).
EDITABLE_DETAILS = ("first_name", "last_name", "phone", "locale", "gender")
DELETED_EMAIL = "deleted-{id}@invalid"  # ``.invalid`` is reserved (RFC 2606): never delivered


def normalise_email(email: str) -> str:
    """The form an email is stored and compared in: trimmed, lower case."""
    return email.strip().lower()


def create_account(
    email: str,
    first_name: str,
    last_name: str,
    *,
    phone: str | None = None,
    gender: str | None = None,
    locale: str = "fr",
    password: str | None = None,
    status: AccountStatus = AccountStatus.PENDING,
) -> Account:
    """A new account; raise ``Invalid`` on ``email`` if an account already uses it.

    Without ``password`` the account waits for its activation link to set one.
    """
    email = normalise_email(email)
    if Account.select().where(Account.email == email).exists():
        raise Invalid({"email": [_("An account already uses this email address.")]})
    return Account.create(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        phone=phone,
        gender=gender,
        locale=locale,
        password_hash=passwords.hash_password(password) if password else None,
        status=status,
        activated_at=now() if status == AccountStatus.ACTIVE else None,
    )


def find_account(email: str) -> Account | None:
    """The account using ``email`` (any status), or ``None``."""
    return Account.get_or_none(Account.email == normalise_email(email))


def grant(
    account: Account,
    role: Role,
    *,
    territory: Territory | None = None,
    organisation: Organisation | None = None,
) -> RoleGrant:
    """Give ``account`` a role, scoped to a territory (referent) or an organisation.

    The role is in force at once (an administrator's act): a membership that was waiting
    for approval is approved. People asking to join an organisation go through
    ``memberships.ask_to_join`` instead.
    """
    grant_, _created = RoleGrant.get_or_create(
        account=account,
        role=role,
        territory=territory,
        organisation=organisation,
        defaults={"approved_at": now()},
    )
    if grant_.pending:
        RoleGrant.update(pending=False, approved_at=now()).where(
            RoleGrant.id == grant_.id
        ).execute()
        grant_ = RoleGrant.get_by_id(grant_.id)
    return grant_


def revoke(
    account: Account,
    role: Role,
    *,
    territory: Territory | None = None,
    organisation: Organisation | None = None,
) -> int:
    """Take a role back: the one of that scope, or every scope when none is given.

    Return how many grants were removed (0 when the account did not hold it).
    """
    query = RoleGrant.delete().where(RoleGrant.account == account, RoleGrant.role == role)
    if territory is not None:
        query = query.where(RoleGrant.territory == territory)
    if organisation is not None:
        query = query.where(RoleGrant.organisation == organisation)
    return query.execute()


def send_activation(account: Account) -> str:
    """Queue the email whose link (valid 12 hours) activates ``account``; return the token."""
    token = _activation_token(account)
    email = _activation_email(account, token)
    mail.queue(email.recipient, email.template, locale=email.locale, **email.context)
    return token


def send_activations(accounts: Sequence[Account]) -> list[str]:
    """``send_activation`` for many accounts at once (an import); their tokens, in order.

    The same emails, queued with a few multi-row inserts. Each account needs its ``id``,
    ``email``, ``first_name``, ``locale`` and ``token_nonce``.
    """
    tokens_ = tokens.sign_many(
        tokens.Purpose.ACTIVATION, [(account.id, account.token_nonce) for account in accounts]
    )
    mail.queue_many(
        _activation_email(account, token) for account, token in zip(accounts, tokens_, strict=True)
    )
    return tokens_


def _activation_token(account: Account) -> str:
    return tokens.sign(tokens.Purpose.ACTIVATION, account.id, account.token_nonce)


def _activation_email(account: Account, token: str) -> mail.Email:
    return mail.Email(
        account.email,
        "auth/email/activate",
        locale=account.locale,
        context={"first_name": account.first_name, "token": token},
    )


def account_for_link(purpose: tokens.Purpose, token: str) -> Account:
    """The account a link of ``purpose`` was sent to, if the link can still be used.

    Raise ``Invalid`` on ``token`` when it is forged, expired or already used (any link
    used since rotated the account's nonce). Pages call this before showing their form.
    """
    claims = tokens.read(purpose, token)
    status = AccountStatus.PENDING if purpose == tokens.Purpose.ACTIVATION else AccountStatus.ACTIVE
    account = Account.get_or_none(
        Account.id == claims.account_id,
        Account.token_nonce == claims.nonce,
        Account.status == status,
    )
    if account is None:
        raise Invalid({"token": [_("This link has already been used.")]})
    return account


def activate(token: str, password: str) -> Account:
    """Use an activation link: set the password and activate; the link works only once."""
    claims = tokens.read(tokens.Purpose.ACTIVATION, token)
    check_password_rules(password)
    with database.atomic():
        changed = (
            Account.update(
                password_hash=passwords.hash_password(password),
                status=AccountStatus.ACTIVE,
                activated_at=now(),
                token_nonce=new_nonce(),
            )
            .where(
                Account.id == claims.account_id,
                Account.token_nonce == claims.nonce,
                Account.status == AccountStatus.PENDING,
            )
            .execute()
        )
        if changed:
            memberships.announce(Account.get_by_id(claims.account_id))
    if not changed:
        raise Invalid({"token": [_("This link has already been used.")]})
    return Account.get_by_id(claims.account_id)


def authenticate(email: str, password: str) -> Account | None:
    """The active account with this email and password, or ``None``."""
    account = Account.get_or_none(Account.email == normalise_email(email))
    if account is None:
        # As slow as a real check, so response times do not tell which emails have an account.
        passwords.verify_password(_decoy_hash(), password)
        return None
    if not passwords.verify_password(account.password_hash, password):
        return None
    if account.status != AccountStatus.ACTIVE:
        return None
    updates = {"last_login_at": now()}
    if passwords.needs_rehash(account.password_hash):
        updates["password_hash"] = passwords.hash_password(password)
    Account.update(**updates).where(Account.id == account.id).execute()
    return account


def check_password_rules(password: str) -> None:
    """Raise ``Invalid`` on ``password`` if it is too short."""
    if len(password) < passwords.MIN_LENGTH:
        raise Invalid(
            {
                "password": [
                    _(
                        "Choose a password of at least %(length)d characters.",
                        length=passwords.MIN_LENGTH,
                    )
                ]
            }
        )


def roles_of(account: Account) -> list[RoleGrant]:
    """Every role of ``account`` with its scope."""
    return list(RoleGrant.select().where(RoleGrant.account == account))


# Passwords


def request_password_reset(email: str) -> None:
    """Email a password-reset link (valid 5 minutes) to the account using ``email``, if any.

    The caller answers the same whatever happens, so nobody learns which emails have an
    account. An account still waiting for activation gets a new activation link instead;
    suspended and deleted accounts get nothing.
    """
    account = find_account(email)
    if account is None:
        return
    if account.status == AccountStatus.PENDING:
        send_activation(account)
    elif account.status == AccountStatus.ACTIVE:
        token = tokens.sign(tokens.Purpose.PASSWORD_RESET, account.id, account.token_nonce)
        mail.queue(
            account.email,
            "auth/email/reset_password",
            locale=account.locale,
            first_name=account.first_name,
            token=token,
        )


def reset_password(token: str, password: str) -> Account:
    """Use a password-reset link: set the new password; the link works only once.

    The account's other sessions end, and the account is told by email.
    """
    claims = tokens.read(tokens.Purpose.PASSWORD_RESET, token)
    check_password_rules(password)
    with database.atomic():
        changed = _set_password(claims.account_id, password, nonce=claims.nonce)
        if not changed:
            raise Invalid({"token": [_("This link has already been used.")]})
        account = Account.get_by_id(claims.account_id)
        _notify_password_changed(account)
    return account


def change_password(account: Account, current_password: str, new_password: str) -> Account:
    """Replace the password of a signed-in person, who confirms with the current one.

    Every other session of the account ends; the returned account carries the new nonce
    the caller signs in again with.
    """
    check_current_password(account, current_password, field="current_password")
    check_password_rules(new_password)
    with database.atomic():
        if not _set_password(account.id, new_password, nonce=account.token_nonce):
            raise Invalid({"current_password": [_("Your account changed meanwhile; try again.")]})
        account = Account.get_by_id(account.id)
        _notify_password_changed(account)
    return account


def check_current_password(account: Account, password: str, field: str = "password") -> None:
    """Raise ``Invalid`` on ``field`` unless ``password`` is the account's password."""
    if not passwords.verify_password(account.password_hash, password):
        raise Invalid({field: [_("This is not your current password.")]})


def _set_password(account_id: int, password: str, nonce: str) -> int:
    return (
        Account.update(password_hash=passwords.hash_password(password), token_nonce=new_nonce())
        .where(
            Account.id == account_id,
            Account.token_nonce == nonce,
            Account.status == AccountStatus.ACTIVE,
        )
        .execute()
    )


def _notify_password_changed(account: Account) -> None:
    mail.queue(
        account.email,
        "auth/email/password_changed",
        locale=account.locale,
        first_name=account.first_name,
    )


# Details and email


def update_details(account: Account, changes: Mapping[str, Any]) -> Account:
    """Change the person's own names, phone, language or declared gender.

    ``changes`` holds validated values (``schemas.DetailsSchema``); other keys are refused.
    Raise ``Invalid`` on ``locale`` if the region does not offer that language.
    """
    unknown = sorted(set(changes) - set(EDITABLE_DETAILS))
    if unknown:
        raise Invalid({name: [_("This cannot be changed here.")] for name in unknown})
    values = {
        name: value.strip() if isinstance(value, str) else value for name, value in changes.items()
    }
    if "locale" in values and values["locale"] not in runtime.current().region.locales:
        raise Invalid({"locale": [_("This language is not offered here.")]})
    if values:
        Account.update(**values).where(Account.id == account.id).execute()
    return Account.get_by_id(account.id)


def request_email_change(account: Account, new_email: str, password: str) -> str:
    """Send a link (valid 12 hours) to ``new_email``; the address changes once it is used.

    The person confirms with their password. Only the latest request counts. Return the
    token (the link's last part).
    """
    new_email = normalise_email(new_email)
    check_current_password(account, password)
    if new_email == account.email:
        raise Invalid({"email": [_("This is already the address of your account.")]})
    if Account.select().where(Account.email == new_email).exists():
        raise Invalid({"email": [_("An account already uses this email address.")]})
    token = tokens.sign(tokens.Purpose.EMAIL_CHANGE, account.id, account.token_nonce, e=new_email)
    with database.atomic():
        Account.update(pending_email=new_email).where(Account.id == account.id).execute()
        mail.queue(
            new_email,
            "auth/email/confirm_email",
            locale=account.locale,
            first_name=account.first_name,
            token=token,
        )
    return token


def pending_email_change(token: str) -> tuple[Account, str]:
    """The account and the new address of an email-change link that can still be used."""
    account = account_for_link(tokens.Purpose.EMAIL_CHANGE, token)
    new_email = tokens.read(tokens.Purpose.EMAIL_CHANGE, token).extra.get("e")
    if not new_email or account.pending_email != new_email:
        raise Invalid({"token": [_("This link has been replaced by a more recent one.")]})
    return account, new_email


def confirm_email_change(token: str) -> Account:
    """Use an email-change link: the account takes the new address; the old one is told.

    The link works once and ends the account's other sessions.
    """
    account, new_email = pending_email_change(token)
    old_email = account.email
    try:
        with database.atomic():
            changed = (
                Account.update(email=new_email, pending_email=None, token_nonce=new_nonce())
                .where(
                    Account.id == account.id,
                    Account.token_nonce == account.token_nonce,
                    Account.pending_email == new_email,
                )
                .execute()
            )
            if not changed:
                raise Invalid({"token": [_("This link has already been used.")]})
            mail.queue(
                old_email,
                "auth/email/email_changed",
                locale=account.locale,
                first_name=account.first_name,
                new_email=new_email,
            )
    except peewee.IntegrityError as error:  # someone registered the address meanwhile
        raise Invalid({"email": [_("An account already uses this email address.")]}) from error
    return Account.get_by_id(account.id)


# Deletion


def delete_account(account: Account, password: str) -> Account:
    """Delete a person's own account, once they confirmed with their password.

    See ``erase_account`` for what is kept.
    """
    check_current_password(account, password)
    return erase_account(account)


def erase_account(account: Account) -> Account:
    """Anonymise ``account`` and ask every area and plugin to erase what they hold about it.

    In one transaction: the ``account_leaving`` hook closes what the person left open (an
    ambassador's upcoming interventions are cancelled and the schools told), then the
    ``erase_personal_data`` hook is called (plugins still see the account as it was), then
    the emails to the person, names, email, phone, password and roles go. The row stays,
    with its status ``deleted``, its dates and its declared gender, so that figures remain
    right; nothing left identifies the person. Every session and access token of the
    account ends.
    """
    with database.atomic():
        runtime.hooks().account_leaving(person=account, reason=Departure.DELETED)
        runtime.hooks().erase_personal_data(person=account)
        mail.erase_for(account.email)  # emails to the person hold their address and name
        RoleGrant.delete().where(RoleGrant.account == account.id).execute()
        sessions.end_every_session(account)
        access_tokens.delete_every_token(account)
        Account.update(
            email=DELETED_EMAIL.format(id=account.id),
            pending_email=None,
            first_name="",
            last_name="",
            phone=None,
            password_hash=None,
            status=AccountStatus.DELETED,
            token_nonce=new_nonce(),
            deleted_at=now(),
        ).where(Account.id == account.id).execute()
    return Account.get_by_id(account.id)


def suspend_account(account: Account) -> Account:
    """Suspend ``account``: it can no longer sign in, and its sessions end.

    In one transaction with the ``account_leaving`` hook, which closes what the person
    left open. Who may suspend whom is checked by the caller's area (a referent suspends
    the ambassadors of their territories: ``tremplin.people.service.suspend``).
    """
    if account.status != AccountStatus.ACTIVE:
        raise Invalid({"_": [_("Only an active account can be suspended.")]})
    with database.atomic():
        runtime.hooks().account_leaving(person=account, reason=Departure.SUSPENDED)
        Account.update(status=AccountStatus.SUSPENDED, token_nonce=new_nonce()).where(
            Account.id == account.id
        ).execute()
    return Account.get_by_id(account.id)


@functools.cache
def _decoy_hash() -> str:
    return passwords.hash_password("not the password of anybody")
