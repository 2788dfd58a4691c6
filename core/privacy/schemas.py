"""JSON form of the register of processing activities."""

from marshmallow import Schema, fields


class ProcessingActivitySchema(Schema):
    """A row of the register as the API returns it."""

    name = fields.String()
    purpose = fields.String()
    legal_basis = fields.String()
    data = fields.String()
    retention = fields.String()
