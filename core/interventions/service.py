"""The workflow of an intervention: request, answer, match, schedule, report, cancel.

requested -> scheduled (accepted on one of the proposed dates, which fixes it) | declined
| expired; scheduled -> scheduled (another date) -> completed; any open state ->
cancelled. ``accepted`` (said yes, date not fixed) is only found in data of versions
where accepting did not fix the date; ``schedule`` gives those their date.

Every transition is one guarded ``UPDATE ... WHERE status = old`` in a transaction that
first locks the ambassador's row, so two concurrent answers cannot both win and two
acceptances cannot both take the last place of a month. The same transaction records
the transition's announcement (``announcements``), which the worker makes:
``intervention_changed`` is called in this process once the transaction has committed,
``intervention_announced`` by the worker. A transition returns the intervention as it
stands after it, without reading it again: ``move`` sets on it what it wrote.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import peewee

from ..auth.models import Account
from ..clock import now
from ..db import database
from ..errors import Conflict, Invalid, NotAllowed, NotFound
from ..i18n import _, format_day
from ..organisations.models import Organisation
from ..people import directory
from ..people.models import Ambassador, AmbassadorOffer, Mode
from ..runtime import hooks
from ..validation import validated
from . import access, agenda, announcements, rules, schemas, surveys, times, visits
from .models import (
    COMMITTED,
    OPEN,
    EventSlot,
    Intervention,
    Reach,
    Side,
    Slot,
    Status,
)


def get_visible(viewer: Account | None, intervention_id: int) -> Intervention:
    """The intervention ``intervention_id`` if ``viewer`` is one of its sides; else ``NotFound``."""
    intervention = Intervention.get_or_none(Intervention.id == intervention_id)
    if intervention is None or not access.can_view(viewer, intervention):
        raise NotFound(_("No intervention has this number."))
    return intervention


# Capacity


def committed_in_month(ambassador_id: int, moment: datetime.datetime) -> int:
    """How many interventions ``ambassador_id`` committed to in the local month of ``moment``."""
    start, end = times.month_bounds(moment)
    return (
        Intervention.select()
        .where(
            Intervention.ambassador == ambassador_id,
            Intervention.status.in_(list(COMMITTED)),
            Intervention.starts_at >= start,
            Intervention.starts_at < end,
        )
        .count()
    )


def capacity_left(ambassador: Ambassador, moment: datetime.datetime) -> int:
    """How many more interventions ``ambassador`` takes in the month of ``moment``."""
    return max(0, ambassador.monthly_capacity - committed_in_month(ambassador.id, moment))


def lock_ambassador(ambassador_id: int) -> None:
    """Take the ambassador's row lock (PostgreSQL) or the write lock (SQLite) first.

    Capacity is checked by counting after the guarded update; without this lock, two
    transactions accepting two different requests could each count before the other's
    commit and both take the last place.
    """
    Ambassador.update(monthly_capacity=Ambassador.monthly_capacity).where(
        Ambassador.id == ambassador_id
    ).execute()


# Request


def request_intervention(
    actor: Account | None, raw: Mapping[str, Any], event_slot: EventSlot | None = None
) -> Intervention:
    """Create a request from ``raw`` (``RequestSchema``); raise ``Invalid`` naming the fields.

    Addressed to the named ``ambassador``, or, without one, to the referents of the
    school's territory for a match; ``event_slot`` when it invites to a slot of an event.
    The ambassador must be in the directory (no hold), offer this type and mode, cover
    the school with their zone when on site, not be paused, and have room in the month of
    a proposed date.
    """
    data = validated(schemas.RequestSchema, raw)
    slots = [times.to_utc(slot) for slot in data["slots"]]
    organisation, errors = _organisation_for(actor, data["organisation"])
    errors |= rules.violations(
        data["intervention_type"],
        data["mode"],
        data["duration_minutes"],
        data["group_size"],
        data["accompanying_adults"],
        slots,
        now(),
    )
    ambassador = None
    if data["ambassador"] is not None:
        ambassador = _requestable(data["ambassador"], data, slots, errors)
    if errors:
        raise Invalid(errors)
    with database.atomic():
        intervention = Intervention(
            intervention_type=data["intervention_type"],
            mode=data["mode"],
            organisation=organisation,
            territory=organisation.territory_id,
            requested_by=actor,
            ambassador=ambassador,
            event_slot=event_slot,
            topic=data["topic"],
            message=data["message"],
            audience_level=data["audience_level"],
            group_size=data["group_size"],
            accompanying_adults=data["accompanying_adults"],
            duration_minutes=data["duration_minutes"],
            starts_at=min(slots),
            assigned_at=now() if ambassador else None,
        )
        _check_plugins(intervention)
        intervention.save()
        Slot.insert_many(
            [{"intervention": intervention.id, "starts_at": slot} for slot in sorted(slots)]
        ).execute()
        if ambassador is not None:
            _solicited(ambassador.id)
        announcements.record(intervention.id, None, Status.REQUESTED)
    return fire(intervention, None, Status.REQUESTED)


def _organisation_for(
    actor: Account | None, organisation_id: int
) -> tuple[Organisation | None, dict[str, list[str]]]:
    """The organisation a request is for, or the field error saying why it cannot be."""
    organisation = Organisation.get_or_none(Organisation.id == organisation_id)
    if organisation is None:
        return None, {"organisation": [_("No organisation has this number.")]}
    if not access.may_request_for(actor, organisation.id, organisation.territory_id):
        return None, {
            "organisation": [_("You may request interventions only for your own school.")]
        }
    return organisation, {}


def _requestable(
    ambassador_id: int,
    data: Mapping[str, Any],
    slots: list[datetime.datetime],
    errors: dict[str, list[str]],
) -> Ambassador | None:
    """The ambassador if they can receive this request; else add why to ``errors``."""
    ambassador = (
        Ambassador.select(Ambassador)
        .join(Account)
        .where(Ambassador.id == ambassador_id, directory.visible())
        .first()
    )
    if ambassador is None:
        errors["ambassador"] = [_("This ambassador cannot be requested at the moment.")]
        return None
    problems = []
    offered = (
        AmbassadorOffer.select()
        .where(
            AmbassadorOffer.ambassador == ambassador.id,
            AmbassadorOffer.intervention_type == data["intervention_type"],
        )
        .exists()
    )
    if not offered:
        problems.append(_("This ambassador does not offer this kind of intervention."))
    if not getattr(ambassador, data["mode"], False):
        problems.append(
            _("This ambassador does not intervene on site.")
            if data["mode"] == "on_site"
            else _("This ambassador does not intervene remotely.")
        )
    elif data["mode"] == Mode.ON_SITE and not directory.covers(ambassador.id, data["organisation"]):
        problems.append(
            _(
                "This school is outside this ambassador's intervention zone: they do not "
                "come there. Ask them for a remote intervention, or choose an ambassador "
                "whose zone covers the school."
            )
            if ambassador.remote
            else _(
                "This school is outside this ambassador's intervention zone: they do not "
                "come there. Choose an ambassador whose zone covers the school."
            )
        )
    if ambassador.is_paused(now().date()):
        problems.append(
            _(
                "This ambassador takes no requests until %(date)s.",
                date=format_day(ambassador.paused_until),
            )
        )
    elif slots and all(capacity_left(ambassador, slot) == 0 for slot in slots):
        problems.append(_("This ambassador has no room left in the month of the proposed dates."))
    if problems:
        errors["ambassador"] = problems
    return ambassador


def _check_plugins(intervention: Intervention) -> None:
    """Ask plugins (``validate_intervention``); raise ``Invalid`` with their field errors."""
    errors: dict[str, list[str]] = {}
    for answer in hooks().validate_intervention(intervention=intervention):
        for field, messages in (answer or {}).items():
            errors.setdefault(field, []).extend(str(message) for message in messages)
    if errors:
        raise Invalid(errors)


def _solicited(ambassador_id: int) -> None:
    Ambassador.update(last_solicited_at=now()).where(Ambassador.id == ambassador_id).execute()


# The ambassador's answer


def accept(actor: Account | None, intervention_id: int, raw: Mapping[str, Any]) -> Intervention:
    """The ambassador accepts on one of the proposed dates (the first to come by default).

    The date is chosen among those the school proposed (or is the event's slot): accepting
    fixes it, so the intervention is scheduled at once (``requested -> scheduled``), with
    what fixing a date always involves: the plugins' rules (``validate_intervention``), the
    ambassador's monthly capacity and, for an event, the slot's places. Raise ``Invalid``
    if a rule refuses the date, ``Conflict`` if the request was answered, withdrawn or taken
    meanwhile, or if the ambassador's month or the event's slot is full.
    """
    intervention = get_visible(actor, intervention_id)
    if not access.is_ambassador_of(actor, intervention):
        raise NotAllowed(_("Only the ambassador asked can answer this request."))
    data = validated(schemas.AcceptSchema, raw)
    visit = visits.confirmation(intervention, raw)
    slot = _chosen_slot(intervention, data["slot"])
    errors = _date_errors(
        intervention.intervention_type, slot.starts_at, intervention.duration_minutes
    )
    if errors:
        raise Invalid(errors)
    intervention.starts_at = slot.starts_at
    moment = now()
    with database.atomic():
        lock_ambassador(intervention.ambassador_id)
        _check_plugins(intervention)
        if visit is not None:
            visits.record(intervention, visit, actor)
        move(
            intervention,
            Status.REQUESTED,
            Status.SCHEDULED,
            answered_at=moment,
            scheduled_at=moment,
            starts_at=slot.starts_at,
            ambassador_condition=True,
        )
        ambassador = Ambassador.get_by_id(intervention.ambassador_id)
        if committed_in_month(ambassador.id, slot.starts_at) > ambassador.monthly_capacity:
            raise Conflict(
                _(
                    "You already have %(count)s interventions that month, your monthly "
                    "maximum. Raise it in your profile or decline the request.",
                    count=ambassador.monthly_capacity,
                )
            )
        if intervention.event_slot_id is not None:
            _check_event_places(intervention.event_slot_id)
    return fire(intervention, Status.REQUESTED, Status.SCHEDULED)


def _chosen_slot(intervention: Intervention, slot_id: int | None) -> Slot:
    slots = {
        slot.id: slot
        for slot in Slot.select().where(
            Slot.intervention == intervention.id, Slot.starts_at > now()
        )
    }
    if slot_id is None and slots:
        return min(slots.values(), key=lambda slot: slot.starts_at)
    if slot_id not in slots:
        raise Invalid({"slot": [_("Choose one of the proposed dates still to come.")]})
    return slots[slot_id]


def _check_event_places(event_slot_id: int) -> None:
    slot = EventSlot.get_by_id(event_slot_id)
    taken = (
        Intervention.select()
        .where(Intervention.event_slot == slot.id, Intervention.status.in_(list(COMMITTED)))
        .count()
    )
    if taken > slot.places:
        raise Conflict(_("Every place of this time slot is already taken."))


def decline(actor: Account | None, intervention_id: int, raw: Mapping[str, Any]) -> Intervention:
    """The ambassador declines, says why, and may propose other dates."""
    intervention = get_visible(actor, intervention_id)
    if not access.is_ambassador_of(actor, intervention):
        raise NotAllowed(_("Only the ambassador asked can answer this request."))
    data = validated(schemas.DeclineSchema, raw)
    other_slots = [times.to_utc(slot) for slot in data["slots"]]
    problems = rules.slot_violations(other_slots, now(), rules.MAX_DECLINE_SLOTS, required=False)
    if problems:
        raise Invalid({"slots": problems})
    with database.atomic():
        lock_ambassador(intervention.ambassador_id)
        move(
            intervention,
            Status.REQUESTED,
            Status.DECLINED,
            answered_at=now(),
            decline_reason=data["reason"],
            decline_message=data["message"],
            ambassador_condition=True,
        )
        if other_slots:
            Slot.insert_many(
                [
                    {
                        "intervention": intervention.id,
                        "starts_at": slot,
                        "proposed_by": Side.AMBASSADOR,
                    }
                    for slot in sorted(other_slots)
                ]
            ).execute()
    return fire(intervention, Status.REQUESTED, Status.DECLINED)


def renew(actor: Account | None, intervention_id: int, raw: Mapping[str, Any]) -> Intervention:
    """Ask the ambassador who declined again, on one of the dates they proposed.

    The same intervention goes back to ``requested``, its history kept (why the ambassador
    declined, their message); the date chosen becomes the only date asked.
    """
    intervention = get_visible(actor, intervention_id)
    if not (
        access.is_school_side(actor, intervention) or access.is_referent_of(actor, intervention)
    ):
        raise NotAllowed(_("Only the school and its referents can ask again."))
    if intervention.status != Status.DECLINED:
        raise Conflict(_("Only a declined request can be made again."))
    data = validated(schemas.RenewSchema, raw)
    slot = Slot.get_or_none(
        Slot.id == data["slot"],
        Slot.intervention == intervention.id,
        Slot.proposed_by == Side.AMBASSADOR,
    )
    if slot is None or slot.starts_at <= now():
        raise Invalid({"slot": [_("Choose one of the dates the ambassador proposed.")]})
    errors: dict[str, list[str]] = {}
    facts = {
        "intervention_type": intervention.intervention_type,
        "mode": intervention.mode,
        "organisation": intervention.organisation_id,
    }
    _requestable(intervention.ambassador_id, facts, [slot.starts_at], errors)
    if errors:
        raise Invalid(errors)
    with database.atomic():
        Slot.delete().where(Slot.intervention == intervention.id, Slot.id != slot.id).execute()
        Slot.update(proposed_by=Side.SCHOOL).where(Slot.id == slot.id).execute()
        move(
            intervention,
            Status.DECLINED,
            Status.REQUESTED,
            starts_at=slot.starts_at,
            answered_at=None,
            assigned_at=now(),
        )
        _solicited(intervention.ambassador_id)
    return fire(intervention, Status.DECLINED, Status.REQUESTED)


# Matching


def assign(actor: Account | None, intervention_id: int, raw: Mapping[str, Any]) -> Intervention:
    """A referent gives a request waiting for a match to an ambassador, who then answers it.

    A request its ambassador left unanswered for more than ``agenda.DEFAULT_UNANSWERED_DAYS``
    days can be given to another ambassador the same way.
    """
    intervention = get_visible(actor, intervention_id)
    if not access.is_referent_of(actor, intervention):
        raise NotAllowed(_("Only the referents of the school's territory match requests."))
    data = validated(schemas.AssignSchema, raw)
    if not agenda.awaits_match(intervention):
        raise Conflict(_("This request has already been matched or has moved on."))
    if data["ambassador"] == intervention.ambassador_id:
        raise Invalid(
            {"ambassador": [_("Choose another ambassador than the one who did not answer.")]}
        )
    errors: dict[str, list[str]] = {}
    slots = [slot.starts_at for slot in intervention.slots if slot.starts_at > now()]
    ambassador = _requestable(
        data["ambassador"],
        {
            "intervention_type": intervention.intervention_type,
            "mode": intervention.mode,
            "organisation": intervention.organisation_id,
        },
        slots,
        errors,
    )
    if errors:
        raise Invalid(errors)
    with database.atomic():
        changed = (
            Intervention.update(ambassador=ambassador.id, assigned_at=now())
            .where(
                Intervention.id == intervention.id,
                Intervention.status == Status.REQUESTED,
                Intervention.ambassador.is_null()
                if intervention.ambassador_id is None
                else (Intervention.ambassador == intervention.ambassador_id)
                & (Intervention.assigned_at < agenda.unanswered_since()),
            )
            .execute()
        )
        if not changed:
            raise Conflict(_("This request has already been matched or has moved on."))
        _solicited(ambassador.id)
        # Still "requested", but now addressed to someone: listeners tell the ambassador.
        announcements.record(intervention.id, Status.REQUESTED, Status.REQUESTED)
    return fire(Intervention.get_by_id(intervention.id), Status.REQUESTED, Status.REQUESTED)


# After the answer


def schedule(actor: Account | None, intervention_id: int, raw: Mapping[str, Any]) -> Intervention:
    """Change the date of a scheduled intervention that has not started (``starts_at``,
    ``duration_minutes``; each kept unless given).

    A transition from ``scheduled`` to ``scheduled``: calendars send the update. Accepting
    a request schedules it, so an ``accepted`` intervention is one accepted before that
    (data of earlier versions): this gives it its date the same way.
    """
    intervention = get_visible(actor, intervention_id)
    old = Status(intervention.status)
    if old not in (Status.ACCEPTED, Status.SCHEDULED) or (
        old == Status.SCHEDULED and intervention.starts_at <= now()
    ):
        raise Conflict(_("This intervention can no longer be given a date."))
    data = validated(schemas.ScheduleSchema, raw)
    starts_at = times.to_utc(data["starts_at"]) if data["starts_at"] else intervention.starts_at
    duration = data["duration_minutes"] or intervention.duration_minutes
    errors = _date_errors(intervention.intervention_type, starts_at, duration)
    if errors:
        raise Invalid(errors)
    intervention.starts_at, intervention.duration_minutes = starts_at, duration
    with database.atomic():
        _check_plugins(intervention)
        lock_ambassador(intervention.ambassador_id)
        move(
            intervention,
            old,
            Status.SCHEDULED,
            scheduled_at=now(),
            starts_at=starts_at,
            duration_minutes=duration,
        )
        ambassador = Ambassador.get_by_id(intervention.ambassador_id)
        if committed_in_month(ambassador.id, starts_at) > ambassador.monthly_capacity:
            raise Conflict(_("The ambassador has no room left in that month: choose another date."))
    return fire(intervention, old, Status.SCHEDULED)


def _date_errors(
    intervention_type: str, starts_at: datetime.datetime, duration: int
) -> dict[str, list[str]]:
    """Field errors of a date being fixed: in the future, and a duration the type allows."""
    errors = {}
    if starts_at <= now():
        errors["starts_at"] = [_("The date must be in the future.")]
    rule = rules.RULES[intervention_type]
    if not rule.min_minutes <= duration <= rule.max_minutes:
        errors["duration_minutes"] = [
            _(
                "For this kind of intervention, the duration is between %(min)s and "
                "%(max)s minutes.",
                min=rule.min_minutes,
                max=rule.max_minutes,
            )
        ]
    return errors


def complete(actor: Account | None, intervention_id: int, raw: Mapping[str, Any]) -> Intervention:
    """Report a scheduled intervention that took place: young people reached by level."""
    intervention = get_visible(actor, intervention_id)
    if not (
        access.is_school_side(actor, intervention) or access.is_referent_of(actor, intervention)
    ):
        raise NotAllowed(_("The school or its referent writes the report."))
    data = validated(schemas.ReportSchema, raw)
    reach = {level: pupils for level, pupils in data["reach"].items() if pupils}
    if not reach:
        raise Invalid({"reach": [_("Say how many young people took part, by level.")]})
    if intervention.starts_at > now():
        raise Conflict(_("The intervention has not taken place yet."))
    with database.atomic():
        move(
            intervention,
            Status.SCHEDULED,
            Status.COMPLETED,
            completed_at=now(),
            pupils_reached=sum(reach.values()),
        )
        Reach.insert_many(
            [
                {"intervention": intervention.id, "audience_level": level, "pupils": pupils}
                for level, pupils in sorted(reach.items())
            ]
        ).execute()
        if data["rating"] is not None:
            surveys.save_answer(
                intervention.id, Side.SCHOOL, actor, data["rating"], data["comment"]
            )
    return fire(intervention, Status.SCHEDULED, Status.COMPLETED)


def give_feedback(
    actor: Account | None, intervention_id: int, raw: Mapping[str, Any]
) -> Intervention:
    """One side's feedback on a completed intervention (given again, it replaces the first)."""
    intervention = get_visible(actor, intervention_id)
    if access.is_ambassador_of(actor, intervention):
        side = Side.AMBASSADOR
    elif access.is_school_side(actor, intervention):
        side = Side.SCHOOL
    else:
        raise NotAllowed(_("Only the ambassador and the school give feedback."))
    if intervention.status != Status.COMPLETED:
        raise Conflict(_("Feedback comes once the intervention is completed."))
    data = validated(schemas.FeedbackSchema, raw)
    with database.atomic():
        surveys.save_answer(intervention.id, side, actor, data["rating"], data["comment"])
    surveys.announce(intervention.id)
    return intervention


def cancel(actor: Account | None, intervention_id: int, raw: Mapping[str, Any]) -> Intervention:
    """Cancel an open intervention, saying why; the ambassador cancels only what they accepted."""
    intervention = get_visible(actor, intervention_id)
    if access.is_school_side(actor, intervention) or access.is_referent_of(actor, intervention):
        allowed = OPEN
    elif access.is_ambassador_of(actor, intervention):
        allowed = (Status.ACCEPTED, Status.SCHEDULED)
    else:
        raise NotAllowed(_("You cannot cancel this intervention."))
    data = validated(schemas.CancelSchema, raw)
    old = Status(intervention.status)
    if old not in allowed:
        raise Conflict(_("This intervention can no longer be cancelled."))
    if (
        intervention.starts_at is not None
        and old == Status.SCHEDULED
        and intervention.starts_at <= now()
    ):
        raise Conflict(
            _(
                "This intervention has taken place: it can no longer be cancelled. "
                "Write its report instead."
            )
        )
    with database.atomic():
        if intervention.ambassador_id is not None:
            lock_ambassador(intervention.ambassador_id)
        move(
            intervention,
            old,
            Status.CANCELLED,
            cancelled_at=now(),
            cancelled_by=actor.id if actor else None,
            cancel_reason=data["reason"],
        )
    return fire(intervention, old, Status.CANCELLED)


def expire_overdue(moment: datetime.datetime | None = None) -> int:
    """Expire the requests whose every proposed date has passed unanswered; return how many."""
    moment = moment or now()
    still_possible = Slot.select(peewee.SQL("1")).where(
        Slot.intervention == Intervention.id, Slot.starts_at > moment
    )
    return _expire(~peewee.fn.EXISTS(still_possible))


def expire_unanswered(requested_before: datetime.datetime) -> int:
    """Expire the requests made before ``requested_before`` and still unanswered."""
    return _expire(Intervention.created_at < requested_before)


def _expire(condition: peewee.Expression) -> int:
    """Expire the open requests matching ``condition``, one guarded transition each."""
    candidates = [
        row.id
        for row in Intervention.select(Intervention.id).where(
            Intervention.status == Status.REQUESTED, condition
        )
    ]
    expired = 0
    for intervention_id in candidates:
        with database.atomic():
            changed = (
                Intervention.update(status=Status.EXPIRED)
                .where(Intervention.id == intervention_id, Intervention.status == Status.REQUESTED)
                .execute()
            )
            if changed:
                announcements.record(intervention_id, Status.REQUESTED, Status.EXPIRED)
        if changed:
            expired += 1
            fire(Intervention.get_by_id(intervention_id), Status.REQUESTED, Status.EXPIRED)
    return expired


# Transitions


def move(
    intervention: Intervention,
    old: Status,
    new: Status,
    ambassador_condition: bool = False,
    **columns: Any,
) -> None:
    """``UPDATE ... SET status = new WHERE status = old``; raise ``Conflict`` if it moved on.

    Call it inside the transition's transaction: it records the transition's announcement
    too, and sets on ``intervention`` what it wrote.
    """
    query = Intervention.update(status=new, **columns).where(
        Intervention.id == intervention.id, Intervention.status == old
    )
    if ambassador_condition:
        query = query.where(Intervention.ambassador == intervention.ambassador_id)
    if not query.execute():
        raise Conflict(
            _("This intervention has changed meanwhile: reload the page to see where it stands.")
        )
    announcements.record(intervention.id, old, new)
    for name, value in {"status": new, **columns}.items():
        setattr(intervention, name, value)


def fire(intervention: Intervention, old: Status | None, new: Status) -> Intervention:
    """Once the transition's transaction is done: ``intervention_changed``, then its
    announcement leaves for the worker (``announcements.committed``). Return
    ``intervention``, which must be as it stands after the transition."""
    hooks().intervention_changed(intervention=intervention, old_status=old, new_status=new)
    announcements.committed()
    return intervention
