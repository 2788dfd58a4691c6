"""The public agenda of the region's forums, fairs and webinars, for anyone, signed in or not.

Only what an event's poster would say: its title, type, dates, host and town, and its
place or that it is online. Never who organises it, who is invited, its description (free
text that may name people) nor its meeting link.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..clock import now
from ..organisations.models import Organisation
from ..pagination import PAGE_SIZE, Page
from ..people.models import Mode
from .models import Event


@dataclass(frozen=True)
class PublicEvent:
    """An event as the public agenda shows it."""

    id: int
    title: str
    intervention_type: str
    online: bool
    place: str  # empty for an online event
    host: str
    town: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime


def upcoming(page: int = 1, page_size: int = PAGE_SIZE) -> Page:
    """Events not over nor cancelled, soonest first, as ``PublicEvent``."""
    query = (
        Event.select(Event, Organisation.name, Organisation.city)
        .join(Organisation)
        .where(Event.ends_at >= now(), Event.cancelled_at.is_null())
    )
    total = query.count()
    rows = query.order_by(Event.starts_at, Event.id).paginate(page, page_size)
    items = [
        PublicEvent(
            id=row.id,
            title=row.title,
            intervention_type=row.intervention_type,
            online=row.mode == Mode.REMOTE,
            place="" if row.mode == Mode.REMOTE else row.place,
            host=row.organisation.name,
            town=row.organisation.city or "",
            starts_at=row.starts_at,
            ends_at=row.ends_at,
        )
        for row in rows
    ]
    return Page(items=items, total=total, page=page, page_size=page_size)
