"""marshmallow's validation: its messages in the reader's language, its errors as ``Invalid``.

``validated(schema, raw)`` is how a service loads raw input: the values, or ``Invalid``
with each field's messages (``field_errors``), which the web layer answers with a 422 or
shows next to the fields of a form.

marshmallow has no translations of its own: "Missing data for required field." or "Must
be one of: {choices}." are English class attributes. Tremplin keeps one catalog for every
message a person reads, so ``install()`` replaces those defaults with the same English
sentences, marked for extraction: they are translated in ``translations/*/messages.po``
with the rest, into the current locale (``tremplin.i18n.get_locale()``) at the moment an
error is made. A 422 answer of the API follows the request's language; a rejected row of
``tremplin region load`` or a broken ``tremplin.toml`` follows the region's language.

Two kinds of lazy messages, because of how marshmallow handles them:

* field and validator messages are ``LazyMessage``: a ``str`` holding the English text
  that translates itself in ``format()``. marshmallow formats only messages that are
  ``str`` (``Field.make_error``), wraps only a ``str`` in a list (``ValidationError``),
  and ``fields.Email`` / ``fields.Url`` refuse any other message; and it calls ``format()``
  on every one of these messages, with placeholders or not, so the error it builds is a
  plain translated ``str``. French keeps the placeholders (``{choices}``, ``{min}``...).
* the schema's own messages ("Unknown field.", "Invalid input type.") are stored as they
  are, never formatted: they are ``tremplin.i18n.lazy_gettext`` proxies, turned into text
  by ``str()`` (configuration errors, import reports) or by the app's JSON provider.

``install()`` must run before any schema is *defined*, not merely before validation:
fields copy their class's messages when they are built, in the class body of a schema,
at import; ``validate.Range`` composes its sentences in its constructor. ``tremplin``'s
``__init__`` calls it, since a package's ``__init__`` runs before any of its modules; so
the core's schemas, the plugins' and flask-smorest's pagination get these messages. A
field built before ``import tremplin`` keeps marshmallow's English.

``install()`` also sets the rules every field keeps, whoever declares it (a form, an API
body, a CSV row, a plugin's schema), the same on SQLite and PostgreSQL: no text with a NUL,
another control character or a lone surrogate; no whole number beyond 32 bits; no date
before 1900 or after 2100; and a date-time given out (serialised) is always written with
its offset, a naive one being UTC as Tremplin stores it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from . import i18n
from .errors import Invalid
from .i18n import lazy_gettext


class FormSchema(Schema):
    """A schema fed by a form or a CSV row: stripped text, empty fields missing."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def clean(self, data: Any, **_kwargs: Any) -> Any:
        """Strip text, drop empty values, lists and list items."""
        if not isinstance(data, dict):
            return data
        cleaned = {}
        for key, value in data.items():
            if isinstance(value, str):
                value = value.strip()
            elif isinstance(value, list | tuple):
                value = [item.strip() if isinstance(item, str) else item for item in value]
                value = [item for item in value if item not in ("", None)]
            if value in ("", None) or value == []:
                continue
            cleaned[key] = value
        return cleaned


def validated(schema: Schema | type[Schema], raw: Mapping[str, Any]) -> dict[str, Any]:
    """``raw`` loaded by ``schema`` (a class or an instance); ``Invalid`` with every field's
    messages otherwise."""
    loader = schema() if isinstance(schema, type) else schema
    try:
        return loader.load(dict(raw))
    except ValidationError as error:
        raise Invalid(field_errors(error.messages)) from error


def field_errors(messages: Any) -> dict[str, list[str]]:
    """marshmallow's messages as ``{field: [message, ...]}`` (messages of list items merged)."""
    if not isinstance(messages, dict):
        return {"_schema": [str(message) for message in _flat(messages)]}
    return {str(key): [str(message) for message in _flat(value)] for key, value in messages.items()}


