"""What the plugin's pages show beside the requests: the rights explained, the retention.

The workflow is in ``requests``, what each right does in ``rights``, the export in
``exports``, the register in ``register``; this module gathers what the public page and the
retention page read. No Flask here: commands, tasks and tests call it alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from tremplin import runtime

from .i18n import lazy_gettext
from .models import Kind
from .register import Controller, controller


@dataclass(frozen=True)
class Right:
    """A right a person may exercise, its article and what exercising it does here."""

    kind: Kind
    article: str
    label: str
    explanation: str


RIGHTS = (
    Right(
        Kind.ACCESS,
        "15",
        lazy_gettext("Access"),
        lazy_gettext("Receive a copy of everything the network holds about you."),
    ),
    Right(
        Kind.RECTIFICATION,
        "16",
        lazy_gettext("Rectification"),
        lazy_gettext("Have wrong or incomplete data corrected."),
    ),
    Right(
        Kind.ERASURE,
        "17",
        lazy_gettext("Erasure"),
        lazy_gettext(
            "Have your account and your data erased, except what the law requires the "
            "network to keep (it is listed in the answer, with its legal basis)."
        ),
    ),
    Right(
        Kind.RESTRICTION,
        "18",
        lazy_gettext("Restriction"),
        lazy_gettext("Have your data kept but no longer used: you no longer appear in searches."),
    ),
    Right(
        Kind.PORTABILITY,
        "20",
        lazy_gettext("Portability"),
        lazy_gettext("Receive your data in a machine-readable format (JSON), to reuse it."),
    ),
    Right(
        Kind.OBJECTION,
        "21",
        lazy_gettext("Objection"),
        lazy_gettext("Object to the processing: no more surveys or communications."),
    ),
)

KIND_LABELS = {right.kind.value: right.label for right in RIGHTS}


def officer_contact() -> Controller:
    """The controller and its data protection officer, for the public page."""
    return controller()


def retention() -> list[tuple[str, str]]:
    """Each processing activity of the instance and how long its data is kept."""
    return [(str(row.name), str(row.retention)) for row in runtime.hooks().processing_activities()]
