"""The JSON API of interventions and events (flask-smorest).

Thin, like the pages: read the JSON body, hand it to the service, answer what
``details.describe`` says. The services validate raw bodies themselves (type rules,
capacity, holds and plugins' ``validate_intervention`` included) and raise ``Invalid``,
which ``web/errors.py`` answers with 422 and the messages of each field; each endpoint
documents its body and answers with ``tremplin.web.api.endpoint``.

Dates are stored in UTC without a zone; answers give them in the region's zone with their
offset ("2026-12-03T10:00:00+01:00"). Dates sent without an offset are the region's time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from flask_smorest import Blueprint as ApiBlueprint
from marshmallow import Schema

from ..auth.models import Account
from ..auth.web import current_account
from ..web.api import ID, endpoint, json_body
from . import agenda, details, events, matching, meeting, public_agenda, schemas, service, surveys
from .models import Event, Intervention
from .times import in_local_time

interventions_api = ApiBlueprint(
    "interventions_api",
    __name__,
    url_prefix="/api/v1/interventions",
    description="Intervention requests, answers, matching, scheduling and reports.",
)
events_api = ApiBlueprint(
    "events_api",
    __name__,
    url_prefix="/api/v1/events",
    description="Forums, fairs and webinars with time slots.",
)


def described(viewer: Account | None, intervention: Intervention) -> dict[str, Any]:
    """``intervention`` as ``viewer`` may read it (``InterventionOutSchema``), local dates."""
    return in_local_time(details.describe(viewer, intervention))


def event_out(event: Event) -> dict[str, Any]:
    """``event`` with its slots and who takes part (``EventOutSchema``), local dates."""
    organisation = event.organisation
    return in_local_time(
        {
            "id": event.id,
            "title": event.title,
            "intervention_type": event.intervention_type,
            "mode": event.mode,
            "organisation": {
                "id": organisation.id,
                "name": organisation.name,
                "detail": organisation.city,
            },
            "place": event.place,
            "description": event.description,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "cancelled": event.cancelled_at is not None,
            "slots": [dataclasses.asdict(slot) for slot in events.slots_of(event)],
        }
    )


def _action(name: str, body: type[Schema], **options: Any) -> Callable[[Callable], Callable]:
    """The endpoint of the workflow action ``name`` on one intervention, reading ``body``.

    It answers the intervention as it stands after, or refuses with 422, 409, 403 or 404.
    """
    return endpoint(
        interventions_api,
        "POST",
        f"/<{ID}:intervention_id>/{name}",
        body=body,
        answer=schemas.InterventionOutSchema,
        refusals=(422, 409, 403, 404),
        **options,
    )


def _act(action: Callable[..., Intervention], intervention_id: int) -> dict[str, Any]:
    """Run the workflow ``action`` with the body sent; the intervention as it stands after."""
    viewer = current_account()
    return described(viewer, action(viewer, intervention_id, json_body()))


# Interventions


@endpoint(interventions_api, "GET", "/", answer=schemas.InterventionOutSchema(many=True))
@interventions_api.arguments(schemas.ListQuerySchema, location="query")
@interventions_api.paginate(page_size=agenda.PAGE_SIZE)
def list_interventions(query, pagination_parameters):
    """The interventions I am a side of (school, ambassador, referent), latest date first.

    Filter by ``status``; paginated (``page``, ``page_size``; totals in ``X-Pagination``).
    """
    viewer = current_account()
    page = agenda.listing(
        viewer, query["status"], pagination_parameters.page, pagination_parameters.page_size
    )
    pagination_parameters.item_count = page.total
    return [described(viewer, intervention) for intervention in page.items]


@endpoint(
    interventions_api,
    "POST",
    "/",
    body=schemas.RequestSchema,
    answer=schemas.InterventionOutSchema,
    status=201,
    refusals=(422,),
)
def create_request():
    """Request an intervention, from an ambassador or from the referents.

    Addressed to the named ``ambassador``, or, without one, to the referents of the
    school's territory, who match it. One to three proposed ``slots``; dates without an
    offset are the region's time.
    """
    viewer = current_account()
    return described(viewer, service.request_intervention(viewer, json_body()))


@endpoint(
    interventions_api,
    "GET",
    f"/<{ID}:intervention_id>",
    answer=schemas.InterventionOutSchema,
    refusals=(404,),
)
def get_intervention(intervention_id: int):
    """An intervention I am a side of, with the ``actions`` I may take now."""
    viewer = current_account()
    return described(viewer, service.get_visible(viewer, intervention_id))


@_action("accept", schemas.AcceptSchema, body_required=False)
def accept(intervention_id: int):
    """The ambassador accepts on the proposed date ``slot`` (the first to come by default),
    which fixes it: the intervention is ``scheduled`` at once, and calendar invitations go
    to both sides.

    422 when a rule refuses that date; 409 when the request has moved on, or the
    ambassador's month or the event's slot is full.
    """
    return _act(service.accept, intervention_id)


@_action("decline", schemas.DeclineSchema)
def decline(intervention_id: int):
    """The ambassador declines: a ``reason``, a ``message``, and other ``slots`` they could do."""
    return _act(service.decline, intervention_id)


@_action("renew", schemas.RenewSchema)
def renew(intervention_id: int):
    """Ask the ambassador who declined again, on a ``slot`` they proposed: the same
    intervention is requested again, its history kept."""
    return _act(service.renew, intervention_id)


@_action("assign", schemas.AssignSchema)
def assign(intervention_id: int):
    """A referent gives a request waiting for a match to an ``ambassador``, who answers it."""
    return _act(service.assign, intervention_id)


@_action("schedule", schemas.ScheduleSchema, body_required=False)
def schedule(intervention_id: int):
    """Change the date (``starts_at``) or the duration of a scheduled intervention that has
    not started; each is kept unless given. Also fixes the date of an intervention
    ``accepted`` before accepting fixed it (data of earlier versions)."""
    return _act(service.schedule, intervention_id)


@_action("complete", schemas.ReportSchema)
def complete(intervention_id: int):
    """Report an intervention that took place: young people reached by level.

    By the school or its referent: ``reach`` maps levels to numbers of young people; an
    optional ``rating`` and ``comment`` are the school's feedback. 409 before the date.
    """
    return _act(service.complete, intervention_id)


@_action("feedback", schemas.FeedbackSchema)
def feedback(intervention_id: int):
    """The ambassador's or the school's ``rating`` and ``comment`` on a completed one."""
    return _act(service.give_feedback, intervention_id)


@endpoint(
    interventions_api,
    "DELETE",
    f"/<{ID}:intervention_id>/feedback",
    answer=schemas.InterventionOutSchema,
    refusals=(404,),
)
def withdraw_feedback(intervention_id: int):
    """Withdraw the answer I gave about the intervention: it is deleted, and no longer
    counted in the key figures. 404 when I gave none."""
    viewer = current_account()
    intervention = service.get_visible(viewer, intervention_id)
    surveys.withdraw(viewer, intervention.id)
    return described(viewer, intervention)


@_action("meeting-link", schemas.MeetingLinkSchema)
def meeting_link(intervention_id: int):
    """The school or the ambassador gives the ``url`` (https) of a remote intervention's video
    meeting, once accepted; only its participants read it (``meeting_link``)."""
    return _act(meeting.set_link, intervention_id)


@_action("cancel", schemas.CancelSchema)
def cancel(intervention_id: int):
    """Cancel an open intervention, saying why (``reason``): the other side reads it."""
    return _act(service.cancel, intervention_id)


@endpoint(
    interventions_api,
    "GET",
    f"/<{ID}:intervention_id>/suggestions",
    answer=schemas.SuggestionOutSchema(many=True),
    refusals=(403, 404),
)
def suggestions(intervention_id: int):
    """For the referents: the best ambassadors for a request waiting for a match, and why."""
    viewer = current_account()
    return matching.suggestions(viewer, service.get_visible(viewer, intervention_id))


# Events


@endpoint(
    events_api,
    "GET",
    "/agenda",
    answer=schemas.PublicEventOutSchema(many=True),
    signed_in=False,
)
@events_api.paginate(page_size=agenda.PAGE_SIZE, max_page_size=agenda.PAGE_SIZE)
def public_agenda_events(pagination_parameters):
    """The public agenda, open to anyone: events to come, soonest first, no personal data.

    Pages of 20 (``page``; totals in ``X-Pagination``).
    """
    page = public_agenda.upcoming(page=pagination_parameters.page)
    pagination_parameters.page_size = page.page_size
    pagination_parameters.item_count = page.total
    return [in_local_time(dataclasses.asdict(event)) for event in page.items]


@endpoint(events_api, "GET", "/", answer=schemas.EventOutSchema(many=True))
@events_api.paginate(page_size=agenda.PAGE_SIZE, max_page_size=agenda.PAGE_SIZE)
def list_events(pagination_parameters):
    """Events still to come, soonest first (a referent sees those of their territories).

    Pages of 20 (``page``; totals in ``X-Pagination``).
    """
    page = events.upcoming_events(current_account(), page=pagination_parameters.page)
    # The service pages by 20 whatever was asked: the header tells what was used.
    pagination_parameters.page_size = page.page_size
    pagination_parameters.item_count = page.total
    return [event_out(event) for event in page.items]


@endpoint(
    events_api,
    "POST",
    "/",
    body=schemas.EventSchema,
    answer=schemas.EventOutSchema,
    status=201,
    refusals=(422,),
)
def create_event():
    """Create an event of the host ``organisation`` with its time ``slots``."""
    return event_out(events.create_event(current_account(), json_body()))


@endpoint(events_api, "GET", f"/<{ID}:event_id>", answer=schemas.EventOutSchema, refusals=(404,))
def get_event(event_id: int):
    """An event, its slots and the ambassadors invited to each (public names only)."""
    return event_out(events.get_event(current_account(), event_id))


@endpoint(
    events_api,
    "POST",
    f"/<{ID}:event_id>/invitations",
    body=schemas.InviteSchema,
    answer=schemas.InterventionOutSchema,
    status=201,
    refusals=(422, 409, 403, 404),
)
def invite(event_id: int):
    """Invite an ``ambassador`` to a ``slot``: a request they answer like any other.

    Once the slot's places are taken, a further acceptance is refused (409).
    """
    viewer = current_account()
    return described(viewer, events.invite(viewer, event_id, json_body()))


@endpoint(
    events_api,
    "POST",
    f"/<{ID}:event_id>/cancel",
    body=schemas.CancelSchema,
    answer=schemas.EventOutSchema,
    refusals=(422, 403, 404),
)
def cancel_event(event_id: int):
    """Cancel the event and every invitation still open, saying why (``reason``)."""
    return event_out(events.cancel_event(current_account(), event_id, json_body()))
