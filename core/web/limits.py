"""What a request may send: bounded ids in paths, bounded bodies, bounded JSON.

* ``<int:...>`` in every route (core, plugins) is a whole number from 0 to 2**31 - 1, the
  range of the databases' ids: a larger one matches no route and is answered 404 before
  it reaches a query (SQLite refuses integers beyond 64 bits, PostgreSQL's ``integer``
  beyond 32).
* A body is at most ``MAX_BODY`` bytes, an uploaded file's form ``MAX_UPLOAD``: larger
  ones are refused with 413 from their ``Content-Length``, before being read.
* A query string holds no text that ``tremplin.validation`` would refuse (a NUL...): the
  searches and filters that read it are answered 422 before they query.
* A JSON body is at most ``MAX_JSON_DEPTH`` arrays or objects deep; deeper (or not JSON at
  all) is refused with a message before any view reads it, which the API answers 422.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from ..errors import Invalid
from ..i18n import _
from ..validation import UNSTORABLE_MESSAGE, unstorable

LARGEST_ID = 2**31 - 1
MAX_BODY = 1024 * 1024
MAX_UPLOAD = 25 * 1024 * 1024
MAX_JSON_DEPTH = 32


class BoundedInteger(IntegerConverter):
    """Flask's ``int`` converter, from 0 to ``LARGEST_ID`` unless the route says otherwise."""

    def __init__(self, map, fixed_digits=0, min=0, max=LARGEST_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    """Bound every route's integers and every request's body (before blueprints register)."""
    app.url_map.converters["int"] = BoundedInteger
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD
    app.before_request(_bound_body)


def _bound_body() -> None:
    for name, value in request.args.items(multi=True):
        if unstorable(value):
            # Searches and filters read from the query string, often without a schema.
            raise Invalid({name: [str(UNSTORABLE_MESSAGE)]})
    if request.mimetype != "multipart/form-data":
        request.max_content_length = MAX_BODY
    if request.is_json and request.get_data(cache=True).strip():
        # Whoever reads the body next (``json_body``, flask-smorest) reads bounded JSON.
        read_json(request.get_data(cache=True))


def read_json(data: bytes | str) -> Any:
    """``data`` parsed as JSON; ``Invalid`` when it is not JSON or too deeply nested."""
    try:
        value = json.loads(data)
    except RecursionError as error:
        raise _too_deep() from error
    except ValueError as error:
        raise Invalid({"_schema": [_("Send the details as a JSON object.")]}) from error
    if _depth(value) > MAX_JSON_DEPTH:
        raise _too_deep()
    return value


def _too_deep() -> Invalid:
    return Invalid(
        {
            "_schema": [
                _("The JSON body is nested more than %(depth)d levels deep.", depth=MAX_JSON_DEPTH)
            ]
        }
    )


def _depth(value: Any) -> int:
    """How many arrays and objects deep ``value`` goes, without recursion."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        pending.extend((child, level + 1) for child in children)
    return deepest
