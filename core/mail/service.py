"""Queue emails in the outbox, inside the caller's transaction; record how sending went.

A message is *pending* until it is sent. When sending fails it stays pending and is tried
again later, each time waiting longer (``RETRY_DELAYS``); after the last attempt it is
*failed*: kept, counted by ``tremplin mail status``, and put back by ``tremplin mail retry``.
"""

from __future__ import annotations

import datetime
import json
import logging
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import peewee

from .. import queue as task_queue
from .. import runtime
from ..clock import now
from ..db import column_values, database, insert_rows, is_sqlite, new_ids
from ..pagination import PAGE_SIZE, Page
from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

# What an email is for, beyond what the service needs (hook ``may_contact``).
SURVEY = "survey"
COMMUNICATION = "communication"

# Ids queued in this context, appended in place: queuing stays cheap for big imports.
_queued: ContextVar[list[int] | None] = ContextVar("tremplin_mail_queued", default=None)
IN_CHUNK = 500
# Messages per INSERT of ``queue_many`` (a few thousand parameters: under SQLite's limit).
INSERT_CHUNK = 500

# How long to wait after the 1st, 2nd... failed attempt; one more failure and it has failed.
RETRY_DELAYS = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
ATTACHMENT_KEYS = {"filename", "content", "mimetype"}
DELIVER_TASK = "mail.deliver"  # declared by tremplin.mail.delivery


@dataclass(frozen=True)
class Email:
    """One email for ``queue_many``: the arguments of ``queue``, as a value."""

    recipient: str
    template: str
    locale: str = "fr"
    context: Mapping[str, Any] = field(default_factory=dict)
    attachments: Sequence[Mapping[str, str]] | None = None


def queue(
    recipient: str,
    template: str,
    locale: str = "fr",
    attachments: Sequence[Mapping[str, str]] | None = None,
    **context: Any,
) -> OutboxMessage:
    """Put an email in the outbox; it is rendered and sent after the transaction commits.

    ``template`` names a template pair ``<template>.subject.txt`` / ``<template>.txt``
    (and optionally ``<template>.html``); ``context`` must be JSON-serialisable.
    ``attachments`` are attached as they are: ``{"filename": "invitation.ics", "content":
    "<text>", "mimetype": "text/calendar; method=REQUEST; charset=utf-8"}``.
    """
    message = OutboxMessage.create(**_row(Email(recipient, template, locale, context, attachments)))
    _remember([message.id])
    return message


def may_contact(person: Any, purpose: str) -> bool:
    """Whether ``person`` (an account) may be written to for ``purpose`` (``SURVEY``,
    ``COMMUNICATION``): unless an area or a plugin answers ``False`` to ``may_contact``,
    as one does for a person who objected (GDPR art. 21)."""
    return False not in runtime.hooks().may_contact(person=person, purpose=purpose)


def queue_many(emails: Iterable[Email]) -> list[int]:
    """Put ``emails`` in the outbox at once (an import's); the ids of their messages.

    The same messages as one ``queue`` call per email, in that order, written with a few
    multi-row ``INSERT``s instead of one per email.
    """
    rows = [_row(email) for email in emails]
    if not rows:
        return []
    if not is_sqlite(database):
        ids = _copy_with_ids(rows)
    elif not _returning():
        ids = [OutboxMessage.create(**row).id for row in rows]
    else:
        ids = _insert_returning_ids(rows)
    _remember(ids)
    return ids


def _row(email: Email) -> dict[str, Any]:
    return {
        "recipient": email.recipient,
        "template": email.template,
        "locale": email.locale,
        "context": json.dumps(dict(email.context)),
        "attachments": json.dumps(_checked(email.attachments)) if email.attachments else None,
    }


