"""The app's ``flask_smorest.Api``, whose OpenAPI document is written when first read.

flask-smorest describes a blueprint's endpoints in the document as the blueprint is
registered: a deep copy of every endpoint's documentation and its schemas resolved, about
a third of the time it takes to make an app. A served app is made once, but the suite makes
one per test and few of them ever read the document. Here the blueprints are registered
with the app at once (their routes answer), and their description is written, in the same
order, the first time anything reads ``api.spec``: the ``/api/v1/openapi.json`` view or a
test. What else adds to the document (the ways to sign in) goes through ``describe``, in
the same queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask_smorest
from apispec import APISpec


class Api(flask_smorest.Api):
    """``flask_smorest.Api`` describing its blueprints on the first read of ``spec``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._undescribed: list[Callable[[APISpec], None]] = []
        self._spec: APISpec | None = None
        super().__init__(*args, **kwargs)

    @property
    def spec(self) -> APISpec | None:
        """The OpenAPI document, with everything registered so far described in it."""
        while self._undescribed and self._spec is not None:
            self._undescribed.pop(0)(self._spec)
        return self._spec

    @spec.setter
    def spec(self, value: APISpec | None) -> None:
        self._spec = value

    def register_blueprint(
        self, blp: flask_smorest.Blueprint, *, parameters: list | None = None, **options: Any
    ) -> None:
        """Register ``blp`` with the app now, and in the document when it is next read."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)

        def describe_blueprint(spec: APISpec) -> None:
            blp.register_views_in_doc(self, self._app, spec, name=name, parameters=parameters)
            spec.tag({"name": name, "description": blp.description})

        self.describe(describe_blueprint)

    def describe(self, write: Callable[[APISpec], None]) -> None:
        """Have ``write(spec)`` add to the document when it is next read, after what was
        registered before."""
        self._undescribed.append(write)
