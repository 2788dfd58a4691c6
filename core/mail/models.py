"""The outbox."""

import peewee

from ..clock import now
from ..db import BaseModel


class OutboxMessage(BaseModel):
    """An email to send: rendered from ``template`` with ``context`` in ``locale``."""

    recipient = peewee.CharField(max_length=254)
    locale = peewee.CharField(max_length=5, default="fr")
    template = peewee.CharField(max_length=200)
    context = peewee.TextField(default="{}")  # JSON
    created_at = peewee.DateTimeField(default=now, index=True)
    sent_at = peewee.DateTimeField(null=True, index=True)
    attempts = peewee.IntegerField(default=0)
    last_error = peewee.TextField(null=True)
    # Set while a sender works on the message, so two senders never both send it.
    claimed_until = peewee.DateTimeField(null=True)
