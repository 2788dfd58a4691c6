"""Events: forums, fairs, open days and webinars gathering several ambassadors on time slots.

An event belongs to its host (a school or structure). Ambassadors are invited to a slot:
each invitation is an intervention request tied to the slot, answered like any other, so
capacity, holds, agendas and figures apply to events without a second workflow. A slot
takes as many ambassadors as its ``places``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..auth import permissions
from ..auth.models import Account
from ..clock import now
from ..db import database
from ..errors import Conflict, Invalid, NotAllowed, NotFound
from ..i18n import _
from ..organisations.models import Organisation
from ..pagination import PAGE_SIZE, Page
from ..validation import validated
from . import access, rules, schemas, service, times
from .models import OPEN, Event, EventSlot, Intervention, Status


@dataclass(frozen=True)
class Participant:
    """An ambassador invited to a slot, as others see them, and where the invitation stands."""

    id: int
    name: str
    detail: str  # the status of the invitation


@dataclass(frozen=True)
class SlotView:
    """A slot of an event with its participants."""

    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    label: str
    places: int
    ambassadors: list[Participant]


def create_event(actor: Account | None, raw: Mapping[str, Any]) -> Event:
    """Create an event and its slots; raise ``Invalid`` naming the fields at fault."""
    data = validated(schemas.EventSchema, raw)
    organisation = Organisation.get_or_none(Organisation.id == data["organisation"])
    if organisation is None:
        raise Invalid({"organisation": [_("No organisation has this number.")]})
    if not access.may_request_for(actor, organisation.id, organisation.territory_id):
        raise Invalid({"organisation": [_("You may organise events only for your own school.")]})
    slots = [
        {
            **slot,
            "starts_at": times.to_utc(slot["starts_at"]),
            "ends_at": times.to_utc(slot["ends_at"]),
        }
        for slot in data["slots"]
    ]
    errors = _slot_errors(data["intervention_type"], data["mode"], slots)
    if errors:
        raise Invalid(errors)
    with database.atomic():
        event = Event.create(
            title=data["title"],
            intervention_type=data["intervention_type"],
            mode=data["mode"],
            organisation=organisation,
            territory=organisation.territory_id,
            place=data["place"],
            description=data["description"],
            audience_level=data["audience_level"],
            expected_public=data["expected_public"],
            starts_at=min(slot["starts_at"] for slot in slots),
            ends_at=max(slot["ends_at"] for slot in slots),
            created_by=actor.id if actor else None,
        )
        EventSlot.insert_many(
            [{**slot, "event": event.id} for slot in sorted(slots, key=lambda s: s["starts_at"])]
        ).execute()
    return event


def _slot_errors(
    intervention_type: str, mode: str, slots: list[dict[str, Any]]
) -> dict[str, list[str]]:
    rule = rules.RULES[intervention_type]
    errors: dict[str, list[str]] = {}
    if mode not in rule.modes:
        errors["mode"] = [_("This kind of intervention happens remotely only.")]
    messages = []
    for slot in slots:
        minutes = (slot["ends_at"] - slot["starts_at"]).total_seconds() / 60
        if slot["starts_at"] <= now():
            messages.append(_("Every time slot must be in the future."))
        elif minutes <= 0:
            messages.append(_("A time slot must end after it starts."))
        elif minutes > rule.max_minutes:
            messages.append(_("A time slot lasts %(max)s minutes at most.", max=rule.max_minutes))
    if messages:
        errors["slots"] = sorted(set(messages))
    return errors


def get_event(viewer: Account | None, event_id: int) -> Event:
    """The event ``event_id``; every signed-in member of the network sees events."""
    event = Event.get_or_none(Event.id == event_id)
    if event is None or viewer is None:
        raise NotFound(_("No event has this number."))
    return event


def can_organise(viewer: Account | None, event: Event) -> bool:
    """The host's educators, the referents of its territory and admins run an event."""
    return access.may_request_for(viewer, event.organisation_id, event.territory_id)


