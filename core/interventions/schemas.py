"""Interventions and events in and out: forms, API bodies and answers.

One schema per action, fed alike by an HTML form (through ``FormSchema``: stripped text,
empty fields missing) and a JSON body. Dates without an offset are the region's local time.
"""

from __future__ import annotations

from enum import StrEnum

from marshmallow import Schema, fields, validate

from ..i18n import lazy_gettext
from ..people.schemas import INTERVENTION_TYPES, MODES
from ..validation import N_, FormSchema
from .models import AudienceLevel, Status

LEVELS = [level.value for level in AudienceLevel]
STATUSES = [status.value for status in Status]
EVENT_TYPES = ["forum", "webinar"]
MAX_PUPILS = 5000
# Ids fit the databases' integers: a bigger number is refused as invalid, never sent to SQL.
ID_RANGE = validate.Range(min=1, max=2**31 - 1)


class DeclineReason(StrEnum):
    """Why an ambassador turns a request down."""

    DATES = "dates"  # not available on the proposed dates
    DISTANCE = "distance"  # too far
    FIELD = "field"  # outside the occupation presented
    WORKLOAD = "workload"  # too many interventions at the moment
    OTHER = "other"


DECLINE_REASONS = [reason.value for reason in DeclineReason]

DECLINE_REASON_LABELS = {
    DeclineReason.DATES: lazy_gettext("I am not available on these dates"),
    DeclineReason.DISTANCE: lazy_gettext("It is too far for me"),
    DeclineReason.FIELD: lazy_gettext("It is outside the occupation I present"),
    DeclineReason.WORKLOAD: lazy_gettext("I already have too many interventions"),
    DeclineReason.OTHER: lazy_gettext("Another reason"),
}


class RequestSchema(FormSchema):
    """A request for an intervention, to a named ambassador or to the referent."""

    ambassador = fields.Integer(load_default=None, validate=ID_RANGE)
    organisation = fields.Integer(
        required=True,
        validate=ID_RANGE,
        error_messages={"required": N_("Choose the school or structure of the young people.")},
    )
    intervention_type = fields.String(required=True, validate=validate.OneOf(INTERVENTION_TYPES))
    mode = fields.String(required=True, validate=validate.OneOf(MODES))
    audience_level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    group_size = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_PUPILS))
    accompanying_adults = fields.Integer(load_default=None, validate=validate.Range(min=0, max=200))
    duration_minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=2400))
    topic = fields.String(load_default="", validate=validate.Length(max=200))
    message = fields.String(load_default="", validate=validate.Length(max=2000))
    slots = fields.List(
        fields.DateTime(),
        required=True,
        error_messages={"required": N_("Propose at least one date and time.")},
    )


class AcceptSchema(FormSchema):
    """The ambassador says yes, choosing one of the proposed dates, which fixes it.

    For a company visit, also ``rules_allow`` (ticked) and ``safety_rules``
    (``VisitSafetySchema``).
    """

    slot = fields.Integer(load_default=None, validate=ID_RANGE)
    rules_allow = fields.Boolean(load_default=False)
    safety_rules = fields.String(load_default="")


class DeclineSchema(FormSchema):
    """The ambassador says no: why, in their words, and other dates they could do."""

    reason = fields.String(
        required=True,
        validate=validate.OneOf(DECLINE_REASONS),
        error_messages={"required": N_("Say why, so that the school can find someone else.")},
    )
    message = fields.String(load_default="", validate=validate.Length(max=2000))
    slots = fields.List(fields.DateTime(), load_default=list)


class ScheduleSchema(FormSchema):
    """Another date or duration for a scheduled intervention (each kept unless given)."""

    starts_at = fields.DateTime(load_default=None)
    duration_minutes = fields.Integer(load_default=None, validate=validate.Range(min=1, max=2400))


class FeedbackSchema(FormSchema):
    """What one side thought of the intervention."""

    rating = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=5),
        error_messages={"required": N_("Give a mark from 1 to 5.")},
    )
    comment = fields.String(load_default="", validate=validate.Length(max=2000))


class ReportSchema(FormSchema):
    """The completion report: young people reached by level, and the school's feedback."""

    reach = fields.Dict(
        keys=fields.String(validate=validate.OneOf(LEVELS)),
        values=fields.Integer(validate=validate.Range(min=0, max=MAX_PUPILS)),
        required=True,
        error_messages={"required": N_("Say how many young people took part, by level.")},
    )
    rating = fields.Integer(load_default=None, validate=validate.Range(min=1, max=5))
    comment = fields.String(load_default="", validate=validate.Length(max=2000))


class CancelSchema(FormSchema):
    """Why the intervention is cancelled (the other side reads it)."""

    reason = fields.String(
        required=True,
        validate=validate.Length(min=3, max=2000),
        error_messages={"required": N_("Say why the intervention is cancelled.")},
    )


class AssignSchema(FormSchema):
    """The referent gives a waiting request to an ambassador."""

    ambassador = fields.Integer(
        required=True, validate=ID_RANGE, error_messages={"required": N_("Choose an ambassador.")}
    )


class RenewSchema(FormSchema):
    """Ask the same ambassador again, on a date they proposed when declining."""

    slot = fields.Integer(
        required=True, validate=ID_RANGE, error_messages={"required": N_("Choose a date.")}
    )


class ListQuerySchema(Schema):
    """Filters of the API's list of interventions."""

    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