def _flat(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [item for inner in value.values() for item in _flat(inner)]
    if isinstance(value, list | tuple):
        return [item for inner in value for item in _flat(inner)]
    return [value]


class LazyMessage(str):
    """An English marshmallow message, translated whenever it is formatted or printed."""

    __slots__ = ()

    def __str__(self) -> str:
        return i18n.gettext(str.__str__(self))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def format(self, /, *args: Any, **kwargs: Any) -> str:
        """The translation of this message with its ``{placeholders}`` filled."""
        return str(self).format(*args, **kwargs)


# gettext's "mark now, translate later": babel's extractor knows the name ``N_``.
N_ = LazyMessage


class _RangeSentence(str):
    """A template of ``validate.Range``, which completes it with "greater than"... in English.

    Half-sentences do not translate, so the completed template is replaced by one whole
    sentence per combination of bounds.
    """

    __slots__ = ()

    def format(self, /, *args: Any, **kwargs: Any) -> str:
        """The whole sentence for these bounds (still lazy), or marshmallow's English one."""
        sentence = _RANGE_SENTENCES.get((kwargs.get("min_op"), kwargs.get("max_op")))
        return sentence if sentence is not None else str.format(self, *args, **kwargs)


_GTE, _GT = validate.Range.message_gte, validate.Range.message_gt
_LTE, _LT = validate.Range.message_lte, validate.Range.message_lt
_RANGE_SENTENCES = {
    (_GTE, None): N_("Must be greater than or equal to {min}."),
    (_GT, None): N_("Must be greater than {min}."),
    (None, _LTE): N_("Must be less than or equal to {max}."),
    (None, _LT): N_("Must be less than {max}."),
    (_GTE, _LTE): N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    (_GTE, _LT): N_("Must be greater than or equal to {min} and less than {max}."),
    (_GT, _LTE): N_("Must be greater than {min} and less than or equal to {max}."),
    (_GT, _LT): N_("Must be greater than {min} and less than {max}."),
}

_FIELD_MESSAGES: dict[type[fields.Field], dict[str, str]] = {
    fields.Field: {
        "required": N_("Missing data for required field."),
        "null": N_("Field may not be null."),
        "validator_failed": N_("Invalid value."),
    },
    fields.Nested: {"type": N_("Invalid type.")},
    fields.List: {"invalid": N_("Not a valid list.")},
    fields.Tuple: {"invalid": N_("Not a valid tuple.")},
    fields.String: {
        "invalid": N_("Not a valid string."),
        "invalid_utf8": N_("Not a valid utf-8 string."),
    },
    fields.UUID: {"invalid_uuid": N_("Not a valid UUID.")},
    fields.Number: {
        "invalid": N_("Not a valid number."),
        "too_large": N_("Number too large."),
    },
    fields.Integer: {"invalid": N_("Not a valid integer.")},
    fields.Float: {"special": N_("Special numeric values (nan or infinity) are not permitted.")},
    fields.Decimal: {"special": N_("Special numeric values (nan or infinity) are not permitted.")},
    fields.Boolean: {"invalid": N_("Not a valid boolean.")},
    # marshmallow builds "Not a valid {obj_type}." from the English type name: give each
    # temporal field its whole sentence instead.
    fields.DateTime: {"invalid": N_("Not a valid datetime.")},
    fields.NaiveDateTime: {"invalid_awareness": N_("Not a valid naive datetime.")},
    fields.AwareDateTime: {"invalid_awareness": N_("Not a valid aware datetime.")},
    fields.Date: {"invalid": N_("Not a valid date.")},
    fields.Time: {"invalid": N_("Not a valid time.")},
    fields.TimeDelta: {"invalid": N_("Not a valid period of time.")},
    fields.Mapping: {"invalid": N_("Not a valid mapping type.")},
    fields.Url: {"invalid": N_("Not a valid URL.")},
    fields.Email: {"invalid": N_("Not a valid email address.")},
    fields.Enum: {"unknown": N_("Must be one of: {choices}.")},
}

_VALIDATOR_MESSAGES: dict[type[validate.Validator], dict[str, str]] = {
    validate.URL: {"default_message": N_("Not a valid URL.")},
    validate.Email: {"default_message": N_("Not a valid email address.")},
    validate.Range: {
        "message_min": _RangeSentence(validate.Range.message_min),
        "message_max": _RangeSentence(validate.Range.message_max),
        "message_all": _RangeSentence(validate.Range.message_all),
    },
    validate.Length: {
        "message_min": N_("Shorter than minimum length {min}."),
        "message_max": N_("Longer than maximum length {max}."),
        "message_all": N_("Length must be between {min} and {max}."),
        "message_equal": N_("Length must be {equal}."),
    },
    validate.Equal: {"default_message": N_("Must be equal to {other}.")},
    validate.Regexp: {"default_message": N_("String does not match expected pattern.")},
    validate.Predicate: {"default_message": N_("Invalid input.")},
    validate.NoneOf: {"default_message": N_("Invalid input.")},
    validate.OneOf: {"default_message": N_("Must be one of: {choices}.")},
    validate.ContainsOnly: {
        "default_message": N_("One or more of the choices you made was not in: {choices}.")
    },
    validate.ContainsNoneOf: {
        "default_message": N_("One or more of the choices you made was in: {values}.")
    },
}

_SCHEMA_MESSAGES = {
    "unknown": lazy_gettext("Unknown field."),
    "type": lazy_gettext("Invalid input type."),
}


# Every text, whole number and date a person sends keeps within what the databases store and
# what the code computes with, the same on SQLite and PostgreSQL: no NUL character (refused
# by PostgreSQL, kept by SQLite), no lone UTF-16 surrogate (not UTF-8: refused by both), no
# integer beyond 32 bits (PostgreSQL's ``integer``), no date outside these years (year 1
# and 9999 overflow as soon as a day is added).
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
SMALLEST_INTEGER, LARGEST_INTEGER = -(2**31), 2**31 - 1
FIRST_YEAR, LAST_YEAR = 1900, 2100

UNSTORABLE_MESSAGE = N_(
    "This text holds an invisible control character or a broken one: type it again."
)

_BOUND_MESSAGES: dict[type[fields.Field], dict[str, str]] = {
    fields.String: {"unstorable": UNSTORABLE_MESSAGE},
    fields.Integer: {"out_of_range": N_("Must be a whole number between {min} and {max}.")},
    fields.Date: {"out_of_range": N_("Give a date between the years {min} and {max}.")},
    fields.DateTime: {"out_of_range": N_("Give a date between the years {min} and {max}.")},
}


def unstorable(text: str) -> bool:
    """Whether ``text`` holds a character no text field keeps (a NUL, a lone surrogate...)."""
    return UNSTORABLE.search(text) is not None


def _text_kept(field: fields.Field, value: str) -> None:
    if unstorable(value):
        raise field.make_error("unstorable")


def _integer_kept(field: fields.Field, value: int) -> None:
    if not SMALLEST_INTEGER <= value <= LARGEST_INTEGER:
        raise field.make_error("out_of_range", min=SMALLEST_INTEGER, max=LARGEST_INTEGER)


def _year_kept(field: fields.Field, value: datetime.date) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise field.make_error("out_of_range", min=FIRST_YEAR, max=LAST_YEAR)


_BOUNDS: dict[type[fields.Field], Callable[[fields.Field, Any], None]] = {
    fields.String: _text_kept,
    fields.Integer: _integer_kept,
    fields.Date: _year_kept,
    fields.DateTime: _year_kept,
}


def _bounded(field_class: type[fields.Field], check: Callable[[fields.Field, Any], None]):
    """``field_class``'s deserialisation, then ``check`` on what it made."""
    inherited = field_class._deserialize

    def _deserialize(self, value, attr, data, **kwargs):
        result = inherited(self, value, attr, data, **kwargs)
        if result is not None:
            check(self, result)
        return result

    _deserialize.bounded = True
    return _deserialize


def _utc_moment(serialize):
    """``DateTime``'s serialisation, a naive moment (as Tremplin stores them) read as UTC, so
    that every date-time the API gives carries its offset, as OpenAPI's format requires."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, datetime.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return serialize(self, value, attr, obj, **kwargs)

    _serialize.utc = True
    return _serialize


def install() -> None:
    """Make marshmallow's default messages translatable, bound what fields take and give
    every date-time an offset (idempotent; see the module doc)."""
    if not getattr(fields.DateTime.__dict__.get("_serialize"), "utc", False):
        fields.DateTime._serialize = _utc_moment(fields.DateTime._serialize)
    for field_class, check in _BOUNDS.items():
        if not getattr(field_class.__dict__.get("_deserialize"), "bounded", False):
            field_class._deserialize = _bounded(field_class, check)
    for field_class, messages in (*_FIELD_MESSAGES.items(), *_BOUND_MESSAGES.items()):
        own = field_class.__dict__.get("default_error_messages", {})
        field_class.default_error_messages = {**own, **messages}
    for validator_class, attributes in _VALIDATOR_MESSAGES.items():
        for name, message in attributes.items():
            setattr(validator_class, name, message)
    # ``Schema.error_messages`` is marshmallow's documented override; subclasses that set
    # their own still win, as they did over marshmallow's defaults.
    Schema.error_messages = {**Schema.error_messages, **_SCHEMA_MESSAGES}
