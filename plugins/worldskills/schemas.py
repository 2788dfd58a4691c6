"""The plugin's settings, and what its forms, CSV rows and API bodies take.

Forms, JSON bodies and CSV rows are validated alike (``FormSchema``: stripped text, empty
fields missing); every number and date within the range it can mean.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from tremplin.validation import FormSchema

from .i18n import N_, _
from .models import AspectKind, JudgeRole, Level, Pathway
from .scoring import SD_KINDS


class Text(fields.String):
    """A line of text of 1 to ``length`` characters."""

    def __init__(self, length: int, **kwargs: Any):
        super().__init__(validate=validate.Length(min=1, max=length), **kwargs)


def choice(values: Any, **kwargs: Any) -> fields.String:
    """A text field taking one of ``values`` (an enum's)."""
    return fields.String(validate=validate.OneOf([str(v) for v in values]), **kwargs)


class SettingsSchema(Schema):
    """``[plugins.worldskills]`` in tremplin.toml (docs/plugins/worldskills.md)."""

    # The WorldSkills Scale: not public, so configuration (scoring.Scale).
    scale_centre = fields.Float(load_default=700, validate=validate.Range(min=0, max=10_000))
    points_per_sd = fields.Float(
        load_default=100, validate=validate.Range(min=0, min_inclusive=False, max=10_000)
    )
    sd = fields.String(load_default="population", validate=validate.OneOf(SD_KINDS))
    # Whether a selection gives Medallions for Excellence (from the scale's centre).
    medallions = fields.Boolean(load_default=True)
    # The awards that select a competitor for the next level.
    selected_awards = fields.List(
        fields.String(validate=validate.OneOf(["gold", "silver", "bronze", "medallion"])),
        load_default=lambda: ["gold"],
        validate=validate.Length(min=1),
    )
    # Candidates under this age in the competition year need a legal guardian's consent.
    majority_age = fields.Integer(load_default=18, validate=validate.Range(min=1, max=30))
    invitation_days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=365))
    # Candidates' details are erased this many years after their competition ended.
    kept_years = fields.Integer(load_default=3, validate=validate.Range(min=1, max=50))