class EventSlotSchema(FormSchema):
    """One time slot of an event."""

    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    label = fields.String(load_default="", validate=validate.Length(max=200))
    places = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100))


class EventSchema(FormSchema):
    """A forum, fair or webinar with its time slots."""

    title = fields.String(required=True, validate=validate.Length(min=3, max=200))
    intervention_type = fields.String(required=True, validate=validate.OneOf(EVENT_TYPES))
    mode = fields.String(required=True, validate=validate.OneOf(MODES))
    organisation = fields.Integer(
        required=True,
        validate=ID_RANGE,
        error_messages={"required": N_("Choose the school or structure that hosts the event.")},
    )
    place = fields.String(load_default="", validate=validate.Length(max=300))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    audience_level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    expected_public = fields.Integer(load_default=None, validate=validate.Range(min=1, max=100000))
    slots = fields.List(
        fields.Nested(EventSlotSchema),
        required=True,
        validate=validate.Length(min=1, max=50),
        error_messages={"required": N_("Add at least one time slot.")},
    )


class InviteSchema(FormSchema):
    """Invite an ambassador to a slot of an event."""

    slot = fields.Integer(required=True, validate=ID_RANGE)
    ambassador = fields.Integer(
        required=True, validate=ID_RANGE, error_messages={"required": N_("Choose an ambassador.")}
    )


# Answers


class SlotOutSchema(Schema):
    """A proposed date."""

    id = fields.Integer()
    starts_at = fields.DateTime()
    proposed_by = fields.String()


class PartyOutSchema(Schema):
    """The school or the ambassador as the other side sees them: never contact details."""

    id = fields.Integer()
    name = fields.String()
    detail = fields.String(allow_none=True)


class FeedbackOutSchema(Schema):
    """One side's feedback."""

    side = fields.String()
    rating = fields.Integer()
    comment = fields.String()


class VisitSafetyOutSchema(Schema):
    """What the ambassador confirmed for a company visit."""

    rules_allow = fields.Boolean()
    safety_rules = fields.String()


class InterventionOutSchema(Schema):
    """An intervention as its participants, referents and admins see it."""

    id = fields.Integer()
    intervention_type = fields.String()
    mode = fields.String()
    status = fields.String()
    organisation = fields.Nested(PartyOutSchema)
    ambassador = fields.Nested(PartyOutSchema, allow_none=True)
    requested_by = fields.String(allow_none=True)
    event = fields.Integer(allow_none=True)
    topic = fields.String()
    message = fields.String()
    audience_level = fields.String()
    group_size = fields.Integer()
    accompanying_adults = fields.Integer(allow_none=True)
    duration_minutes = fields.Integer()
    starts_at = fields.DateTime()
    slots = fields.List(fields.Nested(SlotOutSchema))
    created_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True)
    decline_reason = fields.String(allow_none=True)
    decline_message = fields.String()
    cancel_reason = fields.String()
    cancelled_by = fields.String(allow_none=True)
    reach = fields.Dict(keys=fields.String(), values=fields.Integer())
    pupils_reached = fields.Integer(allow_none=True)
    feedback = fields.List(fields.Nested(FeedbackOutSchema))
    meeting_link = fields.String(allow_none=True)
    company_visit = fields.Nested(VisitSafetyOutSchema, allow_none=True)
    # Whether the ambassador consents to photos and videos, for the school and referents.
    image_rights = fields.Boolean(allow_none=True)
    actions = fields.List(fields.String())


class SuggestionOutSchema(Schema):
    """An ambassador suggested for a request, and why."""

    ambassador = fields.Integer(attribute="profile.id")
    display_name = fields.String(attribute="profile.display_name")
    occupation = fields.String(attribute="profile.occupation")
    distance_km = fields.Float(attribute="profile.distance_km", allow_none=True)
    capacity_left = fields.Integer()
    reasons = fields.List(fields.String())


class EventSlotOutSchema(Schema):
    """A slot of an event and who takes part."""

    id = fields.Integer()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    label = fields.String()
    places = fields.Integer()
    ambassadors = fields.List(fields.Nested(PartyOutSchema))


class EventOutSchema(Schema):
    """An event with its slots."""

    id = fields.Integer()
    title = fields.String()
    intervention_type = fields.String()
    mode = fields.String()
    organisation = fields.Nested(PartyOutSchema)
    place = fields.String()
    description = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    cancelled = fields.Boolean()
    slots = fields.List(fields.Nested(EventSlotOutSchema))


class MeetingLinkSchema(FormSchema):
    """The address of a video meeting: a secure (https) web address."""

    url = fields.Url(
        required=True,
        schemes={"https"},
        validate=validate.Length(max=500),
        error_messages={
            "required": N_("Give the address of the meeting."),
            "invalid": N_("Give a full secure address, starting with https://."),
        },
    )


class VisitSafetySchema(FormSchema):
    """What the ambassador confirms when accepting a company visit."""

    rules_allow = fields.Boolean(load_default=False)
    safety_rules = fields.String(
        required=True,
        validate=validate.Length(min=10, max=3000),
        error_messages={
            "required": N_("Give the safety rules the group must follow during the visit.")
        },
    )


class PublicEventOutSchema(Schema):
    """An event of the public agenda: no personal data."""

    id = fields.Integer()
    title = fields.String()
    intervention_type = fields.String()
    online = fields.Boolean()
    place = fields.String()
    host = fields.String()
    town = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
