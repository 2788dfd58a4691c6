"""The thread of an intervention: its messages, and writing in it.

The participants of a thread are exactly the sides of its intervention
(``tremplin.interventions.access.can_view``): the ambassador, the school side (the person
who asked and the educators of the school), the referents of the school's territory and
the admins. To anyone else the thread does not exist (``NotFound``).

Nobody's email or phone is part of a thread: people write through the platform; an
ambassador may show theirs to the school side (``contacts``). What a person is told is
in ``notifications`` (made) and ``inbox`` (read).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import peewee

from ..auth.models import Account
from ..db import database
from ..interventions import access
from ..interventions.models import Intervention
from ..interventions.service import get_visible
from ..pagination import PAGE_SIZE, Page
from ..validation import validated
from . import notifications, schemas
from .models import AuthorSide, Message
from .notifications import public_name

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class ThreadMessage:
    """A message as a participant reads it: the author's public name and side only."""

    id: int
    author_name: str  # empty when the author's account is gone
    side: str
    body: str  # empty once erased
    erased: bool
    created_at: datetime.datetime
    mine: bool


# The thread


def side_of(account: Account | None, intervention: Intervention) -> AuthorSide | None:
    """The side ``account`` writes from in the thread of ``intervention``, if any."""
    if access.is_ambassador_of(account, intervention):
        return AuthorSide.AMBASSADOR
    if access.is_school_side(account, intervention):
        return AuthorSide.SCHOOL
    if access.is_referent_of(account, intervention):
        return AuthorSide.REFERENT
    return None


def message_count(viewer: Account | None, intervention_id: int) -> int:
    """How many messages the thread of ``intervention_id`` holds (``NotFound`` if not a side)."""
    intervention = get_visible(viewer, intervention_id)
    return Message.select().where(Message.intervention == intervention.id).count()


def messages_page(
    viewer: Account | None,
    intervention_id: int,
    page: int | None = None,
    page_size: int = PAGE_SIZE,
) -> Page:
    """A page of the thread, oldest first; the last page (the latest messages) by default.

    Raise ``NotFound`` when ``viewer`` is not a side of the intervention.
    """
    intervention = get_visible(viewer, intervention_id)
    query = Message.select().where(Message.intervention == intervention.id)
    total = query.count()
    pages = max(1, math.ceil(total / page_size))
    page = pages if page is None else page
    rows = (
        Message.select(Message, Account)
        .join(Account, peewee.JOIN.LEFT_OUTER, on=(Message.author == Account.id))
        .where(Message.intervention == intervention.id)
        .order_by(Message.created_at, Message.id)
        .paginate(page, page_size)
    )
    viewer_id = viewer.id if viewer else None
    items = [
        ThreadMessage(
            id=row.id,
            author_name=public_name(row.author),
            side=row.side,
            body="" if row.erased_at else row.body,
            erased=row.erased_at is not None,
            created_at=row.created_at,
            mine=row.author_id is not None and row.author_id == viewer_id,
        )
        for row in rows
    ]
    return Page(items=items, total=total, page=page, page_size=page_size)


def post_message(actor: Account | None, intervention_id: int, raw: Mapping[str, Any]) -> Message:
    """Write ``raw["body"]`` in the thread; the other participants are told (in-app and email).

    Raise ``NotFound`` when ``actor`` is not a side, ``Invalid`` for an empty or too long body.
    """
    intervention = get_visible(actor, intervention_id)
    side = side_of(actor, intervention)
    data = validated(schemas.MessageSchema, raw)
    with database.atomic():
        message = Message.create(
            intervention=intervention.id, author=actor.id, side=side, body=data["body"]
        )
        notifications.message_written(message, intervention, actor)
    return message
