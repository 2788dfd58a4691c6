"""Personal access tokens: how a machine client (a region's information system, a script)
calls the API as a person, with ``Authorization: Bearer <token>``.

A person creates a token on their account page, names it, chooses whether it may only read
(``GET``) or also write, and until when it works (a year at most). The token is shown
once; only its SHA-256 is kept, so a copy of the database lets nobody call the API. It acts
with its account's roles and permissions, never more, and stops working when it expires,
when it is revoked, or when its account is no longer active. Not to be confused with
``tokens``, the signed links sent by email.

No Flask here: ``tremplin.auth.bearer`` reads the header and calls ``authenticate``.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from .. import runtime
from ..clock import as_utc, now, today
from ..errors import Invalid, NotFound
from ..i18n import _, format_day
from ..validation import validated
from .models import AccessScope, AccessToken, Account, AccountStatus
from .schemas import AccessTokenSchema

# Recognisable in logs and by secret scanners; the rest is 256 random bits.
PREFIX = "tremplin_"
HINT_LENGTH = len(PREFIX) + 4
MAX_DAYS = 366
# ``last_used_at`` is written at most this often: a busy client is not a write per call.
USE_RECORDED_EVERY = datetime.timedelta(minutes=1)
# Expired tokens stay listed (so their owner sees why a client stopped) this long.
EXPIRED_KEPT = datetime.timedelta(days=30)

logger = logging.getLogger(__name__)


def create(account: Account, raw: Mapping[str, Any]) -> tuple[AccessToken, str]:
    """A new token of ``account`` from the raw ``name``, ``scope`` and ``expires_on``.

    Return the row and the token itself, which nothing can show again. Raise ``Invalid``
    with the fields' messages; the token works until the end of ``expires_on`` in the
    region's time zone.
    """
    data = validated(AccessTokenSchema, raw)
    zone = ZoneInfo(runtime.current().region.timezone)
    this_day = today(zone)
    first, last = this_day + datetime.timedelta(days=1), this_day + datetime.timedelta(MAX_DAYS)
    if not first <= data["expires_on"] <= last:
        message = _(
            "Choose a date between %(first)s and %(last)s.",
            first=format_day(first),
            last=format_day(last),
        )
        raise Invalid({"expires_on": [message]})
    secret = PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.create(
        account=account.id,
        name=data["name"],
        scope=data["scope"],
        token_hash=_hash(secret),
        hint=secret[:HINT_LENGTH],
        expires_at=as_utc(
            datetime.datetime.combine(
                data["expires_on"] + datetime.timedelta(days=1), datetime.time(), tzinfo=zone
            )
        ),
    )
    logger.info(
        "access token %s created: account %s, %s, until %s",
        token.id,
        account.id,
        token.scope,
        data["expires_on"].isoformat(),
    )
    return token, secret


def tokens_of(account: Account) -> list[AccessToken]:
    """``account``'s tokens, the newest first (expired ones too, until purged)."""
    return list(
        AccessToken.select()
        .where(AccessToken.account == account.id)
        .order_by(AccessToken.created_at.desc(), AccessToken.id.desc())
    )


def revoke(account: Account, token_id: int) -> None:
    """Delete ``account``'s token ``token_id`` at once; ``NotFound`` if it has none such."""
    deleted = (
        AccessToken.delete()
        .where(AccessToken.id == token_id, AccessToken.account == account.id)
        .execute()
    )
    if not deleted:
        raise NotFound(_("You have no such token."))
    logger.info("access token %s revoked: account %s", token_id, account.id)


def authenticate(secret: str) -> tuple[Account, AccessToken] | None:
    """The active account and the token ``secret`` names, if it still works; else ``None``.

    Record when the token was used (to the minute).
    """
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    moment = now()
    token = (
        AccessToken.select(AccessToken, Account)
        .join(Account)
        .where(
            AccessToken.token_hash == _hash(secret),
            AccessToken.expires_at > moment,
            Account.status == AccountStatus.ACTIVE,
        )
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or token.last_used_at <= moment - USE_RECORDED_EVERY:
        AccessToken.update(last_used_at=moment).where(AccessToken.id == token.id).execute()
        token.last_used_at = moment
    return token.account, token


def may_write(token: AccessToken) -> bool:
    """Whether ``token`` may change things (any method but ``GET``, ``HEAD``, ``OPTIONS``)."""
    return token.scope == AccessScope.READ_WRITE


def is_expired(token: AccessToken) -> bool:
    """Whether ``token`` no longer works because its date has passed."""
    return token.expires_at <= now()


def delete_every_token(account: Account) -> int:
    """Delete every token of ``account`` (its deletion); return how many there were."""
    return AccessToken.delete().where(AccessToken.account == account.id).execute()


def purge(moment: datetime.datetime) -> int:
    """Delete tokens expired more than ``EXPIRED_KEPT`` before ``moment``."""
    limit = as_utc(moment) - EXPIRED_KEPT
    return AccessToken.delete().where(AccessToken.expires_at <= limit).execute()


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
