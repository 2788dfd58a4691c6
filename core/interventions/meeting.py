"""The video meeting link of a remote intervention or of a webinar, for participants only.

Once a remote intervention is accepted, its school or its ambassador gives the address of
the meeting; an event's organisers give one for the whole event (a webinar). Only the
participants read it: the ambassador, the school side and the referents of the school's
territory for an intervention; the organisers and the ambassadors taking part for an
event. Public pages, other schools and other ambassadors never see it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..auth.models import Account
from ..clock import now
from ..db import database
from ..errors import Conflict, NotAllowed
from ..i18n import _
from ..people.models import Mode
from ..validation import validated
from . import access, events, schemas, service
from .models import Event, EventSlot, Intervention, MeetingLink, Status

# While the link is useful: the intervention is agreed and has not taken place yet.
LIVE = (Status.ACCEPTED, Status.SCHEDULED)


def may_set(viewer: Account | None, intervention: Intervention) -> bool:
    """The school side or the ambassador sets the link of an agreed remote intervention."""
    return (
        intervention.mode == Mode.REMOTE
        and intervention.status in LIVE
        and (
            access.is_ambassador_of(viewer, intervention)
            or access.is_school_side(viewer, intervention)
        )
    )


def link_for(viewer: Account | None, intervention: Intervention) -> str | None:
    """The meeting link ``viewer`` may read for ``intervention``, or ``None``.

    The intervention's own link, or else its event's; only while it is agreed and only
    for its sides (ambassador, school, referents of the territory).
    """
    if intervention.status not in LIVE or not access.can_view(viewer, intervention):
        return None
    own = MeetingLink.get_or_none(MeetingLink.intervention == intervention.id)
    if own is not None:
        return own.url
    if intervention.event_slot_id is None:
        return None
    event_link = (
        MeetingLink.select(MeetingLink.url)
        .join(Event, on=MeetingLink.event == Event.id)
        .join(EventSlot, on=EventSlot.event == Event.id)
        .where(EventSlot.id == intervention.event_slot_id)
        .first()
    )
    return event_link.url if event_link else None


def set_link(actor: Account | None, intervention_id: int, raw: Mapping[str, Any]) -> Intervention:
    """Give or change the meeting link of a remote intervention; ``Invalid`` if not https."""
    intervention = service.get_visible(actor, intervention_id)
    if not (
        access.is_ambassador_of(actor, intervention) or access.is_school_side(actor, intervention)
    ):
        raise NotAllowed(_("Only the school and the ambassador give the meeting link."))
    if intervention.mode != Mode.REMOTE:
        raise Conflict(_("Only a remote intervention has a meeting link."))
    if intervention.status not in LIVE:
        raise Conflict(_("The meeting link is given once the request is accepted."))
    data = validated(schemas.MeetingLinkSchema, raw)
    with database.atomic():
        _save(MeetingLink.intervention, intervention.id, data["url"], actor)
    return intervention


def may_set_for_event(viewer: Account | None, event: Event) -> bool:
    """The organisers set the link of a remote event that is not cancelled."""
    return (
        event.mode == Mode.REMOTE
        and event.cancelled_at is None
        and events.can_organise(viewer, event)
    )


def event_link_for(viewer: Account | None, event: Event) -> str | None:
    """The event's link for its organisers and the ambassadors taking part, else ``None``."""
    if event.cancelled_at is not None:
        return None
    row = MeetingLink.get_or_none(MeetingLink.event == event.id)
    if row is None:
        return None
    if events.can_organise(viewer, event):
        return row.url
    ambassador_id = access.ambassador_id_of(viewer)
    if ambassador_id is None:
        return None
    takes_part = (
        Intervention.select()
        .join(EventSlot)
        .where(
            EventSlot.event == event.id,
            Intervention.ambassador == ambassador_id,
            Intervention.status.in_(list(LIVE)),
        )
        .exists()
    )
    return row.url if takes_part else None


def set_event_link(actor: Account | None, event_id: int, raw: Mapping[str, Any]) -> Event:
    """Give or change the meeting link of a remote event (a webinar), by its organisers."""
    event = events.get_event(actor, event_id)
    if not events.can_organise(actor, event):
        raise NotAllowed(_("Only the organisers of the event give its meeting link."))
    if event.mode != Mode.REMOTE:
        raise Conflict(_("Only a remote event has a meeting link."))
    if event.cancelled_at is not None:
        raise Conflict(_("This event is cancelled."))
    data = validated(schemas.MeetingLinkSchema, raw)
    with database.atomic():
        _save(MeetingLink.event, event.id, data["url"], actor)
    return event


def _save(field: Any, owner_id: int, url: str, actor: Account | None) -> None:
    updated = (
        MeetingLink.update(url=url, set_by=actor.id if actor else None, set_at=now())
        .where(field == owner_id)
        .execute()
    )
    if not updated:
        MeetingLink.insert(
            {field.name: owner_id, "url": url, "set_by": actor.id if actor else None}
        ).execute()
