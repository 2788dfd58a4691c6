"""Settings of the documents area, and what documents, signatories and signatures take."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..validation import N_, FormSchema

# "mecenat.receipt", "stages.convention": the owner's name, a dot, the owner's word for it.
KIND = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"
SHA256 = r"^[0-9a-f]{64}$"


class SettingsSchema(Schema):
    """``[plugins.documents]``: how long a signing link works, how often a signatory who has
    not signed is reminded, how long the scan of a paper signature is kept."""

    link_days = fields.Integer(load_default=7, validate=validate.Range(1, 60))
    reminder_days = fields.Integer(load_default=3, validate=validate.Range(1, 60))
    scan_kept_days = fields.Integer(load_default=90, validate=validate.Range(1, 3650))


class DocumentSchema(Schema):
    """What makes a document: its kind, owner, subject, title, template and language."""

    kind = fields.String(required=True, validate=[validate.Length(1, 100), validate.Regexp(KIND)])
    owner = fields.String(required=True, validate=validate.Length(1, 100))
    subject = fields.String(required=True, validate=validate.Length(1, 200))
    title = fields.String(required=True, validate=validate.Length(1, 300))
    template = fields.String(required=True, validate=validate.Length(1, 200))
    locale = fields.String(required=True, validate=validate.OneOf(["fr", "en"]))


class SignatorySchema(Schema):
    """One signatory of a circuit: a role, a name and an email; maybe an account."""

    role = fields.String(required=True, validate=validate.Length(1, 100))
    name = fields.String(required=True, validate=validate.Length(1, 200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    locale = fields.String(load_default=None, validate=validate.OneOf(["fr", "en"]))
    account_id = fields.Integer(load_default=None, strict=True)


NO_CONSENT = N_("Tick the box to sign: without it, nothing is signed.")


class SignSchema(FormSchema):
    """The signing form: the full name typed, the consent ticked, the file's SHA-256 shown."""

    name = fields.String(
        required=True,
        validate=validate.Length(1, 200),
        error_messages={"required": N_("Type your full name.")},
    )
    consent = fields.Boolean(
        required=True,
        truthy={"on", "yes", "1", "true", True},
        falsy={"off", "no", "0", "false", False},
        validate=validate.Equal(True, error=NO_CONSENT),
        error_messages={"required": NO_CONSENT},
    )
    sha256 = fields.String(required=True, validate=validate.Regexp(SHA256))
