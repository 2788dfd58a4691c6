"""Statistics in and out: the region's settings, the questions asked, the figures answered."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..i18n import _
from ..validation import FormSchema

DEFAULT_PUBLIC_THRESHOLD = 5
DEFAULT_IDLE_MONTHS = 6
DEFAULT_UNANSWERED_DAYS = 7
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_PERIOD_DAYS = 3660  # ten years, so that the monthly chart stays drawable


class SettingsSchema(Schema):
    """``[plugins.stats]`` in tremplin.toml."""

    public_threshold = fields.Integer(
        load_default=DEFAULT_PUBLIC_THRESHOLD, validate=validate.Range(min=1, max=1000)
    )
    idle_months = fields.Integer(
        load_default=DEFAULT_IDLE_MONTHS, validate=validate.Range(min=1, max=60)
    )
    unanswered_days = fields.Integer(
        load_default=DEFAULT_UNANSWERED_DAYS, validate=validate.Range(min=1, max=365)
    )


class FiguresQuerySchema(FormSchema):
    """Which figures: a territory code and a school year, or a period from ``start`` to ``end``.

    Without a year or a period, the current school year; without a territory, the widest
    one the reader may see.
    """

    territory = fields.String(load_default=None, validate=validate.Length(min=1, max=50))
    year = fields.Integer(load_default=None, validate=validate.Range(min=FIRST_YEAR, max=LAST_YEAR))
    start = fields.Date(load_default=None)
    end = fields.Date(load_default=None)

    @validates_schema
    def check_period(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """A whole period or none, in order, not too long, and not beside a year."""
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            missing = "end" if end is None else "start"
            raise ValidationError(_("Give both the start and the end of the period."), missing)
        if start is None:
            return
        if data.get("year") is not None:
            raise ValidationError(_("Give a school year or a period, not both."), "year")
        if end < start:
            raise ValidationError(_("The end must not come before the start."), "end")
        if (end - start).days > MAX_PERIOD_DAYS:
            raise ValidationError(_("A period lasts ten years at most."), "end")


class AlertsQuerySchema(FormSchema):
    """How long is too long: months without an intervention, days without an answer."""

    months = fields.Integer(load_default=None, validate=validate.Range(min=1, max=60))
    days = fields.Integer(load_default=None, validate=validate.Range(min=1, max=365))


class TerritoryOutSchema(Schema):
    """The territory of the figures."""

    code = fields.String()
    name = fields.String()
    kind = fields.String()


class PeriodOutSchema(Schema):
    """The period of the figures, both days included."""

    start = fields.Date()
    end = fields.Date()


class FigureOutSchema(Schema):
    """One figure: ``value`` is a count, a fraction (``percent``), hours, an average mark out
    of 5 (``mark``), or null."""

    key = fields.String()
    label = fields.String()
    value = fields.Raw(allow_none=True)
    unit = fields.String()


class BarOutSchema(Schema):
    """One bar of a chart."""

    key = fields.String()
    label = fields.String()
    value = fields.Integer()


class FiguresOutSchema(Schema):
    """The key figures of a territory over a period, and the series of the charts."""

    territory = fields.Nested(TerritoryOutSchema)
    period = fields.Nested(PeriodOutSchema)
    figures = fields.List(fields.Nested(FigureOutSchema))
    series = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(BarOutSchema)))
