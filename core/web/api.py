"""The JSON API's endpoints, declared the same way in every area and plugin.

An endpoint is a flask-smorest route with what its OpenAPI description needs: who may
call it (signed in or not), the JSON body it reads, the schema of its answer, and the
refusals it may answer. ``endpoint`` says all of it in one decorator.

The services validate raw bodies themselves (``tremplin.validation.validated``, then the
rules that need the database and the plugins' hooks) and raise ``Invalid``, which
``web/errors.py`` answers with a 422 and every field's messages in one answer. So a body's
schema is *documented* here (``body``), not loaded by flask-smorest a first time: that
would answer some mistakes in webargs' words and shape, and the others, found later, in a
second answer. Query strings, which no service reads raw, are loaded with flask-smorest's
own ``@blueprint.arguments(..., location="query")`` under ``endpoint``, and paginated lists
add ``@blueprint.paginate(...)`` there too. See ``docs/api.md``.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable
from typing import Any

from flask import request
from flask_smorest import Blueprint as ApiBlueprint
from marshmallow import Schema

from ..errors import Invalid
from ..i18n import _
from .access import login_required
from .limits import read_json

# Ids are 32-bit integers (PostgreSQL's serial): a larger number in a path is no row, and
# is answered 404 before it reaches the database (SQLite refuses integers beyond 64 bits).
ID = "int(max=2147483647)"
# flask-smorest's named error answers, for the refusals an endpoint documents.
REFUSALS = {
    422: "UNPROCESSABLE_ENTITY",
    409: "CONFLICT",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
}


def endpoint(
    blueprint: ApiBlueprint,
    method: str,
    rule: str,
    *,
    answer: Schema | type[Schema] | None = None,
    status: int = 200,
    body: type[Schema] | None = None,
    body_required: bool = True,
    refusals: Iterable[int] = (),
    signed_in: bool = True,
) -> Callable[[Callable], Callable]:
    """Declare the view below as the endpoint ``method rule`` of ``blueprint``.

    ``answer`` is the schema of what it returns, with HTTP ``status``; ``body`` the schema
    of the JSON body it reads with ``json_body`` (optional when not ``body_required``);
    ``refusals`` the error codes it may answer (422, 409, 403, 404). Unless ``signed_in``
    is false, a visitor who is not signed in is answered 401.
    """

    def decorator(view: Callable) -> Callable:
        for code in refusals:
            view = blueprint.alt_response(code, response=REFUSALS[code])(view)
        view = blueprint.response(status, answer)(view)
        if body is not None:
            view = blueprint.doc(
                requestBody={
                    "required": body_required,
                    "content": {"application/json": {"schema": body}},
                }
            )(view)
        if signed_in:
            view = login_required(view)
        return blueprint.route(rule, methods=[method])(view)

    return decorator


def json_body() -> dict[str, Any]:
    """The JSON object sent (``{}`` for an empty body); ``Invalid`` for anything else, and
    for JSON nested too deeply (``tremplin.web.limits``)."""
    data = request.get_data(cache=True)
    if not data.strip():
        return {}
    body = read_json(data)
    if not isinstance(body, dict):
        raise Invalid({"_schema": [_("Send the details as a JSON object.")]})
    return body


def decimal_bounds_as_numbers(api: Any) -> None:
    """Make the OpenAPI bounds of decimal fields numbers, as the specification wants.

    apispec writes a ``Range``'s ``minimum`` and ``maximum`` through the field itself, so a
    ``fields.Decimal(places=2)`` gives ``Decimal("100.00")``, which JSON writes as the
    string ``"100.00"``: an invalid OpenAPI document. Installed once on the app's
    ``flask_smorest.Api``, for the core's and every plugin's schemas.
    """
    converter = api.ma_plugin.converter

    def decimal_bounds(
        _converter: Any, _field: Any, ret: dict[str, Any], **_kwargs: Any
    ) -> dict[str, Any]:
        return {
            key: int(value) if value == value.to_integral_value() else float(value)
            for key, value in ret.items()
            if key in {"minimum", "maximum"} and isinstance(value, decimal.Decimal)
        }

    converter.add_attribute_function(decimal_bounds)
