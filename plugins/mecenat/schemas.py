"""The plugin's settings, and its forms and API bodies.

Forms, JSON bodies and the command line are validated alike: stripped text, empty fields
missing, every number and date within the range it can mean.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from tremplin.people.models import InterventionType
from tremplin.validation import FormSchema

from .i18n import _
from .parameters import pss_table

# Minutes of preparation counted with each intervention, by type (seed 003: a class talk is
# prepared with the teacher; a company visit is organised on site).
DEFAULT_PREPARATION_MINUTES = {
    InterventionType.CLASS_TALK.value: 60,
    InterventionType.FORUM.value: 60,
    InterventionType.COMPANY_VISIT.value: 120,
    InterventionType.INTERNSHIP.value: 60,
    InterventionType.WEBINAR.value: 60,
}
FIRST_YEAR, LAST_YEAR = 2019, 2100
EARLIEST_DAY = datetime.date(FIRST_YEAR, 1, 1)
LATEST_DAY = datetime.date(LAST_YEAR, 12, 31)
# Far above any salary; hours of a month between one and every hour of it.
MAX_MONTHLY_AMOUNT = Decimal(1_000_000)
MAX_MONTHLY_HOURS = Decimal(744)


class Text(fields.String):
    """A line of text of at most ``length`` characters."""

    def __init__(self, length: int, **kwargs: Any):
        super().__init__(validate=validate.Length(min=1, max=length), **kwargs)


class WrittenDecimal(fields.Decimal):
    """A number as people write it in a form, in French too: ``3 200,50`` is 3200.50."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", ".")
        return super()._deserialize(value, attr, data, **kwargs)


