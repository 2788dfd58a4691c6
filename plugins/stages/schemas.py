"""The plugin's settings, and its forms and API bodies.

Forms, JSON bodies and the command line are validated alike (``FormSchema``): stripped
text, empty fields missing, every number and date within the range it can mean. A pupil's
data is kept to what the convention needs.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates_schema,
)

from tremplin.validation import FormSchema

from .i18n import _
from .models import Level
from .school_calendar import ZONES
from .week import WEEKDAYS

EARLIEST_DAY = datetime.date(2019, 1, 1)
LATEST_DAY = datetime.date(2100, 12, 31)
ROME_CODE = r"^[A-Za-z]\d{4}$"
LEVELS = [level.value for level in Level]
TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
GENDERS = ("female", "male", "other")


class SettingsSchema(Schema):
    """``[plugins.stages]`` in tremplin.toml: every key has a default."""

    # The region's model of the convention: a Markdown file of the region folder (its
    # articles), printed after the parties' details. Missing: the plugin's own model.
    convention_model = fields.String(
        load_default="stages/convention.md", validate=validate.Length(min=1, max=200)
    )
    # The school holidays' zone (A, B or C) of the region's academies.
    zone = fields.String(load_default="B", validate=validate.OneOf(sorted(ZONES)))
    # Pupils a host receives at once, all its offers together.
    host_cap = fields.Integer(load_default=6, validate=validate.Range(1, 1000))
    # The referents' list shows priority classes whose sequence starts within these days.
    alert_days = fields.Integer(load_default=30, validate=validate.Range(1, 365))
    # Placements, conventions and their documents are deleted this many days after the end
    # of the school year of the stay (the convention is evidence for the school's insurer).
    kept_days = fields.Integer(load_default=365, validate=validate.Range(30, 3650))


def day_field(**kwargs: Any) -> fields.Date:
    """A date between 2019 and 2100."""
    return fields.Date(
        validate=validate.Range(EARLIEST_DAY, LATEST_DAY, error=_("Give a date from 2019 on.")),
        **kwargs,
    )


def text(length: int, **kwargs: Any) -> fields.String:
    """A line of text of at most ``length`` characters."""
    return fields.String(validate=validate.Length(min=1, max=length), **kwargs)


class _Period(FormSchema):
    @validates_schema
    def _order(self, data: dict[str, Any], **kwargs: Any) -> None:
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            raise ValidationError(_("The last day comes after the first."), "last_day")


class Periods(fields.Field):
    """Periods as ``[["2026-03-16", "2026-03-20"], ...]`` or a form's lines
    (``2026-03-16 2026-03-20``, one period a line); at most twelve."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            value = [line.replace("/", " ").split() for line in value.splitlines() if line.strip()]
        if not isinstance(value, list) or not 1 <= len(value) <= 12:
            raise ValidationError(_("Give one to twelve periods, a first and a last day each."))
        periods = []
        for pair in value:
            if not (isinstance(pair, list | tuple) and len(pair) == 2):
                raise ValidationError(_("Give each period as a first and a last day."))
            try:
                first, last = (datetime.date.fromisoformat(str(day)) for day in pair)
            except ValueError as error:
                raise ValidationError(_("Write days as YYYY-MM-DD, such as 2026-03-16.")) from error
            if last < first or first < EARLIEST_DAY or last > LATEST_DAY:
                raise ValidationError(_("Each period ends after it starts, from 2019 on."))
            periods.append((first, last))
        return sorted(periods)