class CompetitionSchema(FormSchema):
    """A competition: its level, edition, dates, venues, territory and next level."""

    name = Text(200, required=True)
    level = choice(Level, required=True)
    edition = Text(50, required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    venues = fields.String(load_default="", validate=validate.Length(max=2000))
    territory = fields.String(load_default=None, validate=validate.Length(max=50))
    selects_for = fields.Integer(load_default=None, validate=validate.Range(min=1))

    @validates_schema
    def dates_in_order(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """A competition ends on or after the day it starts."""
        if data["ends_on"] < data["starts_on"]:
            raise ValidationError(_("The competition cannot end before it starts."), "ends_on")


class SkillSchema(FormSchema):
    """A skill of a competition."""

    number = fields.Integer(required=True, validate=validate.Range(min=1, max=999))
    name = Text(200, required=True)
    team = fields.Boolean(load_default=False)
    max_age = fields.Integer(required=True, validate=validate.Range(min=10, max=99))
    rome_codes = fields.String(
        load_default="",
        validate=validate.Regexp(
            r"^([A-Za-z]\d{4})?([ ,]+[A-Za-z]\d{4})*$",
            error=N_("Give ROME codes as one letter and four digits, separated by spaces."),
        ),
    )
    sector = fields.String(load_default=None, validate=validate.Length(max=100))


class AspectSchema(FormSchema):
    """An aspect of a skill's marking scheme."""

    code = Text(20, required=True)
    title = Text(200, required=True)
    kind = choice(AspectKind, required=True)
    max_mark = fields.Decimal(
        required=True, places=2, validate=validate.Range(min=0, min_inclusive=False, max=100)
    )


class CandidateSchema(FormSchema):
    """A registration: who, in which skill, where they train, and the consents."""

    skill = fields.Integer(required=True, validate=validate.Range(min=1))
    first_name = Text(100, required=True)
    last_name = Text(100, required=True)
    birth_date = fields.Date(required=True)
    email = fields.Email(load_default=None, validate=validate.Length(max=254))
    gender = fields.String(load_default=None, validate=validate.OneOf(["female", "male", "other"]))
    pathway = choice(Pathway, required=True)
    training_centre = fields.String(load_default=None, validate=validate.Length(max=200))
    employer = fields.String(load_default=None, validate=validate.Length(max=200))
    team = fields.String(load_default=None, validate=validate.Length(max=100))
    consent = fields.Boolean(
        required=True,
        truthy={"on", "yes", "1", "true", True},
        falsy={"off", "no", "0", "false", False},
        validate=validate.Equal(True, error=N_("The candidate's consent is needed.")),
        error_messages={"required": N_("The candidate's consent is needed.")},
    )
    guardian_name = fields.String(load_default=None, validate=validate.Length(max=200))
    guardian_consent = fields.Boolean(
        load_default=False,
        truthy={"on", "yes", "1", "true", True},
        falsy={"off", "no", "0", "false", False},
    )


class ImportRowSchema(CandidateSchema):
    """A row of the candidates' CSV file: the skill by its number in the edition, the
    organisations by SIRET or name, the consents as ``yes``."""

    skill = fields.Integer(required=True, validate=validate.Range(min=1, max=999))


class CheckSchema(FormSchema):
    """A referent's decision on a registration."""

    decision = fields.String(required=True, validate=validate.OneOf(["accepted", "refused"]))
    reason = fields.String(load_default=None, validate=validate.Length(max=500))


class JudgeSchema(FormSchema):
    """A member of a skill's marking team, by the email of their account."""

    email = fields.Email(required=True)
    role = choice(JudgeRole, required=True)


class LinkSchema(FormSchema):
    """A link a judge declares with a candidate."""

    candidate = fields.Integer(required=True, validate=validate.Range(min=1))
    nature = Text(200, required=True)


class ScoreSchema(FormSchema):
    """A mark entered by a judge."""

    aspect = fields.Integer(required=True, validate=validate.Range(min=1))
    candidate = fields.Integer(required=True, validate=validate.Range(min=1))
    value = fields.Decimal(required=True, places=2, validate=validate.Range(min=0, max=100))


class InvitationSchema(FormSchema):
    """The ambassador registration an invitation opens, prefilled from the competition."""

    first_name = Text(100, required=True)
    last_name = Text(100, required=True)
    email = fields.Email(required=True, validate=validate.Length(max=254))
    occupation = Text(200, required=True)
    rome_code = fields.String(
        load_default=None,
        validate=validate.Regexp(
            r"^[A-Z]\d{4}$", error=N_("A ROME code is one letter and four digits.")
        ),
    )
    sector = fields.String(load_default=None, validate=validate.Length(max=100))
    zones = fields.List(
        fields.String(validate=validate.Length(max=50)),
        required=True,
        validate=validate.Length(min=1, max=20),
    )
    presentation = fields.String(load_default="", validate=validate.Length(max=2000))


class ResultSchema(Schema):
    """A line of a skill's public results: no date of birth, no email."""

    rank = fields.Integer()
    name = fields.String()
    training_centre = fields.String(allow_none=True)
    marks = fields.String()
    scale_score = fields.Integer()
    award = fields.String(allow_none=True)
    selected = fields.Boolean()


class SkillResultsSchema(Schema):
    """A skill's public results."""

    number = fields.Integer()
    name = fields.String()
    results = fields.List(fields.Nested(ResultSchema))


class ScoreAnswerSchema(Schema):
    """A mark as recorded."""

    id = fields.Integer()
    aspect = fields.Integer(attribute="aspect_id")
    candidate = fields.Integer(attribute="candidate_id")
    judge = fields.Integer(attribute="judge_id")
    value = fields.Decimal(as_string=True)
