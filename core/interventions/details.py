"""An intervention as one of its sides sees it: facts, the other side, and what they may do.

The school sees the ambassador's public name and occupation; the ambassador sees the school
and the first name and initial of who asked. Nobody's email or phone is ever part of it.
"""

from __future__ import annotations

from typing import Any

from ..auth.models import Account
from ..clock import now
from ..people import image_rights
from . import access, agenda, meeting, visits
from .models import OPEN, Feedback, Intervention, Reach, Side, Slot, Status


def actions_for(viewer: Account | None, intervention: Intervention) -> list[str]:
    """What ``viewer`` may do now with ``intervention``, by action name."""
    status = intervention.status
    is_ambassador = access.is_ambassador_of(viewer, intervention)
    is_school = access.is_school_side(viewer, intervention)
    is_referent = access.is_referent_of(viewer, intervention)
    actions = []
    if status == Status.REQUESTED and is_ambassador:
        actions += ["accept", "decline"]
    if is_referent and agenda.awaits_match(intervention):
        actions.append("assign")
    not_started = intervention.starts_at > now()
    if (status == Status.ACCEPTED or (status == Status.SCHEDULED and not_started)) and (
        is_ambassador or is_school or is_referent
    ):
        actions.append("schedule")
    if (
        status == Status.SCHEDULED
        and intervention.starts_at <= now()
        and (is_school or is_referent)
    ):
        actions.append("complete")
    if status == Status.COMPLETED and (is_ambassador or is_school):
        actions.append("feedback")
    if status == Status.DECLINED and (is_school or is_referent) and _ambassador_slots(intervention):
        actions.append("renew")
    took_place = status == Status.SCHEDULED and not not_started
    if not took_place and (
        (status in OPEN and (is_school or is_referent))
        or (status in (Status.ACCEPTED, Status.SCHEDULED) and is_ambassador)
    ):
        actions.append("cancel")
    return actions


def _ambassador_slots(intervention: Intervention) -> list[Slot]:
    return [
        slot
        for slot in intervention.slots
        if slot.proposed_by == Side.AMBASSADOR and slot.starts_at > now()
    ]


def describe(viewer: Account | None, intervention: Intervention) -> dict[str, Any]:
    """Everything ``viewer`` may read of ``intervention`` (``InterventionOutSchema``)."""
    organisation = intervention.organisation
    ambassador = intervention.ambassador
    requester = intervention.requested_by
    canceller = intervention.cancelled_by
    return {
        "id": intervention.id,
        "intervention_type": intervention.intervention_type,
        "mode": intervention.mode,
        "status": intervention.status,
        "organisation": {
            "id": organisation.id,
            "name": organisation.name,
            "detail": organisation.city,
        },
        "ambassador": (
            {
                "id": ambassador.id,
                "name": ambassador.account.display_name,
                "detail": ambassador.occupation,
            }
            if ambassador
            else None
        ),
        "requested_by": requester.display_name if requester else None,
        "event": intervention.event_slot.event_id if intervention.event_slot_id else None,
        "topic": intervention.topic,
        "message": intervention.message,
        "audience_level": intervention.audience_level,
        "group_size": intervention.group_size,
        "accompanying_adults": intervention.accompanying_adults,
        "duration_minutes": intervention.duration_minutes,
        "starts_at": intervention.starts_at,
        "slots": [
            {"id": slot.id, "starts_at": slot.starts_at, "proposed_by": slot.proposed_by}
            for slot in intervention.slots.order_by(Slot.starts_at)
        ],
        "created_at": intervention.created_at,
        "answered_at": intervention.answered_at,
        "decline_reason": intervention.decline_reason,
        "decline_message": intervention.decline_message,
        "cancel_reason": intervention.cancel_reason,
        "cancelled_by": canceller.display_name if canceller else None,
        "reach": {
            row.audience_level: row.pupils
            for row in Reach.select().where(Reach.intervention == intervention.id)
        },
        "pupils_reached": intervention.pupils_reached,
        "feedback": [
            {"side": row.side, "rating": row.rating, "comment": row.comment}
            for row in Feedback.select()
            .where(Feedback.intervention == intervention.id)
            .order_by(Feedback.side)
        ],
        "meeting_link": meeting.link_for(viewer, intervention),
        "company_visit": visits.safety_of(intervention),
        "image_rights": _image_rights(viewer, intervention),
        "actions": actions_for(viewer, intervention),
    }


def _image_rights(viewer: Account | None, intervention: Intervention) -> bool | None:
    """Whether the ambassador consents to photos and videos (charter article 7), for the
    school side and referents, who organise them; ``None`` for others or without one."""
    if intervention.ambassador_id is None:
        return None
    if not (
        access.is_school_side(viewer, intervention) or access.is_referent_of(viewer, intervention)
    ):
        return None
    return image_rights.current(intervention.ambassador_id).consented
