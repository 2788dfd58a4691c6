"""The plugin's settings, and its forms and API bodies.

Forms, JSON bodies and the command line are validated alike (``tremplin.validation``):
stripped text, empty fields missing, every date within the range it can mean.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tremplin.validation import FormSchema

from .models import Channel, Kind

KINDS = [kind.value for kind in Kind]


class SettingsSchema(Schema):
    """``[plugins.rgpd]`` in tremplin.toml: what code cannot know of the region, and periods."""

    # The controller and its data protection officer (GDPR art. 30(1)(a), 37(7)).
    controller = fields.String(load_default="", validate=validate.Length(max=300))
    controller_address = fields.String(load_default="", validate=validate.Length(max=300))
    dpo_name = fields.String(load_default="", validate=validate.Length(max=200))
    dpo_email = fields.Email(load_default="")
    dpo_address = fields.String(load_default="", validate=validate.Length(max=300))
    # The register's columns the code cannot fill (art. 30(1)(c), (d), (e), (g)); empty:
    # the plugin's own sentence.
    people = fields.String(load_default="", validate=validate.Length(max=1000))
    recipients = fields.String(load_default="", validate=validate.Length(max=1000))
    transfers = fields.String(load_default="", validate=validate.Length(max=1000))
    security = fields.String(load_default="", validate=validate.Length(max=2000))
    # Alsace-Moselle's Good Friday and 26 December move deadlines too.
    alsace_moselle = fields.Boolean(load_default=False)
    confirm_link_hours = fields.Integer(load_default=48, validate=validate.Range(1, 24 * 30))
    export_link_hours = fields.Integer(load_default=168, validate=validate.Range(1, 24 * 30))
    # Reminders to the officers this many days before the legal date (and once overdue).
    reminder_days = fields.List(
        fields.Integer(validate=validate.Range(0, 60)), load_default=lambda: [7, 2]
    )
    # Closed requests and their log: proof that the network answered (art. 5(2)).
    requests_kept_years = fields.Integer(load_default=5, validate=validate.Range(1, 30))
    # The email answering an erasure stays in the outbox until sent, then this many days.
    answer_mail_kept_days = fields.Integer(load_default=7, validate=validate.Range(1, 90))


class OwnRequestSchema(FormSchema):
    """A request filed by a signed-in person about their own data."""

    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    details = fields.String(load_default="", validate=validate.Length(max=5000))


class PublicRequestSchema(OwnRequestSchema):
    """A request filed through the public form, by someone without an account at hand."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=254))


class RecordedRequestSchema(PublicRequestSchema):
    """A request received by letter or email, recorded by an officer."""

    channel = fields.String(
        required=True, validate=validate.OneOf([Channel.LETTER.value, Channel.EMAIL.value])
    )
    received_on = fields.Date(required=True)


class NoteSchema(FormSchema):
    """A step that needs a sentence: why identity is doubted, why the period is extended,
    what was done, why it is refused."""

    note = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class AnswerSchema(FormSchema):
    """What was done to answer (optional for access, portability, erasure...)."""

    note = fields.String(load_default="", validate=validate.Length(max=5000))


class IdentitySchema(FormSchema):
    """The outcome of an identity check: checked or not, and how. Never the document."""

    checked = fields.Boolean(
        required=True, truthy={"yes", "true", "1", True}, falsy={"no", "false", "0", False}
    )
    method = fields.String(required=True, validate=validate.Length(min=1, max=200))


class RequestAnswerSchema(Schema):
    """A request as the API gives it."""

    id = fields.Integer()
    kind = fields.String()
    status = fields.String()
    channel = fields.String()
    received_on = fields.Date(allow_none=True)
    calendar_due = fields.Date(allow_none=True)
    legal_due = fields.Date(allow_none=True)
    extended_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
