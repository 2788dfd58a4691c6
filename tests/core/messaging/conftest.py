"""The small network of the interventions tests, plus what messaging tests read: the outbox,
notifications, and clients signed in for pages and for the API."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import Flask

from tremplin.auth.models import Account
from tremplin.mail.models import OutboxMessage
from tremplin.messaging.models import Notification
from tremplin.people.models import Ambassador
from tremplin.testing import csrf_token_from

from ..interventions.conftest import (  # noqa: F401 (fixtures)
    PASSWORD,
    csrf_token,
    in_days,
    local,
    make_network,
    make_people,
    network,
    post_form,
    quick_password_hashing,
    sign_in,
)

__all__ = ["PASSWORD", "csrf_token", "in_days", "local", "post_form", "sign_in"]


@dataclass(frozen=True)
class Email:
    """A message of the outbox: to whom, which template, in which language, with what."""

    recipient: str
    template: str
    locale: str
    context: dict[str, Any]


def account_of(net, someone) -> Account:
    """The account of ``someone`` (an ``Account`` or an ambassador profile), as stored now."""
    with net.app.app_context():
        if isinstance(someone, Ambassador):
            return Account.get_by_id(someone.account_id)
        return Account.get_by_id(someone.id)


def client_of(app: Flask, account: Account):
    """A test client signed in as ``account`` through the sign-in page."""
    return sign_in(app.test_client(), account)


def api_client(app: Flask, account: Account):
    """A test client signed in as ``account``, sending its session's CSRF token."""
    client = client_of(app, account)
    client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token_from(client, "/mon-compte")
    return client


def emails(net) -> list[Email]:
    """Every email of messaging in the outbox, oldest first (not activations, invitations...)."""
    with net.app.app_context():
        return [
            Email(row.recipient, row.template, row.locale, json.loads(row.context))
            for row in OutboxMessage.select()
            .where(OutboxMessage.template.startswith("messaging/"))
            .order_by(OutboxMessage.id)
        ]


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
