"""HTML forms, the same way on every page: what was submitted, the choices offered, and
the page shown again with its errors.

A form refused by a service (``Invalid``) is shown again with what the person typed and
each field's messages next to it, answered with HTTP 422 so that assistive technologies
and tests can tell a refused form from a page shown for the first time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from flask import render_template
from werkzeug.datastructures import MultiDict

from ..errors import Invalid

T = TypeVar("T")

# Fields of every form that are no answer of the person: the CSRF token, the button pressed.
NOT_ANSWERS = frozenset({"csrf_token", "action"})


def form_values(form: MultiDict, lists: Iterable[str] = ()) -> dict[str, Any]:
    """The submitted fields, as lists for the names in ``lists`` (empty when none is ticked)."""
    values: dict[str, Any] = {key: value for key, value in form.items() if key not in NOT_ANSWERS}
    for key in lists:
        values[key] = form.getlist(key)
    return values


def submitted(action: Callable[[], T]) -> tuple[T | None, dict[str, list[str]]]:
    """Run ``action``, the service call a form asks for: its result and no errors, or
    ``None`` and each field's messages when the service refused it (``Invalid``), to show
    the form again with them."""
    try:
        return action(), {}
    except Invalid as error:
        return None, error.errors


def options(codes: Iterable[Any], names: Mapping[Any, Any]) -> list[tuple[str, str]]:
    """``(value, label)`` pairs of a choice: each code with its name (the code if it has none)."""
    return [(str(code), str(names.get(code, code))) for code in codes]


def form_page(
    template: str,
    errors: Mapping[str, list[str]] | None = None,
    *,
    http_status: int | None = None,
    **context: Any,
) -> tuple[str, int]:
    """``template`` rendered with ``errors`` (``{}`` when none) and ``context``.

    Answered with ``http_status`` when given (409 when the thing moved on meanwhile...), else
    422 when there are errors to show, 200 otherwise.
    """
    errors = errors or {}
    page = render_template(template, errors=errors, **context)
    return page, http_status or (422 if errors else 200)
