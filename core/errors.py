"""Errors a person can be told about, raised by services and commands.

Services never speak HTTP: they raise ``Invalid``, ``Conflict``, ``NotAllowed`` or
``NotFound``, and the web layer answers 422, 409, 403 or 404 in one place (``web/errors.py``:
JSON under ``/api/``, a page or a form shown again elsewhere). Commands of the ``tremplin``
command line raise ``CliError``: one line, exit code 2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, Any

import click

from .i18n import _


class DomainError(Exception):
    """Base of the errors a user can be told about."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Invalid(DomainError):
    """Input breaks a rule: ``errors`` maps each field to its messages (HTTP 422)."""

    def __init__(self, errors: Mapping[str, Sequence[str]], message: str | None = None):
        super().__init__(message or "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = {field: list(messages) for field, messages in errors.items()}


class Conflict(DomainError):
    """The thing moved on meanwhile (already answered, already taken...) (HTTP 409)."""


class NotAllowed(DomainError):
    """The user may not do this, here (HTTP 403)."""


class NotFound(DomainError):
    """Nothing of that kind is visible to the user (HTTP 404)."""


class CliError(click.ClickException):
    """A problem the user of the ``tremplin`` command line can fix, told in one line on
    standard error in the region's language; exit code 2."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        """Print ``Error: <message>`` (translated) on standard error."""
        click.echo(_("Error: %(message)s", message=self.format_message()), err=True)