class OfferSchema(_Period):
    """An offer: occupation, place and territory, periods, places, levels, what happens.

    The periods the host receives pupils in are ``periods``, or one period from
    ``first_day`` to ``last_day``.
    """

    occupation = text(200, required=True)
    rome_code = fields.String(
        load_default=None,
        validate=validate.Regexp(
            ROME_CODE, error=_("A ROME code is one letter and four digits, such as M1805.")
        ),
    )
    place = text(300, required=True)
    territory = text(20, required=True)  # the territory's code
    levels = fields.List(
        fields.String(validate=validate.OneOf(LEVELS)), required=True, validate=validate.Length(1)
    )
    periods = Periods(load_default=None)
    first_day = day_field(load_default=None)
    last_day = day_field(load_default=None)
    places = fields.Integer(required=True, validate=validate.Range(1, 100))
    activities = fields.String(required=True, validate=validate.Length(min=10, max=5000))
    internal_rules_allow = fields.Boolean(load_default=False)
    safety_rules = fields.String(load_default="", validate=validate.Length(max=5000))

    @validates_schema
    def _some_period(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("periods") is None and not (data.get("first_day") and data.get("last_day")):
            raise ValidationError(_("Give the periods the host receives pupils in."), "periods")

    @post_load
    def _one_list(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """``periods`` always; ``first_day`` and ``last_day`` their bounds."""
        periods = data["periods"] or [(data["first_day"], data["last_day"])]
        data.update(periods=periods, first_day=periods[0][0], last_day=max(p[1] for p in periods))
        return data

    @pre_load
    def _levels(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("levels"), str):
            data = {**data, "levels": data["levels"].split()}
        return data

    @validates_schema
    def _rules_allow(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data.get("internal_rules_allow"):
            raise ValidationError(
                _("Confirm that the host's internal rules allow hosting pupils."),
                "internal_rules_allow",
            )


class SearchSchema(FormSchema):
    """A teacher's search: words, territory, level, and a distance around the school."""

    q = fields.String(load_default="", validate=validate.Length(max=200))
    territory = fields.String(load_default=None, validate=validate.Length(max=20))
    level = fields.String(load_default=None, validate=validate.OneOf(LEVELS))
    school = fields.Integer(load_default=None, validate=validate.Range(1, 2_147_483_647))
    km = fields.Integer(load_default=None, validate=validate.Range(1, 500))


class GuardianSchema(FormSchema):
    """A legal guardian: name and contacts."""

    name = text(200, required=True)
    email = fields.Email(required=True)
    phone = fields.String(load_default="", validate=validate.Length(max=30))


def _interval(value: Any) -> tuple[str, str]:
    if not (isinstance(value, list | tuple) and len(value) == 2):
        raise ValidationError(_("Give each stretch as a start and an end, such as 09:00-12:00."))
    start, end = (str(bound).strip() for bound in value)
    if not (TIME.match(start) and TIME.match(end)):
        raise ValidationError(_("Write times as HH:MM, such as 09:00."))
    if end <= start:
        raise ValidationError(_("A stretch ends after it starts, within the day."))
    return start, end


def read_schedule(value: Any) -> dict[str, list[tuple[str, str]]]:
    """A weekly schedule from JSON (``{"Mon": [["09:00", "12:00"]]}``) or a form's text
    (``Mon 09:00-12:00 13:30-17:00`` a line per day); ``ValidationError`` on what is not one."""
    if isinstance(value, str):
        days: dict[str, list[Any]] = {}
        for line in value.splitlines():
            words = line.split()
            if not words:
                continue
            day, *stretches = words
            days[day] = [stretch.split("-", 1) for stretch in stretches]
        value = days
    if not isinstance(value, dict):
        raise ValidationError(_("Give the schedule day by day."))
    schedule = {}
    for day, stretches in value.items():
        if day not in WEEKDAYS:
            raise ValidationError(
                _("Unknown day %(day)s: use Mon, Tue, Wed, Thu, Fri, Sat, Sun.", day=str(day)[:10])
            )
        if not isinstance(stretches, list) or len(stretches) > 6:
            raise ValidationError(_("Give at most six stretches a day."))
        schedule[day] = sorted(_interval(stretch) for stretch in stretches)
    if not any(schedule.values()):
        raise ValidationError(_("Give at least one day with hours."))
    return schedule


class Schedule(fields.Field):
    """A weekly schedule, as ``read_schedule`` reads it."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        return read_schedule(value)


class PlacementSchema(_Period):
    """A pupil proposed for an offer: only what the convention needs."""

    offer = fields.Integer(required=True, validate=validate.Range(1, 2_147_483_647))
    school = fields.Integer(required=True, validate=validate.Range(1, 2_147_483_647))
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    pupil_first_name = text(100, required=True)
    pupil_last_name = text(100, required=True)
    pupil_class = text(50, required=True)
    pupil_birth_date = fields.Date(
        required=True,
        validate=validate.Range(
            datetime.date(1990, 1, 1), LATEST_DAY, error=_("Give the pupil's birth date.")
        ),
    )
    pupil_email = fields.Email(load_default=None)
    pupil_gender = fields.String(load_default=None, validate=validate.OneOf(GENDERS))
    first_day = day_field(required=True)
    last_day = day_field(required=True)
    schedule = Schedule(required=True)
    guardians = fields.List(
        fields.Nested(GuardianSchema), required=True, validate=validate.Length(1, 2)
    )

    @pre_load
    def _guardians_of_form(self, data: Any, **kwargs: Any) -> Any:
        """A form gives ``guardian1_name``, ``guardian1_email``...: the list of guardians."""
        if not isinstance(data, dict) or "guardians" in data:
            return data
        guardians = []
        for number in (1, 2):
            row = {
                key: data.get(f"guardian{number}_{key}", "") for key in ("name", "email", "phone")
            }
            if any(str(value).strip() for value in row.values()):
                guardians.append(row)
        return {**data, "guardians": guardians}


class ChangeSchema(_Period):
    """An amendment: new dates and schedule of a placement."""

    first_day = day_field(required=True)
    last_day = day_field(required=True)
    schedule = Schedule(required=True)


class AnswerSchema(FormSchema):
    """The host's answer to a proposed pupil."""

    outcome = fields.String(required=True, validate=validate.OneOf(["accept", "decline"]))
    reason = fields.String(load_default="", validate=validate.Length(max=1000))


class ConventionSchema(FormSchema):
    """The parties of the convention beyond the placement: who signs, insurance, emergencies."""

    head_name = text(200, required=True)
    head_email = fields.Email(required=True)
    representative_name = text(200, required=True)
    representative_email = fields.Email(required=True)
    tutor_name = text(200, required=True)
    tutor_email = fields.Email(required=True)
    school_insurance = text(300, required=True)
    host_insurance = text(300, required=True)
    emergency_contact = text(300, required=True)
    # The pupil signs too: their email, when the proposal did not give it.
    pupil_email = fields.Email(load_default=None)


class ReasonSchema(FormSchema):
    """Why a placement is cancelled."""

    reason = fields.String(required=True, validate=validate.Length(min=3, max=1000))


class EvaluationSchema(FormSchema):
    """The host's short evaluation of the pupil's stay."""

    rating = fields.Integer(required=True, validate=validate.Range(1, 4))
    evaluation = fields.String(required=True, validate=validate.Length(min=3, max=2000))


class ReportSchema(FormSchema):
    """The pupil's optional report, entered by the school."""

    report = fields.String(required=True, validate=validate.Length(min=3, max=5000))


class PaperSchema(FormSchema):
    """A signature on paper: the signatory and the date written on the paper."""

    signatory = fields.Integer(required=True, validate=validate.Range(1, 2_147_483_647))
    signed_on = day_field(load_default=None)


class SchoolClassSchema(_Period):
    """A class and the dates of its observation sequence."""

    name = text(50, required=True)
    level = fields.String(load_default=Level.THIRD.value, validate=validate.OneOf(LEVELS))
    pupils = fields.Integer(required=True, validate=validate.Range(1, 60))
    first_day = day_field(required=True)
    last_day = day_field(required=True)


class OfferOutSchema(Schema):
    """An offer as the API gives it: never a person's contact."""

    id = fields.Integer()
    host = fields.Function(lambda offer: offer.host.name)
    occupation = fields.String()
    rome_code = fields.String(allow_none=True)
    place = fields.String()
    territory = fields.Function(lambda offer: offer.territory.code)
    levels = fields.Function(lambda offer: offer.levels.split())
    periods = fields.Function(
        lambda offer: [[a.isoformat(), b.isoformat()] for a, b in offer.spans()]
    )
    places = fields.Integer()
    places_left = fields.Integer()
    activities = fields.String()
    safety_rules = fields.String()
    highlighted = fields.Function(lambda offer: offer.highlighted_at is not None)


class OfferListSchema(Schema):
    """One page of offers."""

    items = fields.List(fields.Nested(OfferOutSchema))
    total = fields.Integer()


class CheckSchema(Schema):
    """A schedule and period to check against the rules for minors."""

    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    birth_date = fields.Date(required=True)
    first_day = day_field(required=True)
    last_day = day_field(required=True)
    schedule = Schedule(required=True)


class ViolationSchema(Schema):
    """A rule broken: its code and what it means, in the reader's language."""

    code = fields.String()
    message = fields.String()


class CheckAnswerSchema(Schema):
    """The rules a schedule and period break (none: lawful)."""

    lawful = fields.Boolean()
    violations = fields.List(fields.Nested(ViolationSchema))