class SettingsSchema(Schema):
    """``[plugins.mecenat]`` in tremplin.toml."""

    # The folder of the region holding the partnership charter's versions.
    texts = fields.String(load_default="mecenat", validate=validate.Length(min=1, max=200))
    preparation_minutes = fields.Dict(
        keys=fields.String(validate=validate.OneOf([t.value for t in InterventionType])),
        values=fields.Integer(validate=validate.Range(0, 24 * 60)),
        load_default=dict,
    )
    # Monthly PSS by year, over the shipped ones: {2027 = 4100}.
    pss = fields.Dict(keys=fields.String(), values=fields.Raw(), load_default=dict)
    monthly_hours = fields.Decimal(
        load_default=Decimal("151.67"), as_string=True, validate=validate.Range(1, 744)
    )
    # The beneficiary printed on receipts and conventions (form 2041-MEC-SD, box 1).
    beneficiary_name = fields.String(load_default="", validate=validate.Length(max=200))
    beneficiary_address = fields.String(load_default="", validate=validate.Length(max=300))
    beneficiary_siren = fields.String(
        load_default="", validate=validate.Regexp(r"^(\d{9})?$", error="9 digits")
    )
    beneficiary_object = fields.String(load_default="", validate=validate.Length(max=500))
    beneficiary_quality = fields.String(load_default="", validate=validate.Length(max=300))
    # Who signs conventions for the region (through the documents' signature circuit)...
    region_signatory_name = fields.String(load_default="", validate=validate.Length(max=200))
    region_signatory_role = fields.String(load_default="", validate=validate.Length(max=200))
    region_signatory_email = fields.Email(load_default=None, allow_none=True)
    # ...and whose name and capacity receipts carry.
    receipt_signatory_name = fields.String(load_default="", validate=validate.Length(max=200))
    receipt_signatory_capacity = fields.String(load_default="", validate=validate.Length(max=200))
    # Employees' monthly costs are deleted this many days after their convention ends.
    costing_kept_days = fields.Integer(load_default=730, validate=validate.Range(30, 3650))
    # Hours, corrections, charters, conventions and receipts: years after their year ends
    # (LPF art. L102 B: six years for what supports a tax deduction).
    records_kept_years = fields.Integer(load_default=6, validate=validate.Range(6, 30))

    @validates_schema
    def _pss_years(self, data: dict[str, Any], **kwargs: Any) -> None:
        try:
            pss_table(data.get("pss"))
        except ValueError as error:
            raise ValidationError(str(error), "pss") from error

    @post_load
    def _preparation(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """The default preparation minutes, under the region's."""
        data["preparation_minutes"] = {**DEFAULT_PREPARATION_MINUTES, **data["preparation_minutes"]}
        return data


def day_field(**kwargs: Any) -> fields.Date:
    """A date between 2019 and 2100."""
    return fields.Date(
        validate=validate.Range(EARLIEST_DAY, LATEST_DAY, error=_("Give a date from 2019 on.")),
        **kwargs,
    )


def count_field(maximum: int = 100_000) -> fields.Integer:
    """A number of people, hours or interventions."""
    return fields.Integer(required=True, validate=validate.Range(0, maximum))


class EmployerSchema(FormSchema):
    """An ambassador's employer: an organisation of the network, or its name as free text."""

    organisation = fields.Integer(load_default=None, validate=validate.Range(1, 2_147_483_647))
    organisation_name = fields.String(load_default=None, validate=validate.Length(max=200))


class PartnerSchema(FormSchema):
    """What receipts need of a donor besides its name and SIRET."""

    legal_form = Text(100, required=True)
    address = Text(300, required=True)
    closing_month = fields.Integer(load_default=12, validate=validate.Range(1, 12))


class CharterSchema(FormSchema):
    """An organisation's commitments in its partnership charter."""

    year = fields.Integer(required=True, validate=validate.Range(FIRST_YEAR, LAST_YEAR))
    employees = count_field(10_000)
    hours = count_field()
    visits = count_field(10_000)
    internships = count_field(10_000)


class ConventionSchema(FormSchema):
    """A sponsorship convention: its period, commitment and timetable."""

    starts_on = day_field(required=True)
    ends_on = day_field(required=True)
    committed_interventions = fields.Integer(required=True, validate=validate.Range(1, 10_000))
    timetable = fields.String(load_default="", validate=validate.Length(max=5000))

    @validates_schema
    def _period(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["ends_on"] < data["starts_on"]:
            raise ValidationError(_("The end comes after the start."), "ends_on")
        if (data["ends_on"] - data["starts_on"]).days > 3 * 366:
            raise ValidationError(_("A convention lasts three years at most."), "ends_on")


def _money(required: bool = True) -> fields.Decimal:
    return WrittenDecimal(
        required=required,
        places=None,
        allow_nan=False,
        validate=validate.Range(0, MAX_MONTHLY_AMOUNT, max_inclusive=False),
    )


class CostingSchema(FormSchema):
    """One employee's monthly cost, entered by the company."""

    ambassador = fields.Integer(required=True, validate=validate.Range(1, 2_147_483_647))
    # The first calendar year the cost applies to; the convention's first year by default.
    year = fields.Integer(load_default=None, validate=validate.Range(FIRST_YEAR, LAST_YEAR))
    monthly_salary = _money()
    monthly_charges = _money()
    monthly_hours = WrittenDecimal(
        load_default=None, places=None, allow_nan=False, validate=validate.Range(1, 744)
    )

    @validates_schema
    def _cents(self, data: dict[str, Any], **kwargs: Any) -> None:
        for key in ("monthly_salary", "monthly_charges"):
            if data[key] != data[key].quantize(Decimal("0.01")):
                raise ValidationError(_("Give euros and cents, two decimals at most."), key)


class CorrectionSchema(FormSchema):
    """Minutes to add (or remove) for an employee on a day, and why."""

    ambassador = fields.Integer(required=True, validate=validate.Range(1, 2_147_483_647))
    day = day_field(required=True)
    minutes = fields.Integer(required=True, validate=validate.Range(-10_000, 10_000))
    reason = fields.String(required=True, validate=validate.Length(min=3, max=1000))

    @validates_schema
    def _not_zero(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["minutes"] == 0:
            raise ValidationError(_("Give the minutes to add or to remove."), "minutes")


class DecisionSchema(FormSchema):
    """The region's decision on a correction."""

    outcome = fields.String(required=True, validate=validate.OneOf(["approved", "refused"]))


class ReceiptSchema(FormSchema):
    """The receipt to issue: a company and a financial year (its closing year)."""

    organisation = fields.Integer(required=True, validate=validate.Range(1, 2_147_483_647))
    financial_year = fields.Integer(required=True, validate=validate.Range(FIRST_YEAR, LAST_YEAR))


class EstimateYearSchema(Schema):
    """One financial year of the tax estimate, as ``tax.simulate`` takes it."""

    class Meta:
        unknown = EXCLUDE

    year = fields.Integer(required=True, validate=validate.Range(2004, LAST_YEAR))
    turnover = fields.Decimal(required=True, places=None, allow_nan=False)
    donations = fields.Decimal(required=True, places=None, allow_nan=False)
    coluche_donations = fields.Decimal(places=None, allow_nan=False)
    tax_due = fields.Decimal(places=None, allow_nan=False)


class EstimateSchema(Schema):
    """The body of the estimate endpoint: the financial years in order."""

    years = fields.List(
        fields.Nested(EstimateYearSchema), required=True, validate=validate.Length(1, 30)
    )


class EstimateOutSchema(Schema):
    """One year of the estimate; every amount a string of euros and cents."""

    year = fields.Integer()
    ceiling = fields.String()
    carry_in = fields.String()
    eligible = fields.String()
    carry_used = fields.String()
    rate_60_base = fields.String()
    rate_40_base = fields.String()
    reduction = fields.String()
    carry_out = fields.String()
    expired = fields.String()
    reduction_carry_in = fields.String()
    used = fields.String()
    reduction_carry_out = fields.String()
    reduction_expired = fields.String()


class EstimateAnswerSchema(Schema):
    """The estimate, said to be one."""

    estimate = fields.Boolean()
    notice = fields.String()
    years = fields.List(fields.Nested(EstimateOutSchema))
