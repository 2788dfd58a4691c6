"""Pages of events: forums, fairs and webinars with time slots, and inviting ambassadors.

An organiser (an educator of the host, a referent, an admin) creates an event with its
time slots, invites ambassadors of the directory to a slot, each invitation being a
request they answer like any other, and may cancel the event with its open invitations.
Forms are shown again with their messages (HTTP 422), a slot already full above the page
(HTTP 409).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for

from ..auth import permissions
from ..auth.models import Account, Role
from ..auth.web import current_account, login_required, roles_required
from ..errors import Conflict, Invalid, NotAllowed
from ..i18n import _
from ..organisations.models import Organisation
from ..people import directory, educators
from ..people.models import Mode
from ..web.forms import form_values, options, submitted
from ..web.navigation import Group, Link
from ..web.paging import page_number
from . import events, labels, meeting, public_agenda, schemas, times
from .models import Event
from .views import confirmation_errors, render_page

blueprint = Blueprint("events", __name__, template_folder="templates")

EVENT_SLOT_ROWS = 5  # time slots of the event form
EVENT_SLOT_FIELDS = ("starts_at", "ends_at", "label", "places")
INVITE_CHOICES = 50  # directory results offered in the invitation form


def _organisation_names(items: list[Event]) -> dict[int, str]:
    ids = {item.organisation_id for item in items}
    if not ids:
        return {}
    rows = Organisation.select(Organisation.id, Organisation.name).where(
        Organisation.id.in_(list(ids))
    )
    return {row.id: row.name for row in rows}


def _may_organise_events(viewer: Account | None) -> bool:
    return any(
        permissions.has_role(viewer, role) for role in (Role.EDUCATOR, Role.REFERENT, Role.ADMIN)
    )


@blueprint.get("/evenements")
@login_required
def events_page():
    """Forums, fairs and webinars still to come, soonest first."""
    viewer = current_account()
    page = events.upcoming_events(viewer, page_number())
    return render_page(
        "interventions/events.html",
        page=page,
        hosts=_organisation_names(page.items),
        can_create=_may_organise_events(viewer),
    )


def visitor_menu_links(user: Account | None) -> list[Link]:
    """For visitors who are not signed in: the public agenda of events."""
    if user is not None:
        return []
    return [
        Link(
            label=_("Agenda of events"),
            href=url_for("events.public_agenda_page"),
            group=Group.NETWORK,
        )
    ]


@blueprint.get("/evenements/agenda")
def public_agenda_page():
    """The public agenda: forums, fairs and webinars to come, for anyone, without sign-in."""
    return render_page(
        "interventions/public_agenda.html", page=public_agenda.upcoming(page_number())
    )


def _slot_rows(values: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """The time slot rows the form has filled (a start, an end or a label), by row number."""
    rows = []
    for row in range(1, EVENT_SLOT_ROWS + 1):
        slot = {field: values.get(f"slot_{field}_{row}", "") for field in EVENT_SLOT_FIELDS}
        if any(str(slot[field]).strip() for field in ("starts_at", "ends_at", "label")):
            rows.append((row, slot))
    return rows


def _event_raw(values: dict[str, Any]) -> dict[str, Any]:
    """The event's fields, with the filled time slot rows as ``slots``."""
    raw = {
        key: value
        for key, value in values.items()
        if not any(key.startswith(f"slot_{field}_") for field in EVENT_SLOT_FIELDS)
    }
    slots = [slot for _row, slot in _slot_rows(values)]
    if slots:
        raw["slots"] = slots
    return raw


