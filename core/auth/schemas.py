"""What the account pages and ``/api/v1/me`` accept and return.

Forms and the API share these schemas, so a page and a JSON client are told the same
messages. Services receive the validated values.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..i18n import _
from ..validation import N_, FormSchema
from .models import AccessScope, Gender

LOCALES = ("fr", "en")
# Digits, spaces, dots, dashes and brackets, with an optional leading +: 06 12 34 56 78,
# +33 6 12 34 56 78, (0)3 20 00 00 00.
PHONE = r"^\+?[0-9 .()-]{6,30}$"


class DetailsSchema(Schema):
    """A person's own details (account page, ``PATCH /api/v1/me``)."""

    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    phone = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(
            PHONE, error=N_("Enter a phone number, for example 06 12 34 56 78.")
        ),
    )
    locale = fields.String(required=True, validate=validate.OneOf(LOCALES))
    gender = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf([g.value for g in Gender])
    )


class SignInSchema(Schema):
    """The sign-in form."""

    email = fields.String(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True)


class EmailSchema(Schema):
    """An email address alone (forgotten password)."""

    email = fields.Email(required=True, validate=validate.Length(max=254))


class NewPasswordSchema(Schema):
    """A new password typed twice (activation, reset)."""

    password = fields.String(required=True, validate=validate.Length(max=1000))
    password_confirmation = fields.String(required=True)

    @validates_schema
    def _the_same_twice(self, data, **kwargs):
        if data.get("password") != data.get("password_confirmation"):
            raise ValidationError(_("The two passwords are different."), "password_confirmation")


class PasswordChangeSchema(NewPasswordSchema):
    """The current password, then the new one twice."""

    current_password = fields.String(required=True)


class EmailChangeSchema(Schema):
    """A new email address, confirmed with the password."""

    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True)


class PasswordConfirmationSchema(Schema):
    """The password alone, to confirm something that cannot be undone."""

    password = fields.String(required=True)


class RoleSchema(Schema):
    """One role of an account and where it applies."""

    role = fields.String()
    territory = fields.Function(lambda grant: grant.territory.code if grant.territory else None)
    organisation = fields.Integer(attribute="organisation_id", allow_none=True)
    pending = fields.Boolean()  # a membership waiting for approval gives nothing yet


class MeSchema(Schema):
    """The signed-in person's own account, private details included (they are theirs)."""

    id = fields.Integer(dump_only=True)
    email = fields.String(dump_only=True)
    pending_email = fields.String(dump_only=True, allow_none=True)
    first_name = fields.String(dump_only=True)
    last_name = fields.String(dump_only=True)
    phone = fields.String(dump_only=True, allow_none=True)
    locale = fields.String(dump_only=True)
    gender = fields.String(dump_only=True, allow_none=True)
    status = fields.String(dump_only=True)
    roles = fields.Function(lambda account: RoleSchema(many=True).dump(account.grants))


class AccessTokenSchema(FormSchema):
    """A new personal access token: its name, what it may do, and its last day."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    scope = fields.String(
        required=True, validate=validate.OneOf([scope.value for scope in AccessScope])
    )
    expires_on = fields.Date(required=True)
