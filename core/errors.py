"""Domain errors raised by services and turned into HTTP answers in one place (web/errors.py).

Services never speak HTTP: they raise these, and the web layer answers 422, 409, 403 or
404 (JSON under ``/api/``, a page or a form shown again elsewhere).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


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
