"""The plugin's settings, and its forms and API bodies in and out.

Forms, JSON bodies and the command line are validated alike (``FormSchema`` of the people
area: stripped text, empty fields missing).
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from tremplin.validation import FormSchema

from .i18n import _
from .models import CheckStatus

OUTCOMES = [CheckStatus.VERIFIED.value, CheckStatus.REFUSED.value]


class SettingsSchema(Schema):
    """``[plugins.charter]`` in tremplin.toml: what the region requires, and for how long."""

    # The folder of the region holding the charter's versions (``tremplin region load``).
    texts = fields.String(load_default="charter", validate=validate.Length(min=1, max=200))
    require_record_check = fields.Boolean(load_default=True)
    # The extract of the criminal record must be at most this old when a referent checks it.
    extract_max_age_days = fields.Integer(load_default=90, validate=validate.Range(1, 365))
    # A verified check must be renewed after this many days...
    check_valid_days = fields.Integer(load_default=1095, validate=validate.Range(30, 3650))
    # ...and the ambassador is reminded this many days before.
    renewal_reminder_days = fields.Integer(load_default=30, validate=validate.Range(1, 365))
    # An extract uploaded for viewing: at most this big, deleted after this many days if no
    # referent decided on it before (the decision deletes it at once).
    upload_max_mb = fields.Integer(load_default=5, validate=validate.Range(1, 20))
    upload_kept_days = fields.Integer(load_default=7, validate=validate.Range(1, 90))
    require_employer_agreement = fields.Boolean(load_default=False)
    require_insurance = fields.Boolean(load_default=False)
    # The decisions log, and checks replaced by a newer one, are kept this long.
    history_kept_days = fields.Integer(load_default=1095, validate=validate.Range(30, 3650))

    @validates_schema
    def _reminder_before_renewal(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["renewal_reminder_days"] >= data["check_valid_days"]:
            raise ValidationError(_("must be less than check_valid_days"), "renewal_reminder_days")


class DecisionSchema(FormSchema):
    """A referent's decision on a record check."""

    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    extract_issued_on = fields.Date(load_default=None)


class DeclarationSchema(FormSchema):
    """What an ambassador declares about their employer's agreement and insurance."""

    salaried = fields.Boolean(load_default=None)
    employer_agreement_on = fields.Date(load_default=None)
    insurance_on = fields.Date(load_default=None)


class PublishSchema(FormSchema):
    """A new version of the charter."""

    version = fields.String(required=True, validate=validate.Length(min=1, max=50))
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    effective_on = fields.Date(required=True)
    text = fields.String(required=True, validate=validate.Length(min=1))


class VersionOutSchema(Schema):
    """A version of the charter, as the API gives it."""

    version = fields.String()
    title = fields.String()
    effective_on = fields.Date()
    text = fields.String()
    html = fields.String()


class AcceptanceOutSchema(Schema):
    """An acceptance of the charter."""

    version = fields.String()
    accepted_at = fields.DateTime()


class PendingCheckOutSchema(Schema):
    """A record check waiting for a referent, as the API gives it."""

    id = fields.Integer()
    ambassador = fields.Integer()
    name = fields.String()
    occupation = fields.String()
    declared_at = fields.DateTime()
    delivery = fields.String()
    has_file = fields.Boolean()


class CheckOutSchema(Schema):
    """A record check, as the API gives it after a decision."""

    id = fields.Integer()
    ambassador = fields.Integer()
    status = fields.String()
    extract_issued_on = fields.Date(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    valid_until = fields.Date(allow_none=True)
