"""Accepting the charter: what a person has accepted, and accepting a version.

No Flask here: the pages, the API, the command line, the task queue and the tests all call
the plugin's services: this one, ``versions``, ``record_checks``, ``declarations`` and
``decisions`` (the log). Each change of state is one transaction that also brings the
plugin's holds up to date (``requirements.sync``), so an ambassador is found again the
moment the last requirement is met, and hidden the moment one is missing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from tremplin import clock
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.errors import Conflict, NotAllowed
from tremplin.people.service import ambassador_of

from . import requirements
from .i18n import _
from .models import Acceptance, CharterVersion
from .requirements import current_version
from .versions import get_version, is_replaced, upcoming_version


@dataclass(frozen=True)
class CharterStatus:
    """The charter as one person sees it: the version in force, the next one, what they did."""

    current: CharterVersion | None
    upcoming: CharterVersion | None
    accepted: dict[int, datetime.datetime]  # version id -> when this person accepted it
    is_ambassador: bool

    def has_accepted(self, version: CharterVersion | None) -> bool:
        """Whether the person accepted ``version``."""
        return version is not None and version.id in self.accepted

    def is_replaced(self, version: CharterVersion) -> bool:
        """Whether ``version`` is neither the version in force nor one still to come."""
        return is_replaced(version, self.current)

    @property
    def must_accept_current(self) -> bool:
        """Whether an ambassador still has to accept the version in force."""
        return (
            self.is_ambassador and self.current is not None and not self.has_accepted(self.current)
        )


def status_for(account: Account | None) -> CharterStatus:
    """What ``account`` has accepted, beside the version in force and the next one."""
    accepted = {}
    if account is not None:
        accepted = {
            row.version_id: row.accepted_at
            for row in Acceptance.select().where(Acceptance.account == account.id)
        }
    return CharterStatus(
        current=current_version(),
        upcoming=upcoming_version(),
        accepted=accepted,
        is_ambassador=ambassador_of(account) is not None,
    )


def accept(account: Account | None, label: str) -> Acceptance:
    """``account`` (an ambassador) accepts the version ``label``, in force or upcoming.

    Accepting twice keeps the first acceptance. Raise ``NotAllowed`` for someone who is not
    an ambassador, ``NotFound`` for an unknown version, ``Conflict`` for a version replaced
    since the page was shown.
    """
    ambassador = ambassador_of(account)
    if ambassador is None:
        raise NotAllowed(_("Only ambassadors accept the charter."))
    version = get_version(label)
    if is_replaced(version, current_version()):
        raise Conflict(
            _(
                "Version %(version)s of the charter has been replaced: read the version in "
                "force and accept it.",
                version=version.version,
            )
        )
    with database.atomic():
        Acceptance.insert(
            account=account.id, version=version.id, accepted_at=clock.now()
        ).on_conflict_ignore().execute()
        requirements.sync([ambassador.id])
    return Acceptance.get(Acceptance.account == account.id, Acceptance.version == version.id)
