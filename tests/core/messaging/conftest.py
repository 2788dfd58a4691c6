"""The test kit's network, plus what messaging tests read: the outbox and notifications."""

from __future__ import annotations

import pytest

from tremplin.auth.models import Account
from tremplin.mail.models import OutboxMessage
from tremplin.messaging.models import Notification
from tremplin.people.models import Ambassador
from tremplin.testing import (
    PASSWORD,
    QueuedEmail,
    api_client,
    client_of,
    in_days,
    local,
    post_form,
    queued_emails,
    sign_in,
)
from tremplin.testing import csrf_token_from as csrf_token

# The test kit's helpers, under the names tests of this folder imported from here before
# the kit had them (new tests import them from ``tremplin.testing``).
__all__ = [
    "PASSWORD",
    "api_client",
    "client_of",
    "csrf_token",
    "in_days",
    "local",
    "post_form",
    "sign_in",
]


@pytest.fixture(autouse=True)
def quick_password_hashing(fast_passwords):
    """These tests create and sign in many accounts: every one uses cheap hashing."""


def account_of(net, someone) -> Account:
    """The account of ``someone`` (an ``Account`` or an ambassador profile), as stored now."""
    with net.app.app_context():
        if isinstance(someone, Ambassador):
            return Account.get_by_id(someone.account_id)
        return Account.get_by_id(someone.id)


def emails(net) -> list[QueuedEmail]:
    """Every email of messaging in the outbox, oldest first (not activations, invitations...)."""
    return queued_emails(net.app, "messaging/")


def told(net, someone) -> list[tuple[str, int | None]]:
    """``(kind, intervention id)`` of each notification of ``someone``, oldest first."""
    account = account_of(net, someone)
    with net.app.app_context():
        return [
            (row.kind, row.intervention_id)
            for row in Notification.select()
            .where(Notification.account == account.id)
            .order_by(Notification.id)
        ]


def forget_everything_told(net) -> None:
    """Empty the outbox and the notifications, to look at what comes next only."""
    with net.app.app_context():
        OutboxMessage.delete().execute()
        Notification.delete().execute()
