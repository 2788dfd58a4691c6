"""The log of decisions: publications of the charter, checks verified or refused.

Admins read it all; referents the decisions about the ambassadors of their territories,
their own, and the publications of the charter.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import peewee

from tremplin.auth import permissions
from tremplin.auth.models import Account
from tremplin.people.models import Ambassador

from .models import Decision, DecisionKind
from .record_checks import reviewed_by


@dataclass(frozen=True)
class LogLine:
    """A line of the decisions log, as referents and admins read it."""

    at: datetime.datetime
    actor: str | None  # None: the platform itself
    ambassador_id: int | None  # None: about no one, or about an erased person
    ambassador: str | None
    kind: str
    version: str | None
    extract_issued_on: datetime.date | None


def decisions(
    viewer: Account | None, page: int = 1, page_size: int = 50
) -> tuple[list[LogLine], int]:
    """The decisions ``viewer`` may read, the latest first, and how many there are.

    Admins read them all; referents those about the ambassadors of their territories, their
    own, and the publications of the charter. Raise ``NotAllowed`` for anybody else.
    """
    managed = reviewed_by(viewer)
    actor = Account.alias("actor")
    subject = Account.alias("subject")
    query = (
        Decision.select(
            Decision,
            actor.first_name.alias("actor_first"),
            actor.last_name.alias("actor_last"),
            subject.first_name.alias("subject_first"),
            subject.last_name.alias("subject_last"),
        )
        .join(actor, peewee.JOIN.LEFT_OUTER, on=(Decision.actor == actor.id))
        .switch(Decision)
        .join(Ambassador, peewee.JOIN.LEFT_OUTER, on=(Decision.ambassador == Ambassador.id))
        .join(subject, peewee.JOIN.LEFT_OUTER, on=(Ambassador.account == subject.id))
    )
    if permissions.covered_territories(viewer) is not None:
        query = query.where(
            (Decision.ambassador.is_null(False) & managed)
            | (Decision.actor == viewer.id)
            | (Decision.kind == DecisionKind.VERSION_PUBLISHED)
        )
    total = query.count()
    rows = query.order_by(Decision.at.desc(), Decision.id.desc()).paginate(page, page_size)
    return [
        LogLine(
            at=row.at,
            actor=_name(row.actor_first, row.actor_last),
            ambassador_id=row.ambassador_id,
            ambassador=_name(row.subject_first, row.subject_last),
            kind=row.kind,
            version=row.version,
            extract_issued_on=row.extract_issued_on,
        )
        for row in rows.objects()
    ], total


def _name(first: str | None, last: str | None) -> str | None:
    if first is None and last is None:
        return None
    return f"{first or ''} {last or ''}".strip()