def _with_row_errors(values: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Put the messages about malformed slot rows next to their fields, not all in ``slots``.

    The service's errors merge every row's messages into ``slots``; the same schema, row
    by row, says which field of which row is at fault.
    """
    if "slots" not in errors:
        return errors
    by_field = {
        f"slot_{field}_{row}": [str(message) for message in messages]
        for row, slot in _slot_rows(values)
        for field, messages in schemas.EventSlotSchema().validate(slot).items()
    }
    if not by_field:
        return errors
    return {**{key: value for key, value in errors.items() if key != "slots"}, **by_field}


@blueprint.route("/evenements/nouveau", methods=["GET", "POST"])
@roles_required(Role.EDUCATOR, Role.REFERENT, Role.ADMIN)
def new_event():
    """Create a forum, fair or webinar with its time slots."""
    viewer = current_account()
    schools = educators.schools_of(viewer)
    values: dict[str, Any] = {"organisation": str(schools[0].id) if len(schools) == 1 else ""}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = form_values(request.form)
        event, errors = submitted(lambda: events.create_event(viewer, _event_raw(values)))
        if not errors:
            flash(_("The event is created: invite ambassadors to its time slots."), "success")
            return redirect(url_for(".event_page", event_id=event.id))
        errors = _with_row_errors(values, errors)
    return render_page(
        "interventions/event_new.html",
        errors,
        values=values,
        school_options=[(school.id, school.name) for school in schools],
        event_types=options(schemas.EVENT_TYPES, labels.INTERVENTION_LABELS),
        modes=options([mode.value for mode in Mode], labels.MODE_LABELS),
        rows=range(1, EVENT_SLOT_ROWS + 1),
    )


def _invitation_choices(viewer: Account | None, event: Event) -> list[tuple[int, str]]:
    """A few ambassadors of the directory who could take part, for the invitation form."""
    filters = directory.Filters(
        intervention_type=event.intervention_type,
        mode=event.mode,
        organisation=event.organisation_id if event.mode == Mode.ON_SITE else None,
    )
    try:
        results = directory.search(viewer, filters, page_size=INVITE_CHOICES)
    except (Invalid, NotAllowed):
        return []
    return [(item.id, f"{item.display_name} — {item.occupation}") for item in results.items]


def _render_event(
    event_id: int,
    values: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    problem: str | None = None,
):
    viewer = current_account()
    event = events.get_event(viewer, event_id)
    organiser = events.can_organise(viewer, event) and event.cancelled_at is None
    slots = events.slots_of(event)
    return render_page(
        "interventions/event.html",
        errors,
        http_status=409 if problem else None,
        event=event,
        host=event.organisation,
        slots=slots,
        organiser=organiser,
        slot_options=[
            (slot.id, f"{times.shown(slot.starts_at)}{' — ' + slot.label if slot.label else ''}")
            for slot in slots
        ],
        candidates=_invitation_choices(viewer, event) if organiser else [],
        meeting_link=meeting.event_link_for(viewer, event),
        may_set_meeting=meeting.may_set_for_event(viewer, event),
        values=values or {},
        problem=problem,
    )


@blueprint.get("/evenements/<int:event_id>")
@login_required
def event_page(event_id: int):
    """An event, its time slots and who takes part; organisers invite and cancel here."""
    return _render_event(event_id)


@blueprint.post("/evenements/<int:event_id>/inviter")
@login_required
def invite(event_id: int):
    """Invite an ambassador to a time slot: they receive a request they answer."""
    values = form_values(request.form)
    raw = dict(values)
    if str(values.get("ambassador_number", "")).strip():
        raw["ambassador"] = values["ambassador_number"]
    try:
        events.invite(current_account(), event_id, raw)
    except Invalid as error:
        return _render_event(event_id, values, error.errors)
    except Conflict as error:
        return _render_event(event_id, values, problem=error.message)
    flash(_("The ambassador is invited: they will answer like any request."), "success")
    return redirect(url_for(".event_page", event_id=event_id))


@blueprint.post("/evenements/<int:event_id>/lien-de-reunion")
@login_required
def meeting_link(event_id: int):
    """The organisers give the video meeting link of a remote event (a webinar)."""
    values = form_values(request.form)
    try:
        meeting.set_event_link(current_account(), event_id, values)
    except Invalid as error:
        return _render_event(event_id, values, error.errors)
    except Conflict as error:
        return _render_event(event_id, values, problem=error.message)
    flash(_("The meeting link is saved. Only the participants see it."), "success")
    return redirect(url_for(".event_page", event_id=event_id))


@blueprint.route("/evenements/<int:event_id>/annuler", methods=["GET", "POST"])
@login_required
def cancel_event(event_id: int):
    """Cancel an event and its open invitations: a page that asks why, and to confirm."""
    viewer = current_account()
    event = events.get_event(viewer, event_id)
    if not events.can_organise(viewer, event):
        raise NotAllowed(_("Only the organisers of the event can cancel it."))
    if event.cancelled_at is not None:
        raise Conflict(_("This event is cancelled."))
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = form_values(request.form)
        errors = confirmation_errors(values)
        if not errors:
            _event, errors = submitted(lambda: events.cancel_event(viewer, event_id, values))
        if not errors:
            flash(_("The event is cancelled, with its open invitations."), "success")
            return redirect(url_for(".event_page", event_id=event_id))
    return render_page(
        "interventions/event_cancel.html",
        errors,
        event=event,
        values=values,
    )
