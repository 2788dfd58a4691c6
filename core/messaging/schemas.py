"""Messages, shared contact details and notifications in and out: forms, API bodies, answers."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..validation import N_, FormSchema

MAX_BODY = 5000


class MessageSchema(FormSchema):
    """A message written in an intervention's thread (plain text)."""

    body = fields.String(
        required=True,
        validate=validate.Length(max=MAX_BODY),
        error_messages={"required": N_("Write your message.")},
    )


class ShareSchema(FormSchema):
    """What the ambassador shows the school of one intervention: email, phone, or both."""

    email = fields.Boolean(load_default=False)
    phone = fields.Boolean(load_default=False)


class AuthorOutSchema(Schema):
    """Who wrote a message: public name and side only."""

    name = fields.String()
    side = fields.String(metadata={"description": "ambassador, school or referent"})


class MessageOutSchema(Schema):
    """A message of the thread, oldest first."""

    id = fields.Integer()
    author = fields.Nested(AuthorOutSchema)
    body = fields.String(metadata={"description": "Plain text; empty once erased."})
    erased = fields.Boolean()
    created_at = fields.DateTime()


class ContactsOutSchema(Schema):
    """The ambassador's contact details the reader may see (``null`` when not shared)."""

    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)


class NotificationOutSchema(Schema):
    """A notification, in the reader's language."""

    id = fields.Integer()
    kind = fields.String()
    text = fields.String()
    intervention = fields.Integer(allow_none=True)
    url = fields.String(metadata={"description": "The page to act on it."})
    created_at = fields.DateTime()
    read = fields.Boolean()


class UnreadOutSchema(Schema):
    """How many notifications are still unread."""

    unread = fields.Integer()
