"""The outbox."""

from enum import StrEnum

import peewee

from ..clock import now
from ..db import BaseModel


class OutboxStatus(StrEnum):
    """Where a message of the outbox stands."""

    PENDING = "pending"  # to send, now or at ``next_attempt_at``
    SENT = "sent"
    FAILED = "failed"  # every attempt failed: kept until ``tremplin mail retry``


class OutboxMessage(BaseModel):
    """An email to send: rendered from ``template`` with ``context`` in ``locale``."""

    recipient = peewee.CharField(max_length=254)
    locale = peewee.CharField(max_length=5, default="fr")
    template = peewee.CharField(max_length=200)
    context = peewee.TextField(default="{}")  # JSON
    # JSON list of {"filename", "content", "mimetype"}, attached as they are; or None.
    attachments = peewee.TextField(null=True)
    status = peewee.CharField(max_length=10, default=OutboxStatus.PENDING)
    created_at = peewee.DateTimeField(default=now, index=True)
    sent_at = peewee.DateTimeField(null=True, index=True)
    attempts = peewee.IntegerField(default=0)
    last_error = peewee.TextField(null=True)
    # After a failure, when to try again (None: as soon as possible).
    next_attempt_at = peewee.DateTimeField(null=True)
    # Set while a sender works on the message, so two senders never both send it.
    claimed_until = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("status", "next_attempt_at"), False),)
