"""The test kit's network, and helpers to read the calendar emails back."""

from __future__ import annotations

import json

import icalendar
import pytest

from tremplin.mail.models import OutboxMessage
from tremplin.testing import PASSWORD, in_days, local, post_form, sign_in
from tremplin.testing import csrf_token_from as csrf_token

# The test kit's helpers, under the names tests of this folder imported from here before
# the kit had them (new tests import them from ``tremplin.testing``).
__all__ = ["PASSWORD", "csrf_token", "in_days", "local", "post_form", "sign_in"]


@pytest.fixture(autouse=True)
def quick_password_hashing(fast_passwords):
    """These tests create and sign in many accounts: every one uses cheap hashing."""


def calendar_emails(network) -> list[OutboxMessage]:
    """The calendar emails in the outbox, oldest first."""
    return network.run(
        lambda: list(
            OutboxMessage.select()
            .where(OutboxMessage.template.startswith("calendars/"))
            .order_by(OutboxMessage.id)
        )
    )


def attachments_of(message: OutboxMessage) -> list[dict]:
    """The attachments queued with ``message``."""
    return json.loads(message.attachments or "[]")


def attachment_of(message: OutboxMessage) -> tuple[dict, icalendar.Calendar]:
    """The single attachment of ``message`` and its calendar, parsed back."""
    (attachment,) = attachments_of(message)
    return attachment, icalendar.Calendar.from_ical(attachment["content"])