def upcoming_events(viewer: Account | None, page: int = 1, page_size: int = PAGE_SIZE) -> Page:
    """Events still to come, soonest first: the referent's territories, or all for others."""
    query = Event.select().where(Event.ends_at >= now(), Event.cancelled_at.is_null())
    covered = permissions.covered_territories(viewer)
    if covered:
        query = query.where(Event.territory.in_(list(covered)))
    total = query.count()
    items = list(query.order_by(Event.starts_at, Event.id).paginate(page, page_size))
    return Page(items=items, total=total, page=page, page_size=page_size)


def slots_of(event: Event) -> list[SlotView]:
    """The event's slots with the ambassadors invited to each (public names only)."""
    invitations: dict[int, list[Participant]] = {}
    query = (
        Intervention.select(Intervention.event_slot, Intervention.status, Intervention.ambassador)
        .join(EventSlot)
        .where(EventSlot.event == event.id, Intervention.ambassador.is_null(False))
        .order_by(Intervention.id)
    )
    for row in query:
        profile = row.ambassador
        invitations.setdefault(row.event_slot_id, []).append(
            Participant(id=profile.id, name=profile.account.display_name, detail=row.status)
        )
    return [
        SlotView(
            id=slot.id,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            label=slot.label,
            places=slot.places,
            ambassadors=invitations.get(slot.id, []),
        )
        for slot in EventSlot.select()
        .where(EventSlot.event == event.id)
        .order_by(EventSlot.starts_at)
    ]


def invite(actor: Account | None, event_id: int, raw: Mapping[str, Any]) -> Intervention:
    """Invite an ambassador to a slot: a request they answer like any other."""
    event = get_event(actor, event_id)
    if not can_organise(actor, event):
        raise NotAllowed(_("Only the organisers of the event invite ambassadors."))
    if event.cancelled_at is not None:
        raise Conflict(_("This event is cancelled."))
    data = validated(schemas.InviteSchema, raw)
    slot = EventSlot.get_or_none(EventSlot.id == data["slot"], EventSlot.event == event.id)
    if slot is None:
        raise Invalid({"slot": [_("Choose one of the event's time slots.")]})
    already = (
        Intervention.select()
        .where(
            Intervention.event_slot == slot.id,
            Intervention.ambassador == data["ambassador"],
            Intervention.status.in_([*OPEN, Status.COMPLETED]),
        )
        .exists()
    )
    if already:
        raise Invalid({"ambassador": [_("This ambassador is already invited to this slot.")]})
    minutes = int((slot.ends_at - slot.starts_at).total_seconds() // 60)
    return service.request_intervention(
        actor,
        {
            "ambassador": data["ambassador"],
            "organisation": event.organisation_id,
            "intervention_type": event.intervention_type,
            "mode": event.mode,
            "audience_level": event.audience_level,
            "group_size": event.expected_public or 1,
            "duration_minutes": minutes,
            "topic": event.title,
            "message": event.description,
            "slots": [times.to_local(slot.starts_at).isoformat()],
        },
        event_slot=slot,
    )


def cancel_event(actor: Account | None, event_id: int, raw: Mapping[str, Any]) -> Event:
    """Cancel the event and every invitation still open, saying why."""
    event = get_event(actor, event_id)
    if not can_organise(actor, event):
        raise NotAllowed(_("Only the organisers of the event can cancel it."))
    data = validated(schemas.CancelSchema, raw)
    open_ids = [
        row.id
        for row in Intervention.select(Intervention.id)
        .join(EventSlot)
        .where(EventSlot.event == event.id, Intervention.status.in_(list(OPEN)))
    ]
    for intervention_id in open_ids:
        try:
            service.cancel(actor, intervention_id, data)
        except Conflict:
            continue  # answered or cancelled meanwhile: nothing left to cancel
    with database.atomic():
        Event.update(cancelled_at=now()).where(Event.id == event.id).execute()
    return Event.get_by_id(event.id)
