"""Queue emails in the outbox, inside the caller's transaction."""

from __future__ import annotations

import datetime
import json
from contextvars import ContextVar
from typing import Any

from ..clock import now
from .models import OutboxMessage

# Ids queued in this context, appended in place: queuing stays cheap for big imports.
_queued: ContextVar[list[int] | None] = ContextVar("tremplin_mail_queued", default=None)
IN_CHUNK = 500


def queue(recipient: str, template: str, locale: str = "fr", **context: Any) -> OutboxMessage:
    """Put an email in the outbox; it is rendered and sent after the transaction commits.

    ``template`` names a template pair ``<template>.subject.txt`` / ``<template>.txt``
    (and optionally ``<template>.html``); ``context`` must be JSON-serialisable.
    """
    message = OutboxMessage.create(
        recipient=recipient, template=template, locale=locale, context=json.dumps(context)
    )
    queued = _queued.get()
    if queued is None:
        queued = []
        _queued.set(queued)
    queued.append(message.id)
    return message


def pending(limit: int | None = None) -> list[OutboxMessage]:
    """Messages not sent yet, oldest first."""
    query = (
        OutboxMessage.select()
        .where(OutboxMessage.sent_at.is_null())
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return list(query.limit(limit) if limit else query)


def pending_among(ids: tuple[int, ...]) -> list[OutboxMessage]:
    """The messages of ``ids`` that exist (their transaction committed) and wait, in order."""
    found: list[OutboxMessage] = []
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start : start + IN_CHUNK]
        found.extend(
            OutboxMessage.select().where(
                OutboxMessage.id.in_(chunk), OutboxMessage.sent_at.is_null()
            )
        )
    return sorted(found, key=lambda message: message.id)


def take_queued() -> tuple[int, ...]:
    """Ids of the messages queued in this context since the last call (and forget them)."""
    ids = tuple(_queued.get() or ())
    _queued.set(None)
    return ids


def take_queued_flag() -> bool:
    """Whether messages were queued in this context since the last call (and reset it)."""
    return bool(take_queued())


def erase_for(email: str) -> int:
    """Delete every message to ``email``, sent or not (the person deleted their account)."""
    return OutboxMessage.delete().where(OutboxMessage.recipient == email).execute()


def claim(message_id: int, seconds: int) -> bool:
    """Reserve a waiting message for ``seconds`` so that two senders never both send it."""
    moment = now()
    return bool(
        OutboxMessage.update(claimed_until=moment + datetime.timedelta(seconds=seconds))
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_null(),
            OutboxMessage.claimed_until.is_null() | (OutboxMessage.claimed_until < moment),
        )
        .execute()
    )


def record_sent(message_id: int) -> None:
    """Mark a message sent."""
    OutboxMessage.update(
        sent_at=now(), attempts=OutboxMessage.attempts + 1, claimed_until=None
    ).where(OutboxMessage.id == message_id).execute()


def record_failure(message_id: int, error: str) -> None:
    """Keep a message for the next try, with why this one failed."""
    OutboxMessage.update(
        attempts=OutboxMessage.attempts + 1, last_error=error[:1000], claimed_until=None
    ).where(OutboxMessage.id == message_id).execute()
