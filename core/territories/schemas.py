"""Territories in and out: a CSV row of a region folder, and the API's form."""

from marshmallow import Schema, fields, validate

from .models import TerritoryKind

KINDS = [kind.value for kind in TerritoryKind]


class TerritoryRowSchema(Schema):
    """A row of ``data/territories.csv``: code, name, kind, parent, latitude, longitude."""

    code = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    parent = fields.String(load_default=None)
    latitude = fields.Float(load_default=None, validate=validate.Range(-90, 90))
    longitude = fields.Float(load_default=None, validate=validate.Range(-180, 180))


class TerritorySchema(Schema):
    """A territory as the API returns it."""

    code = fields.String()
    name = fields.String()
    kind = fields.String()
    parent = fields.Function(lambda territory: territory.parent.code if territory.parent else None)
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)


class TerritoryQuerySchema(Schema):
    """Filters of the territory list."""

    kind = fields.String(validate=validate.OneOf(KINDS))
    parent = fields.String()
