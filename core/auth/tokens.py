"""Signed, expiring, single-use links (itsdangerous).

A token carries the account id and the account's current ``token_nonce``; using a link
rotates the nonce, so every link signed before it stops working: single use, and a
password change also voids pending reset links.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from .. import clock, runtime
from ..errors import Invalid
from ..i18n import _


class Purpose(StrEnum):
    """What a link is for, with how long it stays valid (seconds)."""

    ACTIVATION = "activation"
    PASSWORD_RESET = "password-reset"
    EMAIL_CHANGE = "email-change"


MAX_AGE = {
    Purpose.ACTIVATION: 12 * 3600,  # 12 hours
    Purpose.PASSWORD_RESET: 5 * 60,  # 5 minutes
    Purpose.EMAIL_CHANGE: 12 * 3600,
}


@dataclass(frozen=True)
class TokenClaims:
    """What a valid token says: whose account, with which nonce, and any extra data."""

    account_id: int
    nonce: str
    extra: dict[str, Any]


def sign(purpose: Purpose, account_id: int, nonce: str, **extra: Any) -> str:
    """A URL-safe token for ``purpose``."""
    return _serializer(purpose).dumps({"a": account_id, "n": nonce, **extra})


def sign_many(purpose: Purpose, claims: Iterable[tuple[int, str]]) -> list[str]:
    """``sign(purpose, account_id, nonce)`` for each ``(account_id, nonce)``, in order.

    The same tokens, by one signer whose key is derived once (an import signs thousands).
    """
    serializer = _serializer(purpose)
    signer = serializer.make_signer()
    return [
        signer.sign(serializer.dump_payload({"a": account_id, "n": nonce})).decode("utf-8")
        for account_id, nonce in claims
    ]


def read(purpose: Purpose, token: str) -> TokenClaims:
    """The claims of ``token``; raise ``Invalid`` if it is forged, expired or of another purpose.

    The caller must still compare ``nonce`` with the account's current one.
    """
    serializer = _serializer(purpose)
    try:
        data = serializer.loads(token, max_age=MAX_AGE[purpose])
    except SignatureExpired as error:
        raise Invalid({"token": [_("This link has expired. Ask for a new one.")]}) from error
    except BadSignature as error:
        raise Invalid({"token": [_("This link is not valid.")]}) from error
    extra = {key: value for key, value in data.items() if key not in {"a", "n"}}
    return TokenClaims(account_id=data["a"], nonce=data["n"], extra=extra)


class _ClockSigner(TimestampSigner):
    """Signs and ages links by Tremplin's clock, which tests and data generators move."""

    _key: bytes | None = None

    def get_timestamp(self) -> int:
        return int(clock.now().replace(tzinfo=datetime.UTC).timestamp())

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        if secret_key is not None:
            return super().derive_key(secret_key)
        if self._key is None:  # the same for every value this signer signs
            self._key = super().derive_key()
        return self._key


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        runtime.current().region.secret_key, salt=f"tremplin-{purpose}", signer=_ClockSigner
    )
