"""The interventions tests' small network, and helpers to read the calendar emails back."""

from __future__ import annotations

import json

import icalendar

from tremplin.mail.models import OutboxMessage

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

__all__ = ["PASSWORD", "attachment_of", "calendar_emails", "in_days", "local", "post_form"]


def calendar_emails(network) -> list[OutboxMessage]:  # noqa: F811 (the fixture's value)
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
