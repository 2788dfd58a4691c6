"""Ambassador profiles and registrations in and out: forms, CSV rows, API queries and answers.

The registration steps follow the seed's order (profile kind, personal details,
occupation, intervention types, zone); the profile form is the union of the steps an
ambassador can change later. Form schemas trim text and treat empty fields as missing,
so that an HTML form, a CSV row and a JSON body are validated alike.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    validate,
    validates_schema,
)

from ..i18n import _
from ..validation import N_, FormSchema, unstorable
from .models import AmbassadorKind, InterventionType, Mode

KINDS = [kind.value for kind in AmbassadorKind]
INTERVENTION_TYPES = [kind.value for kind in InterventionType]
MODES = [mode.value for mode in Mode]
GENDERS = ["female", "male", "other"]

# A ROME code (France Travail's directory of occupations): one letter, four digits.
ROME_CODE = re.compile(r"^[A-Z]\d{4}$")
PHONE = re.compile(r"^\+?[0-9 .()-]{6,30}$")
MAX_DISTANCE_KM = 300
MAX_MONTHLY_CAPACITY = 100
MAX_LIST_ITEMS = 50  # territories of a zone, and so on

ROME_CODE_MESSAGE = N_("A ROME code is one letter followed by four digits, for example M1805.")


class RomeCode(fields.String):
    """A ROME code, one letter and four digits, taken in either case (``m1805``: M1805)."""

    def __init__(self, **kwargs: Any):
        super().__init__(validate=validate.Regexp(ROME_CODE, error=ROME_CODE_MESSAGE), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(value, attr, data, **kwargs).upper()


class KindStep(FormSchema):
    """Step 1: which of the three ambassador profiles."""

    kind = fields.String(
        required=True,
        validate=validate.OneOf(KINDS),
        error_messages={"required": N_("Choose the profile that suits you.")},
    )


class PersonStep(FormSchema):
    """Step 2: personal details (private: never shown to other users but the initial)."""

    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    phone = fields.String(
        load_default=None,
        validate=validate.Regexp(
            PHONE, error=N_("Give a phone number with digits only, for example 06 12 34 56 78.")
        ),
    )
    gender = fields.String(load_default=None, validate=validate.OneOf(GENDERS))


class OccupationStep(FormSchema):
    """Step 3: the occupation (or training) presented, and where it is practised."""

    occupation = fields.String(required=True, validate=validate.Length(min=1, max=200))
    rome_code = RomeCode(load_default=None)
    sector = fields.String(load_default=None, validate=validate.Length(max=100))
    organisation_name = fields.String(load_default=None, validate=validate.Length(max=200))
    presentation = fields.String(load_default="", validate=validate.Length(max=2000))


class OffersStep(FormSchema):
    """Step 4: the intervention types accepted, on site and/or remotely."""

    intervention_types = fields.List(
        fields.String(validate=validate.OneOf(INTERVENTION_TYPES)),
        required=True,
        validate=validate.Length(min=1),
        error_messages={"required": N_("Choose at least one type of intervention.")},
    )
    modes = fields.List(
        fields.String(validate=validate.OneOf(MODES)),
        required=True,
        validate=validate.Length(min=1),
        error_messages={"required": N_("Choose on site, remotely, or both.")},
    )


class ZoneStep(FormSchema):
    """Step 5: the territories covered and/or a distance around home, and availability."""

    zones = fields.List(
        fields.String(validate=validate.Length(max=50)),
        load_default=list,
        validate=validate.Length(max=MAX_LIST_ITEMS),
    )
    home_territory = fields.String(load_default=None, validate=validate.Length(max=50))
    max_distance_km = fields.Integer(
        load_default=None, validate=validate.Range(min=1, max=MAX_DISTANCE_KM)
    )
    monthly_capacity = fields.Integer(
        load_default=2, validate=validate.Range(min=0, max=MAX_MONTHLY_CAPACITY)
    )

    @validates_schema
    def zone_or_distance(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """A zone is territories, or a distance around a home place, or both."""
        if data.get("zones"):
            return
        if data.get("max_distance_km") and data.get("home_territory"):
            return
        raise ValidationError(
            _("Choose at least one territory, or a distance around the place you live or work."),
            "zones",
        )


class ProfileSchema(KindStep, OccupationStep, OffersStep, ZoneStep):
    """Everything of a profile its ambassador (or their referent) can change."""

    paused_until = fields.Date(load_default=None)


REGISTRATION_STEPS: tuple[type[FormSchema], ...] = (
    KindStep,
    PersonStep,
    OccupationStep,
    OffersStep,
    ZoneStep,
)


class EducatorSchema(PersonStep):
    """An educator joining a school or support structure."""


class ImportRowSchema(PersonStep, ProfileSchema):
    """A row of the ambassadors CSV file, lists already split on ``|``."""

    locale = fields.String(load_default="fr", validate=validate.OneOf(["fr", "en"]))


# ``ImportRowSchema``'s text fields: (required, most characters).
_IMPORT_TEXTS = {
    "first_name": (True, 100),
    "last_name": (True, 100),
    "occupation": (True, 200),
    "sector": (False, 100),
    "organisation_name": (False, 200),
    "home_territory": (False, 50),
}
_IMPORT_LISTS = {"intervention_types": INTERVENTION_TYPES, "modes": MODES, "zones": None}
_IMPORT_FIELDS = frozenset(
    {
        *_IMPORT_TEXTS,
        *_IMPORT_LISTS,
        "email",
        "phone",
        "gender",
        "kind",
        "rome_code",
        "presentation",
        "max_distance_km",
        "monthly_capacity",
        "paused_until",
        "locale",
    }
)
_EMAIL = validate.Email()
_DIGITS = re.compile(r"[0-9]{1,9}")


def quick_import_row(raw: dict[str, Any]) -> dict[str, Any] | None:
    """What ``ImportRowSchema().load(raw)`` returns for a plain valid row, checked by hand.

    An import validates every row: marshmallow's machinery around the checks is most of
    that time. This makes the same checks directly and gives the same data, for rows of
    text (lists of text for ``intervention_types``, ``modes`` and ``zones``); it answers
    ``None`` for anything else, a date, or a row that breaks a rule, which the schema
    then loads (and words the errors). Tests hold the two to the same answers.
    """
    data: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _IMPORT_FIELDS or value is None:
            continue
        if key in _IMPORT_LISTS:
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                return None
            items = [item for item in (item.strip() for item in value) if item]
            if items:
                data[key] = items
        elif isinstance(value, str):
            if value := value.strip():
                data[key] = value
        else:
            return None
    # Every text kept, searched at once: a line feed, the glue, is no character refused.
    texts = (value if isinstance(value, str) else "\n".join(value) for value in data.values())
    if unstorable("\n".join(texts)):
        return None
    for name, (required, longest) in _IMPORT_TEXTS.items():
        text = data.get(name)
        if text is None:
            if required:
                return None
            data[name] = None
        elif len(text) > longest:
            return None
    for name, choices in _IMPORT_LISTS.items():
        items = data.get(name)
        if items is None:
            if choices is not None:
                return None
            data[name] = []
        elif choices is None:  # territory codes
            if len(items) > MAX_LIST_ITEMS or any(len(item) > 50 for item in items):
                return None
        elif not all(item in choices for item in items):
            return None
    email = data.get("email")
    if email is None or len(email) > 254 or "paused_until" in data:
        return None
    try:
        _EMAIL(email)
    except ValidationError:
        return None
    phone, rome_code = data.get("phone"), data.get("rome_code")
    if rome_code is not None:
        rome_code = data["rome_code"] = rome_code.upper()
    if (
        (phone is not None and not PHONE.match(phone))
        or data.get("gender") not in (None, *GENDERS)
        or data.get("kind") not in KINDS
        or (rome_code is not None and not ROME_CODE.match(rome_code))
        or len(data.setdefault("presentation", "")) > 2000
        or data.setdefault("locale", "fr") not in ("fr", "en")
    ):
        return None
    data.setdefault("phone", None)
    data.setdefault("gender", None)
    data.setdefault("rome_code", None)
    data["paused_until"] = None
    for name, lowest, highest, default in (
        ("max_distance_km", 1, MAX_DISTANCE_KM, None),
        ("monthly_capacity", 0, MAX_MONTHLY_CAPACITY, 2),
    ):
        number = data.get(name)
        if number is None:
            data[name] = default
        elif not _DIGITS.fullmatch(number) or not lowest <= int(number) <= highest:
            return None
        else:
            data[name] = int(number)
    if not data["zones"] and not (data["max_distance_km"] and data["home_territory"]):
        return None
    return data


class DirectoryQuerySchema(FormSchema):
    """Filters of the directory, as query parameters."""

    q = fields.String(validate=validate.Length(max=100))
    rome_code = RomeCode()
    sector = fields.String(validate=validate.Length(max=100))
    intervention_type = fields.String(validate=validate.OneOf(INTERVENTION_TYPES))
    mode = fields.String(validate=validate.OneOf(MODES))
    organisation = fields.Integer(validate=validate.Range(min=1))
    territory = fields.String(validate=validate.Length(max=50))
    available = fields.Boolean(load_default=True)
    widen = fields.Boolean(load_default=False)


class PublicProfileSchema(Schema):
    """What any user of the directory sees of an ambassador: never email, phone or last name."""

    id = fields.Integer()
    display_name = fields.String()
    kind = fields.String()
    occupation = fields.String()
    rome_code = fields.String(allow_none=True)
    sector = fields.String(allow_none=True)
    organisation = fields.String(allow_none=True)
    intervention_types = fields.List(fields.String())
    modes = fields.List(fields.String())
    zones = fields.List(fields.String())
    presentation = fields.String()
    available = fields.Boolean()
    distance_km = fields.Float(allow_none=True)
    in_zone = fields.Boolean(allow_none=True)


class ProfileChangesSchema(Schema):
    """The body of ``PATCH /api/v1/ambassadors/me``: any fields of ``ProfileSchema``, the
    others keeping their value (documentation only: the service validates the whole
    profile with ``ProfileSchema``)."""

    kind = fields.String(validate=validate.OneOf(KINDS))
    occupation = fields.String(validate=validate.Length(min=1, max=200))
    rome_code = fields.String(allow_none=True, metadata={"example": "M1805"})
    sector = fields.String(allow_none=True, validate=validate.Length(max=100))
    organisation_name = fields.String(allow_none=True, validate=validate.Length(max=200))
    presentation = fields.String(validate=validate.Length(max=2000))
    intervention_types = fields.List(fields.String(validate=validate.OneOf(INTERVENTION_TYPES)))
    modes = fields.List(fields.String(validate=validate.OneOf(MODES)))
    zones = fields.List(fields.String(), metadata={"description": "Territory codes."})
    home_territory = fields.String(allow_none=True)
    max_distance_km = fields.Integer(
        allow_none=True, validate=validate.Range(min=1, max=MAX_DISTANCE_KM)
    )
    monthly_capacity = fields.Integer(validate=validate.Range(min=0, max=MAX_MONTHLY_CAPACITY))
    paused_until = fields.Date(allow_none=True)


class OwnProfileSchema(ProfileChangesSchema):
    """An ambassador's own profile, as they edit it (their account's details are at
    ``/api/v1/me``)."""

    id = fields.Integer(dump_only=True)
