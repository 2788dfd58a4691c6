"""Organisations in and out: the API's and the forms' input, CSV rows, and the API's output."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from marshmallow import Schema, fields, pre_load, validate

from ..text import normalise
from ..validation import N_
from . import validation
from .models import OrganisationKind

KINDS = [kind.value for kind in OrganisationKind]
FLAGS = ("qpv", "rep", "rep_plus", "rural")
# Every other field, as forms and CSV files name them.
TEXT_FIELDS = (
    "name",
    "kind",
    "uai",
    "siret",
    "territory",
    "city",
    "postcode",
    "latitude",
    "longitude",
)
PRIORITIES = ("any", *FLAGS)

# What a CSV may say for a kind besides its code: the French names regions use.
KIND_ALIASES = {
    "college": OrganisationKind.COLLEGE,
    "lycee": OrganisationKind.LYCEE,
    "lycee general": OrganisationKind.LYCEE,
    "lycee general et technologique": OrganisationKind.LYCEE,
    "lycee pro": OrganisationKind.LYCEE_PRO,
    "lycee professionnel": OrganisationKind.LYCEE_PRO,
    "cfa": OrganisationKind.CFA,
    "centre de formation d apprentis": OrganisationKind.CFA,
    "university": OrganisationKind.UNIVERSITY,
    "universite": OrganisationKind.UNIVERSITY,
    "support": OrganisationKind.SUPPORT,
    "structure d accompagnement": OrganisationKind.SUPPORT,
    "company": OrganisationKind.COMPANY,
    "entreprise": OrganisationKind.COMPANY,
    "public employer": OrganisationKind.PUBLIC_EMPLOYER,
    "employeur public": OrganisationKind.PUBLIC_EMPLOYER,
    "association": OrganisationKind.ASSOCIATION,
    "training body": OrganisationKind.TRAINING_BODY,
    "organisme de formation": OrganisationKind.TRAINING_BODY,
}


def kind_from_text(text: str) -> str:
    """The kind code ``text`` names (a code or a French name, any case or accents), or ``text``."""
    key = " ".join(re.split(r"[\s_'’-]+", normalise(text))).strip()
    kind = KIND_ALIASES.get(key)
    return kind.value if kind is not None else text


class Text(fields.String):
    """A string without surrounding spaces; an empty one means "none" (refused if required)."""

    default_error_messages: ClassVar[dict[str, str]] = {"blank": N_("This field cannot be empty.")}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        return text or None

    def _validate(self, value: Any) -> None:
        if value is None:
            if self.required:
                raise self.make_error("blank")
            return
        super()._validate(value)


class Flag(fields.Boolean):
    """A yes/no priority flag, as JSON booleans or as people write them in a spreadsheet."""

    truthy: ClassVar[set[Any]] = {"oui", "o", "yes", "y", "true", "t", "vrai", "1", "x", "on", 1}
    falsy: ClassVar[set[Any]] = {"non", "n", "no", "false", "f", "faux", "0", "off", "", 0}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if isinstance(value, str):
            value = value.strip().lower()
        return super()._deserialize(value, attr, data, **kwargs)


class Uai(fields.String):
    """A UAI (school number): 7 digits and a check letter; stored in upper case."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "format": N_("A UAI is 7 digits followed by a letter, for example 0590117G."),
        "check": N_("This UAI is not valid: its letter does not match its digits."),
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        uai = validation.compact_uai(super()._deserialize(value, attr, data, **kwargs))
        if not uai:
            return None
        if not validation.UAI_PATTERN.fullmatch(uai):
            raise self.make_error("format")
        if not validation.is_uai(uai):
            raise self.make_error("check")
        return uai


class Siret(fields.String):
    """A SIRET (establishment number): 14 digits, spaces and dots removed."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "format": N_("A SIRET is 14 digits, for example 732 829 320 00074."),
        "check": N_("This SIRET is not valid: its check digit does not match (a typing error?)."),
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        siret = validation.compact_number(super()._deserialize(value, attr, data, **kwargs))
        if not siret:
            return None
        if len(siret) != 14 or not siret.isascii() or not siret.isdigit():
            raise self.make_error("format")
        if not validation.is_siret(siret):
            raise self.make_error("check")
        return siret


class OrganisationInputSchema(Schema):
    """An organisation as the API, the forms and the CSV import give it.

    Rules that involve several fields (a collège needs a UAI...) are checked by the
    service on the whole organisation, since a change may give only some fields.
    """

    name = Text(required=True, validate=validate.Length(max=200))
    kind = Text(required=True, validate=validate.OneOf(KINDS))
    uai = Uai(load_default=None, allow_none=True)
    siret = Siret(load_default=None, allow_none=True)
    territory = Text(required=True, validate=validate.Length(max=50))
    city = Text(load_default=None, allow_none=True, validate=validate.Length(max=100))
    postcode = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(
            r"^[0-9]{5}$", error=N_("A postcode is 5 digits, for example 59000.")
        ),
    )
    latitude = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-90, 90))
    longitude = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-180, 180))
    qpv = Flag(load_default=False)
    rep = Flag(load_default=False)
    rep_plus = Flag(load_default=False)
    rural = Flag(load_default=False)


class OrganisationChangesSchema(OrganisationInputSchema):
    """Some fields of an organisation, to change them (``PATCH``): load it with ``partial``."""


class OrganisationRowSchema(OrganisationInputSchema):
    """A row of an organisations CSV: kinds by their French name too, empty flags mean "no".

    Columns outside the format are ignored, so a region can keep its own notes beside.
    """

    class Meta:
        unknown = "exclude"

    @pre_load
    def _spreadsheet_values(self, row: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        values = dict(row)
        for name in ("name", "kind", "territory"):
            if name in values and values[name] is None:
                values[name] = ""  # an empty cell: "cannot be empty" rather than "not null"
        if values.get("kind"):
            values["kind"] = kind_from_text(values["kind"])
        for flag in FLAGS:
            if flag in values and values[flag] is None:
                values[flag] = False
        return values


class OrganisationSchema(Schema):
    """An organisation as the API returns it."""

    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    kind_label = fields.String()
    uai = fields.String(allow_none=True)
    siret = fields.String(allow_none=True)
    territory = fields.Function(
        lambda organisation: organisation.territory.code if organisation.territory_id else None
    )
    territory_name = fields.Function(
        lambda organisation: organisation.territory.name if organisation.territory_id else None
    )
    city = fields.String(allow_none=True)
    postcode = fields.String(allow_none=True)
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    qpv = fields.Boolean()
    rep = fields.Boolean()
    rep_plus = fields.Boolean()
    rural = fields.Boolean()
    is_priority = fields.Boolean()


class OrganisationQuerySchema(Schema):
    """Filters of the organisation list."""

    q = Text(load_default=None, validate=validate.Length(max=200))
    kind = fields.List(Text(validate=validate.OneOf(KINDS)), load_default=list)
    territory = Text(load_default=None, validate=validate.Length(max=50))
    priority = Text(load_default=None, validate=validate.OneOf(PRIORITIES))