def _copy_with_ids(rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` (``_row``'s) on PostgreSQL; the ids of the messages, in the rows' order.

    The ids are drawn from the table's sequence first, then the rows written with them by
    ``COPY`` (``insert_rows``): no statement as long as the rows for psycopg to parse.
    Columns left out get their default, as ``create`` gives them.
    """
    meta = OutboxMessage._meta
    ids = new_ids(OutboxMessage, len(rows))
    insert_rows(
        OutboxMessage,
        [
            {
                meta.primary_key.name: message_id,
                **{
                    column.name: row[column.name] if column.name in row else _default(column)
                    for column in meta.sorted_fields
                    if column is not meta.primary_key
                },
            }
            for message_id, row in zip(ids, rows, strict=True)
        ],
    )
    return ids


def _default(column: peewee.Field) -> Any:
    default = OutboxMessage._meta.defaults.get(column)
    return default() if callable(default) else default


def _insert_returning_ids(rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` (``_row``'s) in chunks; the ids of the messages, in the rows' order.

    One ``INSERT ... VALUES (...), (...) RETURNING id`` per chunk, its text written here:
    peewee's ``insert_many`` builds a node per value, most of the time of a big import.
    Columns left out get their default, as ``create`` gives them.
    """
    meta = OutboxMessage._meta
    plan = [
        (column, meta.defaults.get(column))
        for column in meta.sorted_fields
        if column is not meta.primary_key
    ]
    opening, closing = database.quote
    names = ", ".join(f"{opening}{column.column_name}{closing}" for column, _default in plan)
    group = "(" + ", ".join([database.param] * len(plan)) + ")"
    head = f"INSERT INTO {opening}{meta.table_name}{closing} ({names}) VALUES "
    tail = f" RETURNING {opening}{meta.primary_key.column_name}{closing}"
    ids: list[int] = []
    for chunk in peewee.chunked(rows, INSERT_CHUNK):
        columns = [
            column_values(
                column,
                [
                    row[column.name]
                    if column.name in row
                    else (default() if callable(default) else default)
                    for row in chunk
                ],
            )
            for column, default in plan
        ]
        params = [value for row in zip(*columns, strict=True) for value in row]
        cursor = database.execute_sql(head + ", ".join([group] * len(chunk)) + tail, params)
        # RETURNING promises no order; the ids of one statement grow in the rows' order.
        ids.extend(sorted(message_id for (message_id,) in cursor.fetchall()))
    return ids


def _returning() -> bool:
    """Whether ``INSERT ... RETURNING`` works: always on PostgreSQL, from SQLite 3.35."""
    return not is_sqlite(database) or sqlite3.sqlite_version_info >= (3, 35)


def _remember(ids: Sequence[int]) -> None:
    """Note ``ids`` as queued in this context, for ``dispatch_queued``."""
    queued = _queued.get()
    if queued is None:
        queued = []
        _queued.set(queued)
    queued.extend(ids)


def _checked(attachments: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    checked = []
    for attachment in attachments:
        if set(attachment) != ATTACHMENT_KEYS or not all(
            isinstance(value, str) and value for value in attachment.values()
        ):
            raise ValueError(f"an attachment has exactly the texts {sorted(ATTACHMENT_KEYS)}")
        checked.append(dict(attachment))
    return checked


def _waiting() -> peewee.Expression:
    return OutboxMessage.status == OutboxStatus.PENDING


def _due(moment: datetime.datetime) -> peewee.Expression:
    return _waiting() & (
        OutboxMessage.next_attempt_at.is_null() | (OutboxMessage.next_attempt_at <= moment)
    )


def pending(limit: int | None = None) -> list[OutboxMessage]:
    """Messages not sent yet (failed ones aside), oldest first, even those waiting to retry."""
    query = (
        OutboxMessage.select()
        .where(_waiting())
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return list(query.limit(limit) if limit else query)


def due(moment: datetime.datetime, limit: int | None = None) -> list[OutboxMessage]:
    """Pending messages whose (next) attempt is due at ``moment``, oldest first."""
    query = (
        OutboxMessage.select()
        .where(_due(moment))
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return list(query.limit(limit) if limit else query)


def pending_among(ids: Sequence[int]) -> list[OutboxMessage]:
    """The messages of ``ids`` that exist (their transaction committed) and are due, in order."""
    moment = now()
    found: list[OutboxMessage] = []
    for start in range(0, len(ids), IN_CHUNK):
        chunk = list(ids[start : start + IN_CHUNK])
        found.extend(OutboxMessage.select().where(OutboxMessage.id.in_(chunk), _due(moment)))
    return sorted(found, key=lambda message: message.id)


def dispatch(ids: Sequence[int]) -> None:
    """Have the messages ``ids`` sent by the task queue (at once when it is immediate).

    If the queue does not answer, the messages stay in the outbox, where the periodic
    delivery finds them.
    """
    if not ids:
        return
    try:
        task_queue.enqueue(DELIVER_TASK, list(ids))
    except Exception as error:  # Redis away: the periodic delivery sends them anyway
        logger.warning("%d email(s) wait for the periodic delivery: %s", len(ids), error)


def dispatch_queued() -> None:
    """Have what was queued in this context sent (after a request, a command, a task)."""
    dispatch(take_queued())


def take_queued() -> tuple[int, ...]:
    """Ids of the messages queued in this context since the last call (and forget them)."""
    ids = tuple(_queued.get() or ())
    _queued.set(None)
    return ids


# Sent emails stay this long (``tremplin mail status``, "did it go?"), then the nightly purge
# deletes them: they hold names, and excerpts of what people wrote (GDPR art. 5(1)(e)).
SENT_KEPT = datetime.timedelta(days=30)


def purge_sent(moment: datetime.datetime) -> int:
    """Delete the messages sent more than ``SENT_KEPT`` before ``moment`` (UTC); how many."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return (
        OutboxMessage.delete()
        .where(
            OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at < moment - SENT_KEPT
        )
        .execute()
    )


def erase_for(email: str) -> int:
    """Delete every message to ``email``, sent or not (the person deleted their account)."""
    return OutboxMessage.delete().where(OutboxMessage.recipient == email).execute()


def claim(message_id: int, seconds: int) -> bool:
    """Reserve a pending message for ``seconds`` so that two senders never both send it."""
    moment = now()
    return bool(
        OutboxMessage.update(claimed_until=moment + datetime.timedelta(seconds=seconds))
        .where(
            OutboxMessage.id == message_id,
            _waiting(),
            OutboxMessage.claimed_until.is_null() | (OutboxMessage.claimed_until < moment),
        )
        .execute()
    )


def record_sent(message_id: int) -> None:
    """Mark a message sent."""
    OutboxMessage.update(
        status=OutboxStatus.SENT,
        sent_at=now(),
        attempts=OutboxMessage.attempts + 1,
        next_attempt_at=None,
        claimed_until=None,
    ).where(OutboxMessage.id == message_id).execute()


def record_failure(message_id: int, error: str) -> OutboxStatus:
    """Record a failed attempt, with why; return whether the message waits or has failed.

    The sender holds the message's claim, so nobody else changes it meanwhile.
    """
    message = OutboxMessage.get_or_none(OutboxMessage.id == message_id)
    if message is None:  # erased meanwhile (its recipient deleted their account)
        return OutboxStatus.FAILED
    attempts = message.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        status, next_attempt_at = OutboxStatus.FAILED, None
    else:
        status, next_attempt_at = OutboxStatus.PENDING, now() + RETRY_DELAYS[attempts - 1]
    OutboxMessage.update(
        status=status,
        attempts=attempts,
        next_attempt_at=next_attempt_at,
        last_error=error[:1000],
        claimed_until=None,
    ).where(OutboxMessage.id == message_id).execute()
    return status


def retry_failed() -> list[int]:
    """Put every failed message back to pending, for a new series of attempts; their ids."""
    ids = [
        row.id
        for row in OutboxMessage.select(OutboxMessage.id).where(
            OutboxMessage.status == OutboxStatus.FAILED
        )
    ]
    for start in range(0, len(ids), IN_CHUNK):
        OutboxMessage.update(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=None, claimed_until=None
        ).where(
            OutboxMessage.id.in_(ids[start : start + IN_CHUNK]),
            OutboxMessage.status == OutboxStatus.FAILED,
        ).execute()
    return ids


@dataclass(frozen=True)
class Summary:
    """The outbox at a glance, for ``tremplin mail status`` and monitoring."""

    pending: int  # to send, now or later
    retrying: int  # among them, those waiting for their next attempt
    failed: int
    sent: int
    oldest_due: datetime.datetime | None  # when the oldest message due now was queued


def summary(moment: datetime.datetime) -> Summary:
    """Count the outbox's messages by status at ``moment``."""
    counts = dict(
        OutboxMessage.select(OutboxMessage.status, peewee.fn.COUNT(OutboxMessage.id))
        .group_by(OutboxMessage.status)
        .tuples()
    )
    retrying = (
        OutboxMessage.select().where(_waiting(), OutboxMessage.next_attempt_at > moment).count()
    )
    oldest = (
        OutboxMessage.select(OutboxMessage.created_at)
        .where(_due(moment))
        .order_by(OutboxMessage.created_at)
        .first()
    )
    return Summary(
        pending=counts.get(OutboxStatus.PENDING, 0),
        retrying=retrying,
        failed=counts.get(OutboxStatus.FAILED, 0),
        sent=counts.get(OutboxStatus.SENT, 0),
        oldest_due=oldest.created_at if oldest else None,
    )


def failed(limit: int = 20) -> list[OutboxMessage]:
    """The most recent failed messages, with their last error."""
    return list(
        OutboxMessage.select()
        .where(OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    )


def newest_first(page: int, page_size: int = PAGE_SIZE) -> Page:
    """Page ``page`` of the outbox, newest message first, whatever its status."""
    query = OutboxMessage.select().order_by(
        OutboxMessage.created_at.desc(), OutboxMessage.id.desc()
    )
    return Page(
        items=list(query.paginate(page, page_size)),
        total=OutboxMessage.select().count(),
        page=page,
        page_size=page_size,
    )


def message(message_id: int) -> OutboxMessage | None:
    """The message ``message_id`` of the outbox, or ``None``."""
    return OutboxMessage.get_or_none(OutboxMessage.id == message_id)
