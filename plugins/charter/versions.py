"""Versions of the charter: published once, never rewritten, each accepted again.

A version is published from its Markdown text (``publish``, or a file with ``publish_text``,
what ``tremplin charter publish`` and the region's texts do); the same version with another
text is refused: a new text gets a new version. Publishing holds every ambassador who has
not accepted the version in force (``requirements.sync``).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import peewee

from tremplin import clock
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.errors import Invalid, NotFound
from tremplin.validation import validated

from . import requirements, texts
from .i18n import _
from .models import Acceptance, CharterVersion, Decision, DecisionKind
from .schemas import PublishSchema


def published() -> list[CharterVersion]:
    """Every published version, the latest to take effect first."""
    return list(
        CharterVersion.select().order_by(
            CharterVersion.effective_on.desc(), CharterVersion.id.desc()
        )
    )


def upcoming_version(today: datetime.date | None = None) -> CharterVersion | None:
    """The next version to take effect after ``today``, if one is published."""
    today = today or clock.today()
    return (
        CharterVersion.select()
        .where(CharterVersion.effective_on > today)
        .order_by(CharterVersion.effective_on, CharterVersion.id)
        .first()
    )


def get_version(label: str) -> CharterVersion:
    """The version called ``label``; raise ``NotFound``."""
    version = CharterVersion.get_or_none(CharterVersion.version == label)
    if version is None:
        raise NotFound(_("No version of the charter is called %(version)s.", version=label))
    return version


def publish(raw: Mapping[str, Any], actor: Account | None = None) -> tuple[CharterVersion, bool]:
    """Publish a version from ``raw`` (version, title, effective_on, text); say if it is new.

    Publishing the same version with the same text again changes nothing; the same version
    with another text is refused (``Invalid``): a published text is never rewritten, it gets
    a new version. Every ambassador who has not accepted the version in force is held.
    """
    data = validated(PublishSchema, raw)
    with database.atomic():
        existing = CharterVersion.get_or_none(CharterVersion.version == data["version"])
        if existing is not None:
            same = (existing.title, existing.text.strip(), existing.effective_on) == (
                data["title"],
                data["text"].strip(),
                data["effective_on"],
            )
            if same:
                return existing, False
            raise Invalid(
                {
                    "version": [
                        _(
                            "Version %(version)s is already published with another text: "
                            "give the new text a new version.",
                            version=data["version"],
                        )
                    ]
                }
            )
        version = CharterVersion.create(
            version=data["version"],
            title=data["title"],
            text=data["text"].strip(),
            effective_on=data["effective_on"],
            published_at=clock.now(),
        )
        Decision.create(actor=actor, kind=DecisionKind.VERSION_PUBLISHED, version=version.version)
        requirements.sync()
    return version, True


def publish_text(
    content: str, overrides: Mapping[str, Any] | None = None, actor: Account | None = None
) -> tuple[CharterVersion, bool]:
    """Publish the charter file ``content`` (see ``texts``); ``overrides`` win over its header.

    Without a title, the version keeps the title of the previous one.
    """
    parsed = texts.parse(content)
    latest = CharterVersion.select().order_by(CharterVersion.id.desc()).first()
    raw = {
        "version": parsed.version,
        # Without a title of its own, a new version keeps the title of the last one.
        "title": parsed.title or (latest.title if latest else _("Charter of the ambassadors")),
        "effective_on": parsed.effective_on.isoformat() if parsed.effective_on else None,
        "text": parsed.body,
    }
    raw.update({key: value for key, value in (overrides or {}).items() if value is not None})
    return publish(raw, actor)


def explain(error: Invalid) -> str:
    """One line saying what is wrong, ``field: message; field: message``, for the CLI."""
    parts = []
    for field, messages in error.errors.items():
        message = " ".join(messages).rstrip(".")
        message = message[:1].lower() + message[1:]
        parts.append(_("%(field)s: %(message)s", field=field, message=message))
    return _("; ").join(parts)


def acceptance_counts() -> dict[int, int]:
    """How many people accepted each version, by version id."""
    query = Acceptance.select(Acceptance.version, peewee.fn.COUNT(Acceptance.id)).group_by(
        Acceptance.version
    )
    return dict(query.tuples())


def waiting_acceptance(version: CharterVersion) -> int:
    """How many ambassadors have not accepted ``version`` (deleted accounts aside)."""
    return sum(
        1
        for standing in requirements.standings(version.effective_on, version=version)
        if not standing.charter_accepted
    )


def is_replaced(version: CharterVersion, in_force: CharterVersion | None) -> bool:
    """Whether ``version`` is older than ``in_force``, the version in force (never accepted)."""
    return (
        in_force is not None
        and version.id != in_force.id
        and (version.effective_on, version.id) < (in_force.effective_on, in_force.id)
    )
