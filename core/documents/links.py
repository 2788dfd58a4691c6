"""Signing links: signed, expiring, single use.

A link's token carries the signatory's id, the signatory's current ``nonce`` and the moment
it expires, signed with the instance's secret key (itsdangerous, as the account links of
``tremplin.auth.tokens``). Signing, a restart of the circuit or its cancellation changes the
nonce, so every link sent before stops working. The expiry is read on ``tremplin.clock``,
which tests can move.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

from .. import runtime
from ..clock import now
from ..errors import Invalid
from ..i18n import _

SALT = "tremplin-document-signature"
EPOCH = datetime.datetime(1970, 1, 1)


@dataclass(frozen=True)
class LinkClaims:
    """What a valid token says: whose link, with which nonce, valid until when."""

    signatory_id: int
    nonce: str
    expires_at: datetime.datetime


def token_for(signatory_id: int, nonce: str, expires_at: datetime.datetime) -> str:
    """A URL-safe token for the signatory's link, valid until ``expires_at`` (naive UTC)."""
    seconds = int((expires_at - EPOCH).total_seconds())
    return _serializer().dumps({"s": signatory_id, "n": nonce, "e": seconds})


def read(token: str) -> LinkClaims:
    """The claims of ``token``; raise ``Invalid`` on ``token`` if it is forged or expired.

    The caller must still compare the nonce with the signatory's current one.
    """
    try:
        data = _serializer().loads(token)
        claims = LinkClaims(
            signatory_id=int(data["s"]),
            nonce=str(data["n"]),
            expires_at=EPOCH + datetime.timedelta(seconds=int(data["e"])),
        )
    except (BadSignature, KeyError, TypeError, ValueError) as error:
        raise Invalid({"token": [_("This link is not valid.")]}) from error
    if now() >= claims.expires_at:
        raise Invalid(
            {"token": [_("This link has expired. Ask the sender of the document for a new one.")]}
        )
    return claims


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(runtime.current().region.secret_key, salt=SALT)
