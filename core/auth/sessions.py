"""Sign-in sessions kept on the server, so that leaving ends them everywhere.

Flask's session is a signed cookie: on its own, a copy of it taken before the person signs
out would go on working. So each sign-in also writes a ``SignInSession`` row; the cookie
carries the row's secret, and the row is checked on every request. Signing out deletes
the row, "sign out of every device" deletes all the account's rows, and a session left
unused for ``IDLE_LIMIT`` ends by itself (``tremplin purge`` deletes its row).

No Flask here: ``tremplin.auth.web`` keeps the secret in the cookie and calls these.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

import peewee

from .. import prepared
from ..clock import as_utc, now
from ..db import database, is_sqlite
from .models import (
    Account,
    AccountInRequest,
    AccountStatus,
    Role,
    RoleGrant,
    SignInSession,
)

# A session nobody used for this long ends (an unattended computer, a forgotten tab).
IDLE_LIMIT = datetime.timedelta(days=30)
# ``last_seen_at`` is written at most this often: a page view is not a database write.
SEEN_EVERY = datetime.timedelta(hours=1)
_STATEMENTS = prepared.Statements(limit=8)


def start(account: Account) -> str:
    """Record a new session of ``account``; return its secret, for the cookie only."""
    key = secrets.token_urlsafe(32)
    SignInSession.create(account=account.id, key_hash=_hash(key))
    return key


def account_of(account_id: int, nonce: str, key: str) -> Account | None:
    """The active account of the session ``key``, if that session still lasts.

    Its roles in force are read in the same statement, into ``in_request``
    (``tremplin.auth.permissions.has_role`` answers from them for the request; the other
    questions of ``permissions``, organisations and territories, are read once for the
    request on first use). The account lives for one request: a role given or withdrawn
    counts from the next.

    ``nonce`` is the account's ``token_nonce`` when the session started: a password change
    rotates it, which ends every session started before.
    """
    moment = now()
    b = prepared.Builder()
    # The account's roles in the same statement: most requests ask for one or several.
    roles = [
        peewee.fn.EXISTS(
            RoleGrant.select(peewee.SQL("1")).where(
                RoleGrant.account == Account.id, RoleGrant.role == role, RoleGrant.in_force()
            )
        ).alias(f"holds_{role}")
        for role in Role
    ]
    query = (
        SignInSession.select(SignInSession, Account, *roles)
        .join(Account)
        .where(
            SignInSession.key_hash == b.value("key", _hash(key)),
            SignInSession.last_seen_at
            > b.value("since", SignInSession.last_seen_at.db_value(moment - IDLE_LIMIT)),
            Account.id == b.value("account", account_id),
            Account.token_nonce == b.value("nonce", nonce),
            Account.status == AccountStatus.ACTIVE,
        )
        .limit(1)
    )
    # Every request runs it: its SQL is written once (``tremplin.prepared``).
    found = _STATEMENTS.rows(database, ("session", is_sqlite(database)), query, b)
    row = found[0] if found else None
    if row is None:
        return None
    if row.last_seen_at <= moment - SEEN_EVERY:
        SignInSession.update(last_seen_at=moment).where(SignInSession.id == row.id).execute()
    account = row.account
    account.in_request = AccountInRequest(
        roles=frozenset(role for role in Role if getattr(row, f"holds_{role}"))
    )
    return account


def end(key: str) -> None:
    """End the session ``key`` (signing out)."""
    SignInSession.delete().where(SignInSession.key_hash == _hash(key)).execute()


def end_every_session(account: Account) -> int:
    """End every session of ``account``, on every device; return how many there were."""
    return SignInSession.delete().where(SignInSession.account == account.id).execute()


def purge(moment: datetime.datetime) -> int:
    """Delete the rows of sessions unused for ``IDLE_LIMIT`` before ``moment`` (UTC)."""
    limit = as_utc(moment) - IDLE_LIMIT
    return SignInSession.delete().where(SignInSession.last_seen_at <= limit).execute()


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
